/*
 * signals rules: who catches, ignores and blocks what, and what a stop of
 * the container will do: an orphaned client a PostgreSQL PID 1 adopted
 * that dies of a signal restarts every session, and a PID 1 that drops
 * the stop signal is killed with SIGKILL after the grace period.
 *
 * Finding ids (documented in dbpod-signals(1); never reuse one):
 *   DBS200 unknown       a process asked for is not there / not readable
 *   DBS201 critical      a process adopted by a PostgreSQL PID 1 dies of SIGPIPE
 *   DBS202 crit/warn     a process ignores the stop signal (inherited SIG_IGN)
 *   DBS203 critical      PID 1 drops the stop signal
 *   DBS204 warn/info     signals pending while blocked
 *   DBS205 crit/warn/info the stop path ends in SIGKILL or a risky shutdown
 *   DBS206 info          not a container: no runtime stop to predict
 *   DBS207 warn/info     the shutdown (PostgreSQL's checkpoint, Redis's
 *                        final snapshot, MariaDB's dirty pages) outlasts the
 *                        grace period (the budget is worked out in
 *                        rules_budget.h)
 *   DBS208 warn/info     the crash recovery a kill now would cause, against
 *                        what the probes allow (rules_budget.h)
 */
#ifndef DBPOD_RULES_SIGNALS_H
#define DBPOD_RULES_SIGNALS_H

#include "rules_budget.h"
#include "rules_pid1.h"
#include "stopinput.h"

#define DBP_STEPS_MAX 10

enum dbp_outcome {
	DBP_OUT_UNKNOWN = 0,	/* PID 1 or its masks not readable */
	DBP_OUT_GRACEFUL,	/* the service shuts down cleanly within the grace period */
	DBP_OUT_RISKY,		/* it shuts down cleanly only if it is done within a short bound (su's 2 s) */
	DBP_OUT_UNCERTAIN,	/* a handler dbpod cannot see into decides (a shell trap, an unread config) */
	DBP_OUT_TERMINATED,	/* the signal's default action ends it at once, no cleanup */
	DBP_OUT_SIGKILL,	/* nothing stops it: SIGKILL after the grace period, or at once */
	DBP_OUT_CRASH,		/* the database stops, but abnormally: crash recovery on the next start */
};

/* When the outcome happens, counted from the stop signal. */
enum dbp_when {
	DBP_WHEN_UNKNOWN = 0,
	DBP_WHEN_SHUTDOWN,	/* when the service's own shutdown ends: seconds, or less */
	DBP_WHEN_AT_ONCE,	/* within a second: a process dies, the namespace with it */
	DBP_WHEN_AFTER,		/* after when_seconds: su's and runuser's 2 s, a supervisor's stopwaitsecs */
	DBP_WHEN_GRACE,		/* at the end of the grace period, when the runtime SIGKILLs */
};

struct dbp_stop_path {
	int signal;
	int grace;			/* seconds */
	int bound;			/* seconds the service has to shut down: the grace,
					 * or a supervisor's stopwaitsecs when shorter */
	const struct dbp_proc *receiver;	/* where the signal ends up: the service, or a shell */
	enum dbp_disposition receiver_disp;
	const char *action;		/* "fast shutdown", ... or NULL */
	enum dbp_outcome outcome;
	enum dbp_when when;
	int when_seconds;		/* the seconds of DBP_WHEN_AFTER and DBP_WHEN_GRACE */
	int dropped_by_pid1;		/* the outcome comes from PID 1 dropping it */
	int passed_on;			/* a trap, su or a supervisor sent the service a
					 * signal of its own choosing instead */
	int server_signal;		/* the signal the database server got; 0 none */
	size_t clients;			/* PostgreSQL client backends connected now */
	const char *unread;		/* what dbpod could not read that decides (an uncertain outcome) */
	char steps[DBP_STEPS_MAX][320];
	size_t nsteps;
	/* how long a graceful PostgreSQL shutdown takes (judged when in->pg
	 * was read); budget.over turns the outcome into SIGKILL mid-checkpoint */
	struct dbp_stop_budget budget;
	/* how long the crash recovery of the next start takes if the server
	 * is killed now (judged when in->pg was read): the same for every
	 * stop path, and what a SIGKILL outcome costs */
	struct dbp_recovery_budget recovery;
};

