#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"

const char *dbp_path(const char *root, const char *path, char *buf, size_t size)
{
	if (!root || !*root || !strcmp(root, "/"))
		root = "";
	snprintf(buf, size, "%s%s", root, path);
	return buf;
}

int dbp_path_read(const char *root, const char *path, char *buf, size_t size)
{
	char full[4096];
	size_t len = 0;
	int fd;

	if (!size)
		return -EINVAL;
	fd = open(dbp_path(root, path, full, sizeof(full)), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + len, size - 1 - len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return (int)r;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == size - 1) {
			char c;

			if (read(fd, &c, 1) > 0) {
				close(fd);
				return -EFBIG;
			}
			break;
		}
	}
	close(fd);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return 0;
}

int dbp_path_read_u64(const char *root, const char *path, uint64_t *val)
{
	char buf[64], *end;
	unsigned long long v;
	int rc = dbp_path_read(root, path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	if (!strcmp(buf, "max")) {
		*val = UINT64_MAX;
		return -ERANGE;
	}
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || (*end && *end != '\n'))
		return -EINVAL;
	*val = v;
	return 0;
}

int dbp_path_read_s64(const char *root, const char *path, int64_t *val)
{
	char buf[64], *end;
	long long v;
	int rc = dbp_path_read(root, path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return -EINVAL;
	*val = v;
	return 0;
}

int dbp_path_read_key(const char *root, const char *path, const char *key, uint64_t *val)
{
	char full[4096], line[256];
	size_t klen = strlen(key);
	FILE *f = fopen(dbp_path(root, path, full, sizeof(full)), "re");
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		rc = sscanf(line + klen + 1, "%llu", &v) == 1 ? 0 : -EINVAL;
		if (!rc)
			*val = v;
		break;
	}
	fclose(f);
	return rc;
}
