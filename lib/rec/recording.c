/*
 * The model of a recording (recording.h): a timeline of process
 * lifetimes as recread.c replays it, and the queries on it. Nothing here
 * opens a file.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "recording.h"

void dbp_recording_init(struct dbp_recording *rec)
{
	memset(rec, 0, sizeof(*rec));
}


void dbp_recording_free(struct dbp_recording *rec)
{
	for (size_t i = 0; i < rec->nprocs; i++) {
		for (size_t k = 0; k < rec->procs[i].nv; k++)
			dbp_proc_clear(&rec->procs[i].v[k].p);
		free(rec->procs[i].v);
	}
	free(rec->procs);
	free(rec->bypid);
	for (size_t i = 0; i < rec->nfiles; i++)
		free(rec->files[i].path);
	free(rec->files);
	for (size_t i = 0; i < rec->nnotes; i++)
		free(rec->notes[i]);
	free(rec->notes);
	free(rec->samples);
	free(rec->sinfo);
	free(rec->text);
	free(rec->fpids);
	free(rec->exits);
	free(rec->exits_bypid);
	free(rec->exits_byend);
	free(rec->pidns);
	free(rec->sel_pidns);
	memset(rec, 0, sizeof(*rec));
}

int dbp_recording_open_like(struct dbp_recording *dst, const struct dbp_recording *src)
{
	dst->files = calloc(src->nfiles ? src->nfiles : 1, sizeof(*dst->files));
	if (!dst->files)
		return -ENOMEM;
	for (size_t i = 0; i < src->nfiles; i++) {
		dst->files[i] = src->files[i];
		dst->files[i].path = strdup(src->files[i].path);
		if (!dst->files[i].path)
			return -ENOMEM;
		dst->nfiles++;
	}
	dst->interval = src->interval;
	dst->span_from = src->span_from;
	dst->span_to = src->span_to;
	dst->refused = src->refused;
	dst->missing_files = src->missing_files;
	dst->other_ns = src->other_ns;
	dst->have_acct = src->have_acct;
	dst->all_containers = src->all_containers;
	if (src->npidns) {
		dst->pidns = malloc(src->npidns * sizeof(*dst->pidns));
		if (!dst->pidns)
			return -ENOMEM;
		memcpy(dst->pidns, src->pidns, src->npidns * sizeof(*dst->pidns));
		dst->npidns = dst->cappidns = src->npidns;
	}
	if (src->text && !(dst->text = strdup(src->text)))
		return -ENOMEM;
	return 0;
}

/* ---- the namespaces of a node recording ---- */

long dbp_recording_pidns_find(const struct dbp_recording *rec, unsigned long long ino, pid_t pid1,
			      unsigned long long pid1_start)
{
	for (size_t i = 0; i < rec->npidns; i++)
		if (rec->pidns[i].ino == ino && rec->pidns[i].pid1 == pid1 &&
		    rec->pidns[i].pid1_start == pid1_start)
			return (long)i;
	return -1;
}

