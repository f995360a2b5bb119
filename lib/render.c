/*
 * Text and JSON renderers shared by every command.
 *
 * Text is for an 80-column terminal reached through kubectl exec: a few
 * aligned fields, then findings with their advice, wrapped, never a line
 * that scrolls off to the right.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "classify.h"
#include "escape.h"
#include "redact.h"
#include "render.h"
#include "sigset.h"

const char *dbp_text_safe(const char *s, char *buf, size_t size)
{
	char *r = strdup(s ? s : "");

	if (!r) {
		snprintf(buf, size, "%s", "(out of memory)");
		return buf;
	}
	dbp_redact(r);
	dbp_escape_text(r, buf, size);
	free(r);
	return buf;
}

char *dbp_text_safe_dup(const char *s)
{
	char *r = strdup(s ? s : ""), *e;

	if (!r)
		return NULL;
	dbp_redact(r);
	e = dbp_escape_text_dup(r);
	free(r);
	return e;
}

void dbp_json_redact(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_string: {
		const char *v = json_object_get_string(o);
		char *r = strdup(v);

		/* only a changed string is set again: most are left alone */
		if (r) {
			dbp_redact(r);
			if (strcmp(r, v))
				json_object_set_string(o, r);
			free(r);
		}
		break;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(o); i++)
			dbp_json_redact(json_object_array_get_idx(o, i));
		break;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			dbp_json_redact(val);
		}
		break;
	}
	default:
		break;
	}
}

char *dbp_json_text(struct json_object *obj, int flags)
{
	return dbp_escape_json(json_object_to_json_string_ext(obj, flags));
}

struct json_object *dbp_report_json(const struct dbp_report *r,
				    struct json_object *facts)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	json_object_object_add(o, "dbpod", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "command", json_object_new_string(r->command));
	json_object_object_add(o, "status",
			       json_object_new_string(dbp_severity_name(dbp_report_status(r))));
	for (size_t i = 0; i < r->n; i++) {
		const struct dbp_finding *f = &r->items[i];
		struct json_object *jf = json_object_new_object();

		json_object_object_add(jf, "id", json_object_new_string(f->id));
		json_object_object_add(jf, "severity",
				       json_object_new_string(dbp_severity_name(f->severity)));
		json_object_object_add(jf, "pid", f->pid ? json_object_new_int(f->pid) : NULL);
		json_object_object_add(jf, "message", json_object_new_string(f->message));
		json_object_object_add(jf, "advice",
				       f->advice ? json_object_new_string(f->advice) : NULL);
		/* lint's: where in which file, judged for which database */
		if (f->file) {
			json_object_object_add(jf, "file", json_object_new_string(f->file));
			json_object_object_add(jf, "line", json_object_new_int(f->line));
			json_object_object_add(jf, "column", json_object_new_int(f->column));
			json_object_object_add(jf, "database", f->database ?
					       json_object_new_string(f->database) : NULL);
		}
		json_object_array_add(arr, jf);
	}
	json_object_object_add(o, "findings", arr);
	json_object_object_add(o, "facts", facts ? facts : json_object_new_object());
	return o;
}

struct json_object *dbp_proc_json(const struct dbp_table *t, const struct dbp_proc *p)
{
	struct json_object *o = json_object_new_object();
	struct dbp_class c;
	char buf[4096];
	char st[2] = { p->state, 0 };

	dbp_classify(p, &c);
	json_object_object_add(o, "pid", json_object_new_int(p->pid));
	json_object_object_add(o, "ppid", json_object_new_int(p->ppid));
	json_object_object_add(o, "user", json_object_new_string(p->user));
	json_object_object_add(o, "uid", json_object_new_int64(p->uid));
	json_object_object_add(o, "state", json_object_new_string(st));
	json_object_object_add(o, "comm", json_object_new_string(p->comm));
	json_object_object_add(o, "name", json_object_new_string(dbp_proc_name(p)));
	json_object_object_add(o, "kind", json_object_new_string(dbp_kind_name(c.kind)));
	json_object_object_add(o, "database", c.db ? json_object_new_string(dbp_db_id(c.db)) : NULL);
	json_object_object_add(o, "cmdline", json_object_new_string(dbp_proc_cmdline(p, buf, sizeof(buf))));
	json_object_object_add(o, "start_time",
			       json_object_new_string(dbp_iso_time(dbp_proc_start_time(t, p), buf, sizeof(buf))));
	json_object_object_add(o, "start_ticks", json_object_new_uint64(p->start_ticks));
	return o;
}

