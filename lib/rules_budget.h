/*
 * A stop's time budget: how long PostgreSQL's shutdown takes, from the
 * server's own evidence, against the grace period it must fit in.
 *
 * A fast (or smart, once its clients are gone) shutdown ends with a
 * shutdown checkpoint, which writes every dirty buffer of shared_buffers
 * and fsyncs it, unthrottled: its length is the dirty buffers at the
 * speed of the disk. The log's checkpoint lines (pglog.h) give both:
 * a shutdown, end-of-recovery or immediate checkpoint (CHECKPOINT, a
 * base backup's fast one) is written at full speed, so its buffers over
 * its total time is the disk's speed; the largest of the recent
 * checkpoints is what a checkpoint interval of this load dirties, which
 * is what a stop finds dirty; every buffer of shared_buffers dirty is the
 * worst case. Spread checkpoints (time, wal) are throttled on purpose
 * (checkpoint_completion_target) and say nothing of the disk.
 *
 * And a restart's budget: if the server were killed now (SIGKILL at the
 * end of a grace period, the OOM killer), how long the crash recovery of
 * the next start takes, during which it refuses connections. It replays
 * the WAL from the last checkpoint's redo pointer (pg_control) to the end
 * of WAL (within pg_wal's newest segment), then writes what it dirtied in
 * an end-of-recovery checkpoint; the log's last crash recovery ("redo
 * starts at", "redo done at ... elapsed:", and the end-of-recovery
 * checkpoint after it) gives this server's speed at both, as WAL bytes a
 * second. Before redo it fsyncs every file of the data directory, which
 * costs what the page cache holds and the files number, not the WAL: the
 * rest of the last recovery's time ("database system was interrupted" to
 * "ready to accept connections") is added as it was.
 * A Redis shutdown with save points set writes its whole dataset as an
 * RDB snapshot before it exits (redislog.h): its length is the snapshot's
 * size at the speed of the disk. The log's last timed save (a background
 * save or a stop's final one, each written flat out) over the size of the
 * RDB file it left is the disk's speed; that file is what the next save
 * writes, as long as the dataset has not grown since; the server's
 * resident memory is the worst case (a snapshot is smaller than the
 * dataset in memory). Killed mid-save, the stop leaves the previous RDB
 * file in place: every write since the last save is lost, unless
 * appendonly keeps it.
 * A MariaDB shutdown (innodb_fast_shutdown=1, the default) writes every
 * dirty page of InnoDB's buffer pool and checkpoints its redo log before
 * "Shutdown complete" (mariadblog.h): its length is the dirty pages at
 * the speed of the disk, like PostgreSQL's shutdown checkpoint, but the
 * error log counts neither. What it does time is the shutdowns
 * themselves, "Normal shutdown" to "Shutdown complete": the longest of
 * the last DBP_MARIADB_RECENT is the estimate, being what this server's
 * load has left dirty at a stop, on this disk. The log's times are whole
 * seconds, so a shutdown it timed at 0 s is taken as half a second.
 * innodb_fast_shutdown=0 (a slow shutdown: a full purge and change-buffer
 * merge first) takes longer than that as the purge backlog grows; 2 (and
 * 3) write no dirty page, so the stop is short, but the next start runs
 * InnoDB crash recovery: both are said in the basis. Killed mid-shutdown,
 * the server leaves no "Shutdown complete", and the next start runs
 * InnoDB crash recovery.
 */
#ifndef DBPOD_RULES_BUDGET_H
#define DBPOD_RULES_BUDGET_H

#include <stdint.h>

#include "mariadblog.h"
#include "pglog.h"
#include "redislog.h"

/* How many of the log's last checkpoints count as recent */
#define DBP_BUDGET_RECENT 10

struct dbp_stop_budget {
	int judged;			/* a PostgreSQL shutdown this was worked out for */
	int have_estimate;		/* seconds is an estimate from a measured disk speed */
	double seconds;			/* how long the shutdown takes */
	double worst_seconds;		/* every buffer dirty; 0 when the pool's size is not known */
	long buffers;			/* the dirty buffers the estimate assumes */
	double rate;			/* buffers written a second, measured */
	long nbuffers;			/* shared_buffers, in buffers; 0 not known */
	int over;			/* seconds exceed the grace: SIGKILL mid-checkpoint */
	int worst_over;			/* worst_seconds exceed it */
	char basis[1024];		/* what the estimate rests on, or what was assumed */
	int redis;			/* a Redis save, not a PostgreSQL checkpoint: */
	double bytes;			/* the snapshot the estimate assumes */
	double byte_rate;		/* bytes written a second, measured */
	int appendonly;			/* the AOF keeps the writes a kill costs the snapshot */
	int mariadb;			/* a MariaDB shutdown, timed as a whole: */
	int fast_shutdown;		/* innodb_fast_shutdown, 1 when not set */
	size_t timed;			/* the log's shutdowns the estimate is the longest of */
};

/* The budget of a PostgreSQL shutdown with grace seconds to fit in;
 * ev NULL: the server's evidence was not read (a recording, an image). */
void dbp_pg_stop_budget(const struct dbp_pg_evidence *ev, int grace, struct dbp_stop_budget *b);

/* What the probes allow a server that refuses connections, when dbpod
 * cannot see them (live, from inside the container): a Kubernetes
 * liveness probe with its defaults, periodSeconds 10 times
 * failureThreshold 3, and no startupProbe */
#define DBP_RECOVERY_PROBES_ASSUMED 30

/* A recovery that replayed less than this measured only its fixed cost */
#define DBP_RECOVERY_MIN_BYTES (1024 * 1024)

struct dbp_recovery_budget {
	int judged;			/* worked out for a PostgreSQL server */
	int have_wal;			/* wal_low and wal_high are known */
	uint64_t wal_low, wal_high;	/* bytes of WAL to replay: at least, at most */
	int have_estimate;		/* seconds is an estimate from a measured speed */
	double seconds;			/* the recovery of wal_high bytes */
	double seconds_low;		/* of wal_low bytes */
	double rate;			/* WAL bytes recovered a second (redo and the
					 * end-of-recovery checkpoint), measured */
	double fixed_seconds;		/* besides, what does not grow with the WAL:
					 * the fsync of the data directory, measured */
	int allowed;			/* seconds the probes allow */
	const char *allowed_what;	/* what they are, or what was assumed of them */
	int over;			/* seconds exceed allowed */
	char basis[896];		/* what the estimate rests on, or what was assumed */
};

/* The budget of the crash recovery a kill now would cause, against the
 * allowed seconds the probes give a server that refuses connections
 * (allowed_what: what they are, in words, or what was assumed of them).
 * ev NULL: the server's evidence was not read. */
void dbp_pg_recovery_budget(const struct dbp_pg_evidence *ev, int allowed, const char *allowed_what,
			    struct dbp_recovery_budget *b);
/* The budget of a Redis shutdown with grace seconds to fit in: its
 * final RDB snapshot; ev NULL: the server's evidence was not read. */
void dbp_redis_stop_budget(const struct dbp_redis_evidence *ev, int grace,
			   struct dbp_stop_budget *b);

/* The budget of a MariaDB (or MySQL) shutdown with grace seconds to fit
 * in: the longest of the log's last timed shutdowns; ev NULL: the
 * server's evidence was not read. */
void dbp_mariadb_stop_budget(const struct dbp_mariadb_evidence *ev, int grace,
			     struct dbp_stop_budget *b);

#endif
