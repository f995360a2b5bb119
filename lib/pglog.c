/*
 * The PostgreSQL log parser (pglog.h). A jsonlog entry is one line; a csvlog entry may span lines (a
 * quoted field holds newlines); a stderr entry's continuation lines
 * (DETAIL, STATEMENT, a query) carry no death and are simply not matched.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "grow.h"
#include "pglog.h"
#include "timestamp.h"

void dbp_pglog_init(struct dbp_pglog *log)
{
	memset(log, 0, sizeof(*log));
}

void dbp_pglog_free(struct dbp_pglog *log)
{
	free(log->ev);
	free(log->ckpt);
	free(log->redo);
	memset(log, 0, sizeof(*log));
}

static const char *skip_int(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	if (end == s || errno)
		return NULL;
	return end;
}

int dbp_pglog_parse_message(const char *msg, struct dbp_pglog_event *ev)
{
	const char *p = strstr(msg, "(PID "), *q, *what;
	long pid, code;
	size_t wlen;

	for (; p; p = strstr(p + 1, "(PID ")) {
		q = skip_int(p + 5, &pid);
		/* PID_MAX_LIMIT: a larger number is not a PID, and must not
		 * be truncated into one (99999999999 became 1215752191) */
		if (!q || *q != ')' || pid <= 0 || pid > 4194304)
			continue;
		q++;
		if (!strncmp(q, " was terminated by signal ", 26)) {
			if (!(q = skip_int(q + 26, &code)))
				continue;
			ev->how = DBP_PGLOG_SIGNAL;
			ev->code = (int)code;
			ev->detail[0] = '\0';
			if (q[0] == ':' && q[1] == ' ')
				snprintf(ev->detail, sizeof(ev->detail), "%.*s",
					 (int)strcspn(q + 2, "\r\n"), q + 2);
		} else if (!strncmp(q, " exited with exit code ", 23)) {
			if (!skip_int(q + 23, &code))
				continue;
			ev->how = DBP_PGLOG_EXIT;
			ev->code = (int)code;
			ev->detail[0] = '\0';
		} else if (!strncmp(q, " was terminated by exception ", 29)) {
			ev->how = DBP_PGLOG_EXCEPTION;
			ev->code = 0;
			snprintf(ev->detail, sizeof(ev->detail), "%.*s",
				 (int)strcspn(q + 29, " \r\n"), q + 29);
		} else {
			continue;
		}
		ev->pid = (pid_t)pid;
		/* what died: the words before "(PID", after the level ("LOG:  ") */
		what = msg;
		for (const char *c = msg; c < p; c++)
			if (c[0] == ':' && c[1] == ' ' && c + 2 <= p)
				what = c + 2;
		while (*what == ' ')
			what++;
		wlen = (size_t)(p - what);
		while (wlen && what[wlen - 1] == ' ')
			wlen--;
		snprintf(ev->what, sizeof(ev->what), "%.*s", (int)wlen, what);
		snprintf(ev->text, sizeof(ev->text), "%.*s", (int)strcspn(what, "\r\n"), what);
		return 1;
	}
	return 0;
}

/* "NAME=1.234 s" anywhere in msg: the seconds; -1 when absent */
static double seconds_after(const char *msg, const char *name)
{
	const char *p = strstr(msg, name);
	char *end;
	double v;

	if (!p)
		return -1;
	errno = 0;
	v = strtod(p + strlen(name), &end);
	/* "inf", "nan" and years are no checkpoint's time */
	return end == p + strlen(name) || errno || !(v >= 0 && v < 1e7) ? -1 : v;
}

