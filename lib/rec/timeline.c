/* The events of a recording in order, and its crash-restarts (timeline.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "timeline.h"

/* accounting's start (ac_btime) is the whole second of the exit minus the
 * whole seconds lived: its start plus elapsed is within 1 s of the end */
#define ACCT_SLOP 1.0

void dbp_timeline_init(struct dbp_timeline *tl)
{
	memset(tl, 0, sizeof(*tl));
}

void dbp_timeline_free(struct dbp_timeline *tl)
{
	free(tl->ev);
	free(tl->crashes);
	dbp_timeline_init(tl);
}

const char *dbp_tl_kind_name(enum dbp_tl_kind k)
{
	static const char *const names[] = {
		"born", "exec", "user", "signals", "reparented", "session", "exited", "unseen",
		"log", "crash",
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

static struct dbp_tl_event *add(struct dbp_timeline *tl, double t, enum dbp_tl_kind kind)
{
	struct dbp_tl_event *e;

	if (tl->n == tl->cap) {
		size_t cap = tl->cap ? tl->cap * 2 : 64;

		e = realloc(tl->ev, cap * sizeof(*e));
		if (!e)
			return NULL;
		tl->ev = e;
		tl->cap = cap;
	}
	e = &tl->ev[tl->n++];
	memset(e, 0, sizeof(*e));
	e->t = e->lo = e->hi = t;
	e->kind = kind;
	return e;
}

/* ---- times ---- */

/* The samples around t: *prev the last before it (or t), *next the first
 * after it (or t). */
static void samples_around(const struct dbp_recording *rec, double t, double *prev, double *next)
{
	long s = dbp_recording_sample_at(rec, t);

	*prev = t;
	*next = t;
	if (s >= 0 && rec->samples[s] < t)
		*prev = rec->samples[s];
	else if (s > 0)
		*prev = rec->samples[s - 1];
	if (s + 1 >= 0 && (size_t)(s + 1) < rec->nsamples)
		*next = rec->samples[s + 1];
}

/* [lo, hi] narrowed to [a, b] where they meet; unchanged where not (a
 * clock that disagrees with the samples is not taken) */
static void narrow(double *lo, double *hi, double a, double b)
{
	double l = *lo > a ? *lo : a, h = *hi < b ? *hi : b;

	if (l <= h) {
		*lo = l;
		*hi = h;
	}
}

double dbp_rec_proc_started(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			    double *lo, double *hi, int *exact)
{
	const struct dbp_rec_file *f = dbp_rec_proc_file(rec, rp);
	double prev, next, s;

	*exact = 0;
	/* first seen in the first sample replayed: it was there before */
	samples_around(rec, rp->first, &prev, &next);
	*lo = rp->first > (rec->nsamples ? rec->samples[0] : 0) ? prev : 0;
	*hi = rp->first;
	if (!f || !rp->start || f->hz <= 0)
		return *lo ? (*lo + *hi) / 2 : *hi;
	if (f->boot_clock > 0) {
		s = f->boot_clock + (double)rp->start / (double)f->hz;
		/* a clock that does not fit the samples (a suspend, a clock
		 * step) is not trusted */
		if ((!*lo || s >= *lo - 0.5) && s <= *hi + 0.5) {
			/* the ticks are the start rounded down, up to a tick
			 * early: a process the sample of *lo missed, started in
			 * the same tick, reads as started before that sample --
			 * and before the recording, when that is its first, so
			 * its birth fell out of every timeline. Within a tick
			 * of that sample it started at it; farther off, it is
			 * the clock's drift, which the samples do not correct. */
			if (*lo && s < *lo && *lo - s < 1.0 / f->hz)
				s = *lo;
			*lo = *hi = s;
			*exact = 1;
			return s;
		}
	} else if (f->boot_time > 0) {
		/* /proc/stat's btime is the whole second: boot was up to 1 s later */
		s = (double)f->boot_time + (double)rp->start / (double)f->hz;
		if (*lo)
			narrow(lo, hi, s, s + 1);
		else {
			*lo = s;
			*hi = s + 1 < *hi ? s + 1 : *hi;
			if (*lo > *hi)
				*lo = *hi;
		}
	}
	return *lo ? (*lo + *hi) / 2 : *hi;
}

double dbp_rec_proc_ended(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			  const struct dbp_acct_rec *acct, double *lo, double *hi, int *exact)
{
	double prev, next, slo, shi;
	int sexact;

	*exact = 0;
	samples_around(rec, rp->last, &prev, &next);
	*lo = rp->last;
	*hi = next > rp->last ? next : rp->last;
	if (!acct)
		return (*lo + *hi) / 2;
	dbp_rec_proc_started(rec, rp, &slo, &shi, &sexact);
	if (sexact && rp->start) {
		double e = slo + acct->elapsed;

		/* elapsed is counted from the same start, to the tick */
		if (e >= *lo - 0.5 && e <= *hi + 0.5) {
			*lo = *hi = e;
			*exact = 1;
			return e;
		}
	}
	narrow(lo, hi, acct->end - ACCT_SLOP, acct->end + ACCT_SLOP);
	if (rp->start && shi > slo)
		narrow(lo, hi, slo + acct->elapsed, shi + acct->elapsed);
	return (*lo + *hi) / 2;
}

/* An exit no sample saw: accounting's alone */
static double acct_ended(const struct dbp_recording *rec, const struct dbp_acct_rec *a, double *lo,
			 double *hi)
{
	(void)rec;
	*lo = a->end - ACCT_SLOP;
	*hi = a->end + ACCT_SLOP;
	return a->end;
}

static int in(double t, double from, double to)
{
	return (!from || t >= from) && (!to || t <= to);
}

static int cmp_event(const void *a, const void *b)
{
	const struct dbp_tl_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->rp && y->rp && x->rp->pid != y->rp->pid)
		return x->rp->pid < y->rp->pid ? -1 : 1;
	return 0;
}

/* ---- crash-restarts ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* How many of the n sorted values are <= x (le) or < x */
static size_t count_below(const double *v, size_t n, double x, int le)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid] < x || (le && v[mid] == x))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int is_postgres(const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	return c.db == DBP_DB_POSTGRES;
}

