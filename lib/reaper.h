/*
 * Who reaps a process: its parent while it lives, and the process that
 * adopts it when its parent exits. A long-running dbpod (the recorder,
 * node mode's loop) must never have a database server there: PostgreSQL
 * takes any child it did not start that dies of a signal or exits other
 * than 0 or 1 for a crashed server process and restarts every session.
 *
 * The kernel (kernel/exit.c, find_new_reaper) gives an orphan to the
 * nearest ancestor of its dead parent that is a child subreaper within
 * the same PID namespace, else to the namespace's PID 1. A process whose
 * parent is outside its namespace (PPID 0 as the namespace sees it: what
 * `kubectl exec POD -- CMD` and `docker exec` start) is the runtime's,
 * never PID 1's.
 *
 * Only PID 1 counts as an init here. /proc does not say whether another
 * process is a subreaper, and an init between the shell and dbpod is no
 * shield anyway: tini, dumb-init and catatonit exit when their child does,
 * passing on how it ended (128 + the signal), and the shell's exit makes
 * the init itself an orphan of PID 1 (sh -> tini -s -> dbpod, dbpod
 * SIGKILLed: the postmaster logs "server process (PID of tini) exited with
 * exit code 137" and restarts).
 */
#ifndef DBPOD_REAPER_H
#define DBPOD_REAPER_H

#include <sys/types.h>

#include "proctable.h"

enum dbp_reaper_verdict {
	DBP_REAPER_SAFE = 0,	/* no database server reaps it, now or as an orphan */
	DBP_REAPER_CHILD,	/* a database server is its parent or above it */
	DBP_REAPER_ORPHAN,	/* PID 1, a database server, adopts it when its
				 * parent (or the shell above it) exits */
	DBP_REAPER_UNKNOWN,	/* a parent or PID 1 cannot be seen (hidepid, or
				 * a /proc of another namespace) */
};

/* Why a SAFE verdict is safe. */
enum dbp_reaper_why {
	DBP_REAPER_NONE = 0,
	DBP_REAPER_OUTSIDE,	/* its parent is outside the namespace (PPID 0) */
	DBP_REAPER_IS_PID1,	/* it is PID 1: nothing adopts it */
	DBP_REAPER_PID1_OK,	/* PID 1 adopts it and is no database server */
};

struct dbp_reaper {
	enum dbp_reaper_verdict verdict;
	enum dbp_reaper_why why;		/* SAFE: why */
	const struct dbp_proc *self;
	const struct dbp_proc *parent;		/* NULL when outside the namespace */
	/* CHILD: the nearest database server above it; ORPHAN: PID 1 */
	const struct dbp_proc *server;
	/* ORPHAN: the highest ancestor inside the namespace (the shell an
	 * exec session started), whose exit leaves dbpod to PID 1; may be the
	 * parent */
	const struct dbp_proc *top;
	pid_t missing;				/* UNKNOWN: the PID that could not be found */
};

/* Where the process pid of t stands (t as the live reader or a test
 * fills it, sorted or not). Ancestors are walked from pid's parent up to
 * PID 1 or to the first one whose parent is outside the namespace:
 *   a database server among them (the nearest)     -> CHILD;
 *   else PPID 0, or pid is 1                       -> SAFE;
 *   else PID 1 a database server                   -> ORPHAN;
 *   else                                           -> SAFE (PID 1 adopts).
 * Fills *r; returns r->verdict. */
enum dbp_reaper_verdict dbp_reaper_find(const struct dbp_table *t, pid_t pid,
					struct dbp_reaper *r);

#endif
