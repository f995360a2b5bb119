/* The PostgreSQL log reader (pglogread.h): the file whole, then the
 * parser of pglog.c; a running server's log and settings; and, for the
 * recorder, where a running server logs. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pgcontrolread.h"
#include "pglogread.h"
#include "safeopen.h"
#include "slurp.h"
#include "stopinput.h"

int dbp_pglog_read(struct dbp_pglog *log, const char *path)
{
	char *buf;
	int rc = dbp_slurp(path, &buf, NULL);

	if (rc < 0)
		return rc;
	log->cut = rc == 1;
	rc = dbp_pglog_parse(log, buf);
	free(buf);
	return rc;
}

struct rotated {
	char *path;
	struct timespec mtime;
};

static int cmp_rotated(const void *a, const void *b)
{
	const struct rotated *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

long dbp_pglog_rotated(const char *path, char ***out)
{
	const char *slash = strrchr(path, '/'), *dot;
	struct rotated *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	struct stat st0, st;
	char dir[PATH_MAX], p[PATH_MAX];
	size_t pre;
	DIR *dp;

	*out = NULL;
	if (!slash || (size_t)(slash - path) >= sizeof(dir) || stat(path, &st0) < 0)
		return 0;
	dot = strrchr(slash + 1, '.');
	/* the collector rotates to a new name only when log_filename holds
	 * a time (postgresql-%Y-%m-%d_%H%M%S.log): a name without a digit is
	 * never rotated away from, and the others share what comes before
	 * the time, so another program's logs beside it are not read */
	pre = strcspn(slash + 1, "0123456789");
	if (!dot || !dot[1] || !slash[1 + pre] || slash + 1 + pre > dot)
		return 0;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (!(dp = opendir(dir[0] ? dir : "/")))
		return 0;
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name), sl = strlen(dot);

		if (len <= sl || strcmp(d->d_name + len - sl, dot) || !strcmp(d->d_name, slash + 1) ||
		    len <= pre || strncmp(d->d_name, slash + 1, pre) || d->d_name[pre] < '0' ||
		    d->d_name[pre] > '9')
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, d->d_name) >= sizeof(p) ||
		    stat(p, &st) < 0 || !S_ISREG(st.st_mode) || !newer(&st.st_mtim, &st0.st_mtim))
			continue;
		if (n == cap) {
			struct rotated *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[n].path = strdup(p)))
			goto nomem;
		v[n++].mtime = st.st_mtim;
	}
	closedir(dp);
	dp = NULL;
	if (n) {
		qsort(v, n, sizeof(*v), cmp_rotated);
		if (!(*out = malloc(n * sizeof(**out))))
			goto nomem;
		for (size_t i = 0; i < n; i++)
			(*out)[i] = v[i].path;
	}
	free(v);
	return (long)n;
nomem:
	if (dp)
		closedir(dp);
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	return -ENOMEM;
}

int dbp_pglog_read_all(struct dbp_pglog *log, const char *path, char *const *more, size_t n)
{
	char *all = NULL, *buf;
	size_t len = 0, blen;
	int rc, cut = 0;

	for (size_t i = 0; i <= n; i++) {
		char *na;

		rc = dbp_slurp(i ? more[i - 1] : path, &buf, &blen);
		if (rc < 0) {
			/* a rotated file gone since it was listed is not the log */
			if (i)
				continue;
			return rc;
		}
		cut |= rc == 1;
		blen = strlen(buf);
		if (!(na = realloc(all, len + blen + 2))) {
			free(buf);
			free(all);
			return -ENOMEM;
		}
		all = na;
		memcpy(all + len, buf, blen);
		len += blen;
		/* a file that does not end its last line does not join it to
		 * the next file's first */
		if (blen && all[len - 1] != '\n')
			all[len++] = '\n';
		all[len] = '\0';
		free(buf);
	}
	log->cut = cut;
	rc = dbp_pglog_parse(log, all ? all : "");
	free(all);
	return rc;
}

/* ---- where the server logs ---- */

struct pg_task {
	pid_t pid, ppid;
	int postgres;		/* comm postgres or postmaster */
};

/* pid and ppid of /proc/PID/stat, and whether its comm is PostgreSQL's;
 * the comm is in parentheses and may hold ") " itself: the last ')' ends it.
 * Returns 0, fopen's negative errno, or -EINVAL for a text not so formed. */
