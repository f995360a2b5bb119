/*
 * The lockfile check's inputs: postmaster.pid and the socket lock files
 * as the readers found them (lockread.h), the shared memory segment of
 * line 7, who works on the data directory. A model: lockread fills it,
 * the lockfile rules (rules_lockfile.h) judge it.
 */
#ifndef DBPOD_LOCKFILE_H
#define DBPOD_LOCKFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "pidfile.h"
#include "proctable.h"

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
	int self;			/* the PID is dbpod's own (a small container's
					 * counter gave the dead server's number to
					 * dbpod): taken only while dbpod runs, and
					 * free at the server's next start, so not
					 * alive */
	int other_ns;			/* the file's PIDs are another PID namespace's
					 * than the table's (dbp_lock_workers): */
	pid_t table_pid;		/* then its PID there in the table's numbering,
					 * 0 when no process has it there */
	const char *cwd;		/* /proc/PID/cwd of that PID, or NULL */
	int cwd_is_datadir;		/* that cwd is the data directory itself (the same
					 * device and inode, whatever the path is called
					 * in the holder's mount namespace) */
	int cwd_err;			/* why cwd is NULL: 0 not tried, negative errno */
	int have_ids;			/* the holder's status was read: */
	int owner_may_kill;		/* the owner is its real or saved uid, which
					 * is what kill(2) compares (not the
					 * effective uid): PostgreSQL's kill(PID, 0)
					 * succeeds, else fails with EPERM */
	int pid_ns_unknown;		/* no process works on the data directory, and
					 * line 2 names a directory that is not this one
					 * here: the file was written in another mount
					 * namespace (a container), whose PID namespace
					 * its PID belongs to; dbpod's is not it */
	pid_t thread_of;		/* the PID is a thread (not a thread group
					 * leader) of this process, which kill(2)
					 * finds but no process listing shows; 0 */
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
	const struct dbp_proc *any;	/* the first of them, or NULL: with the server
					 * gone, an orphaned child, which tells the IPC
					 * namespace its segment is in */
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
	int tolerance;			/* seconds; DBP_LOCK_TOLERANCE (rules_lockfile.h) */
};

#endif
