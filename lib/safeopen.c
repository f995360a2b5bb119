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

#include <linux/openat2.h>
#include <sys/syscall.h>

#include "path.h"
#include "safeopen.h"

/*
 * path below root resolved as a process whose root is root would resolve
 * it: an absolute symlink on the way (/var/run -> /run in most images)
 * leads inside root, not to dbpod's own /run. That is what reading a
 * container's files through /proc/PID/root needs, and what a fixture tree
 * given with --root wants too. openat2's RESOLVE_IN_ROOT (Linux 5.6); on an
 * older kernel, root and path joined, as before.
 */
int dbp_open_in_root(const char *root, const char *path, int flags)
{
	char full[4096];
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int rootfd, fd;

	if (!root || !*root || !strcmp(root, "/")) {
		fd = open(path, flags | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		dbp_path(root, path, full, sizeof(full));
		fd = open(full, flags | O_CLOEXEC);
	}
	if (fd < 0)
		fd = -errno;
	close(rootfd);
	return fd;
}

int dbp_stat_in_root(const char *root, const char *path, int follow, struct stat *st)
{
	int fd = dbp_open_in_root(root, path, O_PATH | (follow ? 0 : O_NOFOLLOW)), rc = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int dbp_open_regular(const char *root, const char *path, mode_t *type)
{
	struct stat st;
	int fd, fl;

	/* what the last component is, not followed (lstat's answer), before
	 * opening it: even a non-blocking open of a device node can act (a
	 * watchdog starts, a tape rewinds) */
	fd = dbp_stat_in_root(root, path, 0, &st);
	if (fd < 0)
		return fd;
	if (!S_ISREG(st.st_mode))
		goto not_regular;
	fd = dbp_open_in_root(root, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		/* replaced by a link between the two opens */
		if (fd == -ELOOP) {
			st.st_mode = S_IFLNK;
			goto not_regular;
		}
		return fd;
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
	char target[4096];
	struct stat st;
	ssize_t n;
	int fd;

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
	fd = dbp_open_in_root(root, path, O_PATH | O_NOFOLLOW);
	n = fd < 0 ? -1 : readlinkat(fd, "", target, sizeof(target) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		snprintf(buf, size, "a symbolic link");
		return buf;
	}
	target[n] = '\0';
	/* followed (inside root): does it lead anywhere? */
	snprintf(buf, size, "a symbolic link to '%s'%s", target,
		 dbp_stat_in_root(root, path, 1, &st) < 0 ? ", which does not exist" : "");
	return buf;
}
