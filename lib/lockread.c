/*
 * Readers for the lock file check (see lockread.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "lockread.h"
#include "procstatus.h"
#include "path.h"
#include "procread.h"
#include "safeopen.h"

int dbp_lockfile_read(const char *root, const char *path, char *buf, size_t size,
		      size_t *len, uid_t *owner, mode_t *type)
{
	struct stat st;
	size_t got = 0;
	int fd, rc = 0;

	fd = dbp_open_regular(root, path, type);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	*owner = st.st_uid;
	for (;;) {
		ssize_t r;

		if (got == size) {
			char c;

			if (read(fd, &c, 1) > 0)
				rc = -EFBIG;
			break;
		}
		r = read(fd, buf + got, size - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	*len = got;
out:
	close(fd);
	return rc;
}

int dbp_proc_root_differs(pid_t pid)
{
	char path[64];
	struct stat mine, theirs;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	if (stat(path, &theirs) < 0)
		return -errno;
	if (stat("/proc/self/root", &mine) < 0)
		return -errno;
	return mine.st_dev != theirs.st_dev || mine.st_ino != theirs.st_ino;
}

int dbp_pid_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	if (kill(pid, 0) == 0)
		return 1;
	return errno == EPERM;
}

int dbp_proc_cwd(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int dbp_shm_stat(int id, struct dbp_shm *s)
{
	struct shmid_ds ds;

	memset(s, 0, sizeof(*s));
	s->id = id;
	if (id < 0)
		return -ENOENT;
	if (shmctl(id, IPC_STAT, &ds) < 0)
		return errno == EINVAL || errno == EIDRM ? -ENOENT : -errno;
	s->key = (unsigned long)(unsigned int)ds.shm_perm.__key;
	s->uid = ds.shm_perm.uid;
	s->mode = ds.shm_perm.mode & 0777;
	s->marked_destroy = !!(ds.shm_perm.mode & SHM_DEST);
	s->nattch = (unsigned long)ds.shm_nattch;
	s->cpid = ds.shm_cpid;
	s->lpid = ds.shm_lpid;
	s->size = ds.shm_segsz;
	return 0;
}

int dbp_ipcns_differs(pid_t pid)
{
	char path[64];
	struct stat mine, theirs;

	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
	if (stat(path, &theirs) < 0)
		return -errno;
	if (stat("/proc/self/ns/ipc", &mine) < 0)
		return -errno;
	return mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev;
}

/* The inode of /proc/PID/ns/pid (PID 0: dbpod's own), or 0. */
static unsigned long long pidns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/ns/pid");
	return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

/* The PID namespace t numbers its PIDs in: dbpod's own for a live table,
 * the container's (that of its PID 1) for another namespace's. */
static unsigned long long table_pidns(const struct dbp_table *t)
{
	const struct dbp_proc *init;

	if (!t->foreign)
		return pidns_of(0);
	init = dbp_table_find(t, 1);
	return init ? pidns_of(dbp_proc_fspid(init)) : 0;
}

/* p's PID in its own (innermost) namespace, from NSpid; 0 unknown */
static pid_t own_nspid(const struct dbp_proc *p)
{
	char buf[4096];
	struct dbp_nsinfo ns;

	if (dbp_status_text(NULL, dbp_proc_fspid(p), buf, sizeof(buf)) < 0 ||
	    dbp_status_nsids(buf, &ns) < 0)
		return 0;
	return ns.pid;
}

/* Whether /proc/PID/cwd is w's data directory: 1, 0, or a negative errno. */
static int cwd_is(pid_t pid, const struct dbp_lock_workers *w)
{
	char path[64];
	struct stat cwd;

	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	if (stat(path, &cwd) < 0)
		return -errno;
	return cwd.st_dev == w->dev && cwd.st_ino == w->ino;
}

/* A process of PostgreSQL's that can be working on a data directory
 * (not a zombie: it has no working directory left) */
static int live_pg_process(const struct dbp_proc *p)
{
	struct dbp_class c;

	if (p->kthread || p->state == 'Z')
		return 0;
	dbp_classify(p, &c);
	return c.db == DBP_DB_POSTGRES;
}

void dbp_lock_workers_read(const struct dbp_table *t, const char *root, const char *datadir,
			   struct dbp_lock_workers *w)
{
	struct stat dir;
	const struct dbp_proc *first = NULL;

	memset(w, 0, sizeof(*w));
	w->err = dbp_stat_in_root(root, datadir, 1, &dir);
	if (w->err || !t)
		return;
	w->dev = dir.st_dev;
	w->ino = dir.st_ino;
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		int rc;

		if (!live_pg_process(p))
			continue;
		rc = cwd_is(dbp_proc_fspid(p), w);
		if (rc == -EACCES || rc == -EPERM)
			w->unreadable++;
		if (rc != 1)
			continue;
		w->n++;
		if (!first)
			first = p;
		if (!w->server && (dbp_is_postmaster(t, p) || dbp_pg_standalone(p)))
			w->server = p;
	}
	if (!first)
		return;
	w->any = first;
	/* the server's namespace, else that of any of its processes (orphaned
	 * backends of a gone postmaster are still in the namespace it wrote
	 * its PID in) */
	w->pidns = pidns_of(dbp_proc_fspid(w->server ? w->server : first));
	w->other_ns = w->pidns && w->pidns != table_pidns(t);
	if (w->server)
		w->server_nspid = w->other_ns ? own_nspid(w->server) : w->server->pid;
}

