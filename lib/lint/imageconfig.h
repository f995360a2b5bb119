/*
 * Image and container configurations, as `docker image inspect`,
 * `docker inspect` (a container), `podman inspect` or `skopeo inspect
 * --config` (an OCI image config) print them, read into one model.
 *
 * The environment of an image holds secrets (POSTGRES_PASSWORD is set in
 * many Dockerfiles): only the names of the variables that identify a
 * database are kept, never a value.
 */
#ifndef DBPOD_IMAGECONFIG_H
#define DBPOD_IMAGECONFIG_H

#include <stddef.h>

#include "classify.h"

enum dbp_image_source {
	DBP_SRC_IMAGE,		/* docker/podman image inspect */
	DBP_SRC_CONTAINER,	/* docker/podman inspect of a container */
	DBP_SRC_OCI,		/* OCI image config (lower-case "config") */
};

/* A file the image holds that could be read: a script copied from the
 * build context, a heredoc (dbpod lint of a Dockerfile reads them;
 * inspect JSON carries none). Functions: imagechain.h. */
struct dbp_image_file {
	char *path;		/* where it is in the image ("/usr/local/bin/start.sh") */
	char *text;		/* NUL-terminated */
	char *from;		/* where it was read: "the build context's start.sh" */
};

struct dbp_image_files {
	struct dbp_image_file *items;
	size_t n, cap;
	int read;		/* 1: a build context or heredocs were looked at */
};

struct dbp_image {
	char *name;			/* RepoTags[0], Name, or Id; "image N" else */
	enum dbp_image_source source;
	char **entrypoint;		/* NULL-terminated; NULL when not set */
	char **cmd;
	char **argv;			/* a container's Path + Args: what PID 1 really
					 * got (podman: after its init); NULL for images */
	char *stop_signal;		/* as written: "SIGINT", "2", ...; NULL when unset */
	char *user;
	int init;			/* HostConfig.Init: 1, 0, or -1 when unknown (images) */
	enum dbp_db db;			/* from the command, environment names and labels */
	char db_hint[64];		/* what told: "Env PG_MAJOR", "Cmd postgres" */
	/* Set by dbpod lint's readers (Dockerfile, Compose, Kubernetes);
	 * zero from inspect JSON. */
	int entrypoint_official;	/* the entrypoint is an official image's
					 * docker-entrypoint.sh (FROM postgres:16),
					 * which execs whatever it is given */
	int script_execs;		/* the entrypoint script was read: 1 it execs
					 * its command, -1 it does not; 0 not read */
	int command_unknown;		/* the command comes from an image not seen */
	int args_to_image;		/* cmd is handed to the entrypoint of an image
					 * not seen (Compose's command, Kubernetes'
					 * args, without an entrypoint) */
	int stop_signal_from_image;	/* no stop signal set here: the image's applies */
	const char *init_name;		/* the runtime's init when init is 1
					 * ("pause"); NULL: docker-init */
	char *image_ref;		/* Compose's and Kubernetes' image: "postgres:16" */
	const char *image_init;		/* the init a known image runs as PID 1 itself
					 * (spilo: dumb-init), for a command that is
					 * the image's; NULL */
	int image_stop_fast;		/* a known image whose entrypoint turns the
					 * runtime's stop into the server's fast
					 * shutdown (spilo) */
	const char *init_hint;		/* how this runtime adds an init, for
					 * DBI603: " (no `init: true`)" */
	int stop_timeout;		/* Config.StopTimeout, seconds; -1 unset */
	int tini_kill_group;		/* Env names TINI_KILL_PROCESS_GROUP (the value is not kept) */
	struct dbp_image_files files;	/* the files read for it, to follow its scripts */
};

struct dbp_images {
	struct dbp_image *items;
	size_t n, cap;
};

/* Parse len bytes of strict JSON: one object, an array of them, or several
 * such values one after the other (`docker inspect a b`, files cat'ed
 * together); every object is judged. A member of the wrong type is an
 * error naming it ("[1].Config.Entrypoint: ..."), never read as absent.
 * Entrypoint and Cmd take an array of strings or, as Docker's own API does,
 * one string as a one-word command (podman prints Entrypoint so for a
 * container, whose argv is then read from Path and Args); StopSignal a
 * name or a number. Returns 0, or -EINVAL/-ENOMEM with a reason in why. */
int dbp_images_parse(const char *text, size_t len, struct dbp_images *out,
		     char *why, size_t whysize);
void dbp_images_free(struct dbp_images *imgs);
/* What one image holds (not the image itself). */
void dbp_image_free(struct dbp_image *m);

/* The database an image runs, into img->db and img->db_hint, from: the
 * words of a command (any word: "docker-entrypoint.sh postgres", and the
 * words of a shell string); an environment entry's name ("PG_MAJOR=...";
 * the value is never looked at); an image reference ("postgres:16",
 * "bitnami/mariadb", "acid/spilo-16": a word of the name, never a tool's
 * such as postgres-operator; a known image also sets image_init and
 * image_stop_fast). Each returns 1 when it told. */
int dbp_image_db_from_words(struct dbp_image *img, char **v, const char *what);
int dbp_image_db_from_env_entry(struct dbp_image *img, const char *entry);
int dbp_image_db_from_ref(struct dbp_image *img, const char *ref);

#endif
