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

#include <stddef.h>
#include <sys/types.h>

#include "pidfile.h"
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

/* A SysV segment as shmctl(IPC_STAT) shows it (dbp_shm_stat, lockread.h). */
struct dbp_shm {
	int id;
	unsigned long key;		/* shm_perm.__key */
	uid_t uid;			/* shm_perm.uid */
	unsigned mode;			/* shm_perm.mode & 0777 */
	unsigned long nattch;		/* shm_nattch: processes attached now */
	pid_t cpid, lpid;		/* creator, last shmat/shmdt */
	size_t size;			/* shm_segsz */
	int marked_destroy;		/* SHM_DEST: removed once the last one detaches */
};
/* One lock file as the readers found it. */
struct dbp_lock_file {
	const char *path;
	int err;			/* 0 read; negative errno (-ENOENT: no file),
					 * -DBP_ENOTREG: not a regular file */
	const char *what;		/* with -DBP_ENOTREG: what it is instead
					 * ("a FIFO (named pipe)", dbp_file_describe) */
	uid_t owner;			/* the file's owner: the server's user */
	const struct dbp_pidfile *pf;	/* parsed, when err is 0 */
	int alive;			/* dbp_pid_alive(pf->pid) */
	int other_ns;			/* the file's PIDs are another PID namespace's
					 * than the table's (dbp_lock_workers): */
	pid_t table_pid;		/* then its PID there in the table's numbering,
					 * 0 when no process has it there */
	const char *cwd;		/* /proc/PID/cwd of that PID, or NULL */
	int cwd_is_datadir;		/* that cwd is the data directory itself (the same
					 * device and inode, whatever the path is called
					 * in the holder's mount namespace) */
	int cwd_err;			/* why cwd is NULL: 0 not tried, negative errno */
};

/* Where the data directory is when none was given: the one visible
 * postmaster's (dbp_datadir_find, lockread.h). */
struct dbp_datadir_guess {
	size_t npostmasters;		/* postmasters visible */
	pid_t pid;			/* the one, or the busiest of several */
	int hidden;			/* none visible, but /proc hides other users' processes */
	int cwd_err;			/* the one's data directory: no absolute -D, and
					 * /proc/PID/cwd not readable (negative errno) */
	char dir[4096];			/* the data directory found */
};

/* The PostgreSQL processes that work on the data directory, found by
 * their working directory (the same device and inode: the postmaster and
 * every child chdir() into it), which holds across PID and mount
 * namespaces where the PIDs of the lock file do not. From the node or the
 * host they tell in which PID namespace the file's PIDs are to be read
 * (dbp_lock_workers_read, lockread.h). */
struct dbp_lock_workers {
	int err;			/* 0 looked; else negative errno (the data
					 * directory could not be examined) */
	size_t n;			/* PostgreSQL processes working in it */
	size_t unreadable;		/* PostgreSQL processes whose working directory
					 * could not be read (no ptrace access) */
	const struct dbp_proc *server;	/* the postmaster or standalone backend among
					 * them, or NULL */
	pid_t server_nspid;		/* its PID in its own namespace (NSpid) */
	unsigned long long pidns;	/* their PID namespace (inode of ns/pid) */
	dev_t dev;			/* the data directory's device and inode */
	ino_t ino;
	int other_ns;			/* that is not the namespace the table numbers
					 * its PIDs in */
};

struct dbp_lockfile_input {
	struct dbp_lock_file main;	/* DATADIR/postmaster.pid */
	const char *datadir;		/* as given */
	int datadir_err;		/* the directory cannot be examined: negative
					 * errno (-ENOTDIR: not a directory); then
					 * nothing else is read */
	const char *fsroot;		/* where the server's files are seen from:
					 * "" or "/proc/PID/root" */
	pid_t server;			/* the postmaster the data directory is taken
					 * from; 0 when it was given */
	int root_err;			/* negative errno when the server's root could
					 * not be examined (no CAP_SYS_PTRACE) */
	const char *datadir_real;	/* realpath(datadir), or NULL */
	int shm_err;			/* dbp_shm_stat of line 7's id: 0, -ENOENT, -EACCES... */
	struct dbp_shm shm;
	struct dbp_lock_workers workers;	/* who works on the data directory */
	const struct dbp_lock_file *socks;	/* socket lock files of line 5 */
	size_t nsocks;
	int tolerance;			/* seconds; DBP_LOCK_TOLERANCE */
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
