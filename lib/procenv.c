#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procenv.h"
#include "qos.h"

int dbp_environ_get(const char *procfs, pid_t pid, const char *name,
		    char *buf, size_t size)
{
	char path[64];
	char *data = NULL;
	size_t len = 0, cap = 0, nlen = strlen(name);
	int fd, rc = -ENOENT;

	snprintf(path, sizeof(path), "%s/%d/environ", procfs ? procfs : "/proc", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	for (;;) {
		ssize_t r;

		if (len + 4096 > cap) {
			char *nd = realloc(data, cap + 65536);

			if (!nd) {
				rc = -ENOMEM;
				goto out;
			}
			data = nd;
			cap += 65536;
		}
		r = read(fd, data + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (!data)
		goto out;
	data[len] = '\0';
	/* entries are NUL-separated NAME=VALUE */
	for (size_t off = 0; off < len; off += strlen(data + off) + 1) {
		const char *e = data + off;

		if (!strncmp(e, name, nlen) && e[nlen] == '=') {
			snprintf(buf, size, "%s", e + nlen + 1);
			rc = 0;
			break;
		}
	}
out:
	if (data)
		explicit_bzero(data, cap);
	free(data);
	close(fd);
	return rc;
}

void dbp_pg_oom_env_read(const char *procfs, pid_t pm, struct dbp_pg_oom_env *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	rc = dbp_environ_get(procfs, pm, "PG_OOM_ADJUST_FILE", e->file, sizeof(e->file));
	if (rc < 0 && rc != -ENOENT) {
		e->rc = rc;
		return;
	}
	e->file_set = rc == 0;
	rc = dbp_environ_get(procfs, pm, "PG_OOM_ADJUST_VALUE", e->value, sizeof(e->value));
	if (rc < 0 && rc != -ENOENT) {
		e->rc = rc;
		e->file_set = 0;
		return;
	}
	e->value_set = rc == 0;
}
