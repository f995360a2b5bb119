/*
 * dbpod postmortem --pid and --at: who held a PID over the recording, and
 * the table of one recorded second. --pid replays the whole recording for
 * the PID and its ancestors only; --at from the key before the time.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "postmortem.h"
#include "render.h"
#include "rules_pid1.h"
#include "rec/rules_postmortem.h"
#include "rules_signals.h"
#include "timestamp.h"

/* ---- --pid ---- */

static void start_text(const struct dbp_recording *rec, const struct dbp_rec_proc *rp, char *buf,
		       size_t size)
{
	const struct dbp_rec_file *f = dbp_rec_proc_file(rec, rp);
	long hz = f && f->hz > 0 ? f->hz : 100;

	if (f && f->boot_time)
		dbp_time_format((double)f->boot_time + (double)rp->start / (double)hz, buf, size);
	else
		snprintf(buf, size, "tick %llu", rp->start);
}

static int argv_same(const struct dbp_proc *a, const struct dbp_proc *b)
{
	char x[2048], y[2048];

	return !strcmp(dbp_proc_cmdline(a, x, sizeof(x)), dbp_proc_cmdline(b, y, sizeof(y)));
}

/* The --pid view: the recording as replayed for pid, the PID asked
 * about. */
struct pid_view {
	const struct pm_ctx *c;
	pid_t pid;
};

/* A holder of the PID asked about the view shows: every one, or with
 * --at the one of the sample at or before that time. */
static int shown(const struct pid_view *v, const struct dbp_rec_proc *rp)
{
	const struct pm_ctx *c = v->c;
	long s;

	if (rp->pid != v->pid)
		return 0;
	if (!c->pid_at)
		return 1;
	s = dbp_recording_sample_at(&c->rec, c->pid_at);
	return s >= 0 && dbp_rec_proc_alive(rp, c->rec.samples[s]);
}

static void pid_text(const struct dbp_text *t, void *arg)
{
	const struct pid_view *view = arg;
	const struct pm_ctx *c = view->c;
	const struct dbp_recording *rec = &c->rec;
	size_t n = 0;
	char a[32], b[32];

	for (size_t i = 0; i < rec->nprocs; i++)
		n += (size_t)shown(view, &rec->procs[i]);
	if (c->pid_at)
		dbp_text_field(t, "PID", "%d was held by %s at %s UTC", (int)view->pid,
			       n ? "this process" : "no process of the recording",
			       dbp_time_format(c->pid_at, a, sizeof(a)));
	else
		dbp_text_field(t, "PID", "%d was held by %zu process%s in the recording", (int)view->pid,
			       n, n == 1 ? "" : "es");
	for (size_t i = 0, k = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		const struct dbp_proc *p;

		if (!shown(view, rp))
			continue;
		p = dbp_rec_proc_at(rp, rp->last);
		fputc('\n', t->out);
		start_text(rec, rp, a, sizeof(a));
		dbp_text_field(t, "Holder", "%zu of %zu: %s, started %s UTC (tick %llu)", ++k, n,
			       dbp_proc_name(p), a, rp->start);
		dbp_text_field(t, "Seen", "%s .. %s UTC%s", dbp_time_format(rp->first, a, sizeof(a)),
			       dbp_time_clock(rp->last, b, sizeof(b)),
			       rp->gone ? ", then gone" : ", still there at the end");
		dbp_text_field(t, "User", "%s (uid %u)", p->user, (unsigned)p->uid);
		for (size_t v = 0; v < rp->nv; v++) {
			const struct dbp_proc *pv = &rp->v[v].p;
			const struct dbp_proc *prev = v ? &rp->v[v - 1].p : NULL;
			char chain[1024], cmd[2048];
			struct json_object *j;

			if (prev && prev->ppid == pv->ppid && argv_same(prev, pv) &&
			    prev->state == pv->state && !strcmp(prev->user, pv->user))
				continue;
			j = pm_chain(rec, rp, rp->v[v].t, chain, sizeof(chain));
			json_object_put(j);
			dbp_text_field(t, dbp_time_clock(rp->v[v].t, a, sizeof(a)), "%s [%c] %s",
				       chain, pv->state, dbp_proc_cmdline(pv, cmd, sizeof(cmd)));
		}
		pm_text_signals(t, p);
	}
}

static struct json_object *holder_json(const struct dbp_recording *rec, const struct dbp_rec_proc *rp)
{
	struct json_object *o = json_object_new_object(), *vs = json_object_new_array();
	const struct dbp_proc *p = dbp_rec_proc_at(rp, rp->last);
	char buf[4096];