long dbp_recording_pidns_add(struct dbp_recording *rec, const struct dbp_rec_pidns *n)
{
	long i = dbp_recording_pidns_find(rec, n->ino, n->pid1, n->pid1_start);
	struct dbp_rec_pidns *e;

	if (i >= 0) {
		e = &rec->pidns[i];
		if (n->first < e->first)
			e->first = n->first;
		if (n->last > e->last)
			e->last = n->last;
		return i;
	}
	if (rec->npidns == rec->cappidns) {
		size_t cap = rec->cappidns ? rec->cappidns * 2 : 16;
		struct dbp_rec_pidns *np = realloc(rec->pidns, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		rec->pidns = np;
		rec->cappidns = cap;
	}
	rec->pidns[rec->npidns] = *n;
	return (long)rec->npidns++;
}

/* ---- queries ---- */

long dbp_recording_sample_at(const struct dbp_recording *rec, double when)
{
	size_t lo = 0, hi = rec->nsamples;

	if (!rec->nsamples || when < rec->samples[0])
		return -1;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (rec->samples[mid] <= when)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

const struct dbp_proc *dbp_rec_proc_at(const struct dbp_rec_proc *rp, double when)
{
	size_t lo = 1, hi = rp->nv;

	/* by bisection, the versions being by time: a backend retitled
	 * every half minute has thousands in a week, and --pid asks for
	 * each one's parents at each one's time */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rp->v[mid].t <= when)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &rp->v[lo - 1].p;
}

int dbp_rec_proc_alive(const struct dbp_rec_proc *rp, double when)
{
	return rp->first <= when && when <= rp->last;
}

static int cmp_bypid(const void *a, const void *b)
{
	const struct dbp_rec_bypid *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_exit_pid(const void *a, const void *b, void *arg)
{
	const struct dbp_acct_rec *e = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (e[x].pid != e[y].pid)
		return e[x].pid < e[y].pid ? -1 : 1;
	return (x > y) - (x < y);
}

static int cmp_exit_end(const void *a, const void *b, void *arg)
{
	const struct dbp_acct_rec *e = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (e[x].end != e[y].end)
		return e[x].end < e[y].end ? -1 : 1;
	return (x > y) - (x < y);
}

int dbp_recording_index(struct dbp_recording *rec)
{
	struct dbp_rec_bypid *b = realloc(rec->bypid, (rec->nprocs ? rec->nprocs : 1) * sizeof(*b));
	size_t n = rec->nexits ? rec->nexits : 1, *ep, *ee;

	rec->nbypid = rec->nexitsix = 0;
	if (!b)
		return -ENOMEM;
	rec->bypid = b;
	for (size_t i = 0; i < rec->nprocs; i++) {
		b[i].pid = rec->procs[i].pid;
		b[i].idx = i;
	}
	qsort(b, rec->nprocs, sizeof(*b), cmp_bypid);
	rec->nbypid = rec->nprocs;
	/* a recording with accounting has an exit for every process that
	 * ended: each one's, and the exits near each birth, were looked for
	 * through all of them */
	if (!(ep = realloc(rec->exits_bypid, n * sizeof(*ep))))
		return -ENOMEM;
	rec->exits_bypid = ep;
	if (!(ee = realloc(rec->exits_byend, n * sizeof(*ee))))
		return -ENOMEM;
	rec->exits_byend = ee;
	for (size_t i = 0; i < rec->nexits; i++)
		ep[i] = ee[i] = i;
	qsort_r(ep, rec->nexits, sizeof(*ep), cmp_exit_pid, rec->exits);
	qsort_r(ee, rec->nexits, sizeof(*ee), cmp_exit_end, rec->exits);
	rec->nexitsix = rec->nexits;
	return 0;
}

const size_t *dbp_recording_exits_ended(const struct dbp_recording *rec, double lo, double hi,
					size_t *n)
{
	size_t a = 0, b;

	*n = 0;
	if (!rec->exits_byend || rec->nexitsix != rec->nexits)
		return NULL;
	/* the first that ended at lo or later, and the first after hi */
	for (size_t h = rec->nexits; a < h;) {
		size_t mid = a + (h - a) / 2;

		if (rec->exits[rec->exits_byend[mid]].end < lo)
			a = mid + 1;
		else
			h = mid;
	}
	for (b = a; b < rec->nexits && rec->exits[rec->exits_byend[b]].end <= hi; b++)
		;
	*n = b - a;
	return rec->exits_byend + a;
}

const struct dbp_rec_proc *dbp_recording_find(const struct dbp_recording *rec, pid_t pid,
					      double when)
{
	size_t lo = 0, hi = rec->nbypid;

	if (!rec->bypid || rec->nbypid != rec->nprocs) {
		for (size_t i = rec->nprocs; i-- > 0;)
			if (rec->procs[i].pid == pid && dbp_rec_proc_alive(&rec->procs[i], when))
				return &rec->procs[i];
		return NULL;
	}
	/* the holders of pid, the latest first, as the loop above: a
	 * timeline looks up a parent for every event, and through every
	 * process of a day's recording that was time quadratic in them */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rec->bypid[mid].pid <= pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0 && rec->bypid[lo].pid == pid)
		if (dbp_rec_proc_alive(&rec->procs[rec->bypid[lo].idx], when))
			return &rec->procs[rec->bypid[lo].idx];
	return NULL;
}

const struct dbp_rec_file *dbp_rec_proc_file(const struct dbp_recording *rec,
					     const struct dbp_rec_proc *rp)
{
	return rp->file >= 0 && (size_t)rp->file < rec->nfiles ? &rec->files[rp->file] : NULL;
}

int dbp_recording_table(const struct dbp_recording *rec, double sample_t, struct dbp_table *t)
{
	int have_header = 0;

	t->now = (time_t)sample_t;
	t->self = 0;
	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		const struct dbp_rec_file *f;
		struct dbp_proc *p;

		if (!dbp_rec_proc_alive(rp, sample_t))
			continue;
		f = dbp_rec_proc_file(rec, rp);
		if (f && !have_header) {
			t->hz = f->hz;
			t->boot_time = (time_t)f->boot_time;
			have_header = 1;
		}
		p = dbp_table_add(t);
		if (!p || dbp_proc_copy(p, dbp_rec_proc_at(rp, sample_t)) < 0)
			return -ENOMEM;
		p->pid = rp->pid;
		p->start_ticks = rp->start;
	}
	dbp_table_sort(t);
	return 0;
}

