/*
 * overcommit rules.
 *
 * vm.overcommit_memory: 0 lets the kernel refuse only allocations that
 * obviously cannot be met, 1 never refuses, 2 refuses once Committed_AS
 * would pass CommitLimit. Only in mode 2 does a database see a failed
 * malloc() instead of the OOM killer: PostgreSQL then cancels one query
 * ("out of memory") where a backend killed by the OOM killer makes the
 * postmaster restart every session. There is no per-cgroup overcommit
 * accounting, so inside a memory cgroup even mode 2 leaves the cgroup's
 * OOM killer in charge. /proc/sys/vm is the node's: a container cannot
 * change it, so every advice names the node, the kubelet or the runtime.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "rules_overcommit.h"

static const char *const profiles[] = {
	[DBP_PROFILE_GENERIC] = "generic",
	[DBP_PROFILE_POSTGRES] = "postgres",
	[DBP_PROFILE_REDIS] = "redis",
	[DBP_PROFILE_MONGODB] = "mongodb",
	[DBP_PROFILE_MYSQL] = "mysql",
};

const char *dbp_profile_name(enum dbp_profile p)
{
	return (size_t)p < sizeof(profiles) / sizeof(profiles[0]) ? profiles[p] : "generic";
}

int dbp_profile_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(name, profiles[i]))
			return (int)i;
	return -EINVAL;
}

enum dbp_profile dbp_profile_detect(const struct dbp_table *t, pid_t *pid)
{
	*pid = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		struct dbp_class c;

		if (p->state == 'Z' || p->kthread)
			continue;
		dbp_classify(p, &c);
		if (c.kind != DBP_KIND_DATABASE)
			continue;
		*pid = p->pid;
		switch (c.db) {
		case DBP_DB_POSTGRES: return DBP_PROFILE_POSTGRES;
		case DBP_DB_REDIS: return DBP_PROFILE_REDIS;
		case DBP_DB_MONGODB: return DBP_PROFILE_MONGODB;
		case DBP_DB_MYSQL: return DBP_PROFILE_MYSQL;
		case DBP_DB_NONE: break;
		}
		*pid = 0;
	}
	return DBP_PROFILE_GENERIC;
}

#define NODE_LEVER "/proc/sys/vm belongs to the node, not the container: set it " \
	"on the node (sysctl.d, or the node image), not in the pod; the kubelet " \
	"sets vm.overcommit_memory=1 and vm.panic_on_oom=0 at start unless " \
	"protectKernelDefaults is true, in which case it refuses to start when " \
	"they differ from what it expects"

static void rule_mode(const struct dbp_overcommit_input *in, struct dbp_report *r)
{
	const struct dbp_vm *vm = in->vm;
	struct dbp_finding *x;
	int mode = vm->overcommit_memory;

	if (!(vm->have & DBP_VM_OVERCOMMIT))
		return;
	if (in->profile == DBP_PROFILE_POSTGRES && mode == 1 && in->kubelet) {
		/* the kubelet sets 1 at every start (and refuses to start with
		 * protectKernelDefaults when it differs): mode 2 is not the
		 * node's to give, and a warning nothing on the node can clear
		 * would be ignored everywhere. What protects the database here
		 * is the pod's memory. */
		x = dbp_report_add(r, "DBC401", DBP_INFO, 0,
			"vm.overcommit_memory is 1, as the kubelet sets it on every node it "
			"runs: an allocation PostgreSQL cannot get is not refused but ends in "
			"the OOM killer. Mode 2, which PostgreSQL's documentation asks for, "
			"is not available on a Kubernetes node: the kubelet sets 1 again at "
			"its start.");
		dbp_finding_advise(x, "keep the database inside its pod's memory: requests "
			"equal to limits (Guaranteed QoS, so the OOM killer takes it last on "
			"the node), and shared_buffers plus max_connections times work_mem "
			"(and maintenance_work_mem) well below the limit; pooling (PgBouncer) "
			"keeps max_connections low.");
	} else if (in->profile == DBP_PROFILE_POSTGRES && mode != 2) {
		x = dbp_report_add(r, "DBC401", DBP_WARNING, 0,
			"vm.overcommit_memory is %d (%s): an allocation PostgreSQL cannot get "
			"is not refused but ends in the OOM killer, which takes a backend "
			"(every session is then terminated and crash recovery runs) or the "
			"postmaster. PostgreSQL's documentation asks for 2.", mode,
			mode == 1 ? "always overcommit, what the kubelet sets" :
			"the kernel's heuristic, the default");
		dbp_finding_advise(x, "set vm.overcommit_memory=2 (and overcommit_ratio so "
			"that CommitLimit covers the database) on a node reserved for "
			"databases; " NODE_LEVER ".");
	} else if (in->profile == DBP_PROFILE_REDIS && mode != 1) {
		x = dbp_report_add(r, "DBC401", DBP_WARNING, 0,
			"vm.overcommit_memory is %d: Redis wants 1 (its own startup warning): "
			"the fork() of BGSAVE and AOF rewrites can fail under %s, and "
			"persistence stops.", mode, mode == 2 ? "strict accounting" :
			"the heuristic on a busy node");
		dbp_finding_advise(x, "set vm.overcommit_memory=1 on the node; " NODE_LEVER ".");
	}
}

