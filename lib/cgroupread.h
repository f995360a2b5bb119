/*
 * The reader of the cgroup memory picture (cgroup.h): everything is read
 * through the root prefix (path.h), /proc/self/cgroup included, so a
 * fixture tree can stand in for the kernel. Functions return 0 or a
 * negative errno and never print; what could not be read is recorded in
 * the struct for the caller to report.
 */
#ifndef DBPOD_CGROUPREAD_H
#define DBPOD_CGROUPREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"

/* From the text of /proc/PID/cgroup, the v2 path ("0::/path") and the v1
 * memory controller's path ("N:...memory...:/path"), each "" when absent.
 * Returns 0, or -EINVAL when no line has the "ID:CONTROLLERS:PATH" form. */
int dbp_cgroup_parse_self(const char *text, char *v2, size_t v2size,
			  char *v1mem, size_t v1size);

/* A v1 limit file's value as a limit: DBP_CG_UNLIMITED at or near
 * PAGE_COUNTER_MAX. */
uint64_t dbp_cgroup_v1_limit(uint64_t raw);

/* Read the memory picture of this process's cgroup below root (NULL: the
 * real root). Fields that cannot be read are left out of m->have and named
 * in m->errors. Returns 0 (also when there is no memory controller:
 * version 0), or a negative errno when /proc/self/cgroup itself cannot be
 * read or parsed. */
int dbp_cgroup_mem_read(const char *root, struct dbp_cgroup_mem *m);

/* The same for the cgroup of process pid (of another PID namespace, in
 * node mode): its PROCFS/PID/cgroup, and the hierarchy through
 * PROCFS/PID/root as its container sees it (CAP_SYS_PTRACE for another
 * user's process). procfs NULL: "/proc"; a fixture tree in the tests. */
int dbp_cgroup_mem_read_of(const char *procfs, pid_t pid, struct dbp_cgroup_mem *m);

/* Whether pid is in another cgroup than dbpod (their /proc/PID/cgroup
 * differ): 1 yes, 0 no, or a negative errno. A debug container beside the
 * database shares its PID namespace but not its cgroup, and dbpod's own
 * limit would be the debug container's. */
int dbp_cgroup_differs(pid_t pid);

#endif
