/*
 * What the rules and the views compute from the node's memory settings
 * (meminfo.h); the reader is meminforead.c.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "meminfo.h"

uint64_t dbp_meminfo_hugetlb_kb(const struct dbp_meminfo *m)
{
	if (m->have & DBP_MI_HUGETLB)
		return m->hugetlb;
	if (m->have & DBP_MI_HUGEPAGES)
		return m->hugepages_total * m->hugepage_size;
	return 0;
}

uint64_t dbp_commit_limit_kb(const struct dbp_meminfo *m, const struct dbp_vm *v)
{
	/* the kernel counts in pages: round the way it does */
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t page_kb = psz >= 1024 ? (uint64_t)psz / 1024 : 4;
	uint64_t allowed;

	if (v->overcommit_kbytes) {
		allowed = v->overcommit_kbytes / page_kb;
	} else {
		uint64_t huge = dbp_meminfo_hugetlb_kb(m) / page_kb;
		uint64_t ram = m->mem_total / page_kb;

		allowed = (ram > huge ? ram - huge : 0) * v->overcommit_ratio / 100;
	}
	return (allowed + m->swap_total / page_kb) * page_kb;
}

int dbp_commit_headroom_kb(const struct dbp_meminfo *m, const struct dbp_vm *v, int64_t *kb)
{
	if (!m || !v || !(v->have & (DBP_VM_RATIO | DBP_VM_KBYTES)) ||
	    !(m->have & DBP_MI_COMMITTED))
		return -ENODATA;
	*kb = (int64_t)dbp_commit_limit_kb(m, v) - (int64_t)m->committed_as;
	return 0;
}

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