/* A postmaster: a PostgreSQL process whose parent (when recorded) is not one */
static int is_postmaster(const struct dbp_recording *rec, const struct dbp_rec_proc *rp)
{
	const struct dbp_proc *p = &rp->v[0].p;
	const struct dbp_rec_proc *pp;

	if (!is_postgres(p))
		return 0;
	pp = p->ppid > 0 ? dbp_recording_find(rec, p->ppid, rp->first) : NULL;
	return !pp || !is_postgres(dbp_rec_proc_at(pp, rp->first));
}

/* PostgreSQL's syslogger (logging_collector = on), titled "postgres:
 * logger" ("postgres: NAME: logger" with a cluster_name): the postmaster
 * keeps it across a crash-restart so that no log line is lost, so it is
 * not among the children a crash ends. */
static int is_logger(const struct dbp_rec_proc *rp)
{
	for (size_t v = 0; v < rp->nv; v++) {
		char *const *argv = rp->v[v].p.argv;
		const char *t;

		if (!argv || !argv[0] || strncmp(argv[0], "postgres: ", 10))
			continue;
		t = argv[0] + 10;
		if (!strncmp(t, "logger", 6))
			return 1;
		t = strstr(t, ": logger");
		if (t && (!t[8] || t[8] == ' '))
			return 1;
	}
	return 0;
}

/* Was rp a child of pm at some version (an adopted orphan becomes one)
 * that a crash-restart ends (not the logger)? */
static int is_child(const struct dbp_rec_proc *rp, const struct dbp_rec_proc *pm)
{
	if (rp == pm || rp->first < pm->first || rp->first > pm->last || is_logger(rp))
		return 0;
	for (size_t v = 0; v < rp->nv; v++)
		if (rp->v[v].p.ppid == pm->pid)
			return 1;
	return 0;
}

/* One of the postmaster's own: PostgreSQL's executable, the same user */
static int is_server(const struct dbp_rec_proc *pm, const struct dbp_rec_proc *rp)
{
	const struct dbp_proc *a = &pm->v[0].p, *b = &rp->v[rp->nv - 1].p;

	if (!is_postgres(b))
		return 0;
	if ((a->have & b->have & DBP_HAVE_STATUS) && a->uid != b->uid)
		return 0;
	return 1;
}

