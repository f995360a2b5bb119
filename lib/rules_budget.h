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
 */
#ifndef DBPOD_RULES_BUDGET_H
#define DBPOD_RULES_BUDGET_H

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
};

/* The budget of a PostgreSQL shutdown with grace seconds to fit in;
 * ev NULL: the server's evidence was not read (a recording, an image). */
void dbp_pg_stop_budget(const struct dbp_pg_evidence *ev, int grace, struct dbp_stop_budget *b);

/* The budget of a Redis shutdown with grace seconds to fit in: its
 * final RDB snapshot; ev NULL: the server's evidence was not read. */
void dbp_redis_stop_budget(const struct dbp_redis_evidence *ev, int grace,
			   struct dbp_stop_budget *b);

#endif
