/*
 * One input of dbpod lint: what kind it is (from its name, else from its
 * text) and its reading into the lint model.
 */
#ifndef DBPOD_LINTREAD_H
#define DBPOD_LINTREAD_H

#include <stddef.h>

#include "lintunit.h"

enum dbp_lint_kind {
	DBP_LINT_AUTO = 0,
	DBP_LINT_DOCKERFILE,
	DBP_LINT_COMPOSE,
	DBP_LINT_K8S,
	DBP_LINT_INSPECT,
};

/* The most one input may hold, decompressed (dbpod-lint(1), LIMITS):
 * inputs are read whole, and zlib reads gzip as well as plain text, so
 * a megabyte of gzip could otherwise become a gigabyte in memory. */
#define DBP_LINT_MAX_INPUT (16 << 20)

const char *dbp_lint_kind_name(enum dbp_lint_kind k);	/* "dockerfile", ... */
int dbp_lint_kind_parse(const char *s);			/* -EINVAL: unknown */

/* Read len bytes of name (a path, or "-") as kind (DBP_LINT_AUTO: detect:
 * Dockerfile and Containerfile names, a JSON text, a Compose "services:",
 * Kubernetes "apiVersion:"/"kind:", a text whose first instruction is
 * FROM). context: the build context for a Dockerfile's scripts (NULL:
 * none). *got is the kind read. Returns 0, or -EINVAL with out->why (and
 * out->err_line when known), or -ENOMEM. */
int dbp_lint_read(const char *name, const char *text, size_t len, const char *context,
		  enum dbp_lint_kind kind, struct dbp_lintfile *out, enum dbp_lint_kind *got);

#endif