static int task_read(const char *procfs, pid_t pid, struct pg_task *t)
{
	char path[320], buf[512], *open_, *close_;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%d/stat", procfs, (int)pid);
	if (!(f = fopen(path, "re")))
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	open_ = strchr(buf, '(');
	close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_ < open_ || !close_[1] || !close_[2])
		return -EINVAL;
	*close_ = '\0';
	t->pid = pid;
	t->postgres = !strcmp(open_ + 1, "postgres") || !strcmp(open_ + 1, "postmaster");
	/* after ") ": the state, then the ppid */
	t->ppid = (pid_t)strtol(close_ + 4, NULL, 10);
	return 0;
}

/* The file current_logfiles names in the data directory of the postmaster
 * fspid (its working directory): its first line, "stderr
 * log/postgresql-....log" (or csvlog, jsonlog), is the file the logging
 * collector writes now. The path as the server's mount namespace names it;
 * 0 or a negative errno. */
static int collector_path(const char *procfs, pid_t fspid, char *path, size_t size)
{
	char link[64], cwd[PATH_MAX], file[PATH_MAX + 32], *text = NULL, *name, *nl;
	ssize_t n;
	int fd, rc;

	snprintf(link, sizeof(link), "%s/%d/cwd", procfs, (int)fspid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -ENOENT;
	cwd[n] = '\0';
	snprintf(link, sizeof(link), "%s/%d/root", procfs, (int)fspid);
	snprintf(file, sizeof(file), "%s/current_logfiles", cwd);
	fd = dbp_open_in_root(link, file, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fd;
	rc = dbp_slurp_fd_max(fd, 64 * 1024, &text, NULL);
	if (rc < 0)
		return rc;
	name = strchr(text, ' ');
	if (!name) {
		free(text);
		return -ENOENT;
	}
	name++;
	if ((nl = strchr(name, '\n')))
		*nl = '\0';
	n = name[0] == '/' ? snprintf(path, size, "%s", name) : snprintf(path, size, "%s/%s", cwd, name);
	free(text);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* Why the postmaster's standard error, of file type type, is not read,
 * in words into *missing, and whether the runtime keeps it (*pipe) */
static void stderr_not_file(mode_t type, const char **missing, int *pipe)
{
	int p = type == S_IFIFO || type == S_IFSOCK;

	if (pipe)
		*pipe = p;
	if (missing)
		*missing = p ? "its standard error is a pipe: the runtime keeps that log (`docker logs`, "
			       "`kubectl logs`), and logging_collector is off" :
			       "its standard error is not a file, and logging_collector is off";
}

/* A name the server's mount namespace can find it by again: absolute,
 * and not of a file deleted since it was opened */
static int named_file(const char *path)
{
	return path[0] == '/' && !strstr(path, " (deleted)");
}

/* The file behind the standard error of the postmaster fspid (pg_ctl -l,
 * a redirect), when it is a regular file (dbp_proc_fd_path). When it is
 * not, -DBP_ENOTREG and, in *missing, why in words. */
static int stderr_path(const char *procfs, pid_t fspid, char *path, size_t size,
		       const char **missing, int *pipe)
{
	mode_t type = 0;
	int rc = dbp_proc_fd_path(procfs, fspid, 2, path, size, &type);

	if (rc == -DBP_ENOTREG)
		stderr_not_file(type, missing, pipe);
	if (rc < 0)
		return rc;
	return named_file(path) ? 0 : -ENOENT;
}

int dbp_pglog_locate(const char *procfs, char *buf, size_t size)
{
	struct pg_task *t = NULL, *nt;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = -ENOENT;

	if (!procfs)
		procfs = "/proc";
	if (!(d = opendir(procfs)))
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if (!(nt = realloc(t, cap * sizeof(*t)))) {
				rc = -ENOMEM;
				goto out;
			}
			t = nt;
		}
		if (task_read(procfs, (pid_t)pid, &t[n]) == 0)
			n++;
	}
	for (size_t i = 0; i < n && rc < 0; i++) {
		int parent_pg = 0;

		if (!t[i].postgres)
			continue;
		for (size_t k = 0; k < n; k++)
			if (t[k].pid == t[i].ppid)
				parent_pg = t[k].postgres;
		if (parent_pg)
			continue;
		if (collector_path(procfs, t[i].pid, buf, size) == 0 ||
		    stderr_path(procfs, t[i].pid, buf, size, NULL, NULL) == 0)
			rc = 0;
	}
out:
	closedir(d);
	free(t);
	return rc;
}

long dbp_pg_memory_kb(const char *value)
{
	static const struct { const char *unit; long kb; } units[] = {
		{ "kB", 1 }, { "MB", 1024 }, { "GB", 1024L * 1024 }, { "TB", 1024L * 1024 * 1024 },
		{ "", DBP_PG_BLOCK_KB },
	};
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (end == value || errno || v < 0)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].unit))
			return v > LONG_MAX / units[i].kb ? -ERANGE : v * units[i].kb;
	return -EINVAL;
}