const char *dbp_ps_stime(const struct dbp_table *t, const struct dbp_proc *p, char *buf,
			 size_t size)
{
	time_t st = dbp_proc_start_time(t, p);

	if (!t->boot_time) {
		snprintf(buf, size, "?");
		return buf;
	}
	/* as ps: the time of day within the last 24 hours, else the day;
	 * with the seconds, which a start set beside a log line needs */
	return dbp_time_utc((double)st, t->now - st < 24 * 3600 ? "%H:%M:%S" : "%b%d", buf, size);
}

void dbp_text_ps_header(FILE *out)
{
	fprintf(out, "%7s %7s %-8s %-8s %-4s %s\n", "PID", "PPID", "STIME", "USER", "STAT",
		"COMMAND");
}

/* An outside string for a row: redacted unless asked not to, escaped. */
static const char *ps_safe(const char *s, int redact, char *buf, size_t size)
{
	return redact ? dbp_text_safe(s, buf, size) : dbp_escape_text(s, buf, size);
}

void dbp_text_ps_row(FILE *out, const struct dbp_table *t, const struct dbp_proc *p, int redact,
		     int depth)
{
	char st[DBP_PS_STIME_SIZE], user[9], cmd[1024], ecmd[2048];
	char stat[3] = { p->state, 0, 0 };
	int known = (p->have & DBP_HAVE_STATUS) && p->user[0];

	if (p->pid == p->sid)
		stat[1] = 's';
	/* user and argv come from outside: escaped, so that no byte acts on
	 * the terminal and a newline cannot start a forged row */
	fprintf(out, "%7d %7d %-8s %-8s %-4s %*s%s%s", (int)p->pid, (int)p->ppid,
		dbp_ps_stime(t, p, st, sizeof(st)),
		known ? ps_safe(p->user, redact, user, sizeof(user)) : "?", stat,
		depth > 0 ? depth * 2 : 0, "", depth > 0 ? "\\_ " : "",
		dbp_escape_text(dbp_proc_cmdline_as(p, (redact ? DBP_CMDLINE_REDACT : 0) |
						    DBP_CMDLINE_TRIM, cmd, sizeof(cmd)),
				ecmd, sizeof(ecmd)));
}

struct json_object *dbp_sigmask_json(uint64_t m)
{
	struct json_object *o = json_object_new_object();
	struct json_object *names = json_object_new_array();
	char hex[24], nb[24];

	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)m);
	json_object_object_add(o, "hex", json_object_new_string(hex));
	for (int s = 1; s <= DBP_NSIG; s++)
		if (dbp_sigmask_has(m, s))
			json_object_array_add(names,
					      json_object_new_string(dbp_signal_name(s, nb, sizeof(nb))));
	json_object_object_add(o, "names", names);
	return o;
}

struct json_object *dbp_proc_signals_json(const struct dbp_proc *p)
{
	struct json_object *m;

	if (!(p->have & DBP_HAVE_STATUS))
		return NULL;
	m = json_object_new_object();
	json_object_object_add(m, "pending", dbp_sigmask_json(p->sig.pending));
	json_object_object_add(m, "shpending", dbp_sigmask_json(p->sig.shpending));
	json_object_object_add(m, "blocked", dbp_sigmask_json(p->sig.blocked));
	json_object_object_add(m, "ignored", dbp_sigmask_json(p->sig.ignored));
	json_object_object_add(m, "caught", dbp_sigmask_json(p->sig.caught));
	if (p->sig.waiting == 2)
		json_object_object_add(m, "waited", dbp_sigmask_json(p->sig.waited));
	return m;
}