int dbp_pglog_parse_checkpoint(const char *msg, unsigned *flags, struct dbp_pglog_checkpoint *ck)
{
	static const struct { const char *word; unsigned flag; } words[] = {
		{ "shutdown", DBP_CKPT_SHUTDOWN }, { "end-of-recovery", DBP_CKPT_END_OF_RECOVERY },
		{ "immediate", DBP_CKPT_IMMEDIATE }, { "force", DBP_CKPT_FORCE },
		{ "wait", DBP_CKPT_WAIT }, { "wal", DBP_CKPT_WAL }, { "time", DBP_CKPT_TIME },
		{ "flush-all", DBP_CKPT_FLUSH_ALL },
	};
	const char *p = msg, *q;
	unsigned restart = 0;
	long v;

	/* the level before it ("LOG:  "), or a csvlog/jsonlog message as is */
	if ((q = strstr(msg, "checkpoint ")) && (q == msg || q[-1] == ' '))
		p = q;
	else if ((q = strstr(msg, "restartpoint ")) && (q == msg || q[-1] == ' '))
		p = q, restart = DBP_CKPT_RESTARTPOINT;
	else
		return 0;
	p = strchr(p, ' ') + 1;
	if (!strncmp(p, "starting:", 9)) {
		*flags = restart | DBP_CKPT_STARTED;
		p += 9;
		while (*p == ' ') {
			size_t len;

			p++;
			len = strcspn(p, " \r\n");
			for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
				if (len == strlen(words[i].word) && !strncmp(p, words[i].word, len))
					*flags |= words[i].flag;
			p += len;
		}
		return 1;
	}
	if (strncmp(p, "complete: wrote ", 16) || !(q = skip_int(p + 16, &v)) || v < 0 ||
	    strncmp(q, " buffers", 8))
		return 0;
	ck->buffers = v;
	ck->percent = 0;
	if (!strncmp(q + 8, " (", 2)) {
		ck->percent = strtod(q + 10, NULL);
		if (!(ck->percent >= 0 && ck->percent <= 100))
			ck->percent = 0;
	}
	ck->write_s = seconds_after(q, "write=");
	ck->sync_s = seconds_after(q, "sync=");
	ck->total_s = seconds_after(q, "total=");
	ck->distance_kb = -1;
	if ((p = strstr(q, "distance=")) && skip_int(p + 9, &v))
		ck->distance_kb = v;
	return ck->total_s >= 0 ? 2 : 0;
}

const char *dbp_pg_lsn_parse(const char *s, uint64_t *lsn)
{
	unsigned long long v[2];
	const char *p = s;

	for (int k = 0; k < 2; k++) {
		int digits = 0;

		v[k] = 0;
		for (; digits < 8 && isxdigit((unsigned char)*p); p++, digits++)
			v[k] = v[k] << 4 | (unsigned)(isdigit((unsigned char)*p) ? *p - '0' :
						      tolower((unsigned char)*p) - 'a' + 10);
		if (!digits || isxdigit((unsigned char)*p) || (k == 0 && *p++ != '/'))
			return NULL;
	}
	*lsn = (uint64_t)v[0] << 32 | v[1];
	return p;
}

int dbp_pglog_parse_redo(const char *msg, uint64_t *lsn, double *elapsed)
{
	const char *p = strstr(msg, "redo "), *q;

	/* the level before it ("LOG:  "), or a csvlog/jsonlog message as is */
	while (p && p != msg && p[-1] != ' ')
		p = strstr(p + 1, "redo ");
	if (!p)
		return 0;
	if (!strncmp(p + 5, "starts at ", 10))
		return dbp_pg_lsn_parse(p + 15, lsn) ? 1 : 0;
	if (strncmp(p + 5, "done at ", 8) || !(q = dbp_pg_lsn_parse(p + 13, lsn)) ||
	    strncmp(q, " system usage: ", 15))
		return 0;
	*elapsed = seconds_after(q, "elapsed: ");
	return *elapsed >= 0 ? 2 : 0;
}

static int add_checkpoint(struct dbp_pglog *log, const struct dbp_pglog_checkpoint *ck)
{
	if (dbp_grow((void **)&log->ckpt, &log->ckpt_cap, log->nckpt + 1, sizeof(*ck)) < 0)
		return -ENOMEM;
	log->ckpt[log->nckpt++] = *ck;
	return 0;
}

/* A message that is not a death: a checkpointer's line, paired with the
 * "starting:" before it (the checkpointer logs one checkpoint at a time;
 * a start that never completes, cut by a kill, is forgotten at the next) */
