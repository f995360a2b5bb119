/*
 * dbpod postmortem --log: each crash line of a PostgreSQL log with the mug
 * shot of the process that held its PID, read from the part of the
 * recording around the line's time (postmortem_logshots.c reads them); for
 * a PID no sample held, when it was handed out and how many others were
 * missed with it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "classify.h"
#include "pglog.h"
#include "postmortem.h"
#include "rec/rules_postmortem.h"
#include "sigset.h"
#include "timestamp.h"

/* "killed by signal 13 (SIGPIPE) after 0.05 s" */
static const char *exit_text(const struct dbp_acct_rec *a, char *buf, size_t size)
{
	char sn[24], at[32];

	if (a->signal)
		snprintf(buf, size, "killed by signal %d (%s)%s at %s UTC, %.2f s after it started",
			 a->signal, dbp_signal_name(a->signal, sn, sizeof(sn)),
			 a->core ? ", core dumped" : "", dbp_time_clock(a->end, at, sizeof(at)),
			 a->elapsed);
	else
		snprintf(buf, size, "exit code %d at %s UTC, %.2f s after it started", a->exit_code,
			 dbp_time_clock(a->end, at, sizeof(at)), a->elapsed);
	return buf;
}

static struct json_object *exit_json(const struct dbp_acct_rec *a)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "end", pm_json_time(a->end));
	json_object_object_add(o, "seconds", json_object_new_double(a->elapsed));
	json_object_object_add(o, "exit_code", a->exit_code >= 0 ? json_object_new_int(a->exit_code) : NULL);
	json_object_object_add(o, "signal", a->signal ? json_object_new_int(a->signal) : NULL);
	json_object_object_add(o, "core", json_object_new_boolean(a->core));
	return o;
}

static void log_text(const struct dbp_text *t, void *arg)
{
	const struct pm_log_view *v = arg;
	char a[32], b[32], buf[2048];

	for (size_t i = 0; i < v->crashes.n; i++) {
		pm_crash_text(t, &v->crashes.rec[i], &v->crashes.crash[i]);
		fputc('\n', t->out);
	}
	dbp_text_field(t, "Log", "%s: %zu line%s about a child that died", v->path, v->events,
		       v->events == 1 ? "" : "s");
	for (size_t i = 0; i < v->n; i++) {
		const struct pm_shot *s = &v->shots[i];
		const struct dbp_pglog_event *ev = s->ev;

		if (!i || v->shots[i - 1].ev != ev) {
			fputc('\n', t->out);
			dbp_text_field(t, "Line", "%zu, %s%s: %s", ev->line,
				       ev->have_when ? dbp_time_format(ev->when, a, sizeof(a)) : "no timestamp",
				       ev->have_when ? " UTC" : "", ev->text);
		}
		if (s->outside) {
			dbp_text_field(t, "Held by", "not asked: the line is outside the recording "
				       "(%s .. %s UTC), context only",
				       dbp_time_format(v->c->first_t, a, sizeof(a)),
				       dbp_time_clock(v->c->last_t, b, sizeof(b)));
			continue;
		}
		if (s->p && !s->rp) {
			const struct dbp_proc *parent = dbp_table_find(&s->t, s->p->ppid);
			const struct dbp_proc *pm = dbp_postmaster_find(&s->t, s->p ? s->p->ppid : 0, NULL);

			dbp_text_field(t, "Held by", "PID %d %s, user %s, parent %d %s%s: never in a "
				       "sample, named by process accounting", (int)s->p->pid,
				       s->p->comm, s->p->user, (int)s->p->ppid,
				       parent ? dbp_proc_name(parent) : "(not recorded)",
				       parent && parent == pm ? ", the postmaster" : "");
			dbp_text_field(t, "Exit", "%s", exit_text(s->acct, buf, sizeof(buf)));
			continue;
		}
		if (!s->p && s->have_w) {
			dbp_text_field(t, "Held by", "no sample: PID %d was allocated between %s and "
				       "%s UTC and lived less than one interval; %ld other process%s "
				       "%s missed in that window", (int)ev->pid,
				       dbp_time_clock(s->w.from, a, sizeof(a)),
				       dbp_time_clock(s->w.to, b, sizeof(b)),
				       s->w.unseen > 0 ? s->w.unseen - 1 : 0,
				       s->w.unseen - 1 == 1 ? "" : "es",
				       s->w.unseen - 1 == 1 ? "was" : "were");
			continue;
		}
		if (!s->p) {
			dbp_text_field(t, "Held by", "no process with PID %d in the recording%s",
				       (int)ev->pid, ev->have_when ? " at that time" : "");
			continue;
		}
		{
			const struct dbp_proc *parent = dbp_table_find(&s->t, s->p->ppid);
			const struct dbp_proc *pm = dbp_postmaster_find(&s->t, s->p ? s->p->ppid : 0, NULL);

			dbp_text_field(t, "Held by", "PID %d %s, user %s, parent %d %s%s (sample of %s)",
				       (int)s->p->pid, dbp_proc_name(s->p), s->p->user, (int)s->p->ppid,
				       parent ? dbp_proc_name(parent) : "(not recorded)",
				       parent && parent == pm ? ", the postmaster" : "",
				       dbp_time_clock(s->seen, b, sizeof(b)));
		}
		dbp_text_field(t, "", "%s", dbp_proc_cmdline(s->p, buf, sizeof(buf)));
		{
			struct json_object *j = pm_chain(s->rec, s->rp, s->seen, buf, sizeof(buf));

			json_object_put(j);
			dbp_text_field(t, "Chain", "%s", buf);
		}
		dbp_text_field(t, "Seen", "%s%s .. %s UTC%s",
			       s->rp->first <= s->rec->window_from ? "before " : "",
			       dbp_time_format(s->rp->first, a, sizeof(a)),
			       dbp_time_clock(s->rp->last, b, sizeof(b)), s->rp->gone ? ", then gone" : "");
		if (s->acct)
			dbp_text_field(t, "Exit", "%s", exit_text(s->acct, buf, sizeof(buf)));
		dbp_text_field(t, "SIGPIPE", "%s", pm_sigpipe_text(s->p));
	}
}