const char *dbp_outcome_name(enum dbp_outcome o);	/* "graceful", "sigkill", ... */

const char *dbp_when_text(const struct dbp_stop_path *sp, char *buf, size_t size);

/* What a stop path's outcome means for the service, one sentence ("The
 * service is SIGKILLed when the grace period ends."), and what to do
 * about it: for DBS205 and for the static checks' stop findings. */
const char *dbp_stop_consequence(const struct dbp_stop_path *sp);
const char *dbp_stop_advice(const struct dbp_pid1_facts *f, const struct dbp_stop_path *sp);

/* The stop path for one signal (facts for doctor and postmortem as well). */
void dbp_stop_path(const struct dbp_table *t, const struct dbp_signals_input *in,
		   const struct dbp_pid1_facts *f, int sig, struct dbp_stop_path *sp);

/* Whether a stop reaches p or waits on it, so that what p does with the
 * stop signal (DBS202) and what it leaves pending (DBS204) matter to the
 * stop: the chain from PID 1 and the service; the process group an init
 * forwards to (tini -g, dumb-init); the programs a supervisor stops; the
 * containers' main processes under the pause process; and every database
 * server, which is one fix away from being reached. Anything else is
 * SIGKILLed by the kernel when PID 1 exits, whatever it does with the
 * signal. Within dbp_table_stop_candidates (classify.h), which is what
 * the live reader reads status for. */
int dbp_signals_judged(const struct dbp_table *t, const struct dbp_pid1_facts *f,
		       const struct dbp_proc *p);

/* Is this a process worth a line in the default view? */
int dbp_signals_notable(const struct dbp_table *t, const struct dbp_pid1_facts *f,
			const struct dbp_signals_input *in, const struct dbp_proc *p);

/* All signal rules over the processes of t (each process is judged; a
 * caller that asked for some PIDs passes them in only). sp receives one
 * stop path per stop signal judged (dbp_stop_signals): DBP_STOP_MAX
 * entries; *nsp says how many were filled. */
void dbp_rules_signals(const struct dbp_table *t, const struct dbp_signals_input *in,
		       struct dbp_report *r, struct dbp_pid1_facts *f,
		       struct dbp_stop_path *sp, size_t *nsp, const pid_t *only, size_t nonly);

/* What cannot be judged for the PIDs asked for (only, nonly), and PID 1
 * when it is not visible: DBS200. For the live command; a recording
 * (postmortem --check) says so with DBP100. */
void dbp_rules_signals_asked(const struct dbp_table *t, const struct dbp_signals_input *in,
			     const pid_t *only, size_t nonly, struct dbp_report *r);

/* The processes of t worth a second reading a moment later: those DBS204
 * judges (dbp_signals_judged, in->judge_all, or among only when PIDs
 * were asked for) with signals pending while blocked, which is normal for
 * an instant (DBS204 counts only what stays). Their PIDs into pids, at
 * most max; returns how many. */
size_t dbp_signals_recheck_pids(const struct dbp_table *t, const struct dbp_signals_input *in,
				const pid_t *only, size_t nonly, pid_t *pids, size_t max);

/* later holds the second reading of /proc/PID/status of those PIDs
 * (dbp_status_read_pids): keep only the readings of the same processes,
 * and give them the start time of t's, so that the rules pair them. A
 * status file carries no start time: the same parent and the same name
 * within the moment make the same process. */
void dbp_signals_recheck_match(const struct dbp_table *t, struct dbp_table *later);

/* PostgreSQL client backends (not the auxiliary processes) in t. */
size_t dbp_pg_client_backends(const struct dbp_table *t, pid_t postmaster);

#endif
