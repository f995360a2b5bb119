/*
 * A PostgreSQL server log read from its file (plain or gzip, through
 * slurp.h) and parsed by pglog.h.
 */
#ifndef DBPOD_PGLOGREAD_H
#define DBPOD_PGLOGREAD_H

#include <stddef.h>

#include "pglog.h"

/* dbp_pglog_parse on a file (plain or gzip). Returns the number of
 * events or a negative errno. */
int dbp_pglog_read(struct dbp_pglog *log, const char *path);

/* Where the PostgreSQL server under procfs ("/proc" when NULL) logs: the
 * regular file behind a postmaster's stderr (fd 2; a container's logs
 * redirected to a file, pg_ctl -l), else the file its logging collector
 * (the "postgres: logger" child) holds open -- the stderr log before a
 * csvlog or jsonlog one. The postmaster is a postgres process whose
 * parent is not one. The path as this mount namespace names it, into
 * buf; 0, or -ENOENT when no postmaster or no log file is seen (a log
 * to a pipe, syslog, or a postmaster of another user: /proc/PID/fd
 * needs its owner or CAP_SYS_PTRACE). */
int dbp_pglog_locate(const char *procfs, char *buf, size_t size);

#endif