static struct json_object *log_json(const struct pm_log_view *v)
{
	struct json_object *o = json_object_new_object(), *evs = json_object_new_array();
	struct json_object *je = NULL, *hs = NULL;
	char buf[4096];

	json_object_object_add(o, "log", json_object_new_string(v->path));
	json_object_object_add(o, "crashes", pm_crashes_json(&v->crashes));
	for (size_t i = 0; i < v->n; i++) {
		const struct pm_shot *s = &v->shots[i];
		const struct dbp_pglog_event *ev = s->ev;
		const char *how[] = { "signal", "exit", "exception" };

		if (!i || v->shots[i - 1].ev != ev) {
			je = json_object_new_object();
			hs = json_object_new_array();
			json_object_object_add(je, "line", json_object_new_int64((int64_t)ev->line));
			json_object_object_add(je, "time", ev->have_when ? pm_json_time(ev->when) : NULL);
			json_object_object_add(je, "pid", json_object_new_int(ev->pid));
			json_object_object_add(je, "what", json_object_new_string(ev->what));
			json_object_object_add(je, "how", json_object_new_string(how[ev->how]));
			json_object_object_add(je, "code", json_object_new_int(ev->code));
			json_object_object_add(je, "message", json_object_new_string(ev->text));
			json_object_object_add(je, "holders", hs);
			json_object_object_add(je, "outside_recording", json_object_new_boolean(s->outside));
			json_object_array_add(evs, je);
		}
		if (s->p) {
			struct json_object *h = pm_proc_json_full(&s->t, s->p);
			const struct dbp_proc *parent = dbp_table_find(&s->t, s->p->ppid);
			const struct dbp_proc *pm = dbp_postmaster_find(&s->t, s->p ? s->p->ppid : 0, NULL);

			json_object_object_add(h, "seen_at", pm_json_time(s->seen));
			json_object_object_add(h, "first_seen", s->rp ? pm_json_time(s->rp->first) : NULL);
			json_object_object_add(h, "last_seen", s->rp ? pm_json_time(s->rp->last) : NULL);
			json_object_object_add(h, "from_accounting", json_object_new_boolean(!s->rp));
			json_object_object_add(h, "exit", s->acct ? exit_json(s->acct) : NULL);
			json_object_object_add(h, "parent", parent ? dbp_proc_json(&s->t, parent) : NULL);
			json_object_object_add(h, "parent_is_postmaster",
					       json_object_new_boolean(parent && parent == pm));
			json_object_object_add(h, "server_process",
					       json_object_new_boolean(dbp_postmortem_is_server(pm, s->p)));
			if (s->rp)
				json_object_object_add(h, "chain", pm_chain(s->rec, s->rp, s->seen, buf, sizeof(buf)));
			json_object_array_add(hs, h);
		} else if (s->have_w) {
			struct json_object *m = json_object_new_object();

			json_object_object_add(m, "allocated_after", pm_json_time(s->w.from));
			json_object_object_add(m, "allocated_before", pm_json_time(s->w.to));
			json_object_object_add(m, "pids_allocated", json_object_new_int64(s->w.allocated));
			json_object_object_add(m, "others_missed",
					       json_object_new_int64(s->w.unseen > 0 ? s->w.unseen - 1 : 0));
			json_object_object_add(je, "missed", m);
		}
	}
	json_object_object_add(o, "events", evs);
	return o;
}

int pm_run_log(struct pm_ctx *c, struct dbp_report *r)
{
	struct dbp_pglog log;
	struct pm_log_view v = { 0 };
	int rc = DBP_EXIT_UNKNOWN;

	v.c = c;
	dbp_pglog_init(&log);
	if (pm_log_read_shots(c, c->log_path, &log, &v, 0) < 0)
		goto out;
	/* the crash-restarts the recording shows around each crash line,
	 * from the part of it read for the line (the summary and the
	 * timeline look through the whole) */
	for (size_t i = 0; i < v.n; i++) {
		struct pm_crashes near;

		if (!v.shots[i].rec)
			continue;
		if (pm_crashes_find(c, v.shots[i].rec, &near) < 0 || pm_crashes_merge(&v.crashes, &near) < 0)
			goto out;
	}
	/* the recording's own findings (gaps, skipped lines) from the
	 * opened files: the whole of it is not replayed */
	dbp_rules_postmortem_recording(&c->rec, c->now, r);
	pm_crashes_judge(&v.crashes, r);
	pm_log_judge(&v, r);
	rc = dbp_emit_report(r, c->g->format == DBP_FORMAT_JSON ? log_json(&v) : NULL, log_text, &v,
			     c->g);
out:
	pm_log_view_free(&v);
	dbp_pglog_free(&log);
	return rc;
}
