/*
 * Opening a file that someone else controls: a data directory's
 * postmaster.pid, a socket lock file in /tmp, a log, a recording to read;
 * and a file to write where someone else may have a say (dbp_outdir_*,
 * below).
 *
 * open(2) of a FIFO waits for a writer forever, a device node is read
 * without end (/dev/zero) or has side effects on open, and a symbolic link
 * points wherever its author likes. dbp_open_regular opens without
 * following a link and without blocking, and hands back only a regular
 * file; what stands there otherwise is named by dbp_file_describe for the
 * message.
 */
#ifndef DBPOD_SAFEOPEN_H
#define DBPOD_SAFEOPEN_H

#include <stddef.h>
#include <sys/types.h>

/* DBP_ENOTREG, "not a regular file", and dbp_open_strerror */
#include "dbperror.h"

/* Open root + path (see path.h; root may be NULL) read-only with
 * O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC after lstat(2) found a
 * regular file, and check with fstat(2) that the same kind of file was
 * opened. Returns the descriptor (blocking again), or a negative errno, or
 * -DBP_ENOTREG when path is something else: *type (when not NULL) is then
 * its S_IFMT (S_IFLNK for a symbolic link, followed or dangling). */
int dbp_open_regular(const char *root, const char *path, mode_t *type);

/* open(2) of path below root as a process whose root directory is root
 * would resolve it (symlinks stay inside root: openat2 RESOLVE_IN_ROOT);
 * root NULL or "" or "/": path itself. O_CLOEXEC is added. Returns the fd
 * or a negative errno. */
int dbp_open_in_root(const char *root, const char *path, int flags);

/* The file behind descriptor fd of process pid under procfs ("/proc"):
 * a server's log on its standard output or error. The magic link is
 * followed on purpose -- it is the file the process writes, wherever it
 * is -- but only a regular file is opened. Its name as the process sees
 * it (readlink) goes into path. Returns the descriptor, a negative errno,
 * or -DBP_ENOTREG with *type (when not NULL) its S_IFMT. */
int dbp_open_proc_fd(const char *procfs, pid_t pid, int fd, char *path, size_t size,
		     mode_t *type);
/* dbp_open_proc_fd without the open: the name, and the refusal of what
 * is not a regular file. 0 or as dbp_open_proc_fd. */
int dbp_proc_fd_path(const char *procfs, pid_t pid, int fd, char *path, size_t size,
		     mode_t *type);

/* stat (follow 1) or lstat (follow 0) of path below root, resolved as
 * dbp_open_in_root does. 0 or a negative errno. */
struct stat;
int dbp_stat_in_root(const char *root, const char *path, int follow, struct stat *st);

/* What root + path is, for a message after -DBP_ENOTREG: "a FIFO (named
 * pipe)", "a socket", "a character device", "a block device", "a
 * directory", "a symbolic link to 'TARGET'", "a symbolic link to 'TARGET',
 * which does not exist". Into buf; returns buf. */
const char *dbp_file_describe(const char *root, const char *path, mode_t type,
			      char *buf, size_t size);

/*
 * Writing into a directory someone else may have a say in: the recording
 * of snapshot -o (its rotations FILE.N, its --acct spool FILE.acct and
 * FILE.acct.new) and node mode's -o FILE, which may sit on the database
 * user's volume while dbpod runs as root. Whoever can write a directory
 * can plant a name in it: a symbolic link to /etc/shadow, a hard link to
 * it (where fs.protected_hardlinks is off), a FIFO; a writer that opens
 * by name with O_CREAT follows the link and truncates or appends to
 * whatever it points at, with root's rights.
 *
 * So the directory is opened once, following the path as the user gave
 * it, and every file in it is then reached through that descriptor
 * (openat, renameat, unlinkat): a directory renamed, or a component of
 * its path swapped for a link later on, does not move where dbpod
 * writes. No file is opened through a symbolic link (O_NOFOLLOW). A new
 * file is made with O_CREAT | O_EXCL, which fails on anything planted
 * under the name, a dangling link included. A file that is there already
 * (an earlier run's, a spool left by a recorder that was killed) is
 * written only when it is a regular file with a single link that belongs
 * to the user dbpod runs as: a second link may be the name of a file
 * dbpod must not touch, and another user's file is theirs to write.
 *
 * When dbpod can write files that are not its own (root, or
 * CAP_DAC_OVERRIDE), the directory itself is refused when users other
 * than its owner may write it (group or other write, an ACL's mask
 * included), unless it is sticky and belongs to dbpod's user or to root,
 * as /tmp does: in such a directory any of them could remove, rename or
 * replace what dbpod writes. A directory that belongs to another user and
 * only that user can write (a database's volume, postgres 0700) is
 * accepted: its owner can still remove or change what dbpod writes there
 * -- it is their directory -- but can no longer make dbpod write anywhere
 * else. An unprivileged dbpod can be led to write only what its own user
 * may write; its directory is not judged (a Kubernetes emptyDir is 0777),
 * its files are, as above.
 */