/* The culprit of a crash whose children were last seen at c->before:
 * the child that accounting says died of a signal -- one not of the
 * server first (an adopted client), then the earliest -- else the child
 * that was not a server process and ended then (likely). */
static void crash_culprit(const struct dbp_recording *rec, struct dbp_crash *c,
			  const struct dbp_rec_proc *const *gone, size_t ngone)
{
	double iv = rec->interval > 0 ? rec->interval : 1;
	const struct dbp_acct_rec *best = NULL;
	int best_foreign = 0, exact;

	for (size_t i = 0; i < rec->nexits; i++) {
		const struct dbp_acct_rec *a = &rec->exits[i];
		int foreign = strcmp(a->comm, "postgres") != 0;

		if (a->ppid != c->pm->pid || !a->signal || a->end < c->before - ACCT_SLOP - iv ||
		    a->end > c->after + ACCT_SLOP)
			continue;
		if (!best || foreign > best_foreign || (foreign == best_foreign && a->end < best->end)) {
			best = a;
			best_foreign = foreign;
		}
	}
	if (best) {
		c->acct = best;
		for (size_t i = 0; i < ngone; i++)
			if (gone[i]->pid == best->pid && dbp_rec_proc_exit(rec, gone[i]) == best)
				c->culprit = gone[i];
		if (c->culprit)
			c->when = dbp_rec_proc_ended(rec, c->culprit, best, &c->lo, &c->hi, &exact);
		else
			c->when = acct_ended(rec, best, &c->lo, &c->hi);
		return;
	}
	for (size_t i = 0; i < ngone && !c->culprit; i++)
		if (!is_server(c->pm, gone[i])) {
			c->culprit = gone[i];
			c->likely = 1;
		}
	c->lo = c->before;
	c->hi = c->after;
	c->when = (c->lo + c->hi) / 2;
}

void dbp_crash_apply_log(const struct dbp_recording *rec, struct dbp_crash *c,
			 const struct dbp_pglog *log)
{
	double slack = 2 * (rec->interval > 0 ? rec->interval : 1) + 2;
	const struct dbp_pglog_event *best = NULL;

	for (size_t i = 0; log && i < log->n; i++) {
		const struct dbp_pglog_event *l = &log->ev[i];

		/* exit code 1 is a child's own error: the postmaster does not
		 * restart for it; 0 is a clean end */
		if (!l->have_when || (l->how == DBP_PGLOG_EXIT && (l->code == 0 || l->code == 1)))
			continue;
		/* the line comes after the child died, before the new
		 * children (a few intervals of clock skew allowed) */
		if (l->when < c->before - 2 || l->when > c->after + slack)
			continue;
		if (!best || l->when < best->when)
			best = l;
	}
	/* accounting that names the same child says more (its own clock,
	 * a core dump): kept */
	if (!best || (!c->likely && c->acct && c->acct->pid == best->pid))
		return;
	c->culprit = NULL;
	c->acct = NULL;
	c->likely = 0;
	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		if (rp->pid == best->pid && rp->gone && rp->last == c->before && is_child(rp, c->pm))
			c->culprit = rp;
	}
	if (c->culprit)
		c->acct = dbp_rec_proc_exit(rec, c->culprit);
	for (size_t i = 0; !c->culprit && i < rec->nexits; i++)
		if (rec->exits[i].pid == best->pid && rec->exits[i].ppid == c->pm->pid)
			c->acct = &rec->exits[i];
	c->have_log = 1;
	c->log = *best;
	/* it died just before the postmaster logged it */
	c->when = c->lo = c->hi = best->when;
	if (c->culprit && c->acct) {
		double lo, hi, t;
		int exact;

		t = dbp_rec_proc_ended(rec, c->culprit, c->acct, &lo, &hi, &exact);
		if (exact && t <= best->when)
			c->when = c->lo = c->hi = t;
	}
}

