/*
 * lockfile rules: is postmaster.pid telling the truth? Its PID may now be
 * another live process's, PIDs being handed out again soon in a
 * container.
 *
 * PostgreSQL's startup interlock (CreateLockFile in
 * src/backend/utils/init/miscinit.c) treats an existing lock file as stale
 * only when kill(PID, 0) fails with ESRCH or EPERM, or the PID is its own,
 * its parent's or its grandparent's (PG_GRANDPARENT_PID); otherwise it
 * stops with `lock file "postmaster.pid" already exists`. A stale file
 * with a segment still attached stops it too (PGSharedMemoryIsInUse:
 * "pre-existing shared memory block ... is still in use").
 *
 * Finding ids (documented in dbpod-lockfile(1); never reuse one):
 *   DBL500 unknown       the lock file or its directory cannot be read / judged
 *   DBL501 info          no postmaster.pid: the server is not running
 *   DBL502 info          in use: the PID is the server that wrote the file
 *   DBL503 warning       stale, harmless: PostgreSQL removes it at the next start
 *   DBL504 crit/warn     stale, blocking: the PID is now another live process
 *                        of the server's user (named, with its start time);
 *                        warning when that is a shell/init that may start
 *                        the server (PostgreSQL's own/parent/grandparent rule)
 *   DBL505 warning       in use, but the start time or data directory disagree
 *   DBL506 crit/unk/info the shared memory segment of line 7
 *   DBL507 crit/warn     malformed: empty, no PID, truncated, old format
 *   DBL508 crit/warn/info a socket lock file .s.PGSQL.PORT.lock
 *   DBL509 info          the file is a standalone backend's (postgres --single)
 */
#ifndef DBPOD_RULES_LOCKFILE_H
#define DBPOD_RULES_LOCKFILE_H

#include "lockfile.h"
#include "proctable.h"
#include "report.h"

/* Seconds allowed between the file's start time (line 3, PostgreSQL's
 * MyStartTime, taken just after the fork) and the process's start as
 * /proc shows it (boot time + starttime ticks / hz: the boot time is whole
 * seconds and itself rounded, and the ticks are cut to seconds). */
#define DBP_LOCK_TOLERANCE 2

enum dbp_lock_state {
	DBP_LOCK_UNKNOWN = 0,	/* could not be read or judged */
	DBP_LOCK_ABSENT,	/* no file */
	DBP_LOCK_IN_USE,	/* the PID is the PostgreSQL server that wrote it */
	DBP_LOCK_STALE,		/* stale, harmless: PostgreSQL will remove it */
	DBP_LOCK_BLOCKING,	/* stale, but PostgreSQL will refuse to start */
	DBP_LOCK_MALFORMED,	/* not a lock file PostgreSQL can use */
};

struct dbp_lock_judgement {
	enum dbp_lock_state state;
	const struct dbp_proc *holder;	/* the visible process with the file's PID */
	long skew;			/* holder's start minus the file's, seconds */
	int dir_match;			/* holder works on this data directory: 1, 0, -1 unknown */
	int is_server;			/* holder is a PostgreSQL postmaster/standalone backend */
	int launcher;			/* holder is a shell, an init or su: it may be the
					 * next server itself (exec), its parent or
					 * grandparent, which PostgreSQL exempts */
	int ran_dbpod;			/* holder is dbpod's parent or grandparent: a
					 * launcher too, whatever program it is (an
					 * entrypoint checking before it starts the
					 * server) */
};

/* "in use", "stale-harmless", "stale-blocking", "malformed", "absent", "unknown" */
const char *dbp_lock_state_name(enum dbp_lock_state s);


/* Judge one lock file against the process table the way PostgreSQL's
 * CreateLockFile would, without the shared memory check. */
void dbp_lock_judge(const struct dbp_table *t, const struct dbp_lock_file *lf,
		    const char *datadir, const char *datadir_real, int tolerance,
		    struct dbp_lock_judgement *j);

/* Whether the segment of line 7 is in use the way PGSharedMemoryIsInUse
 * decides (exists, same key, attached): 1 yes, 0 no (gone counts as no),
 * or in->shm_err (-EACCES, -DBP_EIPCNS ...) when it could not be told. */
int dbp_lock_shm_in_use(const struct dbp_lockfile_input *in);

/* No data directory was given, and the one of the running postmaster
 * cannot be told (several, hidden by hidepid, its cwd unreadable): DBL500.
 * Nothing when none runs: then the check does not apply. */
void dbp_rules_lockfile_datadir(const struct dbp_datadir_guess *g, struct dbp_report *r);

/* All lockfile rules. main gets the verdict on postmaster.pid (the shared
 * memory segment included); socks, if not NULL, one per in->socks. A data
 * directory that cannot be examined (in->datadir_err) is DBL500 alone. */
void dbp_rules_lockfile(const struct dbp_table *t, const struct dbp_lockfile_input *in,
			struct dbp_report *r, struct dbp_lock_judgement *main,
			struct dbp_lock_judgement *socks);

#endif
