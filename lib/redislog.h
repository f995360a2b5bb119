/*
 * Redis's own evidence for a stop's time budget: its log and its
 * configuration, parsed.
 *
 * A Redis shutdown (SIGTERM, SIGINT, SHUTDOWN) with save points set
 * writes a whole RDB snapshot in the foreground before it exits (server.c
 * finishShutdown: with appendonly on it also fsyncs the AOF, then saves
 * the snapshot all the same). Its log says how long such a save took the
 * last time (server.c serverLogRaw, "PID:ROLE DD Mon YYYY HH:MM:SS.mmm L
 * message", ROLE M the server, C a child):
 *
 *   24648:M 07 Dec 2026 10:48:23.883 * Background saving started by pid 25137
 *   25137:C 07 Dec 2026 10:48:29.403 * DB saved on disk
 *   24648:M 07 Dec 2026 10:48:29.528 * Background saving terminated with success
 *
 *   24648:M 07 Dec 2026 10:48:29.629 * Saving the final RDB snapshot before exiting.
 *   24648:M 07 Dec 2026 10:48:34.438 * DB saved on disk
 *   24648:M 07 Dec 2026 10:48:34.438 # Redis is now ready to exit, bye bye...
 *
 * (rdb.c rdbSave, rdbSaveBackground; the SAVE command logs only "DB saved
 * on disk", with no start to time it from). The times are the server's
 * local time, without a zone: only their differences are used.
 *
 * The configuration: redis.conf's directives and the command line's
 * --name value options (config.c), of which the budget needs save,
 * appendonly, dbfilename, dir and logfile.
 */
#ifndef DBPOD_REDISLOG_H
#define DBPOD_REDISLOG_H

#include <stddef.h>

enum dbp_redis_save_kind {
	DBP_REDIS_SAVE_BACKGROUND,	/* BGSAVE, a save point's, a replica's sync: a child writes */
	DBP_REDIS_SAVE_SHUTDOWN,	/* a stop's final snapshot, in the foreground */
};

/* A save the log timed: from its start line to its "DB saved on disk" */
struct dbp_redislog_save {
	size_t line;			/* of the "DB saved on disk" line */
	enum dbp_redis_save_kind kind;
	double start, end;		/* the log's times (local, no zone) */
};

struct dbp_redislog {
	struct dbp_redislog_save *save;	/* in the log's order */
	size_t nsave, save_cap;
	size_t lines;			/* lines read */
	size_t entries;			/* lines in Redis's format; 0: no Redis log */
	size_t saved;			/* "DB saved on disk" lines, timed or not */
	int last_save_timed;		/* the last "DB saved on disk" is save[nsave - 1] */
	size_t unfinished;		/* stops whose final snapshot never ended (SIGKILLed mid-save) */
	/* parser state: the save under way */
	long bg_pid, fg_pid;		/* a background save's child, a shutdown's server; 0 none */
	double bg_start, fg_start;
};

void dbp_redislog_init(struct dbp_redislog *log);
void dbp_redislog_free(struct dbp_redislog *log);

/* One line of a Redis 3+ log (not NUL-terminated, len bytes): its pid,
 * role character, time (seconds, the local time taken as UTC) and where
 * its message starts. 1 when it is one, 0 when not. */
int dbp_redislog_line(const char *line, size_t len, long *pid, char *role, double *when,
		      const char **msg);

/* Parse a whole log. Returns the number of timed saves, or -ENOMEM. */
int dbp_redislog_parse(struct dbp_redislog *log, const char *text);

/* What the budget needs of Redis's configuration */
struct dbp_redis_conf {
	int nsave;			/* save points: -1 not set (Redis's default holds), 0 none (save "") */
	char save[128];			/* as given: "3600 1 300 100" */
	int appendonly;			/* -1 not set (no), 0 no, 1 yes */
	char dbfilename[128];		/* "" not set (dump.rdb) */
	char dir[256];			/* "" not set */
	char logfile[256];		/* "" not set or empty (standard output) */
	int logfile_set;
	int include;			/* an include directive, not followed */
	int save_seen;			/* a save directive was applied */
};

/* Redis 7's save points when none are configured */
#define DBP_REDIS_DEFAULT_SAVE "3600 1 300 100 60 10000"

void dbp_redis_conf_init(struct dbp_redis_conf *c);

/* One directive with its arguments (name without "--"), applied as
 * Redis applies it: the first save of a configuration replaces the
 * default points, later ones add to them, save "" removes them all
 * (the command line's options are loaded as the file's lines are). */
void dbp_redis_conf_apply(struct dbp_redis_conf *c, const char *name, char *const *args,
			  size_t nargs);

/* Split line (modified in place) into at most max args as sdssplitargs
 * does, "double" (with backslash escapes) and 'single' quotes; returns
 * how many, or -1 for an unbalanced quote (Redis refuses the line) */
int dbp_redis_split_args(char *line, char **args, int max);

/* redis.conf's text: one directive a line, "#" comments, arguments split
 * as sdssplitargs does ("double" and 'single' quotes). Returns 0. */
int dbp_redis_conf_parse(struct dbp_redis_conf *c, const char *text);

/* The options of a redis-server command line after its configuration
 * file: "--save" "60" "10" "--appendonly" "yes" (and "--save" "60 10"),
 * each --name starting a directive, as config.c loadServerConfig joins
 * them. argv ends with NULL. */
void dbp_redis_conf_args(struct dbp_redis_conf *c, char *const *argv);

/* The server's evidence for the budget (rules_budget.h), filled by
 * dbp_redis_evidence_read (redisread.h). */
struct dbp_redis_evidence {
	int title;			/* the command line is Redis's process title: its
					 * options and configuration file are not there */
	char args_from[96];		/* under the title, whose command line gave them
					 * instead: "tini (PID 1)"; "" none */
	char conf_path[256];		/* the configuration file named, "" none */
	int conf_err;			/* it could not be read: a negative errno */
	struct dbp_redis_conf conf;	/* the file's, then the command line's */
	char rdb_path[320];		/* the snapshot file, in the server's view */
	int rdb_err;			/* 0: rdb_bytes is its size; else a negative errno */
	long long rdb_bytes;
	unsigned long rss_kb;		/* the server's resident memory; 0 not known */
	int log_read;			/* 1: a log was read into log */
	int log_err;			/* else why not: a negative errno, or 0 when none was found */
	char log_path[256];
	const char *log_where;		/* "the logfile of its configuration", ... */
	const char *log_missing;	/* when none was found, why */
	int log_pipe;			/* none was, standard output being a pipe or a socket */
	struct dbp_redislog log;
};

void dbp_redis_evidence_init(struct dbp_redis_evidence *ev);
void dbp_redis_evidence_free(struct dbp_redis_evidence *ev);

#endif
