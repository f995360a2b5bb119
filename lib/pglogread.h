/*
 * A PostgreSQL server log read from its file (plain or gzip, through
 * slurp.h) and parsed by pglog.h; and a running server's own evidence
 * for the stop's time budget (struct dbp_pg_evidence, pglog.h): its log,
 * found the way the server writes it, and the settings its command line
 * gives.
 */
#ifndef DBPOD_PGLOGREAD_H
#define DBPOD_PGLOGREAD_H

#include <stddef.h>

#include "pglog.h"
#include "proctable.h"

/* At most this much of a live server's log is read, from its end: the
 * last checkpoints are what count, and a log can be gigabytes. */
#define DBP_PGLOG_TAIL (8 * 1024 * 1024)

/* dbp_pglog_parse on a file (plain or gzip). Returns the number of
 * events or a negative errno. */
int dbp_pglog_read(struct dbp_pglog *log, const char *path);

/* The files the logging collector rotated to after path: those of path's
 * directory with the same name before its time (its first digit) and the
 * same suffix (".log", ".csv", ".json") modified after it, oldest first, as malloc'd paths into *out (free each and *out).
 * Returns how many (0 when path names no directory or has no suffix), or
 * -ENOMEM; 0 too for a name without a digit, which the collector does not
 * rotate away from. A header names the file open when the recording began; the
 * crash may be in the one the collector writes now. */
long dbp_pglog_rotated(const char *path, char ***out);

/* dbp_pglog_read of path and then each of more[0..n), read as one text
 * (line numbers count on through them, as if concatenated). */
int dbp_pglog_read_all(struct dbp_pglog *log, const char *path, char *const *more, size_t n);

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

/* The log of the running postmaster pm, as it writes it: the file
 * current_logfiles names in its data directory (logging_collector, the
 * postmaster's working directory), else its standard error when that is
 * a regular file (pg_ctl -l, a redirect). A pipe there is the runtime's
 * log (`docker logs`, `kubectl logs`), not readable from here: said in
 * ev->log_missing. Its last DBP_PGLOG_TAIL bytes are parsed into
 * ev->log, and shared_buffers is taken from pm's command line
 * (-B, -c shared_buffers=, --shared_buffers=); and its data directory
 * (its working directory) for the crash recovery a kill would cause,
 * into ev->recovery (pgcontrolread.h). Returns 0 (ev->log_read says
 * whether a log was read, ev->recovery how far the data directory was),
 * or -ENOMEM. procfs NULL: /proc. */
int dbp_pg_evidence_read(const char *procfs, const struct dbp_proc *pm,
			 struct dbp_pg_evidence *ev);

/* When dbp_pg_evidence_read found no log because the server writes it to
 * a pipe (ev->log_missing), the runtime's keeping of that pipe's output
 * (node mode, stopinput.h's struct dbp_runtime_output) parsed into
 * ev->log instead, ev->log_path and ev->log_where naming the runtime's
 * file; without its text, ev->log_missing becomes rt->missing, which
 * says why. rt NULL (inside a container), or a log already read: ev is
 * left as it is. 0 or -ENOMEM. */
struct dbp_runtime_output;
int dbp_pg_evidence_runtime(struct dbp_pg_evidence *ev, struct dbp_runtime_output *rt);

/* What that does, for PostgreSQL's evidence, Redis's and MariaDB's
 * alike (their log_pipe, log_read, log_err, log_missing, log_path and
 * log_where): where the server's log was not found for a pipe (pipe set,
 * *log_read and log_err 0), rt's text -- loaded now, by rt->load, if
 * that is set -- given to parse(arg, text), *log_read then 1, path and
 * *where naming rt's file and *missing NULL; else *missing becomes
 * rt->missing where that says why. rt->wanted and rt->used record which.
 * 0, or what parse returned that is negative. */
int dbp_runtime_output_parse(struct dbp_runtime_output *rt, int pipe, int *log_read, int log_err,
			     const char **missing, char *path, size_t size, const char **where,
			     int (*parse)(void *arg, const char *text), void *arg);

/* A PostgreSQL memory setting ("256MB", "1GB", "16384" in 8 kB blocks,
 * as shared_buffers counts) in kB. Returns it, or -EINVAL when it is not
 * one (an unknown unit: "1PB"), -ERANGE when it overflows a long. */
long dbp_pg_memory_kb(const char *value);

#endif