/* The crashes of one postmaster, appended to out[*n..max) */
static int pm_crashes(const struct dbp_recording *rec, const struct dbp_rec_proc *pm,
		      struct dbp_crash *out, size_t max, size_t *n)
{
	const struct dbp_rec_proc **kids = NULL, **gone = NULL;
	double *firsts = NULL, *lasts = NULL, *ends = NULL;
	size_t nk = 0, ne = 0;
	int rc = -ENOMEM;

	for (size_t i = 0; i < rec->nprocs; i++)
		nk += is_child(&rec->procs[i], pm);
	if (nk < 2)
		return 0;
	kids = malloc(nk * sizeof(*kids));
	gone = malloc(nk * sizeof(*gone));
	firsts = malloc(nk * sizeof(*firsts));
	lasts = malloc(nk * sizeof(*lasts));
	ends = malloc(nk * sizeof(*ends));
	if (!kids || !gone || !firsts || !lasts || !ends)
		goto out;
	nk = 0;
	for (size_t i = 0; i < rec->nprocs; i++)
		if (is_child(&rec->procs[i], pm)) {
			const struct dbp_rec_proc *k = &rec->procs[i];

			kids[nk] = k;
			firsts[nk] = k->first;
			lasts[nk++] = k->last;
			if (k->gone)
				ends[ne++] = k->last;
		}
	qsort(firsts, nk, sizeof(*firsts), cmp_double);
	qsort(lasts, nk, sizeof(*lasts), cmp_double);
	qsort(ends, ne, sizeof(*ends), cmp_double);
	for (size_t i = 0; i < ne;) {
		double L = ends[i], prev, next;
		size_t g = 0, alive, ng = 0;
		int lived = 0, replaced = 0;

		while (i + g < ne && ends[i + g] == L)
			g++;
		i += g;
		/* alive at L: started by then and not ended before */
		alive = count_below(firsts, nk, L, 1) - count_below(lasts, nk, L, 0);
		if (g < 2 || g != alive || pm->last <= L)
			continue;
		for (size_t k = 0; k < nk; k++) {
			if (kids[k]->gone && kids[k]->last == L) {
				gone[ng++] = kids[k];
				lived |= kids[k]->first < L;
			}
			replaced |= kids[k]->first > L;
		}
		/* a clean stop takes the postmaster too; children that were
		 * all new at L are a start, not a crash */
		if (!lived || !replaced)
			continue;
		if (*n < max) {
			struct dbp_crash *c = &out[*n];

			memset(c, 0, sizeof(*c));
			samples_around(rec, L, &prev, &next);
			c->pm = pm;
			c->before = L;
			c->after = next;
			c->children = g;
			crash_culprit(rec, c, gone, ng);
		}
		(*n)++;
	}
	rc = 0;
out:
	free(kids);
	free(gone);
	free(firsts);
	free(lasts);
	free(ends);
	return rc;
}

static int cmp_crash(const void *a, const void *b)
{
	const struct dbp_crash *x = a, *y = b;

	return x->before < y->before ? -1 : x->before > y->before;
}

#define PM_SEEN_MAX 16

long dbp_recording_crashes(const struct dbp_recording *rec, struct dbp_crash *out, size_t max)
{
	/* the postmasters met so far: their backends, by the thousand, are
	 * told apart by the parent's PID without a look-up each */
	pid_t seen[PM_SEEN_MAX];
	size_t n = 0, nseen = 0;

	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		int child = 0;

		for (size_t k = 0; k < nseen && !child; k++)
			child = rp->v[0].p.ppid == seen[k];
		if (child || !is_postmaster(rec, rp))
			continue;
		if (nseen < PM_SEEN_MAX)
			seen[nseen++] = rp->pid;
		if (pm_crashes(rec, rp, out, max, &n) < 0)
			return -ENOMEM;
	}
	if (out && n)
		qsort(out, n < max ? n : max, sizeof(*out), cmp_crash);
	return (long)n;
}

