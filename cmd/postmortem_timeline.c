/*
 * dbpod postmortem --timeline [--from T] [--to T] | --around T: what
 * happened, in order (lib/timeline), from the part of the recording the
 * window needs; with --log, the crash lines among the events.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pglog.h"
#include "pglogread.h"
#include "postmortem.h"
#include "rules_postmortem.h"
#include "safeopen.h"
#include "sigset.h"
#include "timeline.h"
#include "timestamp.h"

#define AROUND_BEFORE 30	/* seconds of --around before the time */
#define AROUND_AFTER 10
/* "06:40:03.000 exited     ": the text of an event starts at column 24;
 * below 64 columns that leaves too little, and it goes on its own lines */
#define TL_INDENT 24
#define TL_WIDE 64

struct tl_view {
	const struct pm_ctx *c;
	struct dbp_timeline tl;
	double from, to;
	const struct dbp_pglog *log;	/* --log: crash lines to mark the exits with */
};

/* The crash line about e's exit: the same PID, logged at most a few
 * intervals after the process was last seen. */
static const struct dbp_pglog_event *crash_line(const struct tl_view *v, const struct dbp_tl_event *e)
{
	double slack = 2 * (v->c->rec.interval > 0 ? v->c->rec.interval : 1) + 2;

	pid_t pid = e->rp ? e->rp->pid : e->acct->pid;
	double after = e->rp ? e->rp->last - 2 : e->t - 2;

	for (size_t i = 0; v->log && i < v->log->n; i++) {
		const struct dbp_pglog_event *l = &v->log->ev[i];

		if (l->pid == pid && l->have_when && l->when >= after && l->when <= e->t + slack)
			return l;
	}
	return NULL;
}

/* "PID 341 psql" of rp at version v, with the parent's name when known. */
static const char *who(const struct dbp_recording *rec, const struct dbp_tl_event *e, char *buf,
		       size_t size)
{
	const struct dbp_proc *p = &e->rp->v[e->v].p;

	snprintf(buf, size, "PID %d %s", (int)e->rp->pid, dbp_proc_name(p));
	(void)rec;
	return buf;
}

static const char *parent_text(const struct dbp_recording *rec, pid_t ppid, double t, char *buf,
			       size_t size)
{
	const struct dbp_rec_proc *pp = ppid > 0 ? dbp_recording_find(rec, ppid, t) : NULL;

	if (pp)
		snprintf(buf, size, "%d %s", (int)ppid, dbp_proc_name(dbp_rec_proc_at(pp, t)));
	else
		snprintf(buf, size, "%d", (int)ppid);
	return buf;
}

/* "killed by signal 13 (SIGPIPE) after 0.05 s", "exit code 0 after 2.00 s" */
static const char *how_ended(const struct dbp_acct_rec *x, char *buf, size_t size)
{
	char sn[24];

	if (x->signal)
		snprintf(buf, size, "killed by signal %d (%s)%s after %.2f s", x->signal,
			 dbp_signal_name(x->signal, sn, sizeof(sn)), x->core ? ", core dumped" : "",
			 x->elapsed);
	else
		snprintf(buf, size, "exit code %d after %.2f s", x->exit_code, x->elapsed);
	return buf;
}

