/*
 * A running Redis server's own evidence for the stop's time budget
 * (struct dbp_redis_evidence, redislog.h): its configuration, its
 * snapshot file and its log, read through the server's root.
 *
 * Redis overwrites its command line with its process title
 * (proc-title-template, "redis-server *:6379"): the options and the
 * configuration file given there are then gone from /proc/PID/cmdline,
 * and what the budget needs is taken from what stays: the working
 * directory, which is `dir` (Redis changes into it), the snapshot file
 * there, and the standard output, where Redis logs by default.
 */
#ifndef DBPOD_REDISREAD_H
#define DBPOD_REDISREAD_H

#include "proctable.h"
#include "redislog.h"

/* At most this much of the configuration file is read */
#define DBP_REDIS_CONF_MAX (1024 * 1024)

/* At most this much of the log, from its end: the last saves count */
#define DBP_REDISLOG_TAIL (8 * 1024 * 1024)

/* The evidence of the redis-server process srv under procfs ("/proc"
 * when NULL): its command line's options and configuration file (when
 * the command line is still there), the RDB file in its working
 * directory (dbfilename, else dump.rdb), its resident memory, and the
 * last DBP_REDISLOG_TAIL bytes of its log: the logfile its configuration
 * names, else its standard output when that is a regular file. Returns
 * 0 (ev says what was read), or -ENOMEM. */
int dbp_redis_evidence_read(const char *procfs, const struct dbp_proc *srv,
			    struct dbp_redis_evidence *ev);

/* The same, and when srv's command line is its process title, the
 * options taken from the command line that started it, where a process
 * of chain (PID 1 down to srv, dbp_table_chain) still holds it -- an
 * init's `tini -- redis-server /etc/redis.conf --save ""` -- else from
 * command, the command= of supervisord's program for it (NULL: none),
 * split as its shell-like words */
int dbp_redis_evidence_read_chain(const char *procfs, const struct dbp_proc *srv,
				  const struct dbp_proc *const *chain, size_t nchain,
				  const char *command, struct dbp_redis_evidence *ev);

/* The same as dbp_pg_evidence_runtime (pglogread.h) for Redis, which
 * logs to its standard output: the runtime's keeping of it parsed into
 * ev->log when ev->log_missing says it goes to a pipe. 0 or -ENOMEM. */
struct dbp_runtime_output;
int dbp_redis_evidence_runtime(struct dbp_redis_evidence *ev,
			       struct dbp_runtime_output *rt);

#endif
