/*
 * The kubelet's QoS classes as oom_score_adj carries them.
 */
#include "config.h"

#include "qos.h"

enum dbp_qos dbp_qos_from_adj(int adj)
{
	if (adj == -997 || adj == -998)
		return DBP_QOS_GUARANTEED;
	if (adj == 1000)
		return DBP_QOS_BESTEFFORT;
	if (adj >= 2 && adj <= 999)
		return DBP_QOS_BURSTABLE;
	if (adj == -999)
		return DBP_QOS_NODE;
	if (adj == -1000)
		return DBP_QOS_NEVER;
	return DBP_QOS_NONE;
}

const char *dbp_qos_name(enum dbp_qos q)
{
	switch (q) {
	case DBP_QOS_GUARANTEED: return "Guaranteed";
	case DBP_QOS_BURSTABLE: return "Burstable";
	case DBP_QOS_BESTEFFORT: return "BestEffort";
	case DBP_QOS_NODE: return "node-critical";
	case DBP_QOS_NEVER: return "never-killed";
	case DBP_QOS_NONE: break;
	}
	return "none";
}

uint64_t dbp_qos_request(int adj, uint64_t mem_total)
{
	if (dbp_qos_from_adj(adj) != DBP_QOS_BURSTABLE || !mem_total)
		return 0;
	/* the kubelet: adj = 1000 - 1000 * request / capacity, clamped */
	return mem_total / 1000 * (uint64_t)(1000 - adj);
}
