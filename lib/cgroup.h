/*
 * The model of a process's own cgroup memory: limit, usage, working set,
 * swap limit, oom.group and the OOM events already recorded, for cgroup v1
 * (the memory controller's own hierarchy) and v2 (the unified hierarchy).
 *
 * The rules read this; cgroupread.h fills it (through the root prefix)
 * and records what could not be read for the rules to report.
 */
#ifndef DBPOD_CGROUP_H
#define DBPOD_CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* No limit: v2 "max", or a v1 value at PAGE_COUNTER_MAX (LONG_MAX rounded
 * down to a page, 9223372036854771712 with 4 KiB pages). */
#define DBP_CG_UNLIMITED UINT64_MAX

/* Which fields of a dbp_cgroup_mem were read. */
enum {
	DBP_CG_LIMIT      = 1 << 0,
	DBP_CG_USAGE      = 1 << 1,
	DBP_CG_INACTIVE   = 1 << 2,	/* inactive_file (v1: total_inactive_file) */
	DBP_CG_SWAP       = 1 << 3,
	DBP_CG_OOM_GROUP  = 1 << 4,	/* v2 only */
	DBP_CG_OOM        = 1 << 5,	/* v2 memory.events oom */
	DBP_CG_OOM_KILL   = 1 << 6,	/* v2 memory.events, v1 memory.oom_control */
	DBP_CG_GROUP_KILL = 1 << 7,	/* v2 memory.events oom_group_kill */
	DBP_CG_FAILCNT    = 1 << 8,	/* v1 memory.failcnt */
};

#define DBP_CG_MAX_ERRORS 8

struct dbp_cgroup_error {
	char file[64];			/* "memory.stat" */
	int err;			/* negative errno; -EINVAL: not what the kernel writes */
};

struct dbp_cgroup_mem {
	int version;			/* 1, 2, or 0: no memory controller found */
	char path[512];			/* the cgroup as /proc/self/cgroup names it */
	char dir[1024];			/* the directory read, below the root prefix */
	int fallback;			/* path not under the mount: its root read instead */
	int unmounted;			/* with version 0: the process is in a cgroup
					 * (/proc/PID/cgroup names one), but no cgroup
					 * hierarchy is mounted where dbpod reads (a
					 * container without /sys/fs/cgroup, as ctr's
					 * default spec gives): a limit may apply */
	int from_host;			/* read in the host's hierarchy at the path of
					 * /proc/PID/cgroup (node mode, a container
					 * without a cgroup mount of its own) */
	unsigned have;			/* DBP_CG_* */
	uint64_t limit;			/* bytes, DBP_CG_UNLIMITED: none; the lowest of the
					 * cgroup and its ancestors (v2 memory.max walk, v1
					 * hierarchical_memory_limit) */
	uint64_t usage;			/* v2 memory.current, v1 memory.usage_in_bytes */
	uint64_t inactive_file;		/* memory.stat inactive_file / total_inactive_file */
	uint64_t swap_limit;		/* v2 memory.swap.max (swap alone); v1
					 * memory.memsw.limit_in_bytes (memory + swap) */
	int oom_group;			/* v2 memory.oom.group: 0 or 1 */
	uint64_t oom;			/* v2 memory.events oom: the limit was hit and reclaim failed */
	uint64_t oom_kill;		/* processes the OOM killer took in this cgroup */
	uint64_t oom_group_kill;	/* v2: whole-group kills (oom.group = 1) */
	uint64_t failcnt;		/* v1 memory.failcnt: times usage hit the limit */
	struct dbp_cgroup_error errors[DBP_CG_MAX_ERRORS];
	size_t nerrors;
};

/* Working set as the kubelet counts it: usage minus inactive file cache,
 * never below 0. */
uint64_t dbp_cgroup_working_set(const struct dbp_cgroup_mem *m);

/* bytes for a person: "512.0 MiB", "1.5 GiB", "max (no limit)". */
const char *dbp_cgroup_bytes(uint64_t bytes, char *buf, size_t size);

#endif