const struct dbp_rec_file *dbp_recording_last_file(const struct dbp_recording *rec)
{
	/* files are in replay order: by run ("started"), then file_index */
	for (size_t i = rec->nfiles; i-- > 0;)
		if (rec->files[i].version)
			return &rec->files[i];
	return NULL;
}

int dbp_rec_file_recent(const struct dbp_recording *rec, const struct dbp_rec_file *f, double now)
{
	double iv = rec->interval > 0 ? rec->interval : 1.0;

	return now > 0 && f->last_t > 0 && now - f->last_t <= 2 * iv + 5;
}

size_t dbp_recording_gaps(const struct dbp_recording *rec, struct dbp_rec_gap *out, size_t max)
{
	double iv = rec->interval > 0 ? rec->interval : 1.0;
	size_t n = 0;

	for (size_t i = 1; i < rec->nsamples; i++) {
		if (rec->samples[i] - rec->samples[i - 1] <= 2 * iv + 0.001)
			continue;
		if (n < max) {
			out[n].from = rec->samples[i - 1];
			out[n].to = rec->samples[i];
		}
		n++;
	}
	return n;
}

size_t dbp_recording_chain(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			   double when, const struct dbp_rec_proc **links, size_t max,
			   pid_t *unrecorded)
{
	size_t n = 0;
	pid_t top = 0;

	for (const struct dbp_rec_proc *q = rp; q && n < max;) {
		pid_t pp = dbp_rec_proc_at(q, when)->ppid;

		links[n++] = q;
		q = pp > 0 && pp != q->pid ? dbp_recording_find(rec, pp, when) : NULL;
		top = q ? 0 : pp;
	}
	if (unrecorded)
		*unrecorded = top > 0 ? top : 0;
	return n;
}

int dbp_rec_proc_short_lived(const struct dbp_recording *rec, const struct dbp_rec_proc *rp)
{
	double iv = rec->interval > 0 ? rec->interval : 1;

	return rec->nsamples && rp->gone && rp->first > rec->samples[0] &&
	       rp->last - rp->first < 3 * iv;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

size_t dbp_recording_reused_pids(const struct dbp_recording *rec)
{
	pid_t *pids = malloc((rec->nprocs ? rec->nprocs : 1) * sizeof(*pids));
	size_t n = 0;

	if (!pids)
		return 0;
	for (size_t i = 0; i < rec->nprocs; i++)
		pids[i] = rec->procs[i].pid;
	qsort(pids, rec->nprocs, sizeof(*pids), cmp_pid);
	for (size_t i = 1; i < rec->nprocs; i++)
		n += pids[i] == pids[i - 1] && (i < 2 || pids[i - 1] != pids[i - 2]);
	free(pids);
	return n;
}

const struct dbp_acct_rec *dbp_recording_exit(const struct dbp_recording *rec, pid_t pid,
					      double after, double before)
{
	const struct dbp_acct_rec *best = NULL;
	size_t lo = 0, hi = rec->nexits;

	if (!rec->exits_bypid || rec->nexitsix != rec->nexits) {
		for (size_t i = 0; i < rec->nexits; i++) {
			const struct dbp_acct_rec *a = &rec->exits[i];

			if (a->pid == pid && a->end >= after && a->end <= before &&
			    (!best || a->end > best->end))
				best = a;
		}
		return best;
	}
	/* pid's exits, in the order of the loop above */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rec->exits[rec->exits_bypid[mid]].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < rec->nexits && rec->exits[rec->exits_bypid[lo]].pid == pid; lo++) {
		const struct dbp_acct_rec *a = &rec->exits[rec->exits_bypid[lo]];

		if (a->end >= after && a->end <= before && (!best || a->end > best->end))
			best = a;
	}
	return best;
}

