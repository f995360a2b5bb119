/*
 * Opening files others control without hanging on them, and writing
 * where others may plant names (safeopen.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "escape.h"
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

/* "a FIFO (named pipe)" and the like for a type that is not a link. */
static const char *type_phrase(mode_t type)
{
	switch (type & S_IFMT) {
	case S_IFIFO: return "a FIFO (named pipe)";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFDIR: return "a directory";
	case S_IFREG: return "a regular file";
	default: return "not a regular file";
	}
}

/* The link named by dirfd + name (dirfd itself with name ""): "a symbolic
 * link to 'TARGET'", and whether it leads anywhere (exists: its target
 * could be stat'ed, followed where the caller follows it). */
static const char *link_phrase(int dirfd, const char *name, int exists, char *buf, size_t size)
{
	char target[4096];
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n < 0) {
		snprintf(buf, size, "a symbolic link");
		return buf;
	}
	target[n] = '\0';
	snprintf(buf, size, "a symbolic link to '%s'%s", target, exists ? "" : ", which does not exist");
	return buf;
}

const char *dbp_file_describe(const char *root, const char *path, mode_t type,
			      char *buf, size_t size)
{
	struct stat st;
	int fd;

	if ((type & S_IFMT) != S_IFLNK) {
		snprintf(buf, size, "%s", type_phrase(type));
		return buf;
	}
	fd = dbp_open_in_root(root, path, O_PATH | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(buf, size, "a symbolic link");
		return buf;
	}
	/* followed (inside root): does it lead anywhere? */
	link_phrase(fd, "", dbp_stat_in_root(root, path, 1, &st) == 0, buf, size);
	close(fd);
	return buf;
}

/* ---- writing: dbp_outdir ---- */

/* d->why = the formatted text, escaped for a terminal: a link's target
 * and a directory's name are anyone's bytes. */
__attribute__((format(printf, 2, 3)))
static void set_why(struct dbp_outdir *d, const char *fmt, ...)
{
	char raw[sizeof(d->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	dbp_escape_text(raw, d->why, sizeof(d->why));
}

/* Can this process write files that are not its own? root can (it owns
 * most of what matters, /etc/shadow among them, even without
 * capabilities), and so can any user with CAP_DAC_OVERRIDE. */
static int writes_others_files(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[_LINUX_CAPABILITY_U32S_3];

	if (geteuid() == 0)
		return 1;
	/* unreadable capabilities: judge the directory, the careful side */
	if (syscall(SYS_capget, &h, c) < 0)
		return 1;
	return (c[CAP_TO_INDEX(CAP_DAC_OVERRIDE)].effective & CAP_TO_MASK(CAP_DAC_OVERRIDE)) != 0;
}

/* "uid 65534 (nobody)", or "uid 1234" without a passwd entry. */
static const char *uid_phrase(uid_t uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name)
		snprintf(buf, size, "uid %u (%s)", (unsigned)uid, pw->pw_name);
	else
		snprintf(buf, size, "uid %u", (unsigned)uid);
	return buf;
}

int dbp_outdir_open(struct dbp_outdir *d, const char *file, const char **name)
{
	const char *slash = strrchr(file, '/');
	char dir[4096];
	struct stat st;
	mode_t m;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == file)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - file) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
	else
		return -ENAMETOOLONG;
	*name = slash ? slash + 1 : file;
	if (!**name || !strcmp(*name, ".") || !strcmp(*name, ".."))
		return -EISDIR;
	/* the user's own path, followed once: from here on the directory is
	 * this descriptor, whatever happens to the path */
	d->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0)
		return -errno;
	if (fstat(d->fd, &st) < 0) {
		int e = errno;

		dbp_outdir_close(d);
		return -e;
	}
	if (!writes_others_files())
		return 0;
	m = st.st_mode;
	if (!(m & (S_IWGRP | S_IWOTH)))
		return 0;
	/* sticky: only a file's owner (or the directory's) may remove or
	 * rename it; safe when the directory's owner is dbpod's user or root */
	if ((m & S_ISVTX) && (st.st_uid == geteuid() || st.st_uid == 0))
		return 0;
	set_why(d, "its directory '%s' is writable by users other than its owner (mode %04o%s): any of "
		"them could remove, replace or plant the files dbpod writes there %s; use a directory "
		"only its owner can write (mkdir -m 0700 %s), or a sticky one of root's such as /tmp",
		dir, (unsigned)(m & 07777), (m & S_ISVTX) ? ", sticky but not root's" : "",
		geteuid() == 0 ? "as root" : "with CAP_DAC_OVERRIDE", dir);
	dbp_outdir_close(d);
	return -DBP_EDIRWRITABLE;
}

