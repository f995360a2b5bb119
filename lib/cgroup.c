/*
 * What the rules compute from a cgroup's memory picture (cgroup.h); the
 * reader is cgroupread.c.
 */
#include "config.h"

#include <stdio.h>

#include "cgroup.h"

uint64_t dbp_cgroup_working_set(const struct dbp_cgroup_mem *m)
{
	uint64_t inactive = (m->have & DBP_CG_INACTIVE) ? m->inactive_file : 0;

	return m->usage > inactive ? m->usage - inactive : 0;
}

const char *dbp_cgroup_bytes(uint64_t bytes, char *buf, size_t size)
{
	if (bytes == DBP_CG_UNLIMITED)
		snprintf(buf, size, "max (no limit)");
	else if (bytes >= (UINT64_C(1) << 30))
		snprintf(buf, size, "%.1f GiB", (double)bytes / (1 << 30));
	else
		snprintf(buf, size, "%.1f MiB", (double)bytes / (1 << 20));
	return buf;
}
