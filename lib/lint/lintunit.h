/*
 * What dbpod lint judges: one container as a Dockerfile's final stage, a
 * Compose service or a Kubernetes container declares it, read into one
 * model -- the image model of imagecheck (what will be PID 1, the stop
 * signal, an init) plus what a deployment adds (the grace period, a
 * preStop hook, memory, QoS) -- each with where it was written, so that a
 * finding can name the file, line and column.
 */
#ifndef DBPOD_LINTUNIT_H
#define DBPOD_LINTUNIT_H

#include <stddef.h>

#include "imageconfig.h"
#include "numparse.h"	/* the deployment formats' sizes and durations */
#include "lintignore.h"

struct dbp_pos {
	int line, column;	/* 1-based; 0 unknown */
};

enum dbp_unit_kind {
	DBP_UNIT_DOCKERFILE,
	DBP_UNIT_COMPOSE,
	DBP_UNIT_K8S,
	DBP_UNIT_INSPECT,	/* docker/podman inspect JSON, as imagecheck reads it */
};

#define DBP_UNSET (-1LL)

struct dbp_unit {
	enum dbp_unit_kind kind;
	struct dbp_image img;	/* img.name names the unit in messages */
	struct dbp_pos at;	/* the stage's FROM, the service, the container */
	struct dbp_pos entrypoint_at, cmd_at, stop_signal_at, user_at, grace_at,
		       memory_at, env_at, prestop_at, pid_at;
	long long grace;	/* seconds; DBP_UNSET: the runtime's default */
	int grace_default;	/* Compose 10, Kubernetes 30 */
	int prestop;		/* 0 none; 1 a hook; 2 one that stops the database fast */
	int prestop_root;	/* the hook runs pg_ctl as root, which pg_ctl refuses:
				 * 1 runAsUser 0, 2 the official postgres image's root */
	int share_pid;		/* 1 shareProcessNamespace (pause is PID 1);
				 * 2 pid: service:/container:; 3 pid: host */
	long long mem_limit, mem_request;	/* bytes; DBP_UNSET */
	int qos;		/* Kubernetes: enum dbp_qos of the pod; 0 else */
	int pg_oom_file;	/* PG_OOM_ADJUST_FILE: 0 unset, 1 the right file, -1 another */
	int pg_oom_value;	/* PG_OOM_ADJUST_VALUE set */
	int init_installed;	/* Dockerfile: tini, dumb-init or catatonit installed */
	int cmd_reset;		/* Dockerfile: ENTRYPOINT set without CMD on a base with a CMD */
	int user_root;		/* Dockerfile: USER is root, 0 or not set */
	/* Kubernetes: a livenessProbe, and how long a start may take before
	 * it kills the container (initialDelaySeconds + failureThreshold x
	 * periodSeconds); a startupProbe, which holds it off until it passes */
	int liveness, startup;
	long long liveness_window;
	struct dbp_pos liveness_at;
	/* Kubernetes: the grace a failed livenessProbe or startupProbe stops
	 * the container with, its own terminationGracePeriodSeconds (1.25+),
	 * which replaces the pod's for that stop; the shorter of the two
	 * probes' where both set one; DBP_UNSET: the pod's applies */
	long long probe_grace;
	const char *probe_grace_of;	/* "livenessProbe" or "startupProbe" */
	struct dbp_pos probe_grace_at;
	char *init_file;	/* the entrypoint script read, for messages */
	char *missing_program;	/* Dockerfile: the program the command starts, which
				 * nothing in an image whose content is all known
				 * creates; NULL */
	int missing_scratch;	/* and that image is FROM scratch (else an official one) */
};

struct dbp_units {
	struct dbp_unit *items;
	size_t n, cap;
};

/* A new zeroed unit at the end (grace, memory unset); NULL without memory. */
struct dbp_unit *dbp_units_add(struct dbp_units *u, enum dbp_unit_kind kind);
void dbp_units_free(struct dbp_units *u);

/* An object read and not judged: a database operator's custom resource
 * (CloudNativePG's Cluster, Zalando's postgresql), whose pods the
 * operator makes. */
struct dbp_operator_cr {
	char kind[64], api[96], name[96];
	char made[96];		/* what kubectl gets to see its pods ("pod -l
				 * cnpg.io/cluster=NAME"): NAME is name */
	int db;			/* enum dbp_db it runs */
	struct dbp_pos at;	/* its kind: */
};

/* One file's reading: its units and inline ignores, or why it could not
 * be read (why set, line of the error when known); and what was read but
 * cannot be judged -- Helm templates (the documents with {{ }}; the
 * others are read), operator custom resources. */
struct dbp_lintfile {
	struct dbp_units units;
	struct dbp_ignores ignores;
	char why[256];
	int err_line, err_column;
	size_t template_docs;		/* documents with Helm template actions, not read */
	struct dbp_pos template_at;	/* the first action */
	struct dbp_operator_cr *crs;
	size_t ncrs, capcrs;
};

void dbp_lintfile_free(struct dbp_lintfile *f);

/* Containers one input may declare (dbpod-lint(1), LIMITS): each is
 * judged and reported on its own, so a Kubernetes List that names the
 * same pod again and again through aliases would cost its findings each
 * time. */
#define DBP_LINT_MAX_UNITS 10000

/* A new unit in f (dbp_units_add) for what is written at (NULL: not
 * known): 0 with *u, -EINVAL with f->why and f->err_line past
 * DBP_LINT_MAX_UNITS, or -ENOMEM. */
int dbp_lintfile_add_unit(struct dbp_lintfile *f, enum dbp_unit_kind kind,
			  const struct dbp_pos *at, struct dbp_unit **u);

/* "PG_MAJOR=15" style entries into img->db (names only are looked at) and
 * an image reference ("postgres:16", "docker.io/bitnami/mysql") into the
 * database it runs; the command's words count first. */
void dbp_unit_guess_db(struct dbp_unit *u, char **env, const char *image_ref);

#endif

/* The unit's command is a shell string (sh -c "..."): when that string
 * names no database server, the image's name does not tell either (a
 * pg_dump job in the postgres image is no server). */
int dbp_unit_runs_shell_string(const struct dbp_unit *u);