	json_object_object_add(o, "pid", json_object_new_int(rp->pid));
	json_object_object_add(o, "start_ticks", json_object_new_uint64(rp->start));
	{
		const struct dbp_rec_file *f = dbp_rec_proc_file(rec, rp);

		json_object_object_add(o, "start_time", f && f->boot_time ?
			pm_json_time((double)f->boot_time + (double)rp->start / (double)(f->hz > 0 ? f->hz : 100)) :
			NULL);
	}
	json_object_object_add(o, "first_seen", pm_json_time(rp->first));
	json_object_object_add(o, "last_seen", pm_json_time(rp->last));
	json_object_object_add(o, "gone", json_object_new_boolean(rp->gone));
	json_object_object_add(o, "user", json_object_new_string(p->user));
	json_object_object_add(o, "uid", json_object_new_int64(p->uid));
	for (size_t v = 0; v < rp->nv; v++) {
		const struct dbp_proc *pv = &rp->v[v].p;
		struct json_object *jv = json_object_new_object();

		json_object_object_add(jv, "time", pm_json_time(rp->v[v].t));
		json_object_object_add(jv, "ppid", json_object_new_int(pv->ppid));
		json_object_object_add(jv, "chain", pm_chain(rec, rp, rp->v[v].t, buf, sizeof(buf)));
		json_object_object_add(jv, "state", json_object_new_string_len(&pv->state, 1));
		json_object_object_add(jv, "comm", json_object_new_string(pv->comm));
		json_object_object_add(jv, "user", json_object_new_string(pv->user));
		json_object_object_add(jv, "cmdline",
				       json_object_new_string(dbp_proc_cmdline(pv, buf, sizeof(buf))));
		json_object_object_add(jv, "signals", dbp_proc_signals_json(pv));
		json_object_object_add(jv, "ignores_sigpipe", pm_ignores_sigpipe_json(pv));
		json_object_array_add(vs, jv);
	}
	json_object_object_add(o, "versions", vs);
	json_object_object_add(o, "signals", dbp_proc_signals_json(p));
	json_object_object_add(o, "ignores_sigpipe", pm_ignores_sigpipe_json(p));
	return o;
}

static struct json_object *pid_json(const struct pid_view *v)
{
	const struct pm_ctx *c = v->c;
	struct json_object *o = json_object_new_object(), *hs = json_object_new_array();

	json_object_object_add(o, "pid", json_object_new_int(v->pid));
	if (c->pid_at)
		json_object_object_add(o, "at", pm_json_time(c->pid_at));
	for (size_t i = 0; i < c->rec.nprocs; i++)
		if (shown(v, &c->rec.procs[i]))
			json_object_array_add(hs, holder_json(&c->rec, &c->rec.procs[i]));
	json_object_object_add(o, "holders", hs);
	return o;
}

/* The PID's holders and, for their chains, their ancestors, in one pass
 * that adds each parent to the PIDs it follows as it meets it. A parent
 * first met in a delta is known only from the next key: then a second
 * pass over the holders' lifetimes, with every PID from the start. */
int pm_run_pid(struct pm_ctx *c, const struct pm_opts *o, struct dbp_report *r)
{
	struct pid_view v = { c, o->pid };
	struct dbp_rec_query q = { 0 };
	pid_t *pids = NULL;
	double from = 0, to = 0;
	char fa[32], fb[32];

	q.pids = &o->pid;
	q.npids = 1;
	q.ancestors = 1;
	if (pm_replay(c, &q) < 0)
		return DBP_EXIT_UNKNOWN;
	if (c->rec.late_from) {
		for (size_t i = 0; i < c->rec.nprocs; i++) {
			const struct dbp_rec_proc *rp = &c->rec.procs[i];

			if (rp->pid != o->pid)
				continue;
			if (!from || rp->first < from)
				from = rp->first;
			if (rp->last > to)
				to = rp->last;
		}
		pids = malloc(c->rec.nfpids * sizeof(*pids));
		if (!pids) {
			warnx("out of memory");
			return DBP_EXIT_UNKNOWN;
		}
		memcpy(pids, c->rec.fpids, c->rec.nfpids * sizeof(*pids));
		q.pids = pids;
		q.npids = c->rec.nfpids;
		/* the window begins at the key before the first holder: the
		 * recording's start when that is the first sample */
		q.from = from > c->first_t ? from : 0;
		q.to = to + 3 * (c->rec.interval > 0 ? c->rec.interval : 1);	/* and its end */
		if (pm_replay(c, &q) < 0) {
			free(pids);
			return DBP_EXIT_UNKNOWN;
		}
	}
	/* a PID no process of the recording held is a question the recording
	 * cannot answer, like a PID that is not there for signals: exit 3 */
	{
		size_t held = 0;

		for (size_t i = 0; i < c->rec.nprocs; i++)
			held += c->rec.procs[i].pid == o->pid;
		if (!held) {
			dbp_warnx("no process held PID %d in the recording (%s .. %s UTC)",
				  (int)o->pid, dbp_time_format(c->first_t, fa, sizeof(fa)),
				  dbp_time_format(c->last_t, fb, sizeof(fb)));
			free(pids);
			return DBP_EXIT_UNKNOWN;
		}
	}
	dbp_rules_postmortem_recording(&c->rec, c->now, r);
	if (pm_crash_verdict(c, r, 0) < 0) {
		free(pids);
		return DBP_EXIT_UNKNOWN;
	}
	{
		int rc = dbp_emit_report(r, c->g->format == DBP_FORMAT_JSON ? pid_json(&v) : NULL,
					 pid_text, &v, c->g);

		free(pids);
		return rc;
	}
}

