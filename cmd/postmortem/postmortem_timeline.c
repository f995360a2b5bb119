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
#include "rec/render_svg.h"
#include "rec/rules_postmortem.h"
#include "safeopen.h"
#include "sigset.h"
#include "rec/timeline.h"
#include "timestamp.h"

#define AROUND_BEFORE 30	/* seconds of --around before the time */
#define AROUND_AFTER 10
/* "06:40:03.000 exited     ": the text of an event starts at column 24;
 * below 64 columns that leaves too little, and it goes on its own lines */
#define TL_INDENT 26	/* "HH:MM:SS.mmm = exited     " */
#define TL_WIDE 64

struct tl_view {
	const struct pm_ctx *c;
	struct dbp_timeline tl;
	double from, to;
	const struct dbp_pglog *log;	/* --log: crash lines to mark the exits with */
	int log_auto;			/* the log was named by the recording's header */
};

/* The crash line about e's exit (lib/timeline links them) */
static const struct dbp_pglog_event *crash_line(const struct tl_view *v, const struct dbp_tl_event *e)
{
	return v->log && e->kind == DBP_TL_EXIT ? e->log : NULL;
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

	/* a time only estimated may fall before the first sample or after
	 * the last: the parent as the nearest sample has it */
	if (!pp && ppid > 0 && rec->nsamples && t < rec->samples[0])
		pp = dbp_recording_find(rec, ppid, rec->samples[0]);
	if (!pp && ppid > 0 && rec->nsamples && t > rec->samples[rec->nsamples - 1])
		pp = dbp_recording_find(rec, ppid, rec->samples[rec->nsamples - 1]);

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
	else if (x->exit_code >= 0)
		snprintf(buf, size, "exit code %d after %.2f s", x->exit_code, x->elapsed);
	else
		snprintf(buf, size, "exit code unknown after %.2f s", x->elapsed);
	return buf;
}

/* The command line of p without the blanks PostgreSQL pads its process
 * title with */
static const char *cmdline(const struct dbp_proc *p, char *buf, size_t size)
{
	size_t n;

	dbp_proc_cmdline(p, buf, size);
	for (n = strlen(buf); n && buf[n - 1] == ' '; n--)
		buf[n - 1] = '\0';
	return buf;
}

/* The text of one event (without its time and kind). */
static const char *event_text(const struct dbp_recording *rec, const struct dbp_tl_event *e,
			      char *buf, size_t size)
{
	char w[96], a[256], b[256], c[128], pa[256];
	const struct dbp_proc *p = e->rp ? &e->rp->v[e->v].p : NULL;
	const struct dbp_proc *o = e->rp && e->v ? &e->rp->v[e->v - 1].p : NULL;

	switch (e->kind) {
	case DBP_TL_BORN:
		if (e->acct)
			snprintf(c, sizeof(c), "started by %s (PID %d), adopted by PID ", e->acct->comm,
				 (int)e->acct->pid);
		snprintf(buf, size, "%s, %s%s, user %s: %s", who(rec, e, w, sizeof(w)),
			 e->acct ? c : "parent ", parent_text(rec, p->ppid, e->rp->first, pa, sizeof(pa)),
			 pm_user(p), cmdline(p, a, sizeof(a)));
		break;
	case DBP_TL_EXEC:
		snprintf(buf, size, "%s: %s -> %s", who(rec, e, w, sizeof(w)),
			 cmdline(o, a, sizeof(a)), cmdline(p, b, sizeof(b)));
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
			 parent_text(rec, p->ppid, e->rp->v[e->v].t, b, sizeof(b)),
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
			if (e->culprit || e->crash)
				snprintf(buf + strlen(buf), size - strlen(buf), "%s",
					 e->culprit ? " -- THE CULPRIT" : " -- taken down by the crash");
			break;
		}
		snprintf(buf, size, "%s, user %s, parent %s (last seen %s)%s%s%s: %s",
			 who(rec, e, w, sizeof(w)), pm_user(p),
			 parent_text(rec, p->ppid, e->rp->last, pa, sizeof(pa)),
			 dbp_time_clock(e->rp->last, b, sizeof(b)), e->acct ? ", " : "",
			 e->acct ? how_ended(e->acct, c, sizeof(c)) : "",
			 e->culprit ? " -- THE CULPRIT" : e->crash ? " -- taken down by the crash" : "",
			 cmdline(p, a, sizeof(a)));
		break;
	case DBP_TL_UNSEEN:
		snprintf(buf, size, "%ld process%s came and went between two samples (PIDs %lld..%lld, "
			 "since %s)", e->w.unseen, e->w.unseen == 1 ? "" : "es", e->w.pid_from + 1,
			 e->w.pid_to, dbp_time_clock(e->w.from, a, sizeof(a)));
		break;
	case DBP_TL_LOG:
		snprintf(buf, size, "line %zu: %s", e->log->line, e->log->text);
		break;
	case DBP_TL_CRASH:
		snprintf(buf, size, "PostgreSQL crash-restart: every child of the postmaster (PID %d; "
			 "%zu children) ended between the samples of %s and %s; culprit %s%s",
			 (int)e->crash->pm->pid, e->crash->children,
			 dbp_time_clock(e->crash->before, a, sizeof(a)),
			 dbp_time_clock(e->crash->after, b, sizeof(b)),
			 dbp_crash_culprit_text(rec, e->crash, pa, sizeof(pa)),
			 e->crash->likely ? " (likely)" : e->crash->have_log ? " (server log)" : "");
		break;
	}
	return buf;
}

