/*
 * dbpod snapshot, split: snapshot.c parses the options and runs the
 * recorder in steps (open, a tick per sample, finish, close);
 * snapshot_view.c holds the stop signals, the ticks, the text view and
 * the accounting drain.
 */
#ifndef DBPOD_CMD_SNAPSHOT_H
#define DBPOD_CMD_SNAPSHOT_H

#include "rec/acctread.h"
#include "proctable.h"
#include "rec/recwrite.h"
#include "rec/sampler.h"

/* SIGTERM or SIGINT once one arrived (taken with sigtimedwait). */
extern int snap_stop_signal;

/* Block SIGTERM and SIGINT for the run: taken between samples only. */
void snap_block_stop_signals(void);

/* The wall clock, seconds since the epoch. */
double snap_now(void);

/* Sleep until the next wall-clock multiple of iv, or a stop signal.
 * Returns the ticks missed since started (a sample longer than iv). */
unsigned long long snap_sleep_to_next_tick(double iv, double started);

/* The text view: the header line, and one sample (whole, or with
 * changes only what changed after the first). */
void snap_text_header(int changes);
/* One sample on stdout as the key line of a recording (JSON Lines, valid
 * UTF-8: see dbpod-snapshot(1)). */
void snap_json_sample(const struct dbp_table *cur, unsigned long long seq, double t, int redact);
void snap_text_sample(const struct dbp_table *prev, const struct dbp_table *cur,
		      const struct dbp_delta *d, int first, double t, int changes, int redact);

/* The one-line status on a terminal's standard error. */
void snap_live_status(unsigned long long samples, size_t nprocs, const struct dbp_recout *o);

/* --all-containers: the containers of the node recording, as its
 * namespace lines say them (snapshot_node.c). */
struct snap_node {
	struct dbp_rec_pidns *known;	/* the namespaces of the last sample, read */
	size_t nknown, cap;
};

void snap_node_init(struct snap_node *sn);
void snap_node_free(struct snap_node *sn);

/* The namespace lines that go before the sample cur of time t just taken
 * by s: a namespace's when it is new, every namespace's before a key.
 * Returns 0 or a negative errno of the write. */
int snap_node_lines(struct snap_node *sn, const struct dbp_sampler *s,
		    const struct dbp_table *cur, struct dbp_recout *o, double t, int key);

/* --acct: accounting into FILE.acct beside o's FILE, in its directory;
 * the records since the last call as exit lines of o at time t. Both
 * return 0 or a negative errno. */
int snap_acct_start(struct dbp_acct_spool *sp, struct dbp_recout *o);
int snap_acct_drain(struct dbp_acct_spool *sp, struct dbp_recout *o, double t);

#endif
