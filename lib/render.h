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
#include "timestamp.h"	/* dbp_iso_time: the renderers' time format */

struct dbp_text {
	FILE *out;
	int color;		/* ANSI colours (a TTY, no --no-color, no NO_COLOR) */
	int width;		/* wrap text at this column */
};

/*
 * The rendering boundary. Every string that comes from outside dbpod (a
 * process's argv, comm and user, a file's text, an image's command)
 * reaches output through one of these, so that passwords are redacted
 * (redact.h) and no byte can act on a terminal or break JSON (escape.h):
 *   text   dbp_text_wrap, dbp_text_field and dbp_text_findings apply
 *          dbp_text_safe themselves; a table row that prints with printf
 *          passes each outside string through dbp_text_safe first
 *   JSON   dbp_json_print redacts every string (dbp_json_redact) and
 *          prints valid UTF-8 (dbp_json_text); a recording, which keeps
 *          the real command lines unless --redact, writes dbp_json_text
 */

/* s redacted and escaped for text into buf (cut with "..." when it does
 * not fit, see dbp_escape_text). Returns buf. */
const char *dbp_text_safe(const char *s, char *buf, size_t size);
/* The same, malloc'd and never cut; NULL without memory. */
char *dbp_text_safe_dup(const char *s);

/* Redact every string value in obj, in place (keys are dbpod's own). */
void dbp_json_redact(struct json_object *obj);

/* obj serialised with json-c's flags and made valid UTF-8 (bytes that are
 * not UTF-8 as \udcNN, see escape.h); malloc'd, NULL without memory. */
char *dbp_json_text(struct json_object *obj, int flags);

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

/* Print obj, pretty when pretty is set, and a newline: redacted
 * (dbp_json_redact, which changes obj) and valid UTF-8 (dbp_json_text). */
int dbp_json_print(FILE *out, struct json_object *obj, int pretty);

/*
 * The ps columns of the two process tables, snapshot's live view and
 * postmortem --at, so that a process reads the same in both:
 *
 *       PID    PPID STIME    USER     STAT COMMAND
 *        40       1 06:40:01 postgres Ss   postgres: checkpointer
 *
 * STIME is the start in UTC, like every time dbpod prints (timestamp.h):
 * the time of day when the process started less than 24 hours before the
 * table was read (t->now), else the day, "Nov23" (ps's %b%d); "?" when
 * the boot time is unknown. USER is "?" when the process's status could
 * not be read, cut at 8 characters. STAT is the state, and "s" for a
 * session leader as ps marks it (a recording holds no session: no "s").
 * COMMAND is redacted unless redact is 0 (snapshot --no-redact) and,
 * like USER, escaped (escape.h). A view prints its own columns before
 * (snapshot: the sample's time) or after (the changes) these.
 */
#define DBP_PS_STIME_SIZE 16

/* p's STIME into buf (DBP_PS_STIME_SIZE). Returns buf. */
const char *dbp_ps_stime(const struct dbp_table *t, const struct dbp_proc *p, char *buf,
			 size_t size);

/* The header of the columns and a newline. */
void dbp_text_ps_header(FILE *out);

/* p's columns, no newline; depth > 0 indents the command under its
 * parent's as a tree ("  \_ "). */
void dbp_text_ps_row(FILE *out, const struct dbp_table *t, const struct dbp_proc *p, int redact,
		     int depth);

/* "CRITICAL", coloured when t->color. */
const char *dbp_text_severity(const struct dbp_text *t, enum dbp_severity s,
			      char *buf, size_t size);

/* A "label  value" line: the label padded to a column, the value wrapped
 * under itself. */
void dbp_text_field(const struct dbp_text *t, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print text wrapped at t->width: the first line after `first`, the others
 * indented by `indent` spaces. text goes through dbp_text_safe (a newline
 * in it is shown as \n, never a line break); first is dbpod's own. */
void dbp_text_wrap(const struct dbp_text *t, int indent, const char *first,
		   const char *text);

/* "  caught", "  ignored" and "  blocked" lines with the signals' names. */
void dbp_text_sigmasks(const struct dbp_text *t, const struct dbp_sigmasks *m);

/* One line per finding, for grep and editors (hadolint's "tty" lines):
 * "FILE:LINE:COLUMN ID severity: message" for a finding in a file,
 * "pid:PID ID severity: message" for one about a process, else
 * "COMMAND ID severity: message"; each line after "WHERE " when where is
 * not NULL (a container, in node mode). Nothing when there are none:
 * the exit status says the verdict. */
void dbp_oneline_findings(FILE *out, const struct dbp_report *r, const char *where);
/* ":LINE:COLUMN" of a finding located in a file, ":LINE" without a
 * column, "" for the whole file (line 0), into buf. */
const char *dbp_text_position(const struct dbp_finding *f, char *buf, size_t size);
/* Every finding, most severe first (sort the report before), then a blank
 * line; "No findings." when there are none. */
void dbp_text_findings(const struct dbp_text *t, const struct dbp_report *r);

/* The closing status line: "Status: CRITICAL (1 critical, 2 warnings)". */
void dbp_text_status(const struct dbp_text *t, const struct dbp_report *r);

#endif
