/*
 * Output: findings and facts as text for a person or JSON for a program.
 *
 * Renderers write to the stream they are given and return a negative errno
 * when the write failed; they never choose a stream or exit themselves.
 */
#ifndef DBPOD_RENDER_H
#define DBPOD_RENDER_H

#include <stdio.h>

#include <json-c/json.h>

#include "proctable.h"
#include "report.h"

struct dbp_text {
	FILE *out;
	int color;		/* ANSI colours (a TTY, no --no-color, no NO_COLOR) */
	int width;		/* wrap text at this column */
};

/* The JSON object of a check command:
 * {"dbpod": VERSION, "command": ..., "status": ..., "findings": [...],
 *  "facts": facts}. Takes ownership of facts (which may be NULL). */
struct json_object *dbp_report_json(const struct dbp_report *r,
				    struct json_object *facts);

/* A process as JSON: pid, ppid, user, uid, state, comm, name, kind,
 * database, cmdline (redacted), start_time (ISO 8601 UTC), start_ticks. */
struct json_object *dbp_proc_json(const struct dbp_table *t, const struct dbp_proc *p);

/* A signal mask as {"hex": "0000000000001000", "names": ["SIGPIPE"]}. */
struct json_object *dbp_sigmask_json(uint64_t mask);

/* The masks of p as {"pending": MASK, "shpending", "blocked", "ignored",
 * "caught"[, "waited" when the sigtimedwait set was read]}, or NULL when
 * they could not be read. */
struct json_object *dbp_proc_signals_json(const struct dbp_proc *p);

/* Seconds since the epoch as ISO 8601 UTC: "2026-11-23T06:40:01Z". */
const char *dbp_iso_time(time_t when, char *buf, size_t size);

/* Print obj, pretty when pretty is set, and a newline. */
int dbp_json_print(FILE *out, struct json_object *obj, int pretty);

/* "CRITICAL", coloured when t->color. */
const char *dbp_text_severity(const struct dbp_text *t, enum dbp_severity s,
			      char *buf, size_t size);

/* A "label  value" line: the label padded to a column, the value wrapped
 * under itself. */
void dbp_text_field(const struct dbp_text *t, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print text wrapped at t->width: the first line after `first`, the others
 * indented by `indent` spaces. */
void dbp_text_wrap(const struct dbp_text *t, int indent, const char *first,
		   const char *text);

/* "  caught", "  ignored" and "  blocked" lines with the signals' names. */
void dbp_text_sigmasks(const struct dbp_text *t, const struct dbp_sigmasks *m);

/* Every finding, most severe first (sort the report before), then a blank
 * line; "No findings." when there are none. */
void dbp_text_findings(const struct dbp_text *t, const struct dbp_report *r);

/* The closing status line: "Status: CRITICAL (1 critical, 2 warnings)". */
void dbp_text_status(const struct dbp_text *t, const struct dbp_report *r);

#endif
