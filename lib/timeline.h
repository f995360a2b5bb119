/*
 * The story of a stretch of a recording, in order (postmortem --timeline):
 * processes born (with their parent), exec'd (the command changed), their
 * user or signal masks changed, reparented (the orphan moment of seed
 * 000: a child whose parent died is adopted by PID 1 or a subreaper),
 * exited, and the PIDs handed out between two samples that no sample saw.
 * A PostgreSQL log's crash lines are put among them by their time.
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
};

struct dbp_tl_event {
	double t;
	enum dbp_tl_kind kind;
	const struct dbp_rec_proc *rp;		/* BORN .. EXIT */
	size_t v;				/* the version of rp from t on */
	struct dbp_rec_unseen w;		/* UNSEEN */
	const struct dbp_pglog_event *log;	/* LOG */
	const struct dbp_acct_rec *acct;	/* EXIT: how it ended, where accounting says */
};

struct dbp_timeline {
	struct dbp_tl_event *ev;
	size_t n, cap;
};

void dbp_timeline_init(struct dbp_timeline *tl);
void dbp_timeline_free(struct dbp_timeline *tl);

/* The events of rec (replayed for the window [from, to]; 0: unbounded)
 * between from and to, with log's crash lines (log may be NULL), in
 * order of time. A process in the first sample read is not "born" then
 * (it was there before). Returns 0 or -ENOMEM. */
int dbp_timeline_build(struct dbp_timeline *tl, const struct dbp_recording *rec,
		       double from, double to, const struct dbp_pglog *log);

/* "born", "exec", "user", "signals", "reparented", "session", "exited",
 * "unseen", "log" */
const char *dbp_tl_kind_name(enum dbp_tl_kind k);

#endif