const struct dbp_acct_rec *dbp_rec_proc_exit(const struct dbp_recording *rec,
					     const struct dbp_rec_proc *rp)
{
	double iv = rec->interval > 0 ? rec->interval : 1;

	if (!rp->gone)
		return NULL;
	/* ac_btime is whole seconds: the end can look up to 1 s early */
	return dbp_recording_exit(rec, rp->pid, rp->last - 1, rp->last + 2 * iv + 1);
}

const char *dbp_recording_user(const struct dbp_recording *rec, unsigned uid, char *buf, size_t size)
{
	for (size_t i = 0; i < rec->nprocs; i++)
		for (size_t v = 0; v < rec->procs[i].nv; v++) {
			const struct dbp_proc *p = &rec->procs[i].v[v].p;

			if ((p->have & DBP_HAVE_STATUS) && p->uid == uid && p->user[0]) {
				snprintf(buf, size, "%s", p->user);
				return buf;
			}
		}
	snprintf(buf, size, "%u", uid);
	return buf;
}

/* ---- what the samples did not see ---- */

#define RESERVED_PIDS 300	/* kernel/pid.c: where the counter restarts after a wrap */

static long pid_max_of(const struct dbp_recording *rec)
{
	for (size_t i = 0; i < rec->nfiles; i++)
		if (rec->files[i].version && rec->files[i].pid_max > 0)
			return rec->files[i].pid_max;
	return 0;
}

int dbp_recording_window(const struct dbp_recording *rec, size_t i, struct dbp_rec_unseen *w)
{
	const struct dbp_rec_sample *a, *b;
	long pm;

	if (i < 1 || i >= rec->nsamples)
		return -EINVAL;
	a = &rec->sinfo[i - 1];
	b = &rec->sinfo[i];
	if (a->last_pid < 0 || b->last_pid < 0 || b->born < 0)
		return -ENODATA;
	memset(w, 0, sizeof(*w));
	w->from = a->t;
	w->to = b->t;
	w->pid_from = a->last_pid;
	w->pid_to = b->last_pid;
	if (b->last_pid >= a->last_pid) {
		w->allocated = (long)(b->last_pid - a->last_pid);
	} else {
		/* wrapped: up to pid_max - 1, then from RESERVED_PIDS */
		pm = pid_max_of(rec);
		if (pm <= 0 || a->last_pid >= pm)
			return -ENODATA;
		w->allocated = (long)(pm - 1 - a->last_pid) +
			       (long)(b->last_pid >= RESERVED_PIDS ? b->last_pid - RESERVED_PIDS + 1 : 0);
	}
	w->born = b->born;
	w->threads = b->threads > 0 ? b->threads : 0;
	w->unseen = w->allocated - w->born - w->threads;
	if (w->unseen < 0)
		w->unseen = 0;
	return 0;
}

static int pid_in(const struct dbp_rec_unseen *w, pid_t pid)
{
	if (w->pid_to >= w->pid_from)
		return pid > w->pid_from && pid <= w->pid_to;
	return pid > w->pid_from || pid <= w->pid_to;
}

int dbp_recording_allocated(const struct dbp_recording *rec, pid_t pid, double when,
			    size_t max_back, struct dbp_rec_unseen *w)
{
	long s = dbp_recording_sample_at(rec, when);

	/* the sample after when too: the line may be logged before the
	 * sample that follows the death */
	if (s + 1 < (long)rec->nsamples)
		s++;
	for (size_t k = 0; s >= 1 && k < max_back; s--, k++)
		if (dbp_recording_window(rec, (size_t)s, w) == 0 && w->allocated > 0 && pid_in(w, pid))
			return 0;
	return -ENOENT;
}

void dbp_recording_unseen_total(const struct dbp_recording *rec, struct dbp_rec_unseen *tot)
{
	struct dbp_rec_unseen w;

	memset(tot, 0, sizeof(*tot));
	for (size_t i = 1; i < rec->nsamples; i++) {
		if (dbp_recording_window(rec, i, &w) < 0)
			continue;
		if (!tot->from)
			tot->from = w.from;
		tot->to = w.to;
		tot->allocated += w.allocated;
		tot->born += w.born;
		tot->threads += w.threads;
	}
	/* not the sum of the windows' unseen: a process born during a scan
	 * after its PID was passed is counted by one window and seen in the
	 * next, and the totals square that */
	tot->unseen = tot->allocated - tot->born - tot->threads;
	if (tot->unseen < 0)
		tot->unseen = 0;
}

int dbp_boot_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f') || s[n] == '-'))
			return 0;
	return n == 36;
}