/* shared_buffers from the postmaster's arguments: the last one given wins,
 * as PostgreSQL applies them in order */
static long cmdline_shared_buffers(const struct dbp_proc *pm)
{
	long kb = 0, v;

	for (char **a = pm->argv; a && *a; a++) {
		const char *val = NULL;

		if (!strcmp(*a, "-B") && a[1])
			val = a[1];
		else if (!strncmp(*a, "-B", 2) && (*a)[2])
			val = *a + 2;
		else if (!strcmp(*a, "-c") && a[1] && !strncmp(a[1], "shared_buffers=", 15))
			val = a[1] + 15;
		else if (!strncmp(*a, "--shared_buffers=", 17) || !strncmp(*a, "--shared-buffers=", 17))
			val = *a + 17;
		if (val && (v = dbp_pg_memory_kb(val)) > 0)
			kb = v;
	}
	return kb;
}

static int parse_text(void *log, const char *text)
{
	return dbp_pglog_parse(log, text);
}

/* The last max bytes of the open regular file fd, from the start of a
 * line, parsed into log; fd is closed. */
static int parse_tail(int fd, size_t max, struct dbp_pglog *log)
{
	return dbp_slurp_tail_parse(fd, max, parse_text, log);
}

/* The log file written before the current one, parsed into log: with the
 * default log_filename every start opens a new file, so the last stop's
 * shutdown checkpoint -- the best measure of the disk -- is in the file
 * before. The newest other regular file of the directory with the same
 * suffix (.log, .csv, .json) and not newer than the current one (cur,
 * open). 0, -ENOENT when there is none, or a negative errno. */
static int previous_log(const char *root, const char *path, int cur, struct dbp_pglog *log)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.'), *suffix = dot ? dot : "";
	char dir[PATH_MAX], best[256] = "";
	struct timespec best_t = { 0, 0 };
	struct stat cst, st;
	struct dirent *d;
	DIR *dp;
	int dfd, fd;

	if (!slash || fstat(cur, &cst) < 0)
		return -ENOENT;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	dfd = dbp_open_in_root(root, dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return dfd;
	if (!(dp = fdopendir(dfd))) {
		close(dfd);
		return -errno;
	}
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name), slen = strlen(suffix);

		if (!strcmp(d->d_name, base) || len <= slen || strlen(d->d_name) >= sizeof(best) ||
		    strcmp(d->d_name + len - slen, suffix) ||
		    fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_ino == cst.st_ino)
			continue;
		if (st.st_mtim.tv_sec > cst.st_mtim.tv_sec ||
		    st.st_mtim.tv_sec < best_t.tv_sec ||
		    (st.st_mtim.tv_sec == best_t.tv_sec && st.st_mtim.tv_nsec <= best_t.tv_nsec))
			continue;
		best_t = st.st_mtim;
		snprintf(best, sizeof(best), "%s", d->d_name);
	}
	fd = best[0] ? openat(dfd, best, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC) :
	     -1;
	closedir(dp);
	if (fd < 0)
		return best[0] ? -errno : -ENOENT;
	{
		int rc = parse_tail(fd, DBP_PGLOG_TAIL, log);

		/* a checkpoint the previous file saw start is not the current one's,
		 * nor is a recovery it saw begin */
		log->ckpt_starting = 0;
		log->interrupted = 0;
		return rc;
	}
}

/* The log the logging collector writes now (collector_path), and the one
 * before it */