/* What changed between two versions of a process. */
static int proc_event(struct dbp_timeline *tl, const struct dbp_recording *rec,
		      const struct dbp_rec_proc *rp, size_t v)
{
	const struct dbp_proc *a = &rp->v[v - 1].p, *b = &rp->v[v].p;
	double t = rp->v[v].t, prev, next;
	struct dbp_tl_event *e;
	size_t n0 = tl->n;

	if (a->ppid != b->ppid) {
		if (!(e = add(tl, t, DBP_TL_REPARENT)))
			return -ENOMEM;
		e->rp = rp;
		e->v = v;
	}
	/* a recording of 0.1 holds no groups: 0 on both sides */
	if ((a->pgrp != b->pgrp || a->sid != b->sid) && a->sid && b->sid) {
		if (!(e = add(tl, t, DBP_TL_SESSION)))
			return -ENOMEM;
		e->rp = rp;
		e->v = v;
	}
	if (strcmp(a->comm, b->comm)) {
		if (!(e = add(tl, t, DBP_TL_EXEC)))
			return -ENOMEM;
		e->rp = rp;
		e->v = v;
	}
	if ((a->have & b->have & DBP_HAVE_STATUS) && a->uid != b->uid) {
		if (!(e = add(tl, t, DBP_TL_USER)))
			return -ENOMEM;
		e->rp = rp;
		e->v = v;
	}
	if ((a->have & b->have & DBP_HAVE_STATUS) &&
	    (a->sig.ignored != b->sig.ignored || a->sig.caught != b->sig.caught ||
	     a->sig.blocked != b->sig.blocked)) {
		if (!(e = add(tl, t, DBP_TL_SIGNALS)))
			return -ENOMEM;
		e->rp = rp;
		e->v = v;
	}
	/* the sample that shows a change bounds it: it came after the one
	 * before, and after whatever ended then (a parent's exit before the
	 * orphan's adoption) */
	samples_around(rec, t, &prev, &next);
	for (size_t i = n0; i < tl->n; i++) {
		tl->ev[i].lo = prev;
		tl->ev[i].rank = tl->ev[i].kind;
	}
	return 0;
}

/* The crash line that reports e's exit: the same PID, logged within the
 * exit's range (and 2 s of clock skew) or a few intervals after */
static const struct dbp_pglog_event *exit_line(const struct dbp_recording *rec,
					       const struct dbp_tl_event *e,
					       const struct dbp_pglog *log)
{
	double slack = 2 * (rec->interval > 0 ? rec->interval : 1) + 2;
	pid_t pid = e->rp ? e->rp->pid : e->acct->pid;

	for (size_t i = 0; log && i < log->n; i++) {
		const struct dbp_pglog_event *l = &log->ev[i];

		if (l->pid == pid && l->have_when && l->when >= e->lo - 2 && l->when <= e->hi + slack)
			return l;
	}
	return NULL;
}

/* An event not known to the tick is at the middle of what is left of
 * its range once narrowed */
static void recentre(struct dbp_tl_event *e)
{
	if (e->lo > e->hi)
		e->lo = e->hi;
	if (!e->exact)
		e->t = (e->lo + e->hi) / 2;
}

/* e happened at or before t (its effect): narrow it so */
static void not_after(struct dbp_tl_event *e, double t)
{
	if (e->t > t)
		e->t = t;
	if (e->hi > t)
		e->hi = t;
	recentre(e);
}

/* e happened at or after t (it is an effect of what happened at t) */
static void not_before(struct dbp_tl_event *e, double t)
{
	if (e->t < t)
		e->t = t;
	if (e->lo < t)
		e->lo = t;
	if (e->hi < e->lo)
		e->hi = e->lo;
	recentre(e);
}

/* Was e the exit of a child that crash c took down: a sampled child last
 * seen at the crash's first sample, or one no sample saw that exited as
 * a PostgreSQL process does on the postmaster's SIGQUIT (exit code 2)
 * around then? */
static int taken_down(const struct dbp_recording *rec, const struct dbp_crash *c,
		      const struct dbp_tl_event *e)
{
	double iv = rec->interval > 0 ? rec->interval : 1;

	if (e->rp)
		return e->rp->gone && e->rp->last == c->before && is_child(e->rp, c->pm);
	return e->acct && e->acct->ppid == c->pm->pid && e->acct->exit_code == 2 &&
	       e->hi >= c->before - iv && e->lo <= c->after;
}