/* ---- --at ---- */

struct at_view {
	const struct pm_ctx *c;
	double when, sample_t;
	struct dbp_table *t;
	const struct dbp_pid1_facts *f;		/* with --check */
	const struct dbp_stop_path *sp;
	int tree;				/* --tree */
};

/* The ps columns (render.h), indented as a tree with --tree; always
 * redacted, whatever the recording holds. */
static void ps_line(const struct dbp_text *t, const struct at_view *v, const struct dbp_proc *p,
		    int depth)
{
	dbp_text_ps_row(t->out, v->t, p, 1, depth);
	fputc('\n', t->out);
}

/* Each process once: a recording may hold a PPID cycle (a torn or forged
 * file), which has no root and would otherwise print nothing or loop. */
struct kids {
	size_t *start, *idx;
};

static void tree_walk(const struct dbp_text *t, const struct at_view *v, const struct dbp_proc *p,
		      int depth, unsigned char *seen, const struct kids *k)
{
	size_t me = (size_t)(p - v->t->procs);

	if (seen[me])
		return;
	seen[me] = 1;
	ps_line(t, v, p, depth);
	if (depth > 64)
		return;
	for (size_t i = k->start[me]; i < k->start[me + 1]; i++)
		tree_walk(t, v, &v->t->procs[k->idx[i]], depth + 1, seen, k);
}

/* Each process's children, in the table's order, in one pass over the
 * table (each process looking through every other for its children took
 * 26 s at 100,000 processes): those of procs[i] are idx[start[i]] up to
 * idx[start[i + 1]]. */
static int kids_build(const struct dbp_table *tb, struct kids *k)
{
	size_t *parent = malloc((tb->n ? tb->n : 1) * sizeof(*parent));

	k->start = calloc(tb->n + 2, sizeof(*k->start));
	k->idx = malloc((tb->n ? tb->n : 1) * sizeof(*k->idx));
	if (!parent || !k->start || !k->idx) {
		free(parent);
		return -ENOMEM;
	}
	for (size_t i = 0; i < tb->n; i++) {
		const struct dbp_proc *p = &tb->procs[i];
		const struct dbp_proc *pp = p->ppid != p->pid ? dbp_table_find(tb, p->ppid) : NULL;

		parent[i] = pp ? (size_t)(pp - tb->procs) : tb->n;
		if (parent[i] < tb->n)
			k->start[parent[i] + 2]++;
	}
	/* start[i + 1] is where the children of i begin, then end */
	for (size_t i = 2; i < tb->n + 2; i++)
		k->start[i] += k->start[i - 1];
	for (size_t i = 0; i < tb->n; i++)
		if (parent[i] < tb->n)
			k->idx[k->start[parent[i] + 1]++] = i;
	free(parent);
	return 0;
}