/* The text of one event (without its time and kind). */
static const char *event_text(const struct dbp_recording *rec, const struct dbp_tl_event *e,
			      char *buf, size_t size)
{
	char w[96], a[256], b[256], c[128], pa[96];
	const struct dbp_proc *p = e->rp ? &e->rp->v[e->v].p : NULL;
	const struct dbp_proc *o = e->rp && e->v ? &e->rp->v[e->v - 1].p : NULL;

	switch (e->kind) {
	case DBP_TL_BORN:
		snprintf(buf, size, "%s, parent %s, user %s: %s", who(rec, e, w, sizeof(w)),
			 parent_text(rec, p->ppid, e->t, pa, sizeof(pa)),
			 p->have & DBP_HAVE_STATUS ? p->user : "?", dbp_proc_cmdline(p, a, sizeof(a)));
		break;
	case DBP_TL_EXEC:
		snprintf(buf, size, "%s: %s -> %s", who(rec, e, w, sizeof(w)),
			 dbp_proc_cmdline(o, a, sizeof(a)), dbp_proc_cmdline(p, b, sizeof(b)));
		break;
	case DBP_TL_USER:
		snprintf(buf, size, "%s: user %s -> %s", who(rec, e, w, sizeof(w)), o->user, p->user);
		break;
	case DBP_TL_SIGNALS:
		snprintf(buf, size, "%s: ignores %s; catches %s", who(rec, e, w, sizeof(w)),
			 p->sig.ignored ? dbp_sigmask_names(p->sig.ignored, " ", a, sizeof(a)) : "-",
			 p->sig.caught ? dbp_sigmask_names(p->sig.caught, " ", b, sizeof(b)) : "-");
		break;
	case DBP_TL_REPARENT:
		snprintf(buf, size, "%s: parent %s -> %s%s", who(rec, e, w, sizeof(w)),
			 parent_text(rec, o->ppid, e->rp->v[e->v - 1].t, a, sizeof(a)),
			 parent_text(rec, p->ppid, e->t, b, sizeof(b)),
			 p->ppid == 1 ? " (orphaned: adopted by PID 1)" : " (orphaned or moved)");
		break;
	case DBP_TL_SESSION:
		snprintf(buf, size, "%s: process group %d -> %d, session %d -> %d%s",
			 who(rec, e, w, sizeof(w)), (int)o->pgrp, (int)p->pgrp, (int)o->sid,
			 (int)p->sid, p->sid == p->pid && o->sid != p->sid ?
			 " (setsid: out of the group an init forwards the stop signal to)" : "");
		break;
	case DBP_TL_EXIT:
		if (!e->rp) {
			snprintf(buf, size, "PID %d %s, user %s, parent %s: %s (never in a sample: "
				 "process accounting)", (int)e->acct->pid, e->acct->comm,
				 dbp_recording_user(rec, e->acct->uid, w, sizeof(w)),
				 parent_text(rec, e->acct->ppid, e->t, pa, sizeof(pa)),
				 how_ended(e->acct, a, sizeof(a)));
			break;
		}
		snprintf(buf, size, "%s, user %s, parent %s (last seen %s)%s%s: %s",
			 who(rec, e, w, sizeof(w)), p->have & DBP_HAVE_STATUS ? p->user : "?",
			 parent_text(rec, p->ppid, e->rp->last, pa, sizeof(pa)),
			 dbp_time_clock(e->rp->last, b, sizeof(b)), e->acct ? ", " : "",
			 e->acct ? how_ended(e->acct, c, sizeof(c)) : "", dbp_proc_cmdline(p, a, sizeof(a)));
		break;
	case DBP_TL_UNSEEN:
		snprintf(buf, size, "%ld process%s came and went between two samples (PIDs %lld..%lld, "
			 "since %s)", e->w.unseen, e->w.unseen == 1 ? "" : "es", e->w.pid_from + 1,
			 e->w.pid_to, dbp_time_clock(e->w.from, a, sizeof(a)));
		break;
	case DBP_TL_LOG:
		snprintf(buf, size, "line %zu: %s", e->log->line, e->log->text);
		break;
	}
	return buf;
}

static void tl_text(const struct dbp_text *t, void *arg)
{
	const struct tl_view *v = arg;
	const struct dbp_recording *rec = &v->c->rec;
	char a[32], b[32], buf[1200];

	dbp_text_field(t, "Timeline", "%s .. %s UTC, %zu event%s", dbp_time_format(v->from, a, sizeof(a)),
		       dbp_time_clock(v->to, b, sizeof(b)), v->tl.n, v->tl.n == 1 ? "" : "s");
	fputc('\n', t->out);
	for (size_t i = 0; i < v->tl.n; i++) {
		const struct dbp_tl_event *e = &v->tl.ev[i];
		char ts[32], safe[2048];
		long ms = (long)((e->t - (double)(long long)e->t) * 1000 + 0.5);

		dbp_time_clock(e->t, ts, sizeof(ts));
		const struct dbp_pglog_event *l = e->kind == DBP_TL_EXIT ? crash_line(v, e) : NULL;

		/* the event names argv, users and log lines: all from outside
		 * (dbp_text_wrap redacts and escapes); wrapped under its text,
		 * or below the time on a terminal too narrow for both */
		snprintf(safe, sizeof(safe), "%s.%03ld %-10s ", ts, ms > 999 ? 999 : ms,
			 dbp_tl_kind_name(e->kind));
		if (t->width >= TL_WIDE) {
			dbp_text_wrap(t, TL_INDENT, safe, event_text(rec, e, buf, sizeof(buf)));
		} else {
			fprintf(t->out, "%s.%03ld %s\n", ts, ms > 999 ? 999 : ms,
				dbp_tl_kind_name(e->kind));
			dbp_text_wrap(t, 4, "    ", event_text(rec, e, buf, sizeof(buf)));
		}
		if (l)
			fprintf(t->out, "%*s<- the crash of log line %zu\n",
				t->width >= TL_WIDE ? TL_INDENT - 1 : 4, "", l->line);
	}
}

static struct json_object *tl_json(const struct tl_view *v)
{
	const struct dbp_recording *rec = &v->c->rec;
	struct json_object *o = json_object_new_object(), *evs = json_object_new_array();
	char buf[1200];

