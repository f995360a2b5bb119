/*
 * oomscore rules.
 *
 * The kernel's badness (mm/oom_kill.c oom_badness): the pages a process
 * holds (RSS, page tables, swap) plus oom_score_adj * (memory it may use)
 * / 1000, shown in /proc/PID/oom_score scaled to 0..2000; the highest goes
 * first, within the cgroup whose limit was hit or the whole node. An adj
 * of -1000 exempts a process. Kubernetes writes its QoS into the adj of
 * every container's first process, and children inherit it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "rules_oomscore.h"

void dbp_oom_qos_source(const struct dbp_table *t, pid_t postmaster,
			struct dbp_qos_reading *q)
{
	const struct dbp_proc *src = dbp_table_db_process(t, postmaster);

	memset(q, 0, sizeof(*q));
	if (src && (src->have & DBP_HAVE_OOM)) {
		q->pid = src->pid;
		q->adj = src->oom_adj;
		q->qos = dbp_qos_from_adj(src->oom_adj);
	}
}

static const struct dbp_table *sort_table;

static int by_kill_order(const void *a, const void *b)
{
	const struct dbp_proc *p = &sort_table->procs[*(const size_t *)a];
	const struct dbp_proc *q = &sort_table->procs[*(const size_t *)b];
	int ph = !!(p->have & DBP_HAVE_OOM), qh = !!(q->have & DBP_HAVE_OOM);

	if (ph != qh)
		return qh - ph;		/* unreadable ones last */
	if (p->oom_score != q->oom_score)
		return q->oom_score > p->oom_score ? 1 : -1;
	if (p->rss_kb != q->rss_kb)
		return q->rss_kb > p->rss_kb ? 1 : -1;
	return p->pid < q->pid ? -1 : p->pid > q->pid;
}

size_t dbp_oom_order(const struct dbp_table *t, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n && n < max; i++)
		if (!t->procs[i].kthread && t->procs[i].state != 'Z')
			idx[n++] = i;
	sort_table = t;
	if (n > 1)
		qsort(idx, n, sizeof(*idx), by_kill_order);
	sort_table = NULL;
	return n;
}

double dbp_oom_working_pct(const struct dbp_cgroup_mem *cg)
{
	if (!cg || !(cg->have & DBP_CG_LIMIT) || !(cg->have & DBP_CG_USAGE) ||
	    cg->limit == DBP_CG_UNLIMITED || cg->limit == 0)
		return -1;
	return 100.0 * (double)dbp_cgroup_working_set(cg) / (double)cg->limit;
}

