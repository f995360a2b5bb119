/*
 * MariaDB's own evidence for a stop's time budget: its error log and its
 * configuration, parsed (no file opened: mariadbread.h reads them).
 *
 * A clean shutdown (SIGTERM, SHUTDOWN) closes the connections, then
 * InnoDB writes every dirty page of its buffer pool and checkpoints its
 * log (innodb_fast_shutdown=1, the default); its length is the dirty
 * pages at the speed of the disk. The error log says how long the last
 * ones took (sql_print_information: "YYYY-MM-DD HH:MM:SS THREAD [Level]
 * message", the server's local time in whole seconds, no zone), as a
 * mariadbd 10.11 writes it (Debian 12):
 *
 *   2026-12-07 13:28:31 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown
 *   2026-12-07 13:28:31 0 [Note] InnoDB: Starting shutdown...
 *   2026-12-07 13:28:31 0 [Note] Shutdown completed; log sequence number 46624; transaction id 19
 *   2026-12-07 13:28:31 0 [Note] /usr/sbin/mariadbd: Shutdown complete
 *
 * and a start:
 *
 *   2026-12-07 13:28:28 0 [Note] Starting MariaDB 10.11.19-MariaDB-0+deb12u1 source revision ...
 *   2026-12-07 13:28:28 0 [Note] /usr/sbin/mariadbd: ready for connections.
 *
 * A shutdown is timed from "Normal shutdown" to "Shutdown complete". One
 * with no "Shutdown complete" before the next start was cut short: the
 * server was killed (a grace period's SIGKILL, the OOM killer) or
 * crashed, and that start runs InnoDB crash recovery ("Starting crash
 * recovery from checkpoint LSN=", logged by the next life). MySQL 8's
 * lines ("2026-12-07T13:28:31.123456Z 0 [System] [MY-010910] [Server]
 * /usr/sbin/mysqld: Shutdown complete") carry the same words after their
 * own prefix and are read alike. The times are only subtracted, so their
 * zone does not matter; being whole seconds, a shutdown within one
 * second reads as 0 s.
 *
 * The configuration: the options of the command line (--name=value,
 * dashes and underscores alike) and of an option file's [mysqld],
 * [mariadbd], [server] and [mariadb] sections (and their -10.11 kinds),
 * of which the budget needs innodb_fast_shutdown, innodb_buffer_pool_size
 * and log_error.
 */
#ifndef DBPOD_MARIADBLOG_H
#define DBPOD_MARIADBLOG_H

#include <stddef.h>

/* How many of the log's last timed shutdowns count: the estimate is the
 * longest of them */
#define DBP_MARIADB_RECENT 5

/* A shutdown the log timed */
struct dbp_mariadblog_shutdown {
	size_t line;			/* of its "Shutdown complete" */
	double start, end;		/* the log's times (local, no zone, whole seconds) */
};

struct dbp_mariadblog {
	struct dbp_mariadblog_shutdown *shut;	/* in the log's order */
	size_t nshut, shut_cap;
	size_t lines;			/* lines read */
	size_t entries;			/* lines with MariaDB's (or MySQL's) prefix; 0: no such log */
	size_t starts;			/* "ready for connections" lines */
	size_t unfinished;		/* shutdowns cut short: no "Shutdown complete" before the next start */
	double unfinished_start;	/* the last of them: its "Normal shutdown" */
	double unfinished_last;		/* and the last line logged before the next start */
	size_t recoveries;		/* InnoDB crash recoveries at a start */
	size_t crashes;			/* "got signal N": the server crashed */
	/* parser state */
	int in_shutdown;		/* a "Normal shutdown" with no end yet */
	double shut_start, last_when;
};

void dbp_mariadblog_init(struct dbp_mariadblog *log);
void dbp_mariadblog_free(struct dbp_mariadblog *log);

/* One line of the error log (not NUL-terminated, len bytes): its time
 * (seconds, the local time taken as UTC) and where its message starts,
 * after "[Level] " (and MySQL 8's "[MY-NNNNNN] [Subsystem] "). 1 when it
 * is one, 0 when not. */
int dbp_mariadblog_line(const char *line, size_t len, double *when, const char **msg);

/* Parse a whole log. Returns the number of timed shutdowns, or -ENOMEM. */
int dbp_mariadblog_parse(struct dbp_mariadblog *log, const char *text);

/* What the budget needs of the configuration */
struct dbp_mariadb_conf {
	int fast_shutdown;		/* innodb_fast_shutdown: -1 not set (1), else 0..3 */
	long long buffer_pool;		/* innodb_buffer_pool_size in bytes: -1 not set (128 MB) */
	char log_error[256];		/* log_error (log-error): "" not set */
	int log_error_set;		/* given, maybe without a value (then DATADIR/HOST.err) */
	char datadir[256];		/* "" not set */
	char defaults_file[256];	/* --defaults-file: the only option file read; "" none */
	char fast_from[128];		/* where innodb_fast_shutdown was set: "its command line", a file */
};

/* MariaDB's innodb_buffer_pool_size when none is set */
#define DBP_MARIADB_DEFAULT_POOL (128LL * 1024 * 1024)

void dbp_mariadb_conf_init(struct dbp_mariadb_conf *c);

/* One option (name without "--", dashes and underscores alike, a
 * "loose-" prefix dropped; value NULL when none is given), from where
 * (for fast_from) */
void dbp_mariadb_conf_apply(struct dbp_mariadb_conf *c, const char *name, const char *value,
			    const char *where);

/* An option file's text: "[section]" headers, "name = value" or "name"
 * lines, "#" and ";" comments, quoted values; only the server's sections
 * count. Each "!include FILE" and "!includedir DIR" line is passed to
 * include (when not NULL) with arg, for the reader to follow. Returns 0. */
int dbp_mariadb_conf_parse(struct dbp_mariadb_conf *c, const char *text, const char *where,
			   void (*include)(void *arg, int dir, const char *path), void *arg);

/* The options of a mariadbd (or mysqld) command line, argv[0] the
 * program, ending with NULL, as my_getopt reads them: --name=value; an
 * option that needs a value (innodb_fast_shutdown,
 * innodb_buffer_pool_size, datadir, defaults-file) also takes the next
 * argument (--name value); log-error's value is optional, so only
 * --log-error=PATH gives it one. */
void dbp_mariadb_conf_args(struct dbp_mariadb_conf *c, char *const *argv);

/* The server's evidence for the budget (rules_budget.h), filled by
 * dbp_mariadb_evidence_read (mariadbread.h). */
struct dbp_mariadb_evidence {
	struct dbp_mariadb_conf conf;	/* the option files', then the command line's */
	char conf_read[256];		/* the option files read, "" none */
	int log_read;			/* 1: a log was read into log */
	int log_err;			/* else why not: a negative errno, or 0 when none was found */
	char log_path[256];
	const char *log_where;		/* "its standard error", "the log_error of its command line" */
	const char *log_missing;	/* when none was found, why */
	int stderr_pipe;		/* none was, standard error being a pipe (the runtime's) */
	struct dbp_mariadblog log;
};

void dbp_mariadb_evidence_init(struct dbp_mariadb_evidence *ev);
void dbp_mariadb_evidence_free(struct dbp_mariadb_evidence *ev);

#endif
