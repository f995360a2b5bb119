/*
 * One variable from another process's environment.
 *
 * /proc/PID/environ holds passwords (POSTGRES_PASSWORD, PGPASSWORD, cloud
 * keys). This is the only reader of it in dbpod, and it returns exactly the
 * one variable asked for: callers name the variables their rule needs.
 */
#ifndef DBPOD_PROCENV_H
#define DBPOD_PROCENV_H

#include <stddef.h>
#include <sys/types.h>

/* Copy the value of name in pid's environment into buf (truncated to
 * size - 1). Returns 0, -ENOENT when the variable is not set, or the
 * negative errno of the read (-EACCES without permission, -ESRCH gone). */
int dbp_environ_get(const char *procfs, pid_t pid, const char *name,
		    char *buf, size_t size);

/* What PostgreSQL's fork_process() reads from the postmaster's
 * environment, PG_OOM_ADJUST_FILE and PG_OOM_ADJUST_VALUE, and nothing
 * else, into e (qos.h); e->rc says why not when the environment
 * cannot be read. */
struct dbp_pg_oom_env;
void dbp_pg_oom_env_read(const char *procfs, pid_t postmaster, struct dbp_pg_oom_env *e);

#endif
