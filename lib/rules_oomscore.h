/*
 * oomscore rules: who the OOM killer takes first, what Kubernetes QoS the
 * numbers imply, and whether the container's cgroup has already killed:
 * a backend the OOM killer takes makes the postmaster restart every
 * session, and the postmaster taken is the server gone.
 *
 * Finding ids (documented in dbpod-oomscore(1); never reuse one):
 *   DBO300 unknown/info  a process asked for is not there, or its OOM values not readable
 *   DBO301 info          part of the cgroup memory picture could not be read
 *   DBO302 critical      OOM kills already recorded in this cgroup
 *   DBO303 warning/info  the memory limit was hit (v2 oom events, v1 failcnt)
 *   DBO304 crit/warn     working set over -c / -w percent of the limit
 *   DBO305 warning       the postmaster is no better protected than its children
 *   DBO306 warning       negative postmaster adj inherited: PG_OOM_ADJUST_* missing
 *   DBO307 crit/warn     a database server in BestEffort or high Burstable QoS
 *   DBO308 warning       memory.oom.group = 1: one OOM kill takes the whole container
 *   DBO309 info          no memory limit, or no memory controller
 */
#ifndef DBPOD_RULES_OOMSCORE_H
#define DBPOD_RULES_OOMSCORE_H

#include <stdint.h>

#include "cgroup.h"
#include "proctable.h"
#include "report.h"

/* Kubernetes QoS read back from an oom_score_adj the kubelet set. */
enum dbp_qos {
	DBP_QOS_NONE = 0,	/* no value the kubelet sets (0: not in a pod, or set by hand) */
	DBP_QOS_GUARANTEED,	/* -997 (-998 before Kubernetes 1.20) */
	DBP_QOS_BURSTABLE,	/* 2..999: 1000 - 1000 * request / node memory */
	DBP_QOS_BESTEFFORT,	/* 1000 */
	DBP_QOS_NODE,		/* -999: the kubelet and the container runtime */
	DBP_QOS_NEVER,		/* -1000: the OOM killer never takes it (set by hand) */
};

enum dbp_qos dbp_qos_from_adj(int adj);
const char *dbp_qos_name(enum dbp_qos q);	/* "Guaranteed", "Burstable", ... */

/* The memory request a Burstable adj implies against the node's memory
 * (bytes): (1000 - adj) / 1000 of it. 0 when adj is not Burstable or the
 * node's memory is unknown. */
uint64_t dbp_qos_request(int adj, uint64_t mem_total);

/* What PostgreSQL's fork_process() reads: PG_OOM_ADJUST_FILE and
 * PG_OOM_ADJUST_VALUE from the postmaster's environment. */
struct dbp_pg_oom_env {
	int rc;			/* 0 read; -EACCES etc.: the environment not readable */
	int file_set, value_set;
	char file[128];
	char value[16];
};

struct dbp_oom_input {
	const struct dbp_cgroup_mem *cg;	/* NULL: not read */
	int cg_err;				/* why not (negative errno), when cg is NULL */
	uint64_t mem_total;			/* the node's memory, bytes (MemTotal); 0 unknown */
	double warn_pct, crit_pct;		/* -w, -c: working set against the limit */
	pid_t postmaster;			/* dbp_postmaster_find's; 0 none */
	const struct dbp_pg_oom_env *pg_env;	/* the postmaster's, or NULL */
	const pid_t *only;			/* judge only these PIDs' processes (NULL: all) */
	size_t nonly;
	int partial;				/* /proc hides other users' processes from
						 * dbpod (dbp_proc_view_partial) */
};

/* The Kubernetes QoS as one process's oom_score_adj implies it. */
struct dbp_qos_reading {
	pid_t pid;			/* whose adj; 0 when none could be read */
	int adj;
	enum dbp_qos qos;
};

/* Whose adj tells the container's QoS: the database server when there is
 * one (postmaster, else the first database process that is not a zombie;
 * its adj is the container's unless set by hand), else PID 1. q->pid is 0
 * when that process's OOM values are not readable. */
void dbp_oom_qos_source(const struct dbp_table *t, pid_t postmaster,
			struct dbp_qos_reading *q);

/* Indices of t's user-space processes (no kernel threads, no zombies) in
 * the order the OOM killer would take them: highest oom_score first, then
 * the larger RSS. Returns how many were written to idx (at most max). */
size_t dbp_oom_order(const struct dbp_table *t, size_t *idx, size_t max);

/* Working set in percent of the limit; negative when there is no limit or
 * usage is unknown. */
double dbp_oom_working_pct(const struct dbp_cgroup_mem *cg);

/* t NULL: the process table could not be read; with no cgroup either
 * (in->cg NULL) there is nothing to judge: DBO301, unknown, alone. */
void dbp_rules_oomscore(const struct dbp_table *t, const struct dbp_oom_input *in,
			struct dbp_report *r);

#endif
