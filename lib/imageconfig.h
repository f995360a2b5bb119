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

struct dbp_image {
	char *name;			/* RepoTags[0], Name, or Id; "image N" else */
	enum dbp_image_source source;
	char **entrypoint;		/* NULL-terminated; NULL when not set */
	char **cmd;
	char *stop_signal;		/* as written: "SIGINT", "2", ...; NULL when unset */
	char *user;
	int init;			/* HostConfig.Init: 1, 0, or -1 when unknown (images) */
	enum dbp_db db;			/* from the command, environment names and labels */
	char db_hint[64];		/* what told: "Env PG_MAJOR", "Cmd postgres" */
};

struct dbp_images {
	struct dbp_image *items;
	size_t n;
};

/* Parse the JSON text of one object or an array of them. Returns 0, or
 * -EINVAL with a reason (a static string) in *why. */
int dbp_images_parse(const char *text, struct dbp_images *out, const char **why);
void dbp_images_free(struct dbp_images *imgs);

#endif
