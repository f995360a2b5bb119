/* libFuzzer: the cgroup memory files (v2 and v1) as dbp_cgroup_mem_read
 * reads them through a root prefix. The input is split at NUL bytes into
 * the files below, written into a private tree once per input; fields past
 * the end of the input leave their file absent. */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroupread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
	"proc/self/cgroup",
	"sys/fs/cgroup/cgroup.controllers",
	"sys/fs/cgroup/memory.max",
	"sys/fs/cgroup/memory.current",
	"sys/fs/cgroup/memory.stat",
	"sys/fs/cgroup/memory.events",
	"sys/fs/cgroup/memory.oom.group",
	"sys/fs/cgroup/memory.swap.max",
	"sys/fs/cgroup/memory/memory.limit_in_bytes",
	"sys/fs/cgroup/memory/memory.usage_in_bytes",
	"sys/fs/cgroup/memory/memory.stat",
	"sys/fs/cgroup/memory/memory.oom_control",
	"sys/fs/cgroup/memory/memory.failcnt",
	"sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char root[64];

static int setup(void)
{
	static const char *const dirs[] = {
		"proc", "proc/self", "sys", "sys/fs", "sys/fs/cgroup", "sys/fs/cgroup/memory",
	};
	char p[256];

	strcpy(root, "cgroup-root.XXXXXX");	/* in fuzz-build, the cwd */
	if (!mkdtemp(root))
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		if (mkdir(p, 0700) < 0)
			return -1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dbp_cgroup_mem m;
	size_t off = 0;
	char p[256], b[64];

	if (!root[0] && setup() < 0)
		abort();
	for (size_t i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		if (off > size) {
			unlink(p);
			continue;
		}
		const uint8_t *nul = memchr(data + off, 0, size - off);
		size_t len = nul ? (size_t)(nul - (data + off)) : size - off;
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || (len && write(fd, data + off, len) != (ssize_t)len))
			abort();
		close(fd);
		off += len + 1;
	}
	memset(&m, 0, sizeof(m));
	if (dbp_cgroup_mem_read(root, &m) == 0) {
		dbp_cgroup_working_set(&m);
		dbp_cgroup_bytes(m.limit, b, sizeof(b));
	}
	return 0;
}