struct dbp_outdir {
	int fd;			/* O_PATH | O_DIRECTORY; -1 when closed */
	char why[768];		/* after a refusal: what stands there, and what to do */
};

/* Open the directory of file (everything before its last '/'; "." when
 * there is none), following that path as given, and judge it as above;
 * *name is then file's last component (pointing into file). Returns 0 or
 * a negative errno: -DBP_EDIRWRITABLE with d->why naming the directory,
 * its mode and what to do; -EISDIR when file ends in '/'. d->fd is -1
 * after a failure. */
int dbp_outdir_open(struct dbp_outdir *d, const char *file, const char **name);

/* Open name in d to write (or to read: flags' access mode is kept): a new
 * file with O_CREAT | O_EXCL and mode, else the one there when it is a
 * regular file with one link that belongs to the effective uid. flags
 * may add O_APPEND, and O_TRUNC (with O_WRONLY or O_RDWR), which empties
 * an existing file only once it passed. O_NOFOLLOW, O_NOCTTY and
 * O_CLOEXEC are added. Returns the
 * descriptor, or a negative errno; a refusal is -DBP_ENOTREG (a symbolic
 * link, a FIFO, a directory...), -DBP_ELINKS or -DBP_EOWNER, with d->why
 * saying what stands there and what to do. */
int dbp_outdir_file_open(struct dbp_outdir *d, const char *name, int flags, mode_t mode);

/* A new file of a name of its own, prefix and six random letters (into
 * buf), created O_WRONLY with O_EXCL and mode. The descriptor or a
 * negative errno. */
int dbp_outdir_file_temp(struct dbp_outdir *d, const char *prefix, mode_t mode,
			 char *buf, size_t size);

/* lstat(2) of name in d (a link is not followed). 0 or a negative errno. */
int dbp_outdir_file_stat(const struct dbp_outdir *d, const char *name, struct stat *st);

/* Is name in d (still) the file open as fd? 1 when it is; 0 when fd's
 * file has no link left, or name is gone or is another file. */
int dbp_outdir_file_is(const struct dbp_outdir *d, const char *name, int fd);

/* renameat(2) and unlinkat(2) of names in d: a link is renamed or
 * removed itself, never what it points at. 0 or a negative errno. */
int dbp_outdir_file_rename(const struct dbp_outdir *d, const char *from, const char *to);
int dbp_outdir_file_unlink(const struct dbp_outdir *d, const char *name);

/* What to print after err from the functions above: d->why for a
 * refusal, else the error's text (dbp_open_strerror). */
const char *dbp_outdir_strerror(const struct dbp_outdir *d, int err);

void dbp_outdir_close(struct dbp_outdir *d);

/* Replacing name in d as a whole, so that a reader (node-exporter's
 * textfile collector, a script) sees the old file or the new one, never
 * half of one: begin creates the temporary file "name.tmp.XXXXXX" (into
 * tmp) with mode 0644 whatever the umask (a collector need not run as
 * root) and returns its descriptor; commit makes what was written durable
 * (fsync) and renames it over name, and removes it when anything failed.
 * commit does not close fd. 0 or a negative errno. */
int dbp_outdir_replace_begin(struct dbp_outdir *d, const char *name, char *tmp, size_t size);
int dbp_outdir_replace_commit(struct dbp_outdir *d, const char *tmp, const char *name, int fd);

#endif
