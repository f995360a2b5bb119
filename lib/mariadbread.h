/*
 * A running MariaDB (or MySQL) server's own evidence for the stop's time
 * budget (struct dbp_mariadb_evidence, mariadblog.h): its option files,
 * its command line and its error log, read through the server's root.
 *
 * mariadbd keeps its command line. With log_error set it reopens its
 * standard error onto that file, so descriptor 2 is its log either way,
 * where it is a regular file; a container's server without log_error
 * writes to the runtime's pipe, which dbpod cannot read back.
 */
#ifndef DBPOD_MARIADBREAD_H
#define DBPOD_MARIADBREAD_H

#include "mariadblog.h"
#include "proctable.h"

/* At most this much of an option file is read */
#define DBP_MARIADB_CONF_MAX (256 * 1024)

/* At most this many option files, !include and !includedir followed */
#define DBP_MARIADB_CONF_FILES 32

/* At most this much of the log, from its end: the last shutdowns count */
#define DBP_MARIADBLOG_TAIL (8 * 1024 * 1024)

/* The evidence of the mariadbd (or mysqld) process srv under procfs
 * ("/proc" when NULL): its option files (--defaults-file, else
 * /etc/my.cnf and /etc/mysql/my.cnf, with their includes) and command
 * line's options, then the last DBP_MARIADBLOG_TAIL bytes of its error
 * log: its standard error when that is a regular file, else the
 * log_error it is configured with. Every path is resolved inside the
 * server's root. Returns 0 (ev says what was read), or -ENOMEM. */
int dbp_mariadb_evidence_read(const char *procfs, const struct dbp_proc *srv,
			      struct dbp_mariadb_evidence *ev);

/* The same as dbp_pg_evidence_runtime (pglogread.h) for MariaDB, whose
 * official image logs to its standard error: where that was a pipe, the
 * runtime's keeping of it (node mode) parsed into ev->log instead. rt
 * NULL (inside a container), a log already read, or one missing for
 * another reason: ev is left as it is. 0 or -ENOMEM. */
struct dbp_runtime_output;
int dbp_mariadb_evidence_runtime(struct dbp_mariadb_evidence *ev,
				 struct dbp_runtime_output *rt);

#endif
