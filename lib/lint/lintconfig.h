/*
 * dbpod lint's configuration file, .dbpod.yaml, found in the current
 * directory or the nearest parent up to the repository's root (the
 * directory holding .git), or named with --config:
 *
 *   ignore: [DBI602, DBK703]        ids never reported
 *   severity: {DBI604: critical}    per-id severity (info, warning, critical)
 *   failure-threshold: warning      info | warning | critical | none
 *   profile: postgres               postgres | mysql | mongodb | redis | generic
 *   min-grace-period: 120           seconds a database needs to stop ("2m" too)
 */
#ifndef DBPOD_LINTCONFIG_H
#define DBPOD_LINTCONFIG_H

#include <stddef.h>
#include <sys/types.h>

#include "report.h"

/* The most a configuration may hold, decompressed (dbpod-lint(1),
 * LIMITS): a few lines are all it takes. */
#define DBP_LINTCONFIG_MAX (1 << 20)

struct dbp_severity_override {
	char id[16];
	enum dbp_severity severity;
};

struct dbp_lintconfig {
	char *ignore;			/* comma-separated ids; NULL none */
	struct dbp_severity_override *overrides;
	size_t n_overrides;
	int threshold;			/* enum dbp_severity (DBP_OK: none); -1 unset */
	int profile;			/* enum dbp_profile; -1 unset */
	long long min_grace;		/* seconds; -1 unset */
};

/* Parse the file's text. Returns 0, or -EINVAL with why ("line 3:
 * severity.DBI604: info, warning or critical expected"), or -ENOMEM. */
int dbp_lintconfig_parse(const char *text, size_t len, struct dbp_lintconfig *c,
			 char *why, size_t whysize);
void dbp_lintconfig_free(struct dbp_lintconfig *c);

/* --failure-threshold's values: info, warning, critical, none (DBP_OK).
 * Returns the severity, or -EINVAL for anything else (NULL too). */
int dbp_threshold_parse(const char *s);

/* Look for .dbpod.yaml from dir upward within the project: up to the
 * nearest directory that holds .git, or in dir alone when none does (the
 * directories above are anyone's: /tmp). Returns 1 with the path in path
 * -- whatever stands there, for the caller to open with dbp_open_regular
 * (safeopen.h) and to judge with dbp_lintconfig_trusted -- or 0. */
int dbp_lintconfig_find(const char *dir, char *path, size_t size);

/* Whether a configuration found (not named by the user) may be read by
 * uid, from its lstat or fstat: owned by uid or by root, and not writable
 * by others. Whoever could put a .dbpod.yaml there could otherwise
 * silence every finding. 1, or 0 with why ("owned by uid 65534 (nobody),
 * neither you nor root"). */
struct stat;
int dbp_lintconfig_trusted(const struct stat *st, uid_t uid, char *why, size_t whysize);

#endif
