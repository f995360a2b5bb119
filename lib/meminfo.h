/*
 * The model of the node's memory settings: /proc/meminfo, the vm sysctls
 * of /proc/sys/vm and transparent huge pages, as meminforead.h reads them.
 * These belong to the node (the kernel), not to a container: /proc/sys/vm
 * is not namespaced.
 */
#ifndef DBPOD_MEMINFO_H
#define DBPOD_MEMINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proctable.h"

/* /proc/meminfo, in kB (HugePages_Total is a count of pages). */
enum {
	DBP_MI_MEMTOTAL  = 1 << 0,
	DBP_MI_SWAPTOTAL = 1 << 1,
	DBP_MI_COMMITLIM = 1 << 2,
	DBP_MI_COMMITTED = 1 << 3,
	DBP_MI_HUGEPAGES = 1 << 4,	/* HugePages_Total and Hugepagesize */
	DBP_MI_HUGETLB   = 1 << 5,	/* Hugetlb: every huge page size, Linux 4.16+ */
};

struct dbp_meminfo {
	unsigned have;
	uint64_t mem_total;		/* MemTotal: the kernel's totalram_pages */
	uint64_t swap_total;		/* SwapTotal */
	uint64_t commit_limit;		/* CommitLimit: enforced only in mode 2 */
	uint64_t committed_as;		/* Committed_AS: what is promised now */
	uint64_t hugepages_total;	/* HugePages_Total (pages of the default size) */
	uint64_t hugepage_size;		/* Hugepagesize */
	uint64_t hugetlb;		/* Hugetlb */
};

/* Memory held by huge pages (kB): Hugetlb, else HugePages_Total x size. */
uint64_t dbp_meminfo_hugetlb_kb(const struct dbp_meminfo *m);

/* /proc/sys/vm and /sys/kernel/mm/transparent_hugepage. */
enum {
	DBP_VM_OVERCOMMIT = 1 << 0,
	DBP_VM_RATIO      = 1 << 1,
	DBP_VM_KBYTES     = 1 << 2,
	DBP_VM_SWAPPINESS = 1 << 3,
	DBP_VM_PANIC      = 1 << 4,
	DBP_VM_THP        = 1 << 5,
	DBP_VM_DEFRAG     = 1 << 6,
};

#define DBP_VM_MAX_ERRORS 8

struct dbp_vm {
	unsigned have;
	int overcommit_memory;		/* 0 heuristic, 1 always, 2 never (strict accounting) */
	uint64_t overcommit_ratio;	/* percent of RAM in mode 2 */
	uint64_t overcommit_kbytes;	/* replaces the ratio when not 0 */
	int swappiness;
	int panic_on_oom;		/* 0, 1 (system-wide OOM), 2 (any OOM, cgroups too) */
	char thp_enabled[16];		/* "always", "madvise", "never" */
	char thp_defrag[16];
	struct { char file[48]; int err; } errors[DBP_VM_MAX_ERRORS];
	size_t nerrors;
};

/* CommitLimit the way the kernel computes it (mm/util.c vm_commit_limit),
 * in kB: overcommit_kbytes, or (MemTotal - huge pages) x ratio / 100, plus
 * SwapTotal. */
uint64_t dbp_commit_limit_kb(const struct dbp_meminfo *m, const struct dbp_vm *v);

/* The headroom every view shows (text, JSON headroom_kb, Prometheus
 * dbpod_commit_headroom_bytes): CommitLimit as dbp_commit_limit_kb
 * computes it minus Committed_AS, in kB, negative when more is promised
 * than the limit. -ENODATA when the settings or Committed_AS were not
 * read. */
int dbp_commit_headroom_kb(const struct dbp_meminfo *m, const struct dbp_vm *v, int64_t *kb);

/* The database whose wants the node's memory settings are judged by
 * (overcommit --profile, .dbpod.yaml's profile). */
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

#endif