static int take_checkpoint(struct dbp_pglog *log, const char *msg, size_t line, int have_when,
			   double when)
{
	struct dbp_pglog_checkpoint ck;
	struct dbp_pglog_redo *rd;
	const char *q;
	unsigned flags = 0;
	uint64_t lsn = 0;
	double elapsed = 0;

	memset(&ck, 0, sizeof(ck));
	/* the start's and the end's lines of a recovery, whose time between
	 * is the whole of it (elog.c's level before, or the message as is) */
	if ((q = strstr(msg, "database system was interrupted")) && (q == msg || q[-1] == ' ')) {
		log->interrupted = 1;
		log->interrupted_timed = have_when;
		log->interrupted_when = when;
		return 0;
	}
	if ((q = strstr(msg, "database system is ready to accept ")) && (q == msg || q[-1] == ' ')) {
		rd = log->nredo ? &log->redo[log->nredo - 1] : NULL;
		if (rd && rd->have_done && !rd->have_span && rd->interrupted_timed && have_when &&
		    when >= rd->interrupted_when) {
			rd->span_s = when - rd->interrupted_when;
			rd->have_span = 1;
		}
		return 0;
	}
	switch (dbp_pglog_parse_redo(msg, &lsn, &elapsed)) {
	case 1:
		if (dbp_grow((void **)&log->redo, &log->redo_cap, log->nredo + 1, sizeof(*log->redo)) < 0)
			return -ENOMEM;
		rd = &log->redo[log->nredo++];
		memset(rd, 0, sizeof(*rd));
		rd->line = line;
		rd->have_when = have_when;
		rd->when = have_when ? when : 0;
		rd->start = lsn;
		if (log->interrupted && log->interrupted_timed) {
			rd->interrupted_timed = 1;
			rd->interrupted_when = log->interrupted_when;
		}
		log->interrupted = 0;
		return 0;
	case 2:
		/* the redo the last "starts at" began, when it is not done yet */
		if (log->nredo && !log->redo[log->nredo - 1].have_done &&
		    lsn >= log->redo[log->nredo - 1].start) {
			rd = &log->redo[log->nredo - 1];
			rd->have_done = 1;
			rd->done = lsn;
			rd->elapsed_s = elapsed;
		}
		return 0;
	}
	switch (dbp_pglog_parse_checkpoint(msg, &flags, &ck)) {
	case 1:
		log->ckpt_starting = flags;
		return 0;
	case 2:
		ck.flags = log->ckpt_starting;
		log->ckpt_starting = 0;
		ck.line = line;
		ck.have_when = have_when;
		ck.when = have_when ? when : 0;
		/* the checkpoint that ends a recovery is the recovery's last step */
		if ((ck.flags & DBP_CKPT_END_OF_RECOVERY) && log->nredo &&
		    log->redo[log->nredo - 1].have_done && !log->redo[log->nredo - 1].have_ckpt) {
			rd = &log->redo[log->nredo - 1];
			rd->have_ckpt = 1;
			rd->ckpt_s = ck.total_s;
			rd->ckpt_buffers = ck.buffers;
		}
		return add_checkpoint(log, &ck);
	default:
		return 0;
	}
}

static int add_event(struct dbp_pglog *log, const struct dbp_pglog_event *ev)
{
	if (dbp_grow((void **)&log->ev, &log->cap, log->n + 1, sizeof(*ev)) < 0)
		return -ENOMEM;
	log->ev[log->n++] = *ev;
	return 0;
}

/* Field idx (0-based) of a CSV record into out; quoted fields with ""
 * escapes. Returns 0, or -ENOENT when the record has fewer fields. */
static int csv_field(const char *rec, size_t idx, char *out, size_t size)
{
	size_t f = 0, o = 0;
	const char *p = rec;

	for (;;) {
		int quoted = *p == '"';

		if (quoted)
			p++;
		for (;;) {
			if (quoted && p[0] == '"' && p[1] == '"') {
				if (f == idx && o + 1 < size)
					out[o++] = '"';
				p += 2;
				continue;
			}
			if (quoted && *p == '"') {
				p++;
				quoted = 0;
				continue;
			}
			if (!*p || (!quoted && (*p == ',' || *p == '\n')))
				break;
			if (f == idx && o + 1 < size)
				out[o++] = *p;
			p++;
		}
		if (f == idx) {
			out[o] = '\0';
			return 0;
		}
		if (*p != ',')
			return -ENOENT;
		p++;
		f++;
	}
}

/* Does the record's quoting end inside [s, s+len)? Counts quotes. */
static int quotes_open(const char *s, size_t len)
{
	int open = 0;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '"')
			open = !open;
	return open;
}

int dbp_pglog_line_tagged(const char *line, size_t len)
{
	/* error_severity() of elog.c, and the fields send_message_to_server_log
	 * writes on lines of their own */
	static const char *const tags[] = {
		"DEBUG", "LOG", "INFO", "NOTICE", "WARNING", "ERROR", "FATAL", "PANIC",
		"DETAIL", "HINT", "QUERY", "CONTEXT", "STATEMENT", "LOCATION",
	};

	for (const char *c = line; c + 3 <= line + len; c++) {
		if (c[0] != ':' || c[1] != ' ' || c[2] != ' ')
			continue;
		for (size_t k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
			size_t tl = strlen(tags[k]);
			const char *w = c;

			/* DEBUG1 .. DEBUG5 */
			if (!strcmp(tags[k], "DEBUG") && w > line && w[-1] >= '1' && w[-1] <= '5')
				w--;
			if ((size_t)(w - line) >= tl && !strncmp(w - tl, tags[k], tl) &&
			    (w - tl == line || w[-(long)tl - 1] == ' ' || w[-(long)tl - 1] == '\t'))
				return 1;
		}
	}
	return 0;
}

/* jsonlog (PostgreSQL 15+): one object per line, "timestamp" and
 * "message". Returns 1 when the line is such an object (an event may or
 * may not have been added), 0 when it is not, -ENOMEM. */
