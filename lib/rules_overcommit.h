/*
 * overcommit rules: memory overcommit and the kernel's memory settings,
 * judged for the database that runs: whether memory running short ends
 * in a failed malloc() (one query cancelled) or in the OOM killer (a
 * killed backend restarts every session).
 *
 * Finding ids (documented in dbpod-overcommit(1); never reuse one):
 *   DBC400 info/unknown  a setting could not be read
 *   DBC401 warning       vm.overcommit_memory is not what the profile wants;
 *          info          PostgreSQL at 1 on a Kubernetes node (the kubelet's)
 *   DBC402 warning       mode 2 leaves the database too little (ratio/kbytes)
 *   DBC403 crit/warn     Committed_AS near CommitLimit in mode 2
 *   DBC404 warning/info  the cgroup limit is below CommitLimit
 *   DBC405 warning/info  transparent huge pages not as the profile wants
 *   DBC406 warning       vm.swappiness not as the profile wants
 *   DBC407 warning       vm.panic_on_oom: an OOM panics the node
 */
#ifndef DBPOD_RULES_OVERCOMMIT_H
#define DBPOD_RULES_OVERCOMMIT_H

#include "cgroup.h"
#include "meminfo.h"
#include "proctable.h"
#include "report.h"

enum dbp_profile {
	DBP_PROFILE_GENERIC = 0,
	DBP_PROFILE_POSTGRES,
	DBP_PROFILE_REDIS,
	DBP_PROFILE_MONGODB,
	DBP_PROFILE_MYSQL,
};

const char *dbp_profile_name(enum dbp_profile p);	/* "postgres", ... */
/* A profile's name back to the profile. Returns the profile, or -EINVAL
 * for an unknown name. */
int dbp_profile_parse(const char *name);

/* The profile of the first database server in t (by PID), generic when
 * none runs; *pid gets its PID (0 for none). */
enum dbp_profile dbp_profile_detect(const struct dbp_table *t, pid_t *pid);

struct dbp_overcommit_input {
	enum dbp_profile profile;
	const struct dbp_meminfo *mi;		/* NULL: /proc/meminfo not read */
	const struct dbp_vm *vm;
	const struct dbp_cgroup_mem *cg;	/* NULL: not read */
	int profile_unseen;			/* the profile was to be detected, but
						 * /proc hides other users' processes:
						 * generic only for want of sight */
	int kubelet;				/* a Kubernetes node: the database is in
						 * a pod (its cgroup, or
						 * KUBERNETES_SERVICE_HOST), and the
						 * kubelet sets vm.overcommit_memory=1 at
						 * its start */
};

/* With neither meminfo nor any vm setting read there is nothing to
 * judge: DBC400, unknown, alone. */
void dbp_rules_overcommit(const struct dbp_overcommit_input *in, struct dbp_report *r);

#endif