static void rules_cgroup(const struct dbp_oom_input *in, struct dbp_report *r)
{
	const struct dbp_cgroup_mem *cg = in->cg;
	struct dbp_finding *x;
	char b1[32], b2[32];
	double pct;

	if (!cg) {
		x = dbp_report_add(r, "DBO301", DBP_INFO, 0,
			"The cgroup of this process could not be found in /proc/self/cgroup "
			"(%s), so the container's memory limit and OOM events are not judged.",
			strerror(-in->cg_err));
		dbp_finding_advise(x, "check that /proc is mounted; with --root, that "
			"ROOT/proc/self/cgroup exists.");
		return;
	}
	for (size_t i = 0; i < cg->nerrors; i++) {
		x = dbp_report_add(r, "DBO301", DBP_INFO, 0,
			"%s of the cgroup (%s) could not be read: %s; the rest is judged without it.",
			cg->errors[i].file, cg->dir, cg->errors[i].err == -EINVAL ?
			"it does not hold what the kernel writes there" : strerror(-cg->errors[i].err));
		if (cg->errors[i].err == -EINVAL)
			dbp_finding_advise(x, "with --root or DBPOD_ROOT, check the file in the "
				"tree given; on a live system, compare it with cgroups(7).");
		else
			dbp_finding_advise(x, "run dbpod as root or as the database's user, and "
				"check that the cgroup file system is mounted into the container "
				"(runc mounts it read-only at /sys/fs/cgroup).");
	}
	if (cg->version == 0 && cg->unmounted) {
		x = dbp_report_add(r, "DBO309", DBP_UNKNOWN, 0,
			"The memory limit cannot be read: this process is in a cgroup "
			"(/proc/self/cgroup names one), but no cgroup file system is "
			"mounted at /sys/fs/cgroup here, so whether a container memory "
			"limit applies, and how close the database is to it, cannot be "
			"told.");
		dbp_finding_advise(x, "run dbpod on the node (`dbpod doctor "
			"--all-containers` reads the host's hierarchy at the container's "
			"path), or mount the cgroup file system read-only into the container "
			"(docker, podman and Kubernetes do; ctr's default spec does not).");
		return;
	}
	if (cg->version == 0) {
		dbp_report_add(r, "DBO309", DBP_INFO, 0,
			"No cgroup memory controller is mounted for this process: no "
			"container memory limit applies, only the node's memory and its "
			"OOM killer.");
		return;
	}
	if ((cg->have & DBP_CG_LIMIT) && cg->limit == DBP_CG_UNLIMITED) {
		x = dbp_report_add(r, "DBO309", DBP_INFO, 0,
			"The cgroup %s has no memory limit (cgroup v%d): the cgroup OOM "
			"killer does not act; under node memory pressure the node's OOM "
			"killer picks by oom_score among all the node's processes.",
			cg->path, cg->version);
	}
	if (((cg->have & DBP_CG_OOM_KILL) && cg->oom_kill) ||
	    ((cg->have & DBP_CG_GROUP_KILL) && cg->oom_group_kill)) {
		b1[0] = '\0';
		if (cg->have & DBP_CG_GROUP_KILL)
			snprintf(b1, sizeof(b1), ", oom_group_kill %" PRIu64, cg->oom_group_kill);
		x = dbp_report_add(r, "DBO302", DBP_CRITICAL, 0,
			"The OOM killer has already killed in this cgroup: oom_kill %" PRIu64
			"%s (%s, counted since the cgroup was created).", cg->oom_kill, b1,
			cg->version == 2 ? "memory.events" : "memory.oom_control");
		dbp_finding_advise(x, "find the victim in the kernel log (`dmesg | grep -i "
			"'killed process'`, or kubectl describe pod: OOMKilled) and in the "
			"database log (PostgreSQL: 'terminated by signal 9: Killed', then "
			"crash recovery); raise the memory limit or lower the database's "
			"memory settings (shared_buffers, work_mem x connections).");
	} else if (cg->version == 2 && (cg->have & DBP_CG_OOM) && cg->oom) {
		x = dbp_report_add(r, "DBO303", DBP_WARNING, 0,
			"The cgroup hit its memory limit and reclaim failed %" PRIu64
			" time%s (memory.events oom) without an OOM kill.", cg->oom,
			cg->oom == 1 ? "" : "s");
		dbp_finding_advise(x, "the next time the OOM killer may act: give the "
			"container more memory or the database less.");
	} else if (cg->version == 1 && (cg->have & DBP_CG_FAILCNT) && cg->failcnt) {
		dbp_report_add(r, "DBO303", DBP_INFO, 0,
			"Usage reached the memory limit %" PRIu64 " time%s (memory.failcnt); "
			"the kernel reclaimed cache each time, no OOM kill is recorded.",
			cg->failcnt, cg->failcnt == 1 ? "" : "s");
	}
	pct = dbp_oom_working_pct(cg);
	if (pct >= 0 && (pct >= in->crit_pct || pct >= in->warn_pct)) {
		int crit = pct >= in->crit_pct;

		x = dbp_report_add(r, "DBO304", crit ? DBP_CRITICAL : DBP_WARNING, 0,
			"The working set is %.0f%% of the memory limit (%s of %s; over the "
			"%s threshold of %.0f%%): the kubelet evicts and the cgroup OOM "
			"killer kills by this number.", pct,
			dbp_cgroup_bytes(dbp_cgroup_working_set(cg), b1, sizeof(b1)),
			dbp_cgroup_bytes(cg->limit, b2, sizeof(b2)), crit ? "critical" : "warning",
			crit ? in->crit_pct : in->warn_pct);
		dbp_finding_advise(x, "raise the container's memory limit, or lower "
			"shared_buffers / work_mem / max_connections (PostgreSQL), "
			"maxmemory (Redis), the WiredTiger cache (MongoDB) or "
			"innodb_buffer_pool_size (MySQL).");
	}
	if ((cg->have & DBP_CG_OOM_GROUP) && cg->oom_group == 1) {
		x = dbp_report_add(r, "DBO308", DBP_WARNING, 0,
			"memory.oom.group is 1: when the OOM killer picks any process of "
			"this cgroup it kills all of them, the database server included. "
			"Kubernetes 1.28 and later set it for every container on cgroup v2.");
		dbp_finding_advise(x, "on Kubernetes 1.32 or later set the kubelet's "
			"singleProcessOOMKill: true so that only the victim dies; PostgreSQL "
			"then restarts its backends itself instead of the container restarting.");
	}
}

