/*
 * Readers for dbpod lockfile: the lock files themselves, whether a PID is
 * alive, a process's working directory, and the SysV shared memory segment
 * named in postmaster.pid. Nothing here judges; every function returns 0
 * or a negative errno and never prints.
 */
#ifndef DBPOD_LOCKREAD_H
#define DBPOD_LOCKREAD_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "lockfile.h"

/* The whole lock file at root + path into buf (not NUL-terminated; *len
 * bytes), and its owner. -EFBIG when it does not fit: PostgreSQL's own
 * buffer is MAXPGPATH * 2 + 256 bytes, so a bigger file is not one of its.
 * Opened with dbp_open_regular: -DBP_ENOTREG, with *type, when it is not a
 * regular file (a FIFO would hang the read, a link is not followed). */
int dbp_lockfile_read(const char *root, const char *path, char *buf, size_t size,
		      size_t *len, uid_t *owner, mode_t *type);

/* Whether pid exists, the way PostgreSQL asks: kill(pid, 0). 1 alive
 * (also when it belongs to another user: EPERM), 0 no such process. */
int dbp_pid_alive(pid_t pid);

/* readlink(/proc/PID/cwd) into buf. -EACCES (or -EPERM) when not
 * permitted: it needs ptrace access, i.e. root or the process's user. */
int dbp_proc_cwd(pid_t pid, char *buf, size_t size);

/* Does pid see another root directory than dbpod (a debug container that
 * shares only the PID namespace, `kubectl debug --target`)? 1 yes, 0 no,
 * or a negative errno when /proc/PID/root cannot be examined (it needs
 * ptrace access: CAP_SYS_PTRACE, or the same user). */
int dbp_proc_root_differs(pid_t pid);

/* shmctl(IPC_STAT) of a SysV segment by id (struct dbp_shm,
 * lockfile.h), the way PostgreSQL's PGSharedMemoryAttach
 * (src/backend/port/sysv_shmem.c) starts. It does not attach: an attach
 * would count in shm_nattch itself.
 * -ENOENT when there is no segment with that id (EINVAL, EIDRM), -EACCES
 * when its mode denies reading it to us. */
int dbp_shm_stat(int id, struct dbp_shm *s);

/* PostgreSQL's lock file buffer is MAXPGPATH * 2 + 256 bytes */
#define DBP_LOCKFILE_MAX (1024 * 2 + 256)

/* One lock file as read, with the buffers its dbp_lock_file points into. */
struct dbp_lock_slot {
	struct dbp_lock_file lf;
	struct dbp_pidfile pf;
	char path[4096 + 32];		/* set by the caller */
	char cwd[4096];
	char what[4200];		/* what the file is when not a regular file */
};

/* Read s->path below root ("" or "/proc/PID/root": where the server's
 * files are seen from) into s->lf: the file, what stands there when it is
 * not a regular file, its lines parsed, whether its PID is alive and that
 * PID's working directory. A file longer than PostgreSQL ever writes is
 * judged on what PostgreSQL would read of it. w (may be NULL): who works
 * on the data directory; when they run in another PID namespace than t's
 * (dbpod on the node or the host, the server in a container), the file's
 * PID is looked up in theirs, never with kill(2) in dbpod's own. */
void dbp_lock_slot_read(const char *root, const struct dbp_table *t,
			const struct dbp_lock_workers *w, struct dbp_lock_slot *s);

/* Fill w with the PostgreSQL processes of t whose working directory is
 * root + datadir (struct dbp_lock_workers, lockfile.h). Reads
 * /proc/PID/cwd (a stat) of t's PostgreSQL processes only, and the PID
 * namespace and NSpid of the server found. */
void dbp_lock_workers_read(const struct dbp_table *t, const char *root, const char *datadir,
			   struct dbp_lock_workers *w);

/* Whether process pid (of another namespace) has another IPC namespace
 * than dbpod: 1 yes, 0 no, negative errno when /proc/PID/ns/ipc cannot be
 * read (which is taken as "another"). */
int dbp_ipcns_differs(pid_t pid);

/* Whether root + path is a directory that can be examined: 0, or a
 * negative errno (-ENOTDIR when it is something else). */
int dbp_datadir_examine(const char *root, const char *path);

/* Whether the directory root + path is a PostgreSQL data directory: 1
 * when it holds PG_VERSION (initdb writes it, and the server refuses to
 * start without it) or any entry named postmaster.pid; 0 when neither is
 * there; a negative errno when that cannot be told (no permission). */
int dbp_datadir_is_pg(const char *root, const char *path);

/* The data directory of the one visible postmaster of t: its -D when
 * absolute, else its working directory (the postmaster chdir()s into the
 * data directory). Returns 0 with g->dir; -ENOENT when no postmaster is
 * visible (g->hidden when /proc hides other users' processes, so one may
 * run); -EIO when it cannot be told (several: g->npostmasters; the working
 * directory unreadable: g->cwd_err). */
int dbp_datadir_find(const struct dbp_table *t, struct dbp_datadir_guess *g);

/* A PostgreSQL process of t that names path as its data directory (its
 * -D, or its working directory) while path, where dbpod runs, is another
 * directory or none: the server sees its own filesystem at that path (its
 * own mount namespace on the same root -- a systemd unit's private
 * mounts -- or a debug container's image with an empty directory at the
 * same VOLUME path). Its files are read through /proc/PID/root. Returns
 * its PID (the postmaster's where it is one of them), 0, or -EEXIST when
 * servers of two such directories name path (two containers with the
 * same PGDATA, seen from the host): two[] then names one of each. */
pid_t dbp_datadir_other_view(const struct dbp_table *t, const char *path, pid_t two[2]);

/* A path given as /proc/PID/root/REST -- a process's filesystem, as dbpod
 * tells the user to name one -- split into its root (root, "/proc/PID/
 * root") and the path as that process names it (*rest, within path).
 * Paths the file names (its socket directory) are then read in that
 * filesystem too. Returns 1 split, 0 another path. */
int dbp_path_proc_root(const char *path, char *root, size_t size, const char **rest);

#endif