int dbp_json_print(FILE *out, struct json_object *obj, int pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : 0);
	char *text;
	int rc = 0;

	dbp_json_redact(obj);
	text = dbp_json_text(obj, flags);
	if (!text)
		return -ENOMEM;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
		rc = -EIO;
	free(text);
	return rc;
}

static const char *sev_color(enum dbp_severity s)
{
	switch (s) {
	case DBP_CRITICAL: return "\033[1;31m";
	case DBP_WARNING: return "\033[1;33m";
	case DBP_UNKNOWN: return "\033[1;35m";
	case DBP_INFO: return "\033[36m";
	case DBP_OK: return "\033[32m";
	}
	return "";
}

const char *dbp_text_severity(const struct dbp_text *t, enum dbp_severity s,
			      char *buf, size_t size)
{
	char up[16];
	const char *n = dbp_severity_name(s);
	size_t i;

	for (i = 0; n[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32 : n[i]);
	up[i] = '\0';
	if (t->color)
		snprintf(buf, size, "%s%s\033[0m", sev_color(s), up);
	else
		snprintf(buf, size, "%s", up);
	return buf;
}

void dbp_text_wrap(const struct dbp_text *t, int indent, const char *first,
		   const char *text)
{
	int width = t->width > 20 ? t->width : 80;
	int col;
	char *safe = dbp_text_safe_dup(text);
	const char *p = safe ? safe : "(out of memory)";

	/* every byte of text may come from outside: after dbp_text_safe it
	 * holds no control character, so a line break is always ours */
	fputs(first, t->out);
	col = indent;
	while (*p) {
		size_t wl = strcspn(p, " ");

		/* a word longer than a whole line (a path, an argv without
		 * spaces) is cut where the line ends, at a character's start,
		 * rather than run past the width */
		if ((int)wl > width - indent && width - indent > 0) {
			size_t room = (size_t)(width - (col > indent ? col + 1 : col));

			if (col > indent && room < 8) {
				fprintf(t->out, "\n%*s", indent, "");
				col = indent;
				room = (size_t)(width - indent);
			} else if (col > indent) {
				fputc(' ', t->out);
				col++;
			}
			while (room && ((unsigned char)p[room] & 0xc0) == 0x80)
				room--;
			if (!room)
				room = 1;
			fwrite(p, 1, room, t->out);
			p += room;
			fprintf(t->out, "\n%*s", indent, "");
			col = indent;
			continue;
		}
		if (col > indent && col + 1 + (int)wl > width) {
			fprintf(t->out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', t->out);
			col++;
		}
		fwrite(p, 1, wl, t->out);
		col += (int)wl;
		p += wl;
		while (*p == ' ')
			p++;
	}
	fputc('\n', t->out);
	free(safe);
}

#define FIELD_COL 13

void dbp_text_field(const struct dbp_text *t, const char *label, const char *fmt, ...)
{
	char first[64];
	char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	snprintf(first, sizeof(first), "%-*s", FIELD_COL, label);
	dbp_text_wrap(t, FIELD_COL, first, text ? text : "");
	free(text);
}

void dbp_text_sigmasks(const struct dbp_text *t, const struct dbp_sigmasks *m)
{
	char buf[1024];

	dbp_text_field(t, "  caught", "%s", dbp_sigmask_names(m->caught, " ", buf, sizeof(buf)));
	dbp_text_field(t, "  ignored", "%s", dbp_sigmask_names(m->ignored, " ", buf, sizeof(buf)));
	dbp_text_field(t, "  blocked", "%s", dbp_sigmask_names(m->blocked, " ", buf, sizeof(buf)));
}

const char *dbp_text_position(const struct dbp_finding *f, char *buf, size_t size)
{
	/* a finding about a whole file (it cannot be parsed, it has no
	 * line) is not at line 0: ":LINE" and ":COLUMN" only when known */
	if (f->line <= 0)
		snprintf(buf, size, "%s", "");
	else if (f->column <= 0)
		snprintf(buf, size, ":%d", f->line);
	else
		snprintf(buf, size, ":%d:%d", f->line, f->column);
	return buf;
}

void dbp_text_findings(const struct dbp_text *t, const struct dbp_report *r)
{
	char sev[32];

	if (!r->n) {
		fputs("No findings.\n\n", t->out);
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct dbp_finding *f = &r->items[i];
		char head[512], file[400], pos[32];

		/* a file's name is anyone's: a name with ESC or a newline in
		 * it must not retitle the terminal or draw a line of ours */
		if (f->file)
			snprintf(head, sizeof(head), "%s %s %s%s%s%s%s",
				 dbp_text_severity(t, f->severity, sev, sizeof(sev)), f->id,
				 dbp_escape_text(f->file, file, sizeof(file)),
				 dbp_text_position(f, pos, sizeof(pos)),
				 f->database ? " (for " : "", f->database ? f->database : "",
				 f->database ? ")" : "");
		else if (f->pid)
			snprintf(head, sizeof(head), "%s %s (pid %d)",
				 dbp_text_severity(t, f->severity, sev, sizeof(sev)),
				 f->id, (int)f->pid);
		else
			snprintf(head, sizeof(head), "%s %s",
				 dbp_text_severity(t, f->severity, sev, sizeof(sev)), f->id);
		fprintf(t->out, "%s\n", head);
		dbp_text_wrap(t, 4, "    ", f->message);
		if (f->advice)
			dbp_text_wrap(t, 9, "    Fix: ", f->advice);
		fputc('\n', t->out);
	}
}

void dbp_oneline_findings(FILE *out, const struct dbp_report *r, const char *where)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct dbp_finding *f = &r->items[i];
		char *msg = dbp_text_safe_dup(f->message);
		char file[400], pos[32], w[128];

		/* every outside byte escaped (no line of ours is broken by a
		 * name), commands redacted, as in the text view */
		if (where)
			fprintf(out, "%s ", dbp_text_safe(where, w, sizeof(w)));
		if (f->file)
			fprintf(out, "%s%s", dbp_escape_text(f->file, file, sizeof(file)),
				dbp_text_position(f, pos, sizeof(pos)));
		else if (f->pid)
			fprintf(out, "pid:%d", (int)f->pid);
		else
			fputs(r->command ? r->command : "dbpod", out);
		fprintf(out, " %s %s: %s\n", f->id, dbp_severity_name(f->severity),
			msg ? msg : "(out of memory)");
		free(msg);
	}
}