static int crash_events(struct dbp_timeline *tl, const struct dbp_recording *rec, double from,
			double to, const struct dbp_pglog *log)
{
	long n = dbp_recording_crashes(rec, NULL, 0);
	size_t nev = tl->n;

	if (n < 0)
		return -ENOMEM;
	if (!n)
		return 0;
	if (!(tl->crashes = calloc((size_t)n, sizeof(*tl->crashes))))
		return -ENOMEM;
	n = dbp_recording_crashes(rec, tl->crashes, (size_t)n);
	if (n < 0)
		return -ENOMEM;
	tl->ncrashes = (size_t)n;
	for (size_t i = 0; i < tl->ncrashes; i++)
		dbp_crash_apply_log(rec, &tl->crashes[i], log);
	for (size_t i = 0; i < tl->ncrashes; i++) {
		struct dbp_crash *c = &tl->crashes[i];
		struct dbp_tl_event *culprit = NULL, *e;
		double at = c->when;

		/* the culprit's exit, and when the log reports it, no later */
		for (size_t k = 0; k < nev; k++) {
			e = &tl->ev[k];
			if (e->kind == DBP_TL_EXIT &&
			    ((c->culprit && e->rp == c->culprit) || (!c->culprit && c->acct && e->acct == c->acct)))
				culprit = e;
		}
		if (culprit) {
			culprit->culprit = 1;
			culprit->crash = c;
			culprit->rank = -2;
			at = c->when = culprit->t;
		}
		/* the postmaster starts new children only once every old one
		 * has gone ("all server processes terminated; reinitializing"):
		 * the first new one known to the tick bounds their exits */
		double reborn = 0;

		for (size_t k = 0; k < nev; k++) {
			e = &tl->ev[k];
			if (e->kind == DBP_TL_BORN && e->exact && e->rp->first > c->before &&
			    is_child(e->rp, c->pm) && (!reborn || e->t < reborn))
				reborn = e->t;
		}
		/* the others it took down: after it, and after the line that
		 * reports it (the postmaster logs, then signals them) */
		for (size_t k = 0; k < nev; k++) {
			e = &tl->ev[k];
			if (e->kind != DBP_TL_EXIT || e == culprit || !taken_down(rec, c, e))
				continue;
			e->crash = c;
			/* after the line that reports the culprit, at the same
			 * time too */
			e->rank = DBP_TL_LOG + 1;
			not_before(e, at);
			if (culprit && culprit->log)
				not_before(e, culprit->log->when);
			if (reborn && reborn >= e->lo)
				not_after(e, reborn);
		}
		if (!in(at, from, to))
			continue;
		if (!(e = add(tl, at, DBP_TL_CRASH)))
			return -ENOMEM;
		e->lo = c->lo < at ? c->lo : at;
		e->hi = c->hi > at ? c->hi : at;
		e->exact = culprit && culprit->exact;
		e->rank = -1;
		e->crash = c;
		e->rp = c->pm;
		e->v = 0;
	}
	return 0;
}

/* The parent that started rp and exited before a sample saw rp, where
 * accounting shows it: the one process, not rp's parent when first seen,
 * that no sample saw, alive at rp's start [lo, hi] and gone by rp's first
 * sample (`sh -c 'psql &'`: the shell forks psql and exits, and psql is
 * first seen adopted). NULL when none, or more than one, fits. */
static const struct dbp_acct_rec *born_parent(const struct dbp_recording *rec,
					      const struct dbp_rec_proc *rp, double lo, double hi)
{
	const struct dbp_acct_rec *found = NULL;
	size_t n;
	/* those that ended from lo - ACCT_SLOP to rp's first sample (the
	 * test below): looked up by end, not looked for through them all */
	const size_t *idx = dbp_recording_exits_ended(rec, lo - ACCT_SLOP, rp->first, &n);

	if (!idx)
		n = rec->nexits;
	for (size_t i = 0; i < n; i++) {
		const struct dbp_acct_rec *a = &rec->exits[idx ? idx[i] : i];

		if (a->pid == rp->pid || a->pid == rp->v[0].p.ppid || a->start > hi ||
		    a->end < lo - ACCT_SLOP || a->end > rp->first || a->forked)
			continue;
		if (dbp_recording_find(rec, a->pid, a->end))
			continue;
		if (found)
			return NULL;
		found = a;
	}
	return found;
}