/* The processes of the database cluster under a server process: its
 * descendants that are database processes too. */
static void rules_postmaster(const struct dbp_table *t, const struct dbp_oom_input *in,
			     struct dbp_report *r)
{
	const struct dbp_proc *pm = in->postmaster ? dbp_table_find(t, in->postmaster) : NULL;
	const struct dbp_proc *low = NULL, *inherit = NULL;
	struct dbp_finding *x;

	if (!pm || !(pm->have & DBP_HAVE_OOM) ||
	    !dbp_pid_selected(in->only, in->nonly, pm->pid))
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];

		if (p->ppid != pm->pid || p->state == 'Z' || !(p->have & DBP_HAVE_OOM))
			continue;
		if (!low || p->oom_adj < low->oom_adj)
			low = p;
		if (p->oom_adj == pm->oom_adj && !inherit)
			inherit = p;
	}
	if (low && pm->oom_adj != -1000 && pm->oom_adj >= low->oom_adj) {
		x = dbp_report_add(r, "DBO305", DBP_WARNING, pm->pid,
			"The postmaster (PID %d, oom_score_adj %d, oom_score %d) is no better "
			"protected than its children (lowest adj %d, PID %d): the OOM killer "
			"may take it, and every session and the server with it.",
			(int)pm->pid, pm->oom_adj, pm->oom_score, low->oom_adj, (int)low->pid);
		dbp_finding_advise(x, "start the postmaster with oom_score_adj -1000 (needs "
			"CAP_SYS_RESOURCE: a privileged start script or init container) and "
			"set PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj and "
			"PG_OOM_ADJUST_VALUE=0 in its environment so that its children are "
			"the ones taken. In Kubernetes the adj comes from the QoS class; "
			"an unprivileged process cannot lower it.");
	}
	if (pm->oom_adj < 0 && inherit) {
		const struct dbp_pg_oom_env *e = in->pg_env;
		int missing = e && e->rc == 0 && !e->file_set;

		x = dbp_report_add(r, "DBO306", DBP_WARNING, pm->pid,
			"The postmaster's negative oom_score_adj %d is inherited by its "
			"children (PID %d has %d)%s: a runaway backend is as protected as the "
			"postmaster, so the OOM killer takes other processes first.",
			pm->oom_adj, (int)inherit->pid, inherit->oom_adj,
			missing ? "; PG_OOM_ADJUST_FILE is not set in its environment" :
			(e && e->rc == 0) ? "; PG_OOM_ADJUST_FILE is set but not in effect" :
			"; its environment could not be read");
		dbp_finding_advise(x, "set PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj "
			"and PG_OOM_ADJUST_VALUE=0 in the postmaster's environment (the "
			"container's env); PostgreSQL writes the value into each child it forks.");
	}
}

static void rules_qos(const struct dbp_table *t, const struct dbp_oom_input *in,
		      struct dbp_report *r)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i], *parent;
		struct dbp_class c, pc;
		enum dbp_qos q;
		struct dbp_finding *x;
		char b[32];

		if (p->state == 'Z' || p->kthread || !(p->have & DBP_HAVE_OOM) ||
		    !dbp_pid_selected(in->only, in->nonly, p->pid))
			continue;
		dbp_classify(p, &c);
		if (c.kind != DBP_KIND_DATABASE)
			continue;
		/* the server, not each of its children */
		parent = dbp_table_find(t, p->ppid);
		if (parent) {
			dbp_classify(parent, &pc);
			if (pc.db == c.db)
				continue;
		}
		q = dbp_qos_from_adj(p->oom_adj);
		if (q == DBP_QOS_BESTEFFORT) {
			x = dbp_report_add(r, "DBO307", DBP_CRITICAL, p->pid,
				"%s (PID %d) has oom_score_adj 1000, Kubernetes' BestEffort QoS: "
				"the first process the node's OOM killer takes, whatever it uses.",
				dbp_db_name(c.db), (int)p->pid);
			dbp_finding_advise(x, "give the container memory requests and limits, "
				"equal for Guaranteed QoS (adj -997).");
		} else if (q == DBP_QOS_BURSTABLE && p->oom_adj >= 500) {
			uint64_t req = dbp_qos_request(p->oom_adj, in->mem_total);

			if (req)
				snprintf(b, sizeof(b), "%.1f GiB", (double)req / (1 << 30));
			x = dbp_report_add(r, "DBO307", DBP_WARNING, p->pid,
				"%s (PID %d) has oom_score_adj %d, Kubernetes' Burstable QoS with "
				"a memory request of about %.1f%% of the node's memory%s%s%s: "
				"under node memory pressure it is taken before almost every "
				"other pod (a small request means a high adj).",
				dbp_db_name(c.db), (int)p->pid, p->oom_adj,
				(1000 - p->oom_adj) / 10.0, req ? " (" : "", req ? b : "",
				req ? ")" : "");
			dbp_finding_advise(x, "set the memory request equal to the limit "
				"(Guaranteed QoS, adj -997), or a request close to what the "
				"database uses; an unprivileged process cannot lower its own adj "
				"below where it started (oom_score_adj_min).");
		}
	}
}