void dbp_text_status(const struct dbp_text *t, const struct dbp_report *r)
{
	static const enum dbp_severity order[] = { DBP_CRITICAL, DBP_WARNING, DBP_UNKNOWN, DBP_INFO };
	enum dbp_severity status = dbp_report_status(r);
	char sev[32], item[48];
	int any = 0;
	/* the column reached, counted without the colour's escapes; a count
	 * that would pass the width goes on a line of its own, under the
	 * first (a narrow terminal, COLUMNS=40, and four kinds of finding) */
	size_t col = strlen("Status: ") + strlen(dbp_severity_name(status)), indent = col + 2;

	fprintf(t->out, "Status: %s", dbp_text_severity(t, status, sev, sizeof(sev)));
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		size_t n = dbp_report_count(r, order[i]), len;

		if (!n)
			continue;
		len = (size_t)snprintf(item, sizeof(item), "%zu %s%s", n, dbp_severity_name(order[i]),
				       n > 1 && order[i] == DBP_WARNING ? "s" : "");
		if (!any) {
			fprintf(t->out, " (%s", item);
			col += 2 + len;
		} else if (t->width > 0 && col + 2 + len + 1 > (size_t)t->width) {
			fprintf(t->out, ",\n%*s%s", (int)indent, "", item);
			col = indent + len;
		} else {
			fprintf(t->out, ", %s", item);
			col += 2 + len;
		}
		any = 1;
	}
	fputs(any ? ")\n" : "\n", t->out);
}