int dbp_timeline_build(struct dbp_timeline *tl, const struct dbp_recording *rec,
		       double from, double to, const struct dbp_pglog *log)
{
	double first = rec->nsamples ? rec->samples[0] : 0;
	struct dbp_tl_event *e;
	double lo, hi, t;
	int exact;
	char *sampled = NULL;

	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		if (rp->first > first) {
			t = dbp_rec_proc_started(rec, rp, &lo, &hi, &exact);
			if (in(t, from, to)) {
				if (!(e = add(tl, t, DBP_TL_BORN)))
					return -ENOMEM;
				e->rp = rp;
				e->lo = lo;
				e->hi = hi;
				e->exact = exact;
				e->rank = DBP_TL_BORN;
				e->acct = born_parent(rec, rp, lo, hi);
			}
		}
		for (size_t v = 1; v < rp->nv; v++)
			if (in(rp->v[v].t, from, to) && proc_event(tl, rec, rp, v) < 0)
				return -ENOMEM;
		if (rp->gone) {
			const struct dbp_acct_rec *a = dbp_rec_proc_exit(rec, rp);

			t = dbp_rec_proc_ended(rec, rp, a, &lo, &hi, &exact);
			if (in(t, from, to)) {
				if (!(e = add(tl, t, DBP_TL_EXIT)))
					return -ENOMEM;
				e->rp = rp;
				e->v = rp->nv - 1;
				e->acct = a;
				e->lo = lo;
				e->hi = hi;
				e->exact = exact;
				e->rank = DBP_TL_EXIT;
			}
		}
	}
	/* exits that no sample saw: accounting's alone (those an exit
	 * event holds marked first, not looked for among the events for
	 * each exit) */
	if (rec->nexits && !(sampled = calloc(rec->nexits, 1)))
		return -ENOMEM;
	for (size_t k = 0; k < tl->n; k++)
		if (tl->ev[k].kind == DBP_TL_EXIT && tl->ev[k].acct >= rec->exits &&
		    tl->ev[k].acct < rec->exits + rec->nexits)
			sampled[tl->ev[k].acct - rec->exits] = 1;
	for (size_t i = 0; i < rec->nexits; i++) {
		const struct dbp_acct_rec *a = &rec->exits[i];

		t = acct_ended(rec, a, &lo, &hi);
		if (!in(t, from, to) || sampled[i])
			continue;
		if (!(e = add(tl, t, DBP_TL_EXIT))) {
			free(sampled);
			return -ENOMEM;
		}
		e->acct = a;
		e->lo = lo;
		e->hi = hi;
		e->rank = DBP_TL_EXIT;
	}
	free(sampled);
	for (size_t i = 1; i < rec->nsamples; i++) {
		struct dbp_rec_unseen w;

		if (dbp_recording_window(rec, i, &w) == 0 && w.unseen > 0 && in(w.to, from, to)) {
			if (!(e = add(tl, w.to, DBP_TL_UNSEEN)))
				return -ENOMEM;
			e->w = w;
			e->lo = w.from;
			e->rank = DBP_TL_UNSEEN;
		}
	}
	/* a process ended before the postmaster logged its end -- just
	 * before: it logs as it reaps the child */
	for (size_t i = 0; i < tl->n; i++) {
		e = &tl->ev[i];
		if (e->kind == DBP_TL_EXIT && (e->log = exit_line(rec, e, log))) {
			not_after(e, e->log->when);
			if (!e->exact)
				e->t = e->hi;
		}
	}
	for (size_t i = 0; log && i < log->n; i++) {
		if (!log->ev[i].have_when || !in(log->ev[i].when, from, to))
			continue;
		if (!(e = add(tl, log->ev[i].when, DBP_TL_LOG)))
			return -ENOMEM;
		e->log = &log->ev[i];
		e->exact = 1;
		e->rank = DBP_TL_LOG;
	}
	if (crash_events(tl, rec, from, to, log) < 0)
		return -ENOMEM;
	if (tl->n)
		qsort(tl->ev, tl->n, sizeof(*tl->ev), cmp_event);
	return 0;
}
