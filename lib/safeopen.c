/*
 * Opening files others control without hanging on them (safeopen.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "safeopen.h"

int dbp_open_regular(const char *root, const char *path, mode_t *type)
{
	char full[4096];
	struct stat st;
	int fd, fl;

	dbp_path(root, path, full, sizeof(full));
	/* lstat first: even a non-blocking open of a device node can act
	 * (a watchdog starts, a tape rewinds) */
	if (lstat(full, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		goto not_regular;
	fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		/* replaced by a link between lstat and open */
		if (errno == ELOOP) {
			st.st_mode = S_IFLNK;
			goto not_regular;
		}
		return -errno;
	}
	/* replaced by something else between lstat and open */
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		goto not_regular;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
not_regular:
	if (type)
		*type = st.st_mode & S_IFMT;
	return -DBP_ENOTREG;
}

const char *dbp_file_describe(const char *root, const char *path, mode_t type,
			      char *buf, size_t size)
{
	char full[4096], target[4096];
	struct stat st;
	ssize_t n;

	switch (type & S_IFMT) {
	case S_IFIFO: snprintf(buf, size, "a FIFO (named pipe)"); return buf;
	case S_IFSOCK: snprintf(buf, size, "a socket"); return buf;
	case S_IFCHR: snprintf(buf, size, "a character device"); return buf;
	case S_IFBLK: snprintf(buf, size, "a block device"); return buf;
	case S_IFDIR: snprintf(buf, size, "a directory"); return buf;
	case S_IFREG: snprintf(buf, size, "a regular file"); return buf;
	case S_IFLNK: break;
	default: snprintf(buf, size, "not a regular file"); return buf;
	}
	dbp_path(root, path, full, sizeof(full));
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0) {
		snprintf(buf, size, "a symbolic link");
		return buf;
	}
	target[n] = '\0';
	/* stat follows the link: does it lead anywhere? */
	snprintf(buf, size, "a symbolic link to '%s'%s", target,
		 stat(full, &st) < 0 ? ", which does not exist" : "");
	return buf;
}