/* The process of t that has PID pid in namespace w->pidns, or NULL. */
static const struct dbp_proc *find_in_pidns(const struct dbp_table *t,
					    const struct dbp_lock_workers *w, pid_t pid)
{
	if (w->server && w->server_nspid == pid)
		return w->server;
	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];

		if (p->kthread || pidns_of(dbp_proc_fspid(p)) != w->pidns)
			continue;
		if (own_nspid(p) == pid)
			return p;
	}
	return NULL;
}

/* What kill(2) sees of the process (or thread) that has the file's PID:
 * its thread group, and whether the file's owner may signal it -- the
 * kernel compares the sender's uids with the target's real and saved
 * uid, never its effective one (a sudo run by the server's user is its
 * user's to signal; a root daemon that only seteuid()s to it is not). */
static void holder_ids(pid_t fspid, struct dbp_lock_file *lf)
{
	char buf[4096];
	const char *v;
	unsigned long ruid, euid, suid;
	long tgid;

	if (dbp_status_text(NULL, fspid, buf, sizeof(buf)) < 0)
		return;
	if ((tgid = dbp_status_tgid(buf)) > 0 && tgid != fspid)
		lf->thread_of = (pid_t)tgid;
	if ((v = strstr(buf, "\nUid:")) && sscanf(v + 5, "%lu %lu %lu", &ruid, &euid, &suid) == 3) {
		lf->have_ids = 1;
		lf->owner_may_kill = ruid == lf->owner || suid == lf->owner;
	}
}

/* Whether path, below root, is w's data directory. */
static int names_datadir(const char *root, const char *path, const struct dbp_lock_workers *w)
{
	struct stat st;

	return dbp_stat_in_root(root, path, 1, &st) == 0 && st.st_dev == w->dev &&
	       st.st_ino == w->ino;
}

void dbp_lock_slot_read(const char *root, const struct dbp_table *t,
			const struct dbp_lock_workers *w, struct dbp_lock_slot *s)
{
	const struct dbp_proc *holder = NULL;
	char buf[DBP_LOCKFILE_MAX];
	size_t len = 0;
	mode_t type = 0;

	s->lf.path = s->path;
	s->lf.err = dbp_lockfile_read(root, s->path, buf, sizeof(buf), &len, &s->lf.owner,
				      &type);
	if (s->lf.err == -DBP_ENOTREG)
		s->lf.what = dbp_file_describe(root, s->path, type, s->what, sizeof(s->what));
	if (s->lf.err == -EFBIG) {
		/* longer than PostgreSQL ever writes: judge what it would read */
		len = sizeof(buf);
		s->lf.err = 0;
	}
	if (s->lf.err)
		return;
	dbp_pidfile_parse(buf, len, &s->pf);
	s->lf.pf = &s->pf;
	if (t && !t->foreign && w && !w->err && !w->n && s->pf.datadir[0] == '/') {
		/* nobody to tell the PID namespace by: the server's name for
		 * the directory (line 2) says whether it saw it as we do, or
		 * as PID 1 of our PID namespace does (beside the container, a
		 * debug container sharing its PID namespace that mounts the
		 * volume elsewhere: PID 1 is the container's) */
		s->lf.pid_ns_unknown = !names_datadir(root, s->pf.datadir, w) &&
				       !names_datadir("/proc/1/root", s->pf.datadir, w);
	}
	if (s->lf.pid_ns_unknown) {
		/* kill(PID, 0) here would ask about another process */
	} else if (t && w && w->other_ns && s->pf.pg_pid > 0) {
		/* the server wrote its PID as its own namespace numbers it:
		 * kill(PID, 0) here would ask about another process (on the
		 * host, PID 4 is a kernel thread), so look it up there */
		holder = find_in_pidns(t, w, s->pf.pg_pid);
		if (holder && holder->pid == t->self) {
			s->lf.self = 1;
			holder = NULL;
		}
		s->lf.other_ns = 1;
		s->lf.table_pid = holder ? holder->pid : 0;
		/* a zombie too: kill(2) finds it until it is reaped */
		s->lf.alive = holder && !holder->reaped;
	} else {
		/* the file's PID is its namespace's: in another namespace's
		 * table (node mode) it is alive when the table has it, as
		 * kill(PID, 0) says inside, and its cwd is read through its
		 * host PID */
		holder = t && t->foreign && s->pf.pg_pid > 0 ? dbp_table_find(t, s->pf.pg_pid) : NULL;
		s->lf.alive = t && t->foreign ? holder && !holder->reaped :
			      dbp_pid_alive(s->pf.pg_pid);
		if (t && !t->foreign && s->pf.pg_pid == getpid()) {
			s->lf.self = 1;
			s->lf.alive = 0;
		}
	}
	if (s->lf.alive) {
		holder_ids(holder ? dbp_proc_fspid(holder) : s->pf.pg_pid, &s->lf);
		s->lf.cwd_err = dbp_proc_cwd(holder ? dbp_proc_fspid(holder) : s->pf.pg_pid,
					     s->cwd, sizeof(s->cwd));
		if (!s->lf.cwd_err)
			s->lf.cwd = s->cwd;
		if (w && !w->err)
			s->lf.cwd_is_datadir = cwd_is(holder ? dbp_proc_fspid(holder) :
						      s->pf.pg_pid, w) == 1;
	}
}