static void rule_commit(const struct dbp_overcommit_input *in, struct dbp_report *r)
{
	const struct dbp_vm *vm = in->vm;
	const struct dbp_meminfo *mi = in->mi;
	struct dbp_finding *x;
	uint64_t limit, huge, ram;

	if (!mi || !(vm->have & DBP_VM_OVERCOMMIT) || vm->overcommit_memory != 2 ||
	    !(vm->have & (DBP_VM_RATIO | DBP_VM_KBYTES)))
		return;
	limit = dbp_commit_limit_kb(mi, vm);
	huge = dbp_meminfo_hugetlb_kb(mi);
	ram = mi->mem_total > huge ? mi->mem_total - huge : 0;
	if (in->profile != DBP_PROFILE_GENERIC && ram && limit * 4 < ram * 3) {
		x = dbp_report_add(r, "DBC402", DBP_WARNING, 0,
			"In mode 2 CommitLimit is %" PRIu64 " MiB, %.0f%% of the %" PRIu64
			" MiB of RAM outside huge pages (%s): allocations fail while much of "
			"the memory is free.", limit / 1024, 100.0 * (double)limit / (double)ram,
			ram / 1024, vm->overcommit_kbytes ? "vm.overcommit_kbytes" :
			"vm.overcommit_ratio plus swap");
		dbp_finding_advise(x, "raise vm.overcommit_ratio (80 to 100 on a node "
			"reserved for the database, less what other processes need) or "
			"vm.overcommit_kbytes; " NODE_LEVER ".");
	}
	if ((mi->have & DBP_MI_COMMITTED) && limit) {
		double pct = 100.0 * (double)mi->committed_as / (double)limit;

		if (pct >= 80) {
			x = dbp_report_add(r, "DBC403", pct >= 90 ? DBP_CRITICAL : DBP_WARNING, 0,
				"Committed_AS is %.0f%% of CommitLimit (%" PRIu64 " of %" PRIu64
				" MiB): in mode 2 the next allocations past it fail (PostgreSQL: "
				"ERROR: out of memory; fork() of new connections fails).", pct,
				mi->committed_as / 1024, limit / 1024);
			dbp_finding_advise(x, "lower what the processes reserve (max_connections, "
				"work_mem, shared_buffers) or raise the CommitLimit; " NODE_LEVER ".");
		}
	}
}

static void rule_cgroup(const struct dbp_overcommit_input *in, struct dbp_report *r)
{
	const struct dbp_cgroup_mem *cg = in->cg;
	struct dbp_finding *x;
	uint64_t limit;
	int strict = (in->vm->have & DBP_VM_OVERCOMMIT) && in->vm->overcommit_memory == 2;
	char b[32];

	if (!cg || !cg->version || !(cg->have & DBP_CG_LIMIT) || cg->limit == DBP_CG_UNLIMITED ||
	    !in->mi || !(in->vm->have & (DBP_VM_RATIO | DBP_VM_KBYTES)))
		return;
	limit = dbp_commit_limit_kb(in->mi, in->vm);
	if (cg->limit / 1024 >= limit)
		return;
	x = dbp_report_add(r, "DBC404", strict ? DBP_WARNING : DBP_INFO, 0,
		"The container's memory limit (%s) is below the node's CommitLimit "
		"(%" PRIu64 " MiB): the kernel has no overcommit accounting per cgroup, so "
		"%sthe cgroup's OOM killer acts before an allocation is refused.",
		dbp_cgroup_bytes(cg->limit, b, sizeof(b)), limit / 1024,
		strict ? "even in mode 2 " : "");
	dbp_finding_advise(x, "size the database's memory settings to the container's "
		"limit, not to the node, and alert on the working set "
		"(dbpod oomscore -w/-c); mode 2 protects only against the node running out.");
}

