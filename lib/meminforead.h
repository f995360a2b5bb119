/*
 * The reader of the node's memory settings (meminfo.h): /proc/meminfo,
 * /proc/sys/vm and /sys/kernel/mm/transparent_hugepage through the root
 * prefix (path.h), and the parsers of their text. Functions return 0 or a
 * negative errno and never print.
 */
#ifndef DBPOD_MEMINFOREAD_H
#define DBPOD_MEMINFOREAD_H

#include <stddef.h>

#include "meminfo.h"

/* Parse the text of /proc/meminfo. -EINVAL when MemTotal is missing. */
int dbp_meminfo_parse(const char *text, struct dbp_meminfo *m);
int dbp_meminfo_read(const char *root, struct dbp_meminfo *m);

/* The selected word of a THP file: "always [madvise] never" -> "madvise".
 * -EINVAL without brackets. */
int dbp_thp_parse(const char *text, char *out, size_t size);

/* Read every setting; what cannot be read is left out of v->have and
 * named in v->errors. Returns 0, or the first error when nothing at all
 * could be read. */
int dbp_vm_read(const char *root, struct dbp_vm *v);

#endif