int dbp_datadir_examine(const char *root, const char *path)
{
	struct stat st;
	int rc = dbp_stat_in_root(root, path, 1, &st);

	if (rc < 0)
		return rc;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int dbp_datadir_is_pg(const char *root, const char *path)
{
	static const char *const marks[] = { "PG_VERSION", "postmaster.pid" };
	char p[4096];
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		int r;

		snprintf(p, sizeof(p), "%s/%s", path, marks[i]);
		/* not followed: a link named postmaster.pid is the lock file's
		 * rules' to judge, and marks the directory all the same */
		r = dbp_stat_in_root(root, p, 0, &st);
		if (r == 0)
			return 1;
		if (r != -ENOENT)
			rc = r;
	}
	return rc;
}

int dbp_datadir_find(const struct dbp_table *t, struct dbp_datadir_guess *g)
{
	const struct dbp_proc *pm = dbp_postmaster_find(t, 0, &g->npostmasters);
	const char *d;
	int rc;

	g->pid = pm ? pm->pid : 0;
	g->hidden = 0;
	g->cwd_err = 0;
	g->dir[0] = '\0';
	if (!g->npostmasters) {
		/* not "none runs" under hidepid: one may run, hidden from us */
		g->hidden = dbp_proc_view_partial();
		return -ENOENT;
	}
	if (g->npostmasters > 1)
		return -EIO;
	d = dbp_pg_datadir_arg(pm);
	if (d && d[0] == '/') {
		snprintf(g->dir, sizeof(g->dir), "%s", d);
		return 0;
	}
	rc = dbp_proc_cwd(dbp_proc_fspid(pm), g->dir, sizeof(g->dir));
	if (rc < 0) {
		g->cwd_err = rc;
		g->dir[0] = '\0';
		return -EIO;
	}
	return 0;
}

/* path without its trailing slashes equals dir */
static int same_path(const char *path, const char *dir)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return strlen(dir) == n && !strncmp(path, dir, n);
}

pid_t dbp_datadir_other_view(const struct dbp_table *t, const char *path, pid_t two[2])
{
	struct stat here, theirs, first = { 0 };
	int here_ok = stat(path, &here) == 0, found_pm = 0, several = 0, second_pm = 0;
	pid_t found = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct dbp_proc *p = &t->procs[i];
		const char *d;
		char cwd[PATH_MAX], link[64];
		pid_t fp;

		if (!live_pg_process(p))
			continue;
		fp = dbp_proc_fspid(p);
		d = dbp_pg_datadir_arg(p);
		if (!d || d[0] != '/') {
			if (dbp_proc_cwd(fp, cwd, sizeof(cwd)) < 0)
				continue;
			d = cwd;
		}
		if (!same_path(path, d))
			continue;
		/* its directory, as it sees it (the cwd of a postmaster
		 * started with -D is its data directory) */
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)fp);
		if (stat(link, &theirs) < 0 || !S_ISDIR(theirs.st_mode))
			continue;
		if (here_ok && here.st_dev == theirs.st_dev && here.st_ino == theirs.st_ino)
			return 0;	/* one view: the path is the server's here */
		if (found && (theirs.st_dev != first.st_dev || theirs.st_ino != first.st_ino)) {
			/* another directory of the same name: which one was
			 * meant cannot be told */
			if (!several || (!second_pm && dbp_is_postmaster(t, p))) {
				two[1] = fp;
				second_pm = dbp_is_postmaster(t, p);
			}
			several = 1;
			continue;
		}
		/* a postmaster's view rather than an orphaned backend's;
		 * every process is looked at, as one that sees the path as
		 * dbpod does (a server here) wins over all */
		if (!found || (!found_pm && dbp_is_postmaster(t, p))) {
			found = fp;
			found_pm = dbp_is_postmaster(t, p);
			first = theirs;
		}
	}
	two[0] = found;
	return several ? -EEXIST : found;
}

int dbp_path_proc_root(const char *path, char *root, size_t size, const char **rest)
{
	const char *p;
	long pid = 0;

	if (strncmp(path, "/proc/", 6))
		return 0;
	for (p = path + 6; *p >= '0' && *p <= '9' && pid < (1L << 22); p++)
		pid = pid * 10 + (*p - '0');
	if (p == path + 6 || pid <= 0 || pid >= (1L << 22) || strncmp(p, "/root/", 6) ||
	    (size_t)snprintf(root, size, "/proc/%ld/root", pid) >= size)
		return 0;
	*rest = p + 5;
	return 1;
}
