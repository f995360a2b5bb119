/*
 * dbpod postmortem --log: each crash line of a PostgreSQL log with the mug
 * shot of the process that held its PID, read from the part of the
 * recording around the line's time; for a PID no sample held, when it
 * was handed out and how many others were missed with it.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "pglog.h"
#include "pglogread.h"
#include "sigset.h"
#include "postmortem.h"
#include "rec/recread.h"
#include "rec/rules_postmortem.h"
#include "safeopen.h"
#include "timestamp.h"

struct shot {
	const struct dbp_pglog_event *ev;
	struct dbp_recording *rec;		/* the part of the recording read for it */
	const struct dbp_rec_proc *rp;		/* NULL: nobody held the PID */
	struct dbp_rec_unseen w;		/* without rp: when the PID was handed out */
	int have_w;
	const struct dbp_acct_rec *acct;	/* its exit from process accounting, or NULL */
	double seen;				/* the sample of the mug shot */
	struct dbp_table t;
	const struct dbp_proc *p;		/* rp in t */
	int outside;				/* logged outside the recording's span: context */
};

struct log_view {
	const struct pm_ctx *c;
	const char *path;
	struct shot *shots;
	size_t n;
	size_t events;
	struct pm_crashes crashes;	/* what the recording itself shows */
};

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
	const struct log_view *v = arg;
	char a[32], b[32], buf[2048];

	for (size_t i = 0; i < v->crashes.n; i++) {
		pm_crash_text(t, &v->crashes.rec[i], &v->crashes.crash[i]);
		fputc('\n', t->out);
	}
	dbp_text_field(t, "Log", "%s: %zu line%s about a child that died", v->path, v->events,
		       v->events == 1 ? "" : "s");
	for (size_t i = 0; i < v->n; i++) {
		const struct shot *s = &v->shots[i];
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

static struct json_object *log_json(const struct log_view *v)
{
	struct json_object *o = json_object_new_object(), *evs = json_object_new_array();
	struct json_object *je = NULL, *hs = NULL;
	char buf[4096];

	json_object_object_add(o, "log", json_object_new_string(v->path));
	json_object_object_add(o, "crashes", pm_crashes_json(&v->crashes));
	for (size_t i = 0; i < v->n; i++) {
		const struct shot *s = &v->shots[i];
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

/* The part of the recording around a time, for one shot; NULL without
 * memory or on a read error (said). */
static struct dbp_recording *read_around(struct pm_ctx *c, double when, const pid_t *pids,
					 size_t npids)
{
	struct dbp_recording *rec = calloc(1, sizeof(*rec));
	double slack = 2 * (c->rec.interval > 0 ? c->rec.interval : 1) + 2;
	struct dbp_rec_query q = { 0 };
	int rc;

	if (!rec)
		return NULL;
	/* the opened recording's files, replayed into a recording of its own
	 * (each shot keeps its holder) */
	rc = dbp_recording_open_like(rec, &c->rec);
	if (rc >= 0) {
		q.from = when - slack;
		q.to = when + slack;
		q.pids = pids;
		q.npids = npids;
		pm_scope(c, &q);
		rc = dbp_recording_replay(rec, &q);
	}
	if (rc < 0) {
		warnx("cannot read the recording: %s", dbp_open_strerror(rc));
		dbp_recording_free(rec);
		free(rec);
		return NULL;
	}
	return rec;
}

static struct shot *new_shot(const struct dbp_pglog_event *ev, struct shot **shots, size_t *n)
{
	struct shot *ns = realloc(*shots, (*n + 1) * sizeof(*ns));

	if (!ns)
		return NULL;
	*shots = ns;
	ns = &ns[(*n)++];
	memset(ns, 0, sizeof(*ns));
	dbp_table_init(&ns->t);
	ns->ev = ev;
	return ns;
}

static int fill_shot(struct shot *s)
{
	if (dbp_recording_table(s->rec, s->seen, &s->t) < 0)
		return -ENOMEM;
	s->p = dbp_table_find(&s->t, s->rp->pid);
	return 0;
}

/* A PID no sample held, named by process accounting: the process as the
 * accounting record tells it, in the table of the sample before it
 * ended, so that the rules see its parent. */
static int acct_shot(struct shot *s)
{
	const struct dbp_pglog_event *ev = s->ev;
	double slack = 2 * (s->rec->interval > 0 ? s->rec->interval : 1) + 2;
	struct dbp_proc *p;
	long k;

	s->acct = dbp_recording_exit(s->rec, ev->pid, ev->when - slack, ev->when + 2);
	if (!s->acct) {
		s->have_w = dbp_recording_allocated(s->rec, ev->pid, ev->when, 64, &s->w) == 0;
		return 0;
	}
	k = dbp_recording_sample_at(s->rec, s->acct->end);
	s->seen = k >= 0 ? s->rec->samples[k] : s->acct->end;
	if (k >= 0 && dbp_recording_table(s->rec, s->seen, &s->t) < 0)
		return -ENOMEM;
	p = dbp_table_add(&s->t);
	if (!p)
		return -ENOMEM;
	p->pid = s->acct->pid;
	p->ppid = s->acct->ppid;
	p->uid = s->acct->uid;
	p->state = 'X';
	snprintf(p->comm, sizeof(p->comm), "%s", s->acct->comm);
	dbp_recording_user(s->rec, s->acct->uid, p->user, sizeof(p->user));
	dbp_table_sort(&s->t);
	s->p = dbp_table_find(&s->t, s->acct->pid);
	return 0;
}

/* A line with a time: the holder then, from the recording around it;
 * without one, the PID's every holder, each shown at its last sample. */
static int add_shots(struct pm_ctx *c, const struct dbp_pglog_event *ev, struct shot **shots,
		     size_t *n)
{
	struct shot *s;
	struct dbp_recording all;
	struct dbp_rec_query q = { 0 };
	size_t held = 0;

	if (ev->have_when) {
		double slack = 2 * (c->rec.interval > 0 ? c->rec.interval : 1) + 2;

		/* a line from before the recorder started or after it stopped
		 * is the log's context: nothing in the recording can hold it */
		if (ev->when < c->first_t - slack || ev->when > c->last_t + slack) {
			if (!(s = new_shot(ev, shots, n)))
				return -ENOMEM;
			s->outside = 1;
			return 0;
		}
		if (!(s = new_shot(ev, shots, n)) || !(s->rec = read_around(c, ev->when, NULL, 0)))
			return -ENOMEM;
		s->rp = dbp_postmortem_holder(s->rec, ev, &s->seen);
		if (s->rp)
			s->acct = dbp_rec_proc_exit(s->rec, s->rp);
		if (!s->rp && s->rec->have_acct)
			return acct_shot(s);
		if (!s->rp) {
			s->have_w = dbp_recording_allocated(s->rec, ev->pid, ev->when, 64, &s->w) == 0;
			return 0;
		}
		return fill_shot(s);
	}
	/* no time: who held the PID at all, then each at its last sample */
	dbp_recording_init(&all);
	q.pids = &ev->pid;
	q.npids = 1;
	pm_scope(c, &q);
	if (dbp_recording_open_like(&all, &c->rec) < 0 ||
	    dbp_recording_replay(&all, &q) < 0) {
		dbp_recording_free(&all);
		return -ENOMEM;
	}
	for (size_t i = 0; i < all.nprocs; i++) {
		const struct dbp_rec_proc *h = &all.procs[i];

		if (!(s = new_shot(ev, shots, n)) || !(s->rec = read_around(c, h->last, NULL, 0))) {
			dbp_recording_free(&all);
			return -ENOMEM;
		}
		held++;
		for (size_t k = 0; k < s->rec->nprocs; k++)
			if (s->rec->procs[k].pid == h->pid && s->rec->procs[k].start == h->start)
				s->rp = &s->rec->procs[k];
		s->seen = h->last;
		if (s->rp && fill_shot(s) < 0) {
			dbp_recording_free(&all);
			return -ENOMEM;
		}
	}
	dbp_recording_free(&all);
	if (!held && !new_shot(ev, shots, n))
		return -ENOMEM;	/* one shot saying nobody */
	return 0;
}

const char *pm_log_more_text(const struct pm_ctx *c, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nlog_more && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : ", then ",
					c->log_more[i]);
	if (c->nlog_more && len < size)
		snprintf(buf + len, size - len, " (rotated to)");
	return buf;
}

int pm_log_read(const struct pm_ctx *c, struct dbp_pglog *log, const char *path)
{
	int log_auto = c->log_auto && path == c->log_path;
	int rc;

	dbp_pglog_init(log);
	/* the header's log, and what the collector rotated to after it */
	rc = dbp_pglog_read_all(log, path, log_auto ? c->log_more : NULL,
				log_auto ? c->nlog_more : 0);
	if (rc < 0) {
		dbp_warnx("cannot read the PostgreSQL log '%s': %s", path, dbp_open_strerror(rc));
		return rc;
	}
	/* a file of another kind (a recording, /etc/passwd) is not a log in
	 * which nothing died: said like a missing file, exit 3. The log the
	 * recording's header names is the server's own, only perhaps empty
	 * yet. */
	if (!log->entries && !log_auto) {
		dbp_warnx("'%s' is not a PostgreSQL log: no line carries a severity tag "
			  "(\"LOG:  \", \"FATAL:  \"), nor is csvlog or jsonlog", path);
		dbp_pglog_free(log);
		return -EINVAL;
	}
	return 0;
}

/* Read the log at path and a shot for each of its crash lines into v:
 * 0, or a message and -1 */
static int log_read_shots(struct pm_ctx *c, const char *path, struct dbp_pglog *log,
			  struct log_view *v, int quiet)
{
	int rc;

	v->path = path;
	if (pm_log_read(c, log, path) < 0)
		return -1;
	rc = 0;
	if (log->cut)
		dbp_warnx("%s: the compressed data is cut short or corrupt: the lines before "
			  "the cut were read", path);
	v->events = log->n;
	if (!log->n && !quiet)
		dbp_warnx("no line of '%s' reports a child that died (\"(PID N) was terminated by "
			  "signal S\", \"exited with exit code C\", \"was terminated by exception\")",
			  path);
	for (size_t i = 0; i < log->n && rc >= 0; i++) {
		if (log->ev[i].zone_unknown)
			dbp_warnx("%s:%zu: the time zone of the timestamp is not known to dbpod: "
				  "taken as UTC (use log_timezone = 'UTC' or a numeric offset)",
				  path, log->ev[i].line);
		rc = add_shots(c, &log->ev[i], &v->shots, &v->n);
	}
	if (rc < 0) {
		warnx("out of memory");
		return -1;
	}
	return 0;
}

static void log_judge(const struct log_view *v, struct dbp_report *r)
{
	for (size_t i = 0; i < v->n; i++) {
		if (v->shots[i].outside)
			continue;
		if (!v->shots[i].p && v->shots[i].have_w)
			dbp_rules_postmortem_missed(v->shots[i].ev, &v->shots[i].w, r);
		else
			dbp_rules_postmortem_crash(v->shots[i].ev, &v->shots[i].t, v->shots[i].p, r);
	}
}

static void log_view_free(struct log_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		dbp_table_free(&v->shots[i].t);
		if (v->shots[i].rec) {
			dbp_recording_free(v->shots[i].rec);
			free(v->shots[i].rec);
		}
	}
	free(v->shots);
	pm_crashes_free(&v->crashes);
}

int pm_log_findings(struct pm_ctx *c, const char *path, struct dbp_report *r)
{
	struct dbp_pglog log;
	struct log_view v = { 0 };
	int rc;

	v.c = c;
	dbp_pglog_init(&log);
	rc = log_read_shots(c, path, &log, &v, 1);
	if (rc == 0)
		log_judge(&v, r);
	log_view_free(&v);
	dbp_pglog_free(&log);
	return rc;
}

int pm_run_log(struct pm_ctx *c, struct dbp_report *r)
{
	struct dbp_pglog log;
	struct log_view v = { 0 };
	int rc = DBP_EXIT_UNKNOWN;

	v.c = c;
	dbp_pglog_init(&log);
	if (log_read_shots(c, c->log_path, &log, &v, 0) < 0)
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
	log_judge(&v, r);
	rc = dbp_emit_report(r, c->o->format == DBP_FORMAT_JSON ? log_json(&v) : NULL, log_text, &v,
			     c->o);
out:
	log_view_free(&v);
	dbp_pglog_free(&log);
	return rc;
}
