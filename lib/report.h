/*
 * Findings and the report a check command builds from them.
 *
 * A finding is what a rule concluded: a stable id (documented in the
 * command's man page, silenced with --ignore), a severity, the process it
 * is about (0 when none), what is wrong and how to fix it.
 */
#ifndef DBPOD_REPORT_H
#define DBPOD_REPORT_H

#include <stddef.h>
#include <sys/types.h>

/* Ordered by how bad they are for a reader, not by exit code: see
 * dbp_report_status for how they combine. */
enum dbp_severity {
	DBP_OK = 0,
	DBP_INFO,
	DBP_UNKNOWN,
	DBP_WARNING,
	DBP_CRITICAL,
};

struct dbp_finding {
	char id[16];
	enum dbp_severity severity;
	pid_t pid;
	char *message;
	char *advice;		/* NULL when there is nothing to do */
	/* Where in an input file the finding is (dbpod lint): file NULL and
	 * line 0 when it is about no file; column 0 when not known. */
	char *file;
	int line, column;
	const char *database;	/* dbp_db_id of what it judged for; NULL when none */
};

struct dbp_report {
	const char *command;
	struct dbp_finding *items;
	size_t n, cap;
	int nomem;		/* a finding was lost for want of memory */
};

void dbp_report_init(struct dbp_report *r, const char *command);
void dbp_report_free(struct dbp_report *r);

/* Add a finding; the message is printf-style. Returns the finding, or NULL
 * without memory (r->nomem is then set and the status is unknown). */
struct dbp_finding *dbp_report_add(struct dbp_report *r, const char *id,
				   enum dbp_severity sev, pid_t pid,
				   const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A copy of f (message, advice, where, database) added to r. Returns the
 * copy, or NULL without memory (r->nomem is then set). */
struct dbp_finding *dbp_report_copy(struct dbp_report *r, const struct dbp_finding *f);

/* Copy into dst the findings of src at severity min or above, in src's
 * order; returns how many were copied (fewer without memory: dst->nomem).
 * doctor's text shows the findings worth acting on with min unknown,
 * and all of them with --verbose (min ok). */
size_t dbp_report_filter(struct dbp_report *dst, const struct dbp_report *src,
			 enum dbp_severity min);

/* Does r hold a finding with this id (case-sensitive) about pid? */
int dbp_report_has(const struct dbp_report *r, const char *id, pid_t pid);

/* Set the advice of f, printf-style; f may be NULL (then nothing happens). */
void dbp_finding_advise(struct dbp_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set where f is: a copy of file, line and column (1-based; 0 unknown).
 * f may be NULL. */
void dbp_finding_locate(struct dbp_finding *f, const char *file, int line, int column);

/* Set the severity of every finding with this id (a config file's
 * per-id override); returns how many changed. */
size_t dbp_report_override(struct dbp_report *r, const char *id, enum dbp_severity sev);

/* The exit status when only findings at or above threshold count
 * (hadolint's --failure-threshold): an info finding at threshold info
 * exits 1; DBP_OK as threshold ("none") exits 0 -- except that unknown
 * findings (input that could not be read) always exit 3. */
int dbp_report_exit_threshold(const struct dbp_report *r, enum dbp_severity threshold);

/* "info", "warning", "critical" (and "unknown", "ok") back to a severity.
 * Returns the severity, or -EINVAL for anything else (NULL too). */
int dbp_severity_parse(const char *s);

/* Whether id is in the comma-separated list ids (case-insensitive, as
 * --ignore takes them). */
int dbp_ids_listed(const char *ids, const char *id);

/* Drop the findings whose id is in the comma-separated list ids. Returns
 * how many were dropped. */
size_t dbp_report_ignore(struct dbp_report *r, const char *ids);

/* Most severe first; equal ones keep their order. */
void dbp_report_sort(struct dbp_report *r);

/* The overall status: critical, else warning, else unknown, else ok — the
 * Nagios order, in which a definite problem outranks a part that could not
 * be judged. */
enum dbp_severity dbp_report_status(const struct dbp_report *r);

/* 0 OK (ok, info), 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
int dbp_severity_exit(enum dbp_severity s);
const char *dbp_severity_name(enum dbp_severity s);	/* "critical" */

/* Count of findings with severity s. */
size_t dbp_report_count(const struct dbp_report *r, enum dbp_severity s);

#endif
