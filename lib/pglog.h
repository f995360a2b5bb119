/*
 * PostgreSQL server logs: the postmaster's lines about children that died,
 * which are what a post-mortem starts from (seed 000):
 *
 *   server process (PID 84799) was terminated by signal 13: Broken pipe
 *   background worker "logical replication launcher" (PID 120) exited with exit code 1
 *   server process (PID 4242) was terminated by exception 0xC0000005
 *
 * (postmaster.c LogChildExit). Read from the stderr format, with or
 * without a log_line_prefix that starts with a timestamp (%m or %t), from
 * csvlog, whose 14th column is the message, and from jsonlog (PostgreSQL
 * 15+: "timestamp" and "message"). The messages are
 * PostgreSQL's English ones (lc_messages = C or en).
 */
#ifndef DBPOD_PGLOG_H
#define DBPOD_PGLOG_H

#include <stddef.h>
#include <sys/types.h>

enum dbp_pglog_how {
	DBP_PGLOG_SIGNAL,		/* was terminated by signal S[: NAME] */
	DBP_PGLOG_EXIT,			/* exited with exit code C */
	DBP_PGLOG_EXCEPTION,		/* was terminated by exception X (Windows) */
};

struct dbp_pglog_event {
	size_t line;			/* 1-based line of the file where the entry starts */
	double when;			/* seconds since the epoch */
	int have_when;			/* 0: the line has no timestamp (no prefix) */
	int zone_unknown;		/* a zone name dbpod cannot resolve: taken as UTC */
	pid_t pid;			/* the child that died */
	enum dbp_pglog_how how;
	int code;			/* the signal number or the exit code */
	char what[96];			/* "server process", "background worker \"x\"" */
	char detail[64];		/* the signal's name as logged ("Broken pipe"), the exception */
	char text[512];			/* the message as logged */
};

struct dbp_pglog {
	struct dbp_pglog_event *ev;
	size_t n, cap;
	size_t lines;			/* lines read */
	size_t entries;			/* entries in one of PostgreSQL's log formats: a
					 * line with a severity tag ("LOG:  ", two
					 * spaces, as elog.c writes it), a csvlog
					 * record, a jsonlog object, or a child's death;
					 * 0 for a file that is no PostgreSQL log */
	int csv;			/* csvlog entries were seen */
	int json;			/* jsonlog entries were seen */
	int cut;			/* a gzip stream ended early: the lines before it were read */
};

void dbp_pglog_init(struct dbp_pglog *log);
void dbp_pglog_free(struct dbp_pglog *log);

/* Parse one message (the text after "LOG:  ", or the whole line) for a
 * child's death; returns 1 and fills ev->pid, how, code, what, detail,
 * text; 0 when the message is not one. */
int dbp_pglog_parse_message(const char *msg, struct dbp_pglog_event *ev);

/* 1 when line (not NUL-terminated, len bytes) carries one of
 * PostgreSQL's severity tags as elog.c writes them ("LOG:  ", "FATAL:  ",
 * "DETAIL:  " ...): a line of the stderr format. */
int dbp_pglog_line_tagged(const char *line, size_t len);

/* Parse a whole log (stderr, csvlog or jsonlog, told apart per entry).
 * Returns the number of events, or -ENOMEM. */
int dbp_pglog_parse(struct dbp_pglog *log, const char *text);

#endif