/* The PIDs asked for that are not there to judge (DBO300). */
static void rules_asked(const struct dbp_table *t, const struct dbp_oom_input *in,
			struct dbp_report *r)
{
	size_t found = 0;
	enum dbp_severity gone;

	for (size_t k = 0; k < in->nonly; k++) {
		const struct dbp_proc *p = t ? dbp_table_find(t, in->only[k]) : NULL;

		found += p && p->state != 'Z' && !p->kthread;
	}
	/* the PIDs asked for are all gone and there is no cgroup to judge:
	 * nothing was judged */
	gone = in->nonly && !found && (!in->cg || !in->cg->version) ? DBP_UNKNOWN : DBP_INFO;
	for (size_t k = 0; k < in->nonly; k++) {
		pid_t pid = in->only[k];
		const struct dbp_proc *p = t ? dbp_table_find(t, pid) : NULL;
		struct dbp_finding *x;

		if (p && p->state != 'Z' && !p->kthread)
			continue;
		if (p)
			x = dbp_report_add(r, "DBO300", gone, pid,
				"PID %d is a %s: the OOM killer never takes it.", (int)pid,
				p->kthread ? "kernel thread" : "zombie");
		else if (in->partial)
			/* not "it exited": it may well run, hidden from us */
			x = dbp_report_add(r, "DBO300", DBP_UNKNOWN, pid,
				"PID %d is not visible: /proc is mounted with hidepid= and "
				"hides the processes of other users from dbpod, so whether it "
				"runs, and its oom_score, cannot be told.", (int)pid);
		else
			x = dbp_report_add(r, "DBO300", gone, pid,
				"There is no process %d in this PID namespace: it exited, or the "
				"PID is another namespace's (the host's, another container's).",
				(int)pid);
		if (in->partial && !p)
			dbp_finding_advise(x, "run dbpod as root or as the process's user, or "
				"as a member of the group that the /proc mount's gid= option names.");
		else
			dbp_finding_advise(x, "run `dbpod oomscore` without PIDs to see the "
				"processes of this namespace.");
	}
}

/* A table that holds only the reader's own processes is no kill order. */
static void rules_partial(const struct dbp_table *t, const struct dbp_oom_input *in,
			  struct dbp_report *r)
{
	struct dbp_finding *x;

	if (!in->partial || in->nonly)
		return;
	x = dbp_report_add(r, "DBO310", DBP_UNKNOWN, 0,
		"Only %zu process%s of this PID namespace %s visible: /proc is mounted "
		"with hidepid= and hides the processes of other users (the database's) "
		"from dbpod, so the kill order and the database's protection from the "
		"OOM killer are not judged.", t->n, t->n == 1 ? "" : "es",
		t->n == 1 ? "is" : "are");
	dbp_finding_advise(x, "run dbpod as root (`kubectl exec` runs as the container's "
		"user; `docker exec -u 0`, or `kubectl debug` with a root image), or as a "
		"member of the group that the /proc mount's gid= option names.");
}

void dbp_rules_oomscore(const struct dbp_table *t, const struct dbp_oom_input *in,
			struct dbp_report *r)
{
	if (!t && !in->cg) {
		struct dbp_finding *x = dbp_report_add(r, "DBO301", DBP_UNKNOWN, 0,
			"Neither the process table nor the cgroup could be read: nothing "
			"to judge.");

		dbp_finding_advise(x, "run dbpod inside the container, with /proc mounted.");
		return;
	}
	rules_asked(t, in, r);
	rules_cgroup(in, r);
	if (t) {
		rules_partial(t, in, r);
		rules_postmaster(t, in, r);
		rules_qos(t, in, r);
	}
}
