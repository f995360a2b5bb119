/*
 * signals rules: who catches, ignores and blocks what, and what a stop of
 * the container will do (DESIGN.md "signals"; seeds 000 and 002).
 *
 * Finding ids (documented in dbpod-signals(1); never reuse one):
 *   DBS200 unknown       a process asked for is not there / not readable
 *   DBS201 critical      a process adopted by a PostgreSQL PID 1 dies of SIGPIPE
 *   DBS202 crit/warn     a process ignores the stop signal (inherited SIG_IGN)
 *   DBS203 critical      PID 1 drops the stop signal
 *   DBS204 warn/info     signals pending while blocked
 *   DBS205 crit/warn/info the stop path ends in SIGKILL or a risky shutdown
 */
#ifndef DBPOD_RULES_SIGNALS_H
#define DBPOD_RULES_SIGNALS_H

#include "rules_pid1.h"

#define DBP_STEPS_MAX 8

enum dbp_outcome {
	DBP_OUT_UNKNOWN = 0,	/* PID 1 or its masks not readable */
	DBP_OUT_GRACEFUL,	/* the service shuts down cleanly within the grace period */
	DBP_OUT_RISKY,		/* it shuts down, but may outlive the grace period or skip the checkpoint */
	DBP_OUT_UNCERTAIN,	/* a handler of unknown behaviour decides (a shell trap, a supervisor) */
	DBP_OUT_TERMINATED,	/* the signal's default action ends it at once, no cleanup */
	DBP_OUT_SIGKILL,	/* nothing stops it: SIGKILL after the grace period, or at once */
};

struct dbp_stop_path {
	int signal;
	int grace;			/* seconds */
	const struct dbp_proc *receiver;	/* where the signal ends up: the service, or a shell */
	enum dbp_disposition receiver_disp;
	const char *action;		/* "fast shutdown", ... or NULL */
	enum dbp_outcome outcome;
	int dropped_by_pid1;		/* the outcome comes from PID 1 dropping it */
	size_t clients;			/* PostgreSQL client backends connected now */
	char steps[DBP_STEPS_MAX][320];
	size_t nsteps;
};

struct dbp_signals_input {
	struct dbp_pid1_input pid1;	/* stop_signal, tini_kill_group, hidepid */
	int grace;			/* --grace, seconds */
	/* A second reading of the processes that had signals pending while
	 * blocked, taken a moment later; NULL to judge on one reading. */
	const struct dbp_table *recheck;
	int recheck_ms;
};

const char *dbp_outcome_name(enum dbp_outcome o);	/* "graceful", "sigkill", ... */

/* The stop path alone (facts for doctor and postmortem as well). */
void dbp_stop_path(const struct dbp_table *t, const struct dbp_signals_input *in,
		   const struct dbp_pid1_facts *f, struct dbp_stop_path *sp);

/* Is this a process worth a line in the default view? */
int dbp_signals_notable(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			const struct dbp_signals_input *in, const struct dbp_proc *p);

/* All signal rules over the processes of t (each process is judged; a
 * caller that asked for some PIDs passes a table of those plus their
 * context, see cmd/signals.c). */
void dbp_rules_signals(const struct dbp_table *t, const struct dbp_signals_input *in,
		       struct dbp_report *r, struct dbp_pid1_facts *f,
		       struct dbp_stop_path *sp, const pid_t *only, size_t nonly);

/* PostgreSQL client backends (not the auxiliary processes) in t. */
size_t dbp_pg_client_backends(const struct dbp_table *t, pid_t postmaster);

#endif