static void rule_thp(const struct dbp_overcommit_input *in, struct dbp_report *r)
{
	const struct dbp_vm *vm = in->vm;
	struct dbp_finding *x;
	int always;

	if (!(vm->have & DBP_VM_THP))
		return;
	always = !strcmp(vm->thp_enabled, "always");
	switch (in->profile) {
	case DBP_PROFILE_POSTGRES:
	case DBP_PROFILE_REDIS:
		if (!always)
			return;
		x = dbp_report_add(r, "DBC405", DBP_WARNING, 0,
			"Transparent huge pages are 'always': %s", in->profile == DBP_PROFILE_REDIS ?
			"Redis warns at startup: latency spikes, and memory use grows after "
			"fork() as copy-on-write copies 2 MiB pages." :
			"PostgreSQL's backends fault huge pages in and out of shared memory "
			"and compaction stalls them; PostgreSQL uses explicit huge pages "
			"(huge_pages = try/on) instead.");
		dbp_finding_advise(x, "set transparent_hugepage=madvise (or never) on the "
			"node's kernel command line or /sys/kernel/mm/transparent_hugepage/enabled; "
			"a container cannot change it.");
		return;
	case DBP_PROFILE_MONGODB:
		x = dbp_report_add(r, "DBC405", DBP_INFO, 0,
			"Transparent huge pages are '%s': MongoDB before 8.0 asks for 'never'; "
			"8.0 and later (the upgraded TCMalloc) ask for 'always'.", vm->thp_enabled);
		dbp_finding_advise(x, "match the node's setting to the MongoDB version; "
			"the setting belongs to the node.");
		return;
	case DBP_PROFILE_MYSQL:
	case DBP_PROFILE_GENERIC:
		return;
	}
}

static void rule_swappiness_panic(const struct dbp_overcommit_input *in, struct dbp_report *r)
{
	const struct dbp_vm *vm = in->vm;
	struct dbp_finding *x;

	if (in->profile == DBP_PROFILE_MONGODB && (vm->have & DBP_VM_SWAPPINESS) &&
	    vm->swappiness > 1) {
		x = dbp_report_add(r, "DBC406", DBP_WARNING, 0,
			"vm.swappiness is %d: MongoDB's production notes ask for 0 or 1 so "
			"that the WiredTiger cache is not swapped out.", vm->swappiness);
		dbp_finding_advise(x, "set vm.swappiness=1 on the node; " NODE_LEVER ".");
	}
	if ((vm->have & DBP_VM_PANIC) && vm->panic_on_oom) {
		x = dbp_report_add(r, "DBC407", DBP_WARNING, 0,
			"vm.panic_on_oom is %d: %s panics the kernel (and reboots the node, "
			"every pod with it) instead of killing one process.", vm->panic_on_oom,
			vm->panic_on_oom == 2 ? "any OOM, a cgroup's included," :
			"an OOM of the whole node");
		dbp_finding_advise(x, "set vm.panic_on_oom=0 unless a node panic is what "
			"the cluster wants; " NODE_LEVER ".");
	}
}

void dbp_rules_overcommit(const struct dbp_overcommit_input *in, struct dbp_report *r)
{
	struct dbp_finding *x;

	if (!in->mi && !in->vm->have) {
		x = dbp_report_add(r, "DBC400", DBP_UNKNOWN, 0,
			"Neither /proc/meminfo nor /proc/sys/vm could be read: nothing to judge.");
		dbp_finding_advise(x, "run dbpod where /proc is mounted, or point --root at "
			"a tree that holds those files.");
		return;
	}

	if (in->profile_unseen) {
		x = dbp_report_add(r, "DBC408", DBP_UNKNOWN, 0,
			"Which database runs here cannot be seen: /proc is mounted with "
			"hidepid= and hides the processes of other users from dbpod. The "
			"settings are judged for the generic profile only; what the "
			"database needs of them is not judged.");
		dbp_finding_advise(x, "give --profile=postgres (or redis, mongodb, mysql), "
			"or run dbpod as root or as a member of the group that the /proc "
			"mount's gid= option names.");
	}

	for (size_t i = 0; i < in->vm->nerrors; i++) {
		x = dbp_report_add(r, "DBC400", DBP_INFO, 0,
			"%s could not be read: %s; the rest is judged without it.",
			in->vm->errors[i].file, in->vm->errors[i].err == -EINVAL ?
			"it does not hold what the kernel writes there" :
			strerror(-in->vm->errors[i].err));
		dbp_finding_advise(x, "with --root or DBPOD_ROOT, check the tree given; "
			"otherwise check that /proc and /sys are mounted.");
	}
	if (!in->mi) {
		x = dbp_report_add(r, "DBC400", DBP_INFO, 0,
			"/proc/meminfo could not be read: CommitLimit and Committed_AS are "
			"not judged.");
		dbp_finding_advise(x, "check that /proc is mounted (with --root, that "
			"ROOT/proc/meminfo exists and holds MemTotal).");
	}
	rule_mode(in, r);
	rule_commit(in, r);
	rule_cgroup(in, r);
	rule_thp(in, r);
	rule_swappiness_panic(in, r);
}