static void at_text(const struct dbp_text *t, void *arg)
{
	const struct at_view *v = arg;
	char a[32], b[32];

	dbp_text_field(t, "At", "%s UTC: the sample of %s, %zu processes", dbp_time_format(v->when, a, sizeof(a)),
		       dbp_time_clock(v->sample_t, b, sizeof(b)), v->t->n);
	if (v->f && v->f->pid1) {
		char buf[1024];

		dbp_text_field(t, "PID 1", "%s, user %s", dbp_proc_cmdline(v->f->pid1, buf, sizeof(buf)),
			       v->f->pid1->user);
	}
	if (v->sp)
		dbp_text_field(t, "Stop outcome", "%s", dbp_outcome_name(v->sp->outcome));
	fputc('\n', t->out);
	dbp_text_ps_header(t->out);
	if (!v->tree) {
		for (size_t i = 0; i < v->t->n; i++)
			ps_line(t, v, &v->t->procs[i], 0);
		return;
	}
	{
		unsigned char *seen = calloc(v->t->n ? v->t->n : 1, 1);
		struct kids k = { NULL, NULL };
		size_t cyc = 0;

		if (!seen || kids_build(v->t, &k) < 0) {
			fprintf(t->out, "(out of memory)\n");
			free(seen);
			free(k.start);
			free(k.idx);
			return;
		}
		for (size_t i = 0; i < v->t->n; i++) {
			const struct dbp_proc *p = &v->t->procs[i];

			/* a root: its parent is not in the table */
			if (p->ppid == p->pid || !dbp_table_find(v->t, p->ppid))
				tree_walk(t, v, p, 0, seen, &k);
		}
		/* what no root reached stands in a PPID cycle: shown, and said */
		for (size_t i = 0; i < v->t->n; i++)
			if (!seen[i]) {
				if (!cyc++)
					fprintf(t->out, "(in a cycle of parent PIDs, which no "
						"real process table holds: the recording is "
						"damaged or forged)\n");
				tree_walk(t, v, &v->t->procs[i], 0, seen, &k);
			}
		free(seen);
		free(k.start);
		free(k.idx);
	}
}

static struct json_object *at_json(const struct at_view *v)
{
	struct json_object *o = json_object_new_object(), *ps = json_object_new_array();

	json_object_object_add(o, "at", pm_json_time(v->when));
	json_object_object_add(o, "sample_time", pm_json_time(v->sample_t));
	for (size_t i = 0; i < v->t->n; i++)
		json_object_array_add(ps, pm_proc_json_full(v->t, &v->t->procs[i]));
	json_object_object_add(o, "processes", ps);
	if (v->sp)
		json_object_object_add(o, "stop_outcome",
				       json_object_new_string(dbp_outcome_name(v->sp->outcome)));
	return o;
}

int pm_run_at(struct pm_ctx *c, const struct pm_opts *o, struct dbp_report *r)
{
	struct dbp_table t;
	struct at_view v = { c, 0, 0, &t, NULL, NULL, o->tree };
	struct dbp_signals_input in;
	struct dbp_pid1_facts f1, f2;
	struct dbp_stop_path sp[DBP_STOP_MAX];
	size_t nsp;
	double slack = 2 * (c->rec.interval > 0 ? c->rec.interval : 1);
	char a[32], b[32];
	long s;
	int rc;

	if (pm_when(c, "--at", o->at, &v.when) < 0)
		return DBP_EXIT_UNKNOWN;
	if (v.when < c->first_t || v.when > c->last_t + slack) {
		char z[32];

		warnx("%s UTC is outside the recording, which runs from %s to %s UTC",
		      dbp_time_format(v.when, a, sizeof(a)), dbp_time_format(c->first_t, b, sizeof(b)),
		      dbp_time_format(c->last_t, z, sizeof(z)));
		return DBP_EXIT_UNKNOWN;
	}
	{
		struct dbp_rec_query q = { 0 };

		q.from = q.to = v.when;
		if (pm_replay(c, &q) < 0)
			return DBP_EXIT_UNKNOWN;
	}
	s = dbp_recording_sample_at(&c->rec, v.when);
	if (s < 0) {
		warnx("no sample at or before %s UTC", dbp_time_format(v.when, a, sizeof(a)));
		return DBP_EXIT_UNKNOWN;
	}
	dbp_rules_postmortem_recording(&c->rec, c->now, r);
	if (pm_crash_verdict(c, r, 1) < 0)
		return DBP_EXIT_UNKNOWN;
	v.sample_t = c->rec.samples[s];
	dbp_table_init(&t);
	if (dbp_recording_table(&c->rec, v.sample_t, &t) < 0) {
		dbp_table_free(&t);
		warnx("out of memory");
		return DBP_EXIT_UNKNOWN;
	}
	if (o->check) {
		/* as the live commands judge, with what a recording cannot know
		 * left at its default: no hidepid, no TINI_KILL_PROCESS_GROUP;
		 * the grace period is --grace's */
		memset(&in, 0, sizeof(in));
		in.pid1.stop_signal = c->g->stop_signal;
		in.pid1.stop_signal_given = c->g->stop_signal_given;
		in.pid1.recorded = 1;
		in.grace = c->g->grace;
		dbp_rules_pid1(&t, &in.pid1, r, &f1);
		dbp_rules_signals(&t, &in, r, &f2, sp, &nsp, NULL, 0);
		v.f = &f1;
		v.sp = &sp[0];
	}
	rc = dbp_emit_report(r, c->g->format == DBP_FORMAT_JSON ? at_json(&v) : NULL, at_text, &v,
			     c->g);
	dbp_table_free(&t);
	return rc;
}