static int parse_jsonlog(struct dbp_pglog *log, const char *line, size_t len, size_t no)
{
	struct json_object *o, *v;
	struct dbp_pglog_event ev;
	char *buf;
	int rc = 1;

	if (*line != '{' || !(buf = strndup(line, len)))
		return *line == '{' ? -ENOMEM : 0;
	o = json_tokener_parse(buf);
	free(buf);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	/* any JSON object would do for the entry's shape (a dbpod recording
	 * is JSON lines too): PostgreSQL's carry error_severity */
	if (json_object_object_get_ex(o, "error_severity", NULL))
		log->entries++;
	if (json_object_object_get_ex(o, "message", &v) && json_object_is_type(v, json_type_string)) {
		const char *msg = json_object_get_string(v);
		int zone = 0, is_death = dbp_pglog_parse_message(msg, &ev);

		ev.line = no;
		if (json_object_object_get_ex(o, "timestamp", &v) &&
		    json_object_is_type(v, json_type_string) &&
		    dbp_timestamp_parse(json_object_get_string(v), &ev.when, NULL, &zone) == 0) {
			ev.have_when = 1;
			ev.zone_unknown = zone < 0;
		}
		if (is_death ? add_event(log, &ev) < 0 :
		    take_checkpoint(log, msg, no, ev.have_when, ev.when) < 0)
			rc = -ENOMEM;
	}
	json_object_put(o);
	return rc;
}

int dbp_pglog_parse(struct dbp_pglog *log, const char *text)
{
	const char *line = text;
	size_t no = 0;
	int before = (int)log->n;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t start_no = ++no;
		struct dbp_pglog_event ev;
		const char *after;
		double when;
		int zone = 0, have_when;
		char *buf;

		memset(&ev, 0, sizeof(ev));
		if (*line == '{') {
			int j = parse_jsonlog(log, line, len, start_no);

			if (j < 0)
				return j;
			if (j > 0) {
				log->json = 1;
				if (!nl)
					break;
				line = nl + 1;
				continue;
			}
		}
		have_when = dbp_timestamp_parse(line, &when, &after, &zone) == 0 &&
			    (size_t)(after - line) <= len;
		if (have_when && *after == ',') {
			/* csvlog: the entry ends where its quotes close */
			size_t rlen = len;

			while (quotes_open(line, rlen) && line[rlen]) {
				const char *more = strchr(line + rlen + 1, '\n');

				rlen = more ? (size_t)(more - line) : strlen(line);
				no++;
			}
			buf = malloc(rlen + 1);
			if (!buf)
				return -ENOMEM;
			memcpy(buf, line, rlen);
			buf[rlen] = '\0';
			log->csv = 1;
			log->entries++;
			{
				char *msg = malloc(rlen + 1);

				if (!msg) {
					free(buf);
					return -ENOMEM;
				}
				if (csv_field(buf, 13, msg, rlen + 1) == 0 &&
				    dbp_pglog_parse_message(msg, &ev)) {
					ev.line = start_no;
					ev.when = when;
					ev.have_when = 1;
					ev.zone_unknown = zone < 0;
					if (add_event(log, &ev) < 0) {
						free(msg);
						free(buf);
						return -ENOMEM;
					}
				} else if (csv_field(buf, 13, msg, rlen + 1) == 0 &&
					   take_checkpoint(log, msg, start_no, 1, when) < 0) {
					free(msg);
					free(buf);
					return -ENOMEM;
				}
				free(msg);
			}
			free(buf);
			len = rlen;
			nl = line[len] ? line + len : NULL;
		} else {
			int ours;

			buf = strndup(line, len);
			if (!buf)
				return -ENOMEM;
			/* a death without a severity tag still is PostgreSQL's */
			ours = dbp_pglog_line_tagged(buf, len);

			if (dbp_pglog_parse_message(buf, &ev)) {
				ours = 1;
				ev.line = start_no;
				ev.have_when = have_when;
				ev.when = have_when ? when : 0;
				ev.zone_unknown = have_when && zone < 0;
				if (add_event(log, &ev) < 0) {
					free(buf);
					return -ENOMEM;
				}
			} else if (take_checkpoint(log, buf, start_no, have_when, when) < 0) {
				free(buf);
				return -ENOMEM;
			}
			free(buf);
			log->entries += ours;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	log->lines += no;
	return (int)log->n - before;
}

void dbp_evidence_init(struct dbp_pg_evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	dbp_pglog_init(&ev->log);
}

void dbp_evidence_free(struct dbp_pg_evidence *ev)
{
	dbp_pglog_free(&ev->log);
	memset(ev, 0, sizeof(*ev));
}
