/*
 * The story of a stretch of a recording, in order (postmortem --timeline):
 * processes born (with their parent), exec'd (the command changed), their
 * user or signal masks changed, reparented (the orphan moment: a child
 * whose parent died is adopted by PID 1 or a subreaper),
 * exited, and the PIDs handed out between two samples that no sample saw.
 * A PostgreSQL log's crash lines are put among them by their time.
 *
 * Each event has its best known time and how well it is known. A sample
 * only bounds a change: it happened after the sample before. Two clocks
 * do better: a process's start from stat (clock ticks after boot, exact
 * when the header gives boot_clock, else within the whole second of
 * boot_time) and, with process accounting, its end (that start plus the
 * elapsed time the kernel counted). What is not known to the tick is
 * kept as a range "between T1 and T2", and the events are ordered cause
 * before effect where the clocks cannot tell: a child dies before the
 * postmaster logs it; the child that crashed the server dies before the
 * others it took down.
 *
 * A crash-restart is found in the recording itself, without the log:
 * every child of a PostgreSQL postmaster ended between two samples while
 * the postmaster stayed and started new ones (the postmaster kills every
 * session when a child dies of a signal, then runs crash recovery). Its
 * culprit is the child that died of a signal, where accounting recorded
 * it; without accounting, the child that was not a server process (an
 * adopted psql) and ended then, named as the likely one.
 */
#ifndef DBPOD_TIMELINE_H
#define DBPOD_TIMELINE_H

#include <stddef.h>

#include "pglog.h"
#include "recording.h"

enum dbp_tl_kind {
	DBP_TL_BORN,		/* first seen; v: its first version */
	DBP_TL_EXEC,		/* comm changed: v-1 -> v */
	DBP_TL_USER,		/* uid changed */
	DBP_TL_SIGNALS,		/* ignored, caught or blocked signals changed */
	DBP_TL_REPARENT,	/* ppid changed */
	DBP_TL_SESSION,		/* process group or session changed (setpgid, setsid) */
	DBP_TL_EXIT,		/* gone at t; last seen at rp->last; or, rp NULL, only
				 * in process accounting (acct) */
	DBP_TL_UNSEEN,		/* w: processes that came and went between two samples */
	DBP_TL_LOG,		/* log: a crash line */
	DBP_TL_CRASH,		/* crash: every child of a postmaster replaced */
};

/* A crash-restart of a PostgreSQL server. */
struct dbp_crash {
	const struct dbp_rec_proc *pm;		/* the postmaster, which stayed */
	double before, after;			/* the samples around it: every child
						 * alive at before was gone at after */
	size_t children;			/* how many that was */
	const struct dbp_rec_proc *culprit;	/* the child that brought it down, when a
						 * sample saw it; NULL else */
	const struct dbp_acct_rec *acct;	/* its accounting record (how it died); the
						 * culprit itself when no sample saw it */
	int likely;				/* the culprit is guessed (not a server
						 * process, ended then), not known to have
						 * died of a signal */
	double when, lo, hi;			/* the best known time of the culprit's death
						 * (else of the crash), and its range */
	int have_log;				/* the server log named the culprit: log is
						 * its line (a copy: the log may be freed) */
	struct dbp_pglog_event log;
};

struct dbp_tl_event {
	double t;				/* the best known time */
	double lo, hi;				/* the time lies within [lo, hi] */
	int exact;				/* known to the clock tick (lo == hi) */
	int rank;				/* cause before effect at equal times */
	enum dbp_tl_kind kind;
	const struct dbp_rec_proc *rp;		/* BORN .. EXIT */
	size_t v;				/* the version of rp from t on */
	struct dbp_rec_unseen w;		/* UNSEEN */
	const struct dbp_pglog_event *log;	/* LOG; EXIT: the crash line that reports it */
	const struct dbp_acct_rec *acct;	/* EXIT: how it ended, where accounting says;
						 * BORN: the parent that started it and exited
						 * before a sample saw it (it was adopted) */
	const struct dbp_crash *crash;		/* CRASH; and EXIT of a child it took down,
						 * or of its culprit */
	int culprit;				/* EXIT: the crash's culprit */
};

struct dbp_timeline {
	struct dbp_tl_event *ev;
	size_t n, cap;
	struct dbp_crash *crashes;		/* in the window, in order of time */
	size_t ncrashes;
};

/* The crash-restarts of rec (as replayed), up to max into out; returns
 * how many there are, or -ENOMEM. A replay that keeps first versions
 * only (query.first_only) finds them too, but sees an adopted culprit
 * only through accounting: replay the stretch around a crash whole to
 * name it. */
long dbp_recording_crashes(const struct dbp_recording *rec, struct dbp_crash *out, size_t max);

/* The culprit of c as the server log names it: the postmaster's line
 * about a child that died of a signal (or an exception, or an exit code
 * other than 0 and 1) between the samples around the crash is its own
 * word on which child brought it down, so it is the culprit, known
 * exactly, whatever a guess or accounting said (accounting that names the
 * same child is kept: it says more). c is unchanged when log
 * (may be NULL) holds no such line. */
void dbp_crash_apply_log(const struct dbp_recording *rec, struct dbp_crash *c,
			 const struct dbp_pglog *log);

/* The best known start of rp (its stat starttime) and its range; exact
 * when the header's boot_clock makes it known to the tick. */
double dbp_rec_proc_started(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			    double *lo, double *hi, int *exact);

/* The best known end of rp, gone after its last sample, with acct its
 * accounting record (or NULL), and its range. */
double dbp_rec_proc_ended(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			  const struct dbp_acct_rec *acct, double *lo, double *hi, int *exact);

void dbp_timeline_init(struct dbp_timeline *tl);
void dbp_timeline_free(struct dbp_timeline *tl);

/* The events of rec (replayed for the window [from, to]; 0: unbounded)
 * between from and to, with log's crash lines (log may be NULL), in
 * order of their best known time, cause before effect, and the
 * crash-restarts among them. A process in the first sample read is not
 * "born" then (it was there before). Returns 0 or -ENOMEM. */
int dbp_timeline_build(struct dbp_timeline *tl, const struct dbp_recording *rec,
		       double from, double to, const struct dbp_pglog *log);

/* "born", "exec", "user", "signals", "reparented", "session", "exited",
 * "unseen", "log", "crash" */
const char *dbp_tl_kind_name(enum dbp_tl_kind k);

#endif