/* The one create: O_EXCL fails on any name already there, a dangling
 * link included, and O_NOFOLLOW makes sure of it. */
static int create_excl(const struct dbp_outdir *d, const char *name, int flags, mode_t mode)
{
	int fd = openat(d->fd, name, (flags & (O_ACCMODE | O_APPEND)) | O_CREAT | O_EXCL |
			O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);

	return fd < 0 ? -errno : fd;
}

/* A refusal of what stands at name: type, links or owner. */
static int refuse(struct dbp_outdir *d, const char *name, const struct stat *st, int err)
{
	const char *advice = "remove it, or choose another name";
	char what[4200], u1[300], u2[300];
	struct stat t;

	if (err == -DBP_ELINKS) {
		set_why(d, "it has %lu hard links, and another of its names may be a file dbpod must not "
			"write; %s", (unsigned long)st->st_nlink, advice);
	} else if (err == -DBP_EOWNER) {
		set_why(d, "it belongs to %s, not to %s that dbpod runs as, and dbpod writes only into "
			"files of its own; %s", uid_phrase(st->st_uid, u1, sizeof(u1)),
			uid_phrase(geteuid(), u2, sizeof(u2)), advice);
	} else if (S_ISLNK(st->st_mode)) {
		link_phrase(d->fd, name, fstatat(d->fd, name, &t, 0) == 0, what, sizeof(what));
		set_why(d, "it is %s, and dbpod does not write through a link (whoever can write to "
			"its directory may have planted it); %s", what, advice);
	} else {
		set_why(d, "it is %s, not a regular file; %s", type_phrase(st->st_mode), advice);
	}
	return err;
}

int dbp_outdir_file_open(struct dbp_outdir *d, const char *name, int flags, mode_t mode)
{
	struct stat st;
	int fd, fl;

	d->why[0] = '\0';
	/* a name that comes and goes between the calls is tried again, a
	 * few times: the race of a cleaner, not a reason to fail */
	for (int tries = 0; tries < 5; tries++) {
		fd = create_excl(d, name, flags, mode);
		if (fd != -EEXIST)
			return fd;
		/* what is there, not followed, before it is opened: even a
		 * non-blocking open of a device node can act */
		if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			return -errno;
		}
		if (!S_ISREG(st.st_mode))
			return refuse(d, name, &st, -DBP_ENOTREG);
		fd = openat(d->fd, name, (flags & (O_ACCMODE | O_APPEND)) | O_NOFOLLOW | O_NONBLOCK |
			    O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			/* replaced by a link between the two calls */
			if (errno == ELOOP) {
				st.st_mode = S_IFLNK;
				return refuse(d, name, &st, -DBP_ENOTREG);
			}
			return -errno;
		}
		/* what was opened, which is what will be written */
		if (fstat(fd, &st) < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || st.st_uid != geteuid()) {
			close(fd);
			return refuse(d, name, &st, !S_ISREG(st.st_mode) ? -DBP_ENOTREG :
				      st.st_nlink != 1 ? -DBP_ELINKS : -DBP_EOWNER);
		}
		fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		if ((flags & O_TRUNC) && ftruncate(fd, 0) < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		return fd;
	}
	return -EEXIST;
}