static int collector_log(const char *procfs, pid_t fspid, struct dbp_pg_evidence *ev)
{
	char root[64];
	int fd, rc;

	rc = collector_path(procfs, fspid, ev->log_path, sizeof(ev->log_path));
	if (rc < 0)
		return rc;
	snprintf(root, sizeof(root), "%s/%d/root", procfs, (int)fspid);
	fd = dbp_open_in_root(root, ev->log_path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fd;
	/* the file before is a help, not a need: only memory stops the read */
	rc = previous_log(root, ev->log_path, fd, &ev->log);
	if (rc == -ENOMEM) {
		close(fd);
		return rc;
	}
	ev->log_where = rc == 0 ? "the file current_logfiles names (logging_collector), "
				  "and the one before it" :
				  "the file current_logfiles names (logging_collector)";
	return parse_tail(fd, DBP_PGLOG_TAIL, &ev->log);
}

/* The postmaster's standard error, when it is a file (stderr_path) */
static int stderr_log(const char *procfs, pid_t fspid, struct dbp_pg_evidence *ev)
{
	mode_t type = 0;
	int fd = dbp_open_proc_fd(procfs, fspid, 2, ev->log_path, sizeof(ev->log_path), &type);

	if (fd == -DBP_ENOTREG)
		stderr_not_file(type, &ev->log_missing, &ev->log_pipe);
	if (fd < 0)
		return fd;
	if (!named_file(ev->log_path)) {
		close(fd);
		return -ENOENT;
	}
	ev->log_where = "the postmaster's standard error";
	return parse_tail(fd, DBP_PGLOG_TAIL, &ev->log);
}

/* The data directory's pg_control and pg_wal: the postmaster works in its
 * data directory, as the server's mount namespace names it */
static int recovery_read(const char *procfs, pid_t fspid, struct dbp_pg_evidence *ev)
{
	char link[64], root[64], cwd[PATH_MAX];
	ssize_t n;
	int rc;

	snprintf(link, sizeof(link), "%s/%d/cwd", procfs, (int)fspid);
	n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n <= 0) {
		/* no data directory seen: said as pg_control not read */
		memset(&ev->recovery, 0, sizeof(ev->recovery));
		ev->recovery.control_err = n < 0 ? -errno : -ENOENT;
		ev->recovery_read = 1;
		return 0;
	}
	cwd[n] = '\0';
	snprintf(root, sizeof(root), "%s/%d/root", procfs, (int)fspid);
	rc = dbp_pg_recovery_read(root, cwd, &ev->recovery);
	ev->recovery_read = rc == 0;
	return rc;
}

int dbp_pg_evidence_read(const char *procfs, const struct dbp_proc *pm,
			 struct dbp_pg_evidence *ev)
{
	pid_t fspid = dbp_proc_fspid(pm);
	int rc;

	if (!procfs)
		procfs = "/proc";
	ev->shared_buffers_kb = cmdline_shared_buffers(pm);
	rc = collector_log(procfs, fspid, ev);
	if (rc < 0 && rc != -ENOMEM) {
		ev->log_path[0] = '\0';
		dbp_pglog_free(&ev->log);
		dbp_pglog_init(&ev->log);
		rc = stderr_log(procfs, fspid, ev);
	}
	if (rc == -ENOMEM)
		return rc;
	ev->log_read = rc == 0;
	ev->log_err = rc == -DBP_ENOTREG ? 0 : rc;
	return recovery_read(procfs, fspid, ev);
}

static const char *runtime_output_take(struct dbp_runtime_output *rt, int log_read, int log_err,
				       const char **missing, char *path, size_t size,
				       const char **where)
{
	if (!rt || log_read || log_err || !*missing)
		return NULL;
	if (rt->load) {
		int (*load)(struct dbp_runtime_output *, void *) = rt->load;

		rt->load = NULL;
		if (load(rt, rt->load_arg) < 0) {
			rt->text = NULL;
			snprintf(rt->missing, sizeof(rt->missing), "out of memory reading the "
				 "runtime's log");
		}
	}
	rt->wanted = 1;
	rt->used = rt->text != NULL;
	if (!rt->text) {
		if (rt->missing[0])
			*missing = rt->missing;
		return NULL;
	}
	snprintf(path, size, "%s", rt->path);
	*where = rt->where;
	*missing = NULL;
	return rt->text;
}

int dbp_runtime_output_parse(struct dbp_runtime_output *rt, int pipe, int *log_read, int log_err,
			     const char **missing, char *path, size_t size, const char **where,
			     int (*parse)(void *arg, const char *text), void *arg)
{
	const char *text;
	int rc;

	/* only a pipe or a socket is the runtime's: a server whose standard
	 * error is /dev/null or a terminal has no log the runtime keeps */
	if (!pipe || !(text = runtime_output_take(rt, *log_read, log_err, missing, path, size, where)))
		return 0;
	/* the server's own log was not read: its log is as initialised */
	rc = parse(arg, text);
	*log_read = rc >= 0;
	return rc < 0 ? rc : 0;
}

int dbp_pg_evidence_runtime(struct dbp_pg_evidence *ev, struct dbp_runtime_output *rt)
{
	return dbp_runtime_output_parse(rt, ev->log_pipe, &ev->log_read, ev->log_err,
					&ev->log_missing, ev->log_path, sizeof(ev->log_path),
					&ev->log_where, parse_text, &ev->log);
}