	json_object_object_add(o, "from", pm_json_time(v->from));
	json_object_object_add(o, "to", pm_json_time(v->to));
	for (size_t i = 0; i < v->tl.n; i++) {
		const struct dbp_tl_event *e = &v->tl.ev[i];
		struct json_object *je = json_object_new_object();
		char ts[40];

		snprintf(ts, sizeof(ts), "%.3f", e->t);
		json_object_object_add(je, "time", pm_json_time(e->t));
		json_object_object_add(je, "t", json_object_new_double_s(e->t, ts));
		json_object_object_add(je, "kind", json_object_new_string(dbp_tl_kind_name(e->kind)));
		if (e->rp) {
			const struct dbp_proc *p = &e->rp->v[e->v].p;

			json_object_object_add(je, "pid", json_object_new_int(e->rp->pid));
			json_object_object_add(je, "start_ticks", json_object_new_uint64(e->rp->start));
			json_object_object_add(je, "ppid", json_object_new_int(p->ppid));
			json_object_object_add(je, "user", json_object_new_string(p->user));
			json_object_object_add(je, "comm", json_object_new_string(p->comm));
			if (e->v)
				json_object_object_add(je, "old_ppid",
						       json_object_new_int(e->rp->v[e->v - 1].p.ppid));
			if (e->kind == DBP_TL_SESSION) {
				json_object_object_add(je, "pgid", json_object_new_int(p->pgrp));
				json_object_object_add(je, "sid", json_object_new_int(p->sid));
				json_object_object_add(je, "old_pgid",
						       json_object_new_int(e->rp->v[e->v - 1].p.pgrp));
				json_object_object_add(je, "old_sid",
						       json_object_new_int(e->rp->v[e->v - 1].p.sid));
			}
		} else if (e->acct) {
			json_object_object_add(je, "pid", json_object_new_int(e->acct->pid));
			json_object_object_add(je, "ppid", json_object_new_int(e->acct->ppid));
			json_object_object_add(je, "comm", json_object_new_string(e->acct->comm));
		} else if (e->kind == DBP_TL_UNSEEN) {
			json_object_object_add(je, "unseen", json_object_new_int64(e->w.unseen));
			json_object_object_add(je, "pids_allocated", json_object_new_int64(e->w.allocated));
		} else if (e->log) {
			json_object_object_add(je, "line", json_object_new_int64((int64_t)e->log->line));
			json_object_object_add(je, "pid", json_object_new_int(e->log->pid));
		}
		json_object_object_add(je, "text", json_object_new_string(event_text(rec, e, buf, sizeof(buf))));
		if (e->acct) {
			json_object_object_add(je, "signal", e->acct->signal ?
					       json_object_new_int(e->acct->signal) : NULL);
			json_object_object_add(je, "exit_code", e->acct->exit_code >= 0 ?
					       json_object_new_int(e->acct->exit_code) : NULL);
		}
		if (e->kind == DBP_TL_EXIT) {
			const struct dbp_pglog_event *l = crash_line(v, e);

			json_object_object_add(je, "crash_line",
					       l ? json_object_new_int64((int64_t)l->line) : NULL);
		}
		json_object_array_add(evs, je);
	}
	json_object_object_add(o, "events", evs);
	return o;
}

int pm_run_timeline(struct pm_ctx *c, struct dbp_report *r)
{
	struct tl_view v = { c, { 0 }, c->first_t, c->last_t, NULL };
	struct dbp_rec_query q = { 0 };
	struct dbp_pglog log;
	int rc;

	dbp_pglog_init(&log);
	if (opt_around) {
		double at;

		if (pm_when(c, "--around", opt_around, &at) < 0)
			return DBP_EXIT_UNKNOWN;
		v.from = at - AROUND_BEFORE;
		v.to = at + AROUND_AFTER;
	}
	if ((opt_from && pm_when(c, "--from", opt_from, &v.from) < 0) ||
	    (opt_to && pm_when(c, "--to", opt_to, &v.to) < 0))
		return DBP_EXIT_UNKNOWN;
	if (v.to < v.from) {
		warnx("--to is before --from");
		return DBP_EXIT_UNKNOWN;
	}
	if (opt_log && pm_log_read(&log) < 0)
		return DBP_EXIT_UNKNOWN;
	q.from = v.from > c->first_t ? v.from : 0;
	q.to = v.to < c->last_t ? v.to : 0;
	if (pm_replay(c, &q) < 0) {
		dbp_pglog_free(&log);
		return DBP_EXIT_UNKNOWN;
	}
	dbp_timeline_init(&v.tl);
	v.log = opt_log ? &log : NULL;
	if (dbp_timeline_build(&v.tl, &c->rec, v.from, v.to, opt_log ? &log : NULL) < 0) {
		warnx("out of memory");
		rc = DBP_EXIT_UNKNOWN;
	} else {
		dbp_rules_postmortem_recording(&c->rec, c->now, r);
		rc = dbp_emit_report(r, opt_format == DBP_FORMAT_JSON ? tl_json(&v) : NULL, tl_text, &v);
	}
	dbp_timeline_free(&v.tl);
	dbp_pglog_free(&log);
	return rc;
}
