/*
 * PostgreSQL server logs: the postmaster's lines about children that died,
 * which are what a post-mortem starts from (a child killed by a signal
 * makes the postmaster restart every session):
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
 *
 * And the checkpointer's lines (log_checkpoints, on by default since 15),
 * which say how long a stop's shutdown checkpoint will take:
 *
 *   checkpoint starting: shutdown immediate
 *   checkpoint complete: wrote 12663 buffers (77.3%); 0 WAL file(s) added, ...;
 *       write=0.412 s, sync=8.950 s, total=9.441 s; sync files=7, ...;
 *       distance=106190 kB, estimate=106190 kB
 *
 * (xlog.c LogCheckpointStart and LogCheckpointEnd; "restartpoint" on a
 * standby). The percentage is of shared_buffers, so the lines also tell
 * the pool's size.
 *
 * And the startup process's lines of a crash recovery, which say how fast
 * this server replays WAL (xlogrecovery.c, PostgreSQL 15):
 *
 *   redo starts at 0/1A3B4C8
 *   redo done at 0/5F7C2B0 system usage: CPU: user: 1.23 s, system: 0.45 s, elapsed: 2.34 s
 *   checkpoint starting: end-of-recovery immediate wait
 *   checkpoint complete: wrote 3710 buffers (22.6%); ... total=4.120 s; ...
 *
 * The end-of-recovery checkpoint is part of the recovery: the server
 * accepts connections once it is done. So is the fsync of the whole data
 * directory before redo (what the killed server left in the page cache):
 * the whole of it is from "database system was interrupted" to "database
 * system is ready to accept connections".
 */
#ifndef DBPOD_PGLOG_H
#define DBPOD_PGLOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pgcontrol.h"

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

/* What a checkpoint was asked for (the words of "checkpoint starting:") */
enum {
	DBP_CKPT_SHUTDOWN = 1 << 0,		/* a stop's (or a restart's) last checkpoint */
	DBP_CKPT_END_OF_RECOVERY = 1 << 1,
	DBP_CKPT_IMMEDIATE = 1 << 2,		/* unthrottled: CHECKPOINT, a base backup's fast one */
	DBP_CKPT_FORCE = 1 << 3,
	DBP_CKPT_WAIT = 1 << 4,
	DBP_CKPT_WAL = 1 << 5,			/* max_wal_size reached */
	DBP_CKPT_TIME = 1 << 6,			/* checkpoint_timeout */
	DBP_CKPT_FLUSH_ALL = 1 << 7,
	DBP_CKPT_RESTARTPOINT = 1 << 8,		/* a standby's */
	DBP_CKPT_STARTED = 1 << 15,		/* the "starting:" line was seen */
};

/* Written at full speed rather than spread over checkpoint_completion_target
 * of the interval: its total measures the disk. */
#define DBP_CKPT_UNTHROTTLED (DBP_CKPT_SHUTDOWN | DBP_CKPT_END_OF_RECOVERY | DBP_CKPT_IMMEDIATE)

struct dbp_pglog_checkpoint {
	size_t line;			/* of the "complete:" line */
	double when;			/* its time, when have_when */
	int have_when;
	unsigned flags;			/* DBP_CKPT_*: from the "starting:" line before it */
	long buffers;			/* wrote N buffers */
	double percent;			/* (P%) of shared_buffers; 0 when not logged */
	double write_s, sync_s, total_s;	/* write=, sync=, total= */
	long distance_kb;		/* distance=: WAL since the previous one; -1 not logged */
};

/* One crash (or archive) recovery's redo, from "redo starts at" */
struct dbp_pglog_redo {
	size_t line;			/* of "redo starts at" */
	double when;			/* its time, when have_when */
	int have_when;
	uint64_t start;			/* the LSN redo started at */
	int have_done;			/* "redo done at" followed */
	uint64_t done;			/* the LSN of the last record replayed */
	double elapsed_s;		/* redo's elapsed time, from its system usage */
	int have_ckpt;			/* an end-of-recovery checkpoint completed after it */
	double ckpt_s;			/* its total= */
	long ckpt_buffers;
	int interrupted_timed;		/* "database system was interrupted" came before
					 * it, at interrupted_when */
	double interrupted_when;
	int have_span;			/* and "is ready to accept connections" after
					 * it, both timed */
	double span_s;			/* the time between them: the whole recovery */
};

struct dbp_pglog {
	struct dbp_pglog_event *ev;
	size_t n, cap;
	struct dbp_pglog_checkpoint *ckpt;	/* in the log's order */
	size_t nckpt, ckpt_cap;
	struct dbp_pglog_redo *redo;	/* in the log's order */
	size_t nredo, redo_cap;
	int interrupted;		/* "database system was interrupted" seen, no redo yet */
	int interrupted_timed;
	double interrupted_when;
	unsigned ckpt_starting;		/* the flags of a "starting:" not yet completed */
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

/* Parse one message for a checkpointer's line. Returns 1 for a
 * "starting:" line (*flags filled, ck untouched), 2 for a "complete:" line
 * (ck's counts and times filled; its flags, line and time are the
 * caller's), 0 for any other message. */
int dbp_pglog_parse_checkpoint(const char *msg, unsigned *flags, struct dbp_pglog_checkpoint *ck);

/* Parse one message for a recovery's redo line. Returns 1 for "redo starts
 * at X/Y" (*lsn filled), 2 for "redo done at X/Y system usage: ...
 * elapsed: S s" (*lsn and *elapsed filled), 0 for any other message. */
int dbp_pglog_parse_redo(const char *msg, uint64_t *lsn, double *elapsed);

/* A WAL position as PostgreSQL writes it, "16/B374D848", at s: returns
 * the character after it and fills *lsn, or NULL when s holds none. */
const char *dbp_pg_lsn_parse(const char *s, uint64_t *lsn);

/* Parse a whole log (stderr, csvlog or jsonlog, told apart per entry).
 * Returns the number of events (deaths; the checkpoints go to ckpt), or
 * -ENOMEM. */
int dbp_pglog_parse(struct dbp_pglog *log, const char *text);

/* PostgreSQL's block size: the buffers of the log's lines are of it */
#define DBP_PG_BLOCK_KB 8

/* The server's evidence for a stop's time budget (rules_budget.h): its
 * log and shared_buffers, filled by dbp_pg_evidence_read (pglogread.h). */
struct dbp_pg_evidence {
	int log_read;			/* 1: a log was read into log */
	int log_err;			/* else why not: a negative errno, or 0 when none was found */
	char log_path[256];		/* the file read, or tried; "" when none was found */
	const char *log_where;		/* how it was found: "the postmaster's standard error", ... */
	const char *log_missing;	/* when none was found, why: "standard error is a pipe ..." */
	int log_pipe;			/* none was, standard error being a pipe or a socket:
					 * the runtime's, whose copy node mode may read */
	struct dbp_pglog log;
	long shared_buffers_kb;		/* from the postmaster's command line; 0 not given there */
	/* the data directory's pg_control and pg_wal, for the crash recovery
	 * a kill now would cause (rules_budget.h) */
	int recovery_read;		/* 1: recovery was read (its own fields say how far) */
	struct dbp_pg_recovery_input recovery;
};

void dbp_evidence_init(struct dbp_pg_evidence *ev);
void dbp_evidence_free(struct dbp_pg_evidence *ev);

#endif
