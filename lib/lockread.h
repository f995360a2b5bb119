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

/* The whole lock file at root + path into buf (not NUL-terminated; *len
 * bytes), and its owner. -EFBIG when it does not fit: PostgreSQL's own
 * buffer is MAXPGPATH * 2 + 256 bytes, so a bigger file is not one of its. */
int dbp_lockfile_read(const char *root, const char *path, char *buf, size_t size,
		      size_t *len, uid_t *owner);

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

/* shmctl(IPC_STAT) of a SysV segment by id, the way PostgreSQL's
 * PGSharedMemoryAttach (src/backend/port/sysv_shmem.c) starts. It does not
 * attach: an attach would count in shm_nattch itself. */
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
/* -ENOENT when there is no segment with that id (EINVAL, EIDRM), -EACCES
 * when its mode denies reading it to us. */
int dbp_shm_stat(int id, struct dbp_shm *s);

#endif