int dbp_outdir_file_temp(struct dbp_outdir *d, const char *prefix, mode_t mode,
			 char *buf, size_t size)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	int fd = -EEXIST;

	d->why[0] = '\0';
	for (int tries = 0; tries < 100 && fd == -EEXIST; tries++) {
		char tail[sizeof(r) + 1];

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
			/* no entropy yet: the time and the try, unique enough
			 * with O_EXCL behind it */
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			for (size_t i = 0; i < sizeof(r); i++)
				r[i] = (unsigned char)((ts.tv_nsec >> (i * 5)) + tries * 7 + getpid());
		}
		for (size_t i = 0; i < sizeof(r); i++)
			tail[i] = letters[r[i] % (sizeof(letters) - 1)];
		tail[sizeof(r)] = '\0';
		if ((size_t)snprintf(buf, size, "%s%s", prefix, tail) >= size)
			return -ENAMETOOLONG;
		fd = create_excl(d, buf, O_WRONLY, mode);
	}
	return fd;
}

int dbp_outdir_replace_begin(struct dbp_outdir *d, const char *name, char *tmp, size_t size)
{
	char prefix[300];
	int fd;

	if ((size_t)snprintf(prefix, sizeof(prefix), "%s.tmp.", name) >= sizeof(prefix))
		return -ENAMETOOLONG;
	fd = dbp_outdir_file_temp(d, prefix, 0644, tmp, size);
	if (fd < 0)
		return fd;
	if (fchmod(fd, 0644) < 0) {
		int rc = -errno;

		close(fd);
		dbp_outdir_file_unlink(d, tmp);
		return rc;
	}
	return fd;
}

int dbp_outdir_replace_commit(struct dbp_outdir *d, const char *tmp, const char *name, int fd)
{
	int rc = fsync(fd) < 0 ? -errno : 0;

	if (!rc)
		rc = dbp_outdir_file_rename(d, tmp, name);
	if (rc)
		dbp_outdir_file_unlink(d, tmp);
	return rc;
}

int dbp_outdir_file_stat(const struct dbp_outdir *d, const char *name, struct stat *st)
{
	return fstatat(d->fd, name, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

int dbp_outdir_file_is(const struct dbp_outdir *d, const char *name, int fd)
{
	struct stat fst, nst;

	if (fstat(fd, &fst) < 0 || fst.st_nlink == 0)
		return 0;
	if (fstatat(d->fd, name, &nst, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return nst.st_dev == fst.st_dev && nst.st_ino == fst.st_ino;
}

int dbp_outdir_file_rename(const struct dbp_outdir *d, const char *from, const char *to)
{
	return renameat(d->fd, from, d->fd, to) < 0 ? -errno : 0;
}

int dbp_outdir_file_unlink(const struct dbp_outdir *d, const char *name)
{
	return unlinkat(d->fd, name, 0) < 0 ? -errno : 0;
}

const char *dbp_outdir_strerror(const struct dbp_outdir *d, int err)
{
	if ((err == -DBP_ENOTREG || err == -DBP_ELINKS || err == -DBP_EOWNER ||
	     err == -DBP_EDIRWRITABLE) && d->why[0])
		return d->why;
	return dbp_open_strerror(err);
}

void dbp_outdir_close(struct dbp_outdir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int dbp_proc_fd_path(const char *procfs, pid_t pid, int fd, char *path, size_t size,
		     mode_t *type)
{
	char fdpath[64];
	struct stat st;
	ssize_t n;

	snprintf(fdpath, sizeof(fdpath), "%s/%d/fd/%d", procfs, (int)pid, fd);
	if (stat(fdpath, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		if (type)
			*type = st.st_mode & S_IFMT;
		return -DBP_ENOTREG;
	}
	n = readlink(fdpath, path, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return n < 0 ? -errno : -ENAMETOOLONG;
	path[n] = '\0';
	return 0;
}

int dbp_open_proc_fd(const char *procfs, pid_t pid, int fd, char *path, size_t size,
		     mode_t *type)
{
	char fdpath[64];
	int rc = dbp_proc_fd_path(procfs, pid, fd, path, size, type);

	if (rc < 0)
		return rc;
	snprintf(fdpath, sizeof(fdpath), "%s/%d/fd/%d", procfs, (int)pid, fd);
	rc = open(fdpath, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	return rc < 0 ? -errno : rc;
}
