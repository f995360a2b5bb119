/*
 * oom_score_adj as others set it: the Kubernetes QoS class the kubelet
 * writes into it, and what PostgreSQL's postmaster is told to write into
 * its children's. A model: the oomscore rules judge these, lint reads a
 * pod's class from its manifest, node mode from its cgroup path, and
 * procenv reads PostgreSQL's variables.
 */
#ifndef DBPOD_QOS_H
#define DBPOD_QOS_H

#include <stdint.h>

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
 * PG_OOM_ADJUST_VALUE from the postmaster's environment
 * (dbp_pg_oom_env_read, procenv.h). */
struct dbp_pg_oom_env {
	int rc;			/* 0 read; -EACCES etc.: the environment not readable */
	int file_set, value_set;
	char file[128];
	char value[16];
};

#endif
