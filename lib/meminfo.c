/*
 * What the rules and the views compute from the node's memory settings
 * (meminfo.h); the reader is meminforead.c.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

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
