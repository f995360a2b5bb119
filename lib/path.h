/*
 * Files of the kernel's other interfaces (cgroup, /proc/sys, /proc/meminfo,
 * /sys/kernel/mm) read through a root prefix, so that a test can point
 * dbpod at a fixture tree the way `lscpu --sysroot` works. The live
 * process table does not go through here: it is always this /proc.
 *
 * All functions return 0 or a negative errno and never print.
 */
#ifndef DBPOD_PATH_H
#define DBPOD_PATH_H

#include <stddef.h>
#include <stdint.h>

/* root + path into buf; root NULL or "" or "/" means the real root. */
const char *dbp_path(const char *root, const char *path, char *buf, size_t size);

/* The whole (small) file into buf, NUL-terminated, trailing newline
 * removed. -EFBIG when it does not fit. */
int dbp_path_read(const char *root, const char *path, char *buf, size_t size);

/* A file holding one number. "max" (cgroup v2 for no limit) gives
 * -ERANGE with *val = UINT64_MAX, so callers can tell "no limit". */
int dbp_path_read_u64(const char *root, const char *path, uint64_t *val);
int dbp_path_read_s64(const char *root, const char *path, int64_t *val);

/* The value of "key value" in a flat keyed file (memory.events,
 * memory.stat, memory.oom_control): -ENOENT when the key is absent. */
int dbp_path_read_key(const char *root, const char *path, const char *key, uint64_t *val);

#endif
