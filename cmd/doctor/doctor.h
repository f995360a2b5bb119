/*
 * doctor's run (doctor_run.c), shared by its one-namespace form
 * (doctor.c) and node mode (doctor_node.c): every live check on the table
 * dbp_live_* serves. doctor.c calls both; node mode calls only the run.
 */
#ifndef DBPOD_CMD_DOCTOR_H
#define DBPOD_CMD_DOCTOR_H

#include "dbpod.h"

#define DOCTOR_NCHECKS 5

struct doctor_run {
	struct dbp_result res[DOCTOR_NCHECKS];	/* the checks that applied */
	size_t n;
	const char *skipped[DOCTOR_NCHECKS];	/* those that did not */
	size_t nskipped;
	struct dbp_report all;			/* merged, ranked (rules_doctor) */
	int status;				/* exit status */
};

/* Run every check as o says on what dbp_live_share or dbp_live_target set
 * up. */
void doctor_judge(struct doctor_run *d, const struct dbp_opts *o);
/* doctor's JSON object (the facts move into it). */
struct json_object *doctor_json(struct doctor_run *d);
/* doctor's series into m. */
void doctor_metrics(const struct doctor_run *d, struct dbp_metrics *m);
void doctor_free(struct doctor_run *d);

/* doctor_node.c */
struct doctor_node_opts {
	int on;			/* --all-containers */
	int all;		/* --all: namespaces without a database too */
	int every;		/* --every SECONDS; -1: once */
};

/* Node mode: every other PID namespace judged as o says, each with the
 * stop signal and grace period its runtime gives it (unless o's were
 * given), o's -o FILE written whole on each run; returns the exit
 * status. */
int doctor_node(const struct doctor_node_opts *no, const struct dbp_opts *o);

#endif