static void tl_text(const struct dbp_text *t, void *arg)
{
	const struct tl_view *v = arg;
	const struct dbp_recording *rec = &v->c->rec;
	char a[32], b[32], buf[1200];

	/* the crash first: it is what the reader came for */
	for (size_t i = 0; i < v->tl.ncrashes; i++) {
		pm_crash_text(t, rec, &v->tl.crashes[i]);
		fputc('\n', t->out);
	}
	dbp_text_field(t, "Timeline", "%s .. %s UTC, %zu event%s", dbp_time_format(v->from, a, sizeof(a)),
		       dbp_time_clock(v->to, b, sizeof(b)), v->tl.n, v->tl.n == 1 ? "" : "s");
	if (v->log_auto) {
		char more[1024];

		dbp_text_field(t, "Log", "%s (named by the recording's header)%s", v->c->log_path,
			       pm_log_more_text(v->c, more, sizeof(more)));
	}
	dbp_text_field(t, "Times", "= known to the clock tick; ~ between the two times shown");
	fputc('\n', t->out);
	for (size_t i = 0; i < v->tl.n; i++) {
		const struct dbp_tl_event *e = &v->tl.ev[i];
		char ts[32], lo[32], hi[32], safe[64], text[1400], mark[64] = "";
		const struct dbp_pglog_event *l = crash_line(v, e);
		int ranged = !e->exact && e->hi > e->lo;

		/* the event names argv, users and log lines: all from outside
		 * (dbp_text_wrap redacts and escapes); wrapped under its text,
		 * or below the time on a terminal too narrow for both */
		/* the crash line an event is, at the end of its own text */
		if (l)
			snprintf(mark, sizeof(mark), " <- the crash of log line %zu", l->line);
		snprintf(text, sizeof(text), "%s%s%s%s%s%s%s",
			 event_text(rec, e, buf, sizeof(buf)),
			 ranged ? " [between " : "", ranged ? pm_clock_ms(e->lo, lo, sizeof(lo)) : "",
			 ranged ? " and " : "", ranged ? pm_clock_ms(e->hi, hi, sizeof(hi)) : "",
			 ranged ? "]" : "", mark);
		snprintf(safe, sizeof(safe), "%s %c %-10s ", pm_clock_ms(e->t, ts, sizeof(ts)),
			 e->exact ? '=' : '~', dbp_tl_kind_name(e->kind));
		if (t->width >= TL_WIDE) {
			dbp_text_wrap(t, TL_INDENT, safe, text);
		} else {
			fprintf(t->out, "%s %c %s\n", ts, e->exact ? '=' : '~',
				dbp_tl_kind_name(e->kind));
			dbp_text_wrap(t, 4, "    ", text);
		}
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
		json_object_object_add(je, "exact", json_object_new_boolean(e->exact));
		if (!e->exact && e->hi > e->lo) {
			struct json_object *bt = json_object_new_array();

			snprintf(ts, sizeof(ts), "%.3f", e->lo);
			json_object_array_add(bt, json_object_new_double_s(e->lo, ts));
			snprintf(ts, sizeof(ts), "%.3f", e->hi);
			json_object_array_add(bt, json_object_new_double_s(e->hi, ts));
			json_object_object_add(je, "between", bt);
		}
		if (e->kind == DBP_TL_EXIT)
			json_object_object_add(je, "crash", json_object_new_string(
					       e->culprit ? "culprit" : e->crash ? "taken down" : "none"));
		if (e->rp) {
			const struct dbp_proc *p = &e->rp->v[e->v].p;

			json_object_object_add(je, "pid", json_object_new_int(e->rp->pid));
			json_object_object_add(je, "start_ticks", json_object_new_uint64(e->rp->start));
			json_object_object_add(je, "ppid", json_object_new_int(p->ppid));
			json_object_object_add(je, "user", json_object_new_string(p->user));
			json_object_object_add(je, "comm", json_object_new_string(p->comm));
			if (e->kind == DBP_TL_BORN && e->acct) {
				struct json_object *sb = json_object_new_object();

				json_object_object_add(sb, "pid", json_object_new_int(e->acct->pid));
				json_object_object_add(sb, "comm", json_object_new_string(e->acct->comm));
				json_object_object_add(je, "started_by", sb);
			}
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
	{
		struct json_object *cr = json_object_new_array();

		for (size_t i = 0; i < v->tl.ncrashes; i++)
			json_object_array_add(cr, pm_crash_json(rec, &v->tl.crashes[i]));
		json_object_object_add(o, "crashes", cr);
	}
	json_object_object_add(o, "log", v->c->log_path ? json_object_new_string(v->c->log_path) : NULL);
	return o;
}

/* --format=svg: the picture on standard output (or -o), the verdict in
 * the exit status and, in a line, on standard error */
static int tl_svg(const struct tl_view *v, struct dbp_report *r)
{
	const struct dbp_rec_file *f = dbp_recording_last_file(&v->c->rec);
	char title[160], a[32], b[32];
	int rc, status;

	snprintf(title, sizeof(title), "dbpod postmortem: %s, %s .. %s UTC",
		 f && f->hostname[0] ? f->hostname : "?", dbp_time_format(v->from, a, sizeof(a)),
		 dbp_time_clock(v->to, b, sizeof(b)));
	status = dbp_report_finish(r, v->c->g);
	rc = dbp_timeline_svg(stdout, &v->c->rec, &v->tl, v->from, v->to, title);
	if (rc < 0) {
		warnx("cannot write the SVG: %s", strerror(-rc));
		return DBP_EXIT_UNKNOWN;
	}
	dbp_warnx("the timeline drawn: %s%s", dbp_severity_name(dbp_report_status(r)),
		  v->tl.ncrashes ? " (a crash-restart: see DBM709 in the text or JSON view)" : "");
	return status;
}

int pm_run_timeline(struct pm_ctx *c, const struct pm_opts *o, struct dbp_report *r)
{
	struct tl_view v = { c, { 0 }, c->first_t, c->last_t, NULL, 0 };
	struct dbp_rec_query q = { 0 };
	struct dbp_pglog log;
	int rc;

	dbp_pglog_init(&log);
	if (o->around) {
		double at;

		if (pm_when(c, "--around", o->around, &at) < 0)
			return DBP_EXIT_UNKNOWN;
		v.from = at - AROUND_BEFORE;
		v.to = at + AROUND_AFTER;
	}
	if ((o->from && pm_when(c, "--from", o->from, &v.from) < 0) ||
	    (o->to && pm_when(c, "--to", o->to, &v.to) < 0))
		return DBP_EXIT_UNKNOWN;
	/* a window that misses the recording is a mistake, not a quiet
	 * stretch: said with the span it could have been (the --around of a
	 * crash line just after the last sample still meets it) */
	if (v.from > c->last_t || v.to < c->first_t) {
		char a[32], b[32];
		const char *opt = o->around ? "--around" : v.from > c->last_t ? "--from" : "--to";
		const char *arg = o->around ? o->around : v.from > c->last_t ? o->from : o->to;

		dbp_warnx("%s '%s' is outside the recording, which spans %s to %s UTC", opt, arg,
			  dbp_time_format(c->first_t, a, sizeof(a)), dbp_time_format(c->last_t, b, sizeof(b)));
		return DBP_EXIT_UNKNOWN;
	}
	if (v.to < v.from) {
		warnx("--to is before --from");
		return DBP_EXIT_UNKNOWN;
	}
	if (c->log_path && pm_log_read(c, &log, c->log_path) < 0)
		return DBP_EXIT_UNKNOWN;
	v.log_auto = c->log_auto;
	q.from = v.from > c->first_t ? v.from : 0;
	q.to = v.to < c->last_t ? v.to : 0;
	if (pm_replay(c, &q) < 0) {
		dbp_pglog_free(&log);
		return DBP_EXIT_UNKNOWN;
	}
	dbp_timeline_init(&v.tl);
	v.log = c->log_path ? &log : NULL;
	if (dbp_timeline_build(&v.tl, &c->rec, v.from, v.to, v.log) < 0) {
		warnx("out of memory");
		rc = DBP_EXIT_UNKNOWN;
	} else {
		dbp_rules_postmortem_recording(&c->rec, c->now, r);
		/* the crash is the verdict, whether the log was given or not */
		for (size_t i = 0; i < v.tl.ncrashes; i++)
			dbp_rules_postmortem_crash_restart(&c->rec, &v.tl.crashes[i], r);
		if (c->log_path && pm_log_findings(c, c->log_path, r) < 0)
			rc = DBP_EXIT_UNKNOWN;
		else if (c->g->ci_format == DBP_CI_SVG)
			rc = tl_svg(&v, r);
		else
			rc = dbp_emit_report(r, c->g->format == DBP_FORMAT_JSON ? tl_json(&v) : NULL,
					     tl_text, &v, c->g);
	}
	dbp_timeline_free(&v.tl);
	dbp_pglog_free(&log);
	return rc;
}
