/* The events of a recording in order (timeline.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"

void dbp_timeline_init(struct dbp_timeline *tl)
{
	memset(tl, 0, sizeof(*tl));
}

void dbp_timeline_free(struct dbp_timeline *tl)
{
	free(tl->ev);
	dbp_timeline_init(tl);
}

const char *dbp_tl_kind_name(enum dbp_tl_kind k)
{
	static const char *const names[] = {
		"born", "exec", "user", "signals", "reparented", "session", "exited", "unseen",
		"log",
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
	e->t = t;
	e->kind = kind;
	return e;
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
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->rp && y->rp && x->rp->pid != y->rp->pid)
		return x->rp->pid < y->rp->pid ? -1 : 1;
	return 0;
}

/* What changed between two versions of a process. */
static int proc_event(struct dbp_timeline *tl, const struct dbp_rec_proc *rp, size_t v)
{
	const struct dbp_proc *a = &rp->v[v - 1].p, *b = &rp->v[v].p;
	double t = rp->v[v].t;
	struct dbp_tl_event *e;

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
	return 0;
}

int dbp_timeline_build(struct dbp_timeline *tl, const struct dbp_recording *rec,
		       double from, double to, const struct dbp_pglog *log)
{
	double first = rec->nsamples ? rec->samples[0] : 0;
	struct dbp_tl_event *e;

	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		if (rp->first > first && in(rp->first, from, to)) {
			if (!(e = add(tl, rp->first, DBP_TL_BORN)))
				return -ENOMEM;
			e->rp = rp;
		}
		for (size_t v = 1; v < rp->nv; v++)
			if (in(rp->v[v].t, from, to) && proc_event(tl, rp, v) < 0)
				return -ENOMEM;
		if (rp->gone) {
			/* gone by the sample after its last */
			long s = dbp_recording_sample_at(rec, rp->last);
			double t = s >= 0 && (size_t)s + 1 < rec->nsamples ? rec->samples[s + 1] : rp->last;

			if (in(t, from, to)) {
				if (!(e = add(tl, t, DBP_TL_EXIT)))
					return -ENOMEM;
				e->rp = rp;
				e->v = rp->nv - 1;
				e->acct = dbp_rec_proc_exit(rec, rp);
			}
		}
	}
	/* exits that no sample saw: accounting's alone */
	for (size_t i = 0; i < rec->nexits; i++) {
		const struct dbp_acct_rec *a = &rec->exits[i];
		int sampled = 0;

		if (!in(a->end, from, to))
			continue;
		for (size_t k = 0; k < tl->n && !sampled; k++)
			sampled = tl->ev[k].acct == a;
		if (sampled)
			continue;
		if (!(e = add(tl, a->end, DBP_TL_EXIT)))
			return -ENOMEM;
		e->acct = a;
	}
	for (size_t i = 1; i < rec->nsamples; i++) {
		struct dbp_rec_unseen w;

		if (dbp_recording_window(rec, i, &w) == 0 && w.unseen > 0 && in(w.to, from, to)) {
			if (!(e = add(tl, w.to, DBP_TL_UNSEEN)))
				return -ENOMEM;
			e->w = w;
		}
	}
	for (size_t i = 0; log && i < log->n; i++) {
		if (!log->ev[i].have_when || !in(log->ev[i].when, from, to))
			continue;
		if (!(e = add(tl, log->ev[i].when, DBP_TL_LOG)))
			return -ENOMEM;
		e->log = &log->ev[i];
	}
	if (tl->n)
		qsort(tl->ev, tl->n, sizeof(*tl->ev), cmp_event);
	return 0;
}
