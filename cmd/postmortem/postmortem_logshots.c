/*
 * dbpod postmortem: the server log read beside the recording, for every
 * view that judges it -- each crash line with the mug shot of the process
 * that held its PID (read from the part of the recording around the
 * line's time), or for a PID no sample held, when it was handed out --
 * and the verdict of a view that reads only part of the recording. It
 * calls no view: only postmortem_common.c and lib/.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pglogread.h"
#include "postmortem.h"
#include "rec/recread.h"
#include "rec/rules_postmortem.h"
#include "safeopen.h"

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

static struct pm_shot *new_shot(const struct dbp_pglog_event *ev, struct pm_shot **shots,
				size_t *n)
{
	struct pm_shot *ns = realloc(*shots, (*n + 1) * sizeof(*ns));

	if (!ns)
		return NULL;
	*shots = ns;
	ns = &ns[(*n)++];
	memset(ns, 0, sizeof(*ns));
	dbp_table_init(&ns->t);
	ns->ev = ev;
	return ns;
}

static int fill_shot(struct pm_shot *s)
{
	if (dbp_recording_table(s->rec, s->seen, &s->t) < 0)
		return -ENOMEM;
	s->p = dbp_table_find(&s->t, s->rp->pid);
	return 0;
}

/* A PID no sample held, named by process accounting: the process as the
 * accounting record tells it, in the table of the sample before it
 * ended, so that the rules see its parent. */
static int acct_shot(struct pm_shot *s)
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
static int add_shots(struct pm_ctx *c, const struct dbp_pglog_event *ev, struct pm_shot **shots,
		     size_t *n)
{
	struct pm_shot *s;
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

int pm_log_read_shots(struct pm_ctx *c, const char *path, struct dbp_pglog *log,
			  struct pm_log_view *v, int quiet)
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

void pm_log_judge(const struct pm_log_view *v, struct dbp_report *r)
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

void pm_log_view_free(struct pm_log_view *v)
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
	struct pm_log_view v = { 0 };
	int rc;

	v.c = c;
	dbp_pglog_init(&log);
	rc = pm_log_read_shots(c, path, &log, &v, 1);
	if (rc == 0)
		pm_log_judge(&v, r);
	pm_log_view_free(&v);
	dbp_pglog_free(&log);
	return rc;
}

int pm_crash_verdict(struct pm_ctx *c, struct dbp_report *r, int replay_whole)
{
	if (replay_whole) {
		long n = dbp_recording_crashes(&c->rec, NULL, 0);
		struct dbp_crash *x = n > 0 ? calloc((size_t)n, sizeof(*x)) : NULL;

		if (n < 0 || (n > 0 && (!x || dbp_recording_crashes(&c->rec, x, (size_t)n) < 0))) {
			free(x);
			warnx("out of memory");
			return -1;
		}
		pm_crashes_log(c, &c->rec, x, n > 0 ? (size_t)n : 0);
		for (long i = 0; i < n; i++)
			dbp_rules_postmortem_crash_restart(&c->rec, &x[i], r);
		free(x);
	}
	return c->log_path ? pm_log_findings(c, c->log_path, r) : 0;
}
