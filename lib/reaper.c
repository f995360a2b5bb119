/*
 * Who reaps a process, now and once its parent is gone (reaper.h): the
 * question a long-running dbpod asks about itself before it starts.
 */
#include "config.h"

#include <string.h>

#include "classify.h"
#include "reaper.h"

static enum dbp_kind kind_of(const struct dbp_proc *p)
{
	struct dbp_class c;

	dbp_classify(p, &c);
	return c.kind;
}

enum dbp_reaper_verdict dbp_reaper_find(const struct dbp_table *t, pid_t pid,
					struct dbp_reaper *r)
{
	const struct dbp_proc *p, *pid1;

	memset(r, 0, sizeof(*r));
	r->self = p = dbp_table_find(t, pid);
	if (!p) {
		r->missing = pid;
		return r->verdict = DBP_REAPER_UNKNOWN;
	}
	if (p->pid == 1) {
		r->why = DBP_REAPER_IS_PID1;
		return r->verdict = DBP_REAPER_SAFE;
	}
	/* up the parents inside the namespace; at most one step a process,
	 * which also ends a loop of a table read while PIDs were reused */
	for (size_t steps = 0; p->ppid != 0 && steps < t->n; steps++) {
		const struct dbp_proc *up = dbp_table_find(t, p->ppid);

		if (!up) {
			r->missing = p->ppid;
			return r->verdict = DBP_REAPER_UNKNOWN;
		}
		if (!r->parent)
			r->parent = up;
		if (kind_of(up) == DBP_KIND_DATABASE) {
			/* its children's deaths are what a server reacts to,
			 * and whatever leaves dbpod orphaned below it leaves it
			 * to the server or to the namespace it runs */
			r->server = up;
			return r->verdict = DBP_REAPER_CHILD;
		}
		r->top = up;
		p = up;
	}
	if (p->ppid != 0) {
		/* a loop of parents: a table read while PIDs were reused */
		r->missing = p->ppid;
		return r->verdict = DBP_REAPER_UNKNOWN;
	}
	if (!r->parent) {
		/* PPID 0: started from outside the namespace (kubectl exec,
		 * docker exec, nsenter); orphaned, it goes to the runtime's
		 * subreaper or init out there */
		r->why = DBP_REAPER_OUTSIDE;
		return r->verdict = DBP_REAPER_SAFE;
	}
	/* the chain ends at PID 1 (no server, or it would be CHILD) or at
	 * an ancestor entered from outside, whose exit leaves everything
	 * below it to PID 1 -- an init in between too (reaper.h) */
	pid1 = r->top && r->top->pid == 1 ? r->top : dbp_table_find(t, 1);
	if (!pid1) {
		r->missing = 1;
		return r->verdict = DBP_REAPER_UNKNOWN;
	}
	if (kind_of(pid1) == DBP_KIND_DATABASE) {
		r->server = pid1;
		return r->verdict = DBP_REAPER_ORPHAN;
	}
	r->why = DBP_REAPER_PID1_OK;
	return r->verdict = DBP_REAPER_SAFE;
}
