/*
 * The reader of /proc/meminfo, /proc/sys/vm and transparent huge pages,
 * through the root prefix (meminforead.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meminforead.h"
#include "path.h"

int dbp_meminfo_parse(const char *text, struct dbp_meminfo *m)
{
	static const struct {
		const char *key;
		unsigned flag;
		size_t off;
	} keys[] = {
		{ "MemTotal:", DBP_MI_MEMTOTAL, offsetof(struct dbp_meminfo, mem_total) },
		{ "SwapTotal:", DBP_MI_SWAPTOTAL, offsetof(struct dbp_meminfo, swap_total) },
		{ "CommitLimit:", DBP_MI_COMMITLIM, offsetof(struct dbp_meminfo, commit_limit) },
		{ "Committed_AS:", DBP_MI_COMMITTED, offsetof(struct dbp_meminfo, committed_as) },
		{ "HugePages_Total:", 0, offsetof(struct dbp_meminfo, hugepages_total) },
		{ "Hugepagesize:", 0, offsetof(struct dbp_meminfo, hugepage_size) },
		{ "Hugetlb:", DBP_MI_HUGETLB, offsetof(struct dbp_meminfo, hugetlb) },
	};
	unsigned huge = 0;

	memset(m, 0, sizeof(*m));
	while (text && *text) {
		const char *eol = strchr(text, '\n');

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t len = strlen(keys[k].key);
			char *end;
			unsigned long long v;

			if (strncmp(text, keys[k].key, len))
				continue;
			errno = 0;
			v = strtoull(text + len, &end, 10);
			if (errno || end == text + len)
				break;
			*(uint64_t *)((char *)m + keys[k].off) = v;
			m->have |= keys[k].flag;
			huge |= k == 4 ? 1 : k == 5 ? 2 : 0;
			break;
		}
		if (!eol)
			break;
		text = eol + 1;
	}
	if (huge == 3)
		m->have |= DBP_MI_HUGEPAGES;
	return (m->have & DBP_MI_MEMTOTAL) ? 0 : -EINVAL;
}

int dbp_meminfo_read(const char *root, struct dbp_meminfo *m)
{
	char text[8192];
	int rc = dbp_path_read(root, "/proc/meminfo", text, sizeof(text));

	if (rc < 0) {
		memset(m, 0, sizeof(*m));
		return rc;
	}
	return dbp_meminfo_parse(text, m);
}

int dbp_thp_parse(const char *text, char *out, size_t size)
{
	const char *a = strchr(text, '['), *b = a ? strchr(a, ']') : NULL;

	if (!a || !b || b == a + 1)
		return -EINVAL;
	snprintf(out, size, "%.*s", (int)(b - a - 1), a + 1);
	return 0;
}

static void vm_error(struct dbp_vm *v, const char *file, int err)
{
	if (v->nerrors >= DBP_VM_MAX_ERRORS)
		return;
	snprintf(v->errors[v->nerrors].file, sizeof(v->errors[0].file), "%s", file);
	v->errors[v->nerrors++].err = err;
}

static void vm_int(struct dbp_vm *v, const char *root, const char *path, unsigned flag,
		   int64_t lo, int64_t hi, int *ival, uint64_t *uval)
{
	int64_t x;
	int rc = dbp_path_read_s64(root, path, &x);

	if (rc == 0 && (x < lo || x > hi))
		rc = -EINVAL;
	if (rc < 0) {
		vm_error(v, path, rc);
		return;
	}
	if (ival)
		*ival = (int)x;
	if (uval)
		*uval = (uint64_t)x;
	v->have |= flag;
}

static void vm_thp(struct dbp_vm *v, const char *root, const char *path, unsigned flag,
		   char *out, size_t size)
{
	char text[256];
	int rc = dbp_path_read(root, path, text, sizeof(text));

	if (rc == 0)
		rc = dbp_thp_parse(text, out, size);
	if (rc < 0) {
		/* a kernel without THP has no such directory: not an error */
		if (rc != -ENOENT)
			vm_error(v, path, rc);
		return;
	}
	v->have |= flag;
}

int dbp_vm_read(const char *root, struct dbp_vm *v)
{
	memset(v, 0, sizeof(*v));
	vm_int(v, root, "/proc/sys/vm/overcommit_memory", DBP_VM_OVERCOMMIT, 0, 2,
	       &v->overcommit_memory, NULL);
	vm_int(v, root, "/proc/sys/vm/overcommit_ratio", DBP_VM_RATIO, 0, INT64_MAX,
	       NULL, &v->overcommit_ratio);
	vm_int(v, root, "/proc/sys/vm/overcommit_kbytes", DBP_VM_KBYTES, 0, INT64_MAX,
	       NULL, &v->overcommit_kbytes);
	vm_int(v, root, "/proc/sys/vm/swappiness", DBP_VM_SWAPPINESS, 0, 200,
	       &v->swappiness, NULL);
	vm_int(v, root, "/proc/sys/vm/panic_on_oom", DBP_VM_PANIC, 0, 2,
	       &v->panic_on_oom, NULL);
	vm_thp(v, root, "/sys/kernel/mm/transparent_hugepage/enabled", DBP_VM_THP,
	       v->thp_enabled, sizeof(v->thp_enabled));
	vm_thp(v, root, "/sys/kernel/mm/transparent_hugepage/defrag", DBP_VM_DEFRAG,
	       v->thp_defrag, sizeof(v->thp_defrag));
	return v->have || !v->nerrors ? 0 : v->errors[0].err;
}
