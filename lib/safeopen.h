/*
 * Opening a file that someone else controls: a data directory's
 * postmaster.pid, a socket lock file in /tmp, a log, a recording.
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

#endif
