/*
 * Live reader: libproc2's pids API into the dbp_table model.
 *
 * libproc2 reads each /proc/PID afresh and skips processes that vanish
 * between the directory listing and the reads, which is what a one-shot
 * check wants. (The snapshot recorder has its own hot path.)
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/misc.h>
#include <libproc2/pids.h>
#include <libproc2/stat.h>

#include "classify.h"
#include "path.h"
#include "procstatus.h"
#include "procread.h"
#include "sigset.h"
#include "userread.h"

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h */

/*
 * What every reading takes: /proc/PID/stat and the owner of /proc/PID
 * (libproc2 takes EUID from there when status is not read). status,
 * oom_score and oom_score_adj are read only when asked for (want): each is
 * another open and read per process, and status is the costliest file the
 * kernel formats: libproc2 reads it here only for every process
 * (DBP_WANT_STATUS_ALL); else read_stop_status reads it for the few a
 * stop may reach. argv comes from read_argv below.
 */
static const enum pids_item base_items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_ID_PGRP, PIDS_ID_SESSION,
	PIDS_ID_EUID, PIDS_STATE, PIDS_FLAGS, PIDS_TICS_BEGAN,
	PIDS_CMD, PIDS_RSS, PIDS_TTY,
};
static const enum pids_item status_items[] = {
	PIDS_SIGPENDING, PIDS_SIGNALS, PIDS_SIGBLOCKED, PIDS_SIGIGNORE, PIDS_SIGCATCH,
};
static const enum pids_item oom_items[] = { PIDS_OOM_SCORE, PIDS_OOM_ADJ };

/* indexes into the items of a reading, in this order */
enum rel {
	R_PID, R_PPID, R_PGRP, R_SID, R_EUID, R_STATE, R_FLAGS, R_BEGAN,
	R_CMD, R_RSS, R_TTY,
	R_NBASE,
};
#define NBASE (sizeof(base_items) / sizeof(base_items[0]))
#define NSTATUS (sizeof(status_items) / sizeof(status_items[0]))
#define NOOM (sizeof(oom_items) / sizeof(oom_items[0]))
_Static_assert(R_NBASE == NBASE, "enum rel follows base_items");

static time_t boot_time(void)
{
	struct stat_info *si = NULL;
	time_t bt = 0;

	if (procps_stat_new(&si) < 0)
		return 0;
	bt = (time_t)STAT_GET(si, STAT_SYS_TIME_OF_BOOT, ul_int);
	procps_stat_unref(&si);
	return bt;
}

/*
 * The set a process waits for in rt_sigtimedwait: its first argument
 * (/proc/PID/syscall) points at the set in its memory (/proc/PID/mem).
 * Both need ptrace access (root, or the same user without Yama), so this
 * fails quietly for others and the caller keeps "set unknown".
 */
static int read_sigwait_set(pid_t pid, uint64_t *set)
{
	char path[64], line[512];
	long nr;
	unsigned long long addr;
	FILE *f;
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	ok = fgets(line, sizeof(line), f) && sscanf(line, "%ld %llx", &nr, &addr) == 2;
	fclose(f);
	if (!ok || nr != SYS_rt_sigtimedwait)
		return -EAGAIN;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ok = pread(fd, set, sizeof(*set), (off_t)addr) == (ssize_t)sizeof(*set);
	close(fd);
	return ok ? 0 : -EIO;
}

/*
 * libproc2 shows a comm with '?' for every byte it takes for unprintable
 * in the C locale (a UTF-8 "\U0001F418pg" becomes "????pg"). The rendering
 * boundary escapes what must be escaped, so dbpod wants the real bytes:
 * read them again from /proc/PID/stat, between the first '(' and the last
 * ')' (a comm may hold either), if the process there is still the same one
 * (its start time, field 22).
 */
static void read_raw_comm(struct dbp_proc *p)
{
	char path[64], buf[1024];
	const char *open_paren, *close_paren;
	unsigned long long start;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren ||
	    close_paren - open_paren - 1 >= (ptrdiff_t)sizeof(p->comm))
		return;
	/* after ')': state, then fields 4..21, then 22 starttime */
	if (sscanf(close_paren + 1, " %*c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
		   "%*s %*s %*s %*s %*s %*s %llu", &start) != 1 || start != p->start_ticks)
		return;
	memcpy(p->comm, open_paren + 1, (size_t)(close_paren - open_paren - 1));
	p->comm[close_paren - open_paren - 1] = '\0';
}

/*
 * argv from /proc/PID/cmdline, read here rather than through libproc2,
 * which splits an argument at each newline: an argv that smuggles
 * "\nFAKE ROW" must reach the rendering boundary as the one argument it is,
 * to be shown as \n. An empty cmdline (a kernel thread, a zombie) or one
 * that cannot be read leaves p->argv NULL. Returns 0 or -ENOMEM.
 */
static int read_argv(struct dbp_proc *p)
{
	char path[64], stack[4096], *buf = stack, *argv[4096];
	size_t len = 0, cap = sizeof(stack), n = 0;
	int fd, rc = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)p->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t r;

		if (len + 1 >= cap) {
			char *nb;

			if (cap >= (size_t)2 << 20)
				break;		/* ARG_MAX's worth is enough */
			nb = buf == stack ? malloc(cap * 2) : realloc(buf, cap * 2);
			if (!nb) {
				rc = -ENOMEM;
				goto out;
			}
			if (buf == stack)
				memcpy(nb, stack, len);
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (!len)
		goto out;
	buf[len] = '\0';
	for (size_t i = 0; i < len && n < sizeof(argv) / sizeof(argv[0]) - 1; i += strlen(buf + i) + 1)
		argv[n++] = buf + i;
	argv[n] = NULL;
	rc = dbp_proc_set_argv(p, (const char *const *)argv);
	if (rc == 0)
		p->have |= DBP_HAVE_CMDLINE;
out:
	close(fd);
	if (buf != stack)
		free(buf);
	return rc;
}

/* wchan says whether p sleeps in rt_sigtimedwait, where the waited-for
 * signals look unblocked. It reads "0" without ptrace access; tini is known
 * to live there, so its name stands in for the wchan then. */
static void read_waiting(struct dbp_proc *p)
{
	char path[64], wchan[128] = "";
	int waiting;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)dbp_proc_fspid(p));
	if (dbp_path_read(NULL, path, wchan, sizeof(wchan)) < 0)
		wchan[0] = '\0';
	waiting = strstr(wchan, "sigtimedwait") != NULL;
	if (!waiting && (!*wchan || !strcmp(wchan, "0") || !strcmp(wchan, "-")) &&
	    (!strcmp(p->comm, "tini") || !strcmp(p->comm, "docker-init")))
		waiting = 1;
	if (waiting) {
		p->sig.waiting = 1;
		if (read_sigwait_set(dbp_proc_fspid(p), &p->sig.waited) == 0)
			p->sig.waiting = 2;
	}
}

/*
 * A shell blocks every signal for the moment it forks, and bash around its
 * own critical sections; a read that falls in that moment would call the
 * stop signal "blocked" (kept pending for sigwait) when it is in fact
 * dropped or default. Only an init blocks a stop signal for good (tini,
 * catatonit read it with sigtimedwait or signalfd), so for anyone else a
 * signal counts as blocked only if every one of a few more reads still
 * shows it blocked. The reads are a fraction of a millisecond apart: on a
 * loaded machine the shell may wait for a CPU in the middle of its fork,
 * and a read at once would find it there again. A shell never reads a
 * signal with sigwait, so one still blocked after them is taken as its
 * fork's. Inits are left alone: tini's SigBlk drops the waited signals
 * while it sleeps in sigtimedwait, and a second read would unblock what
 * it really waits for.
 */
#define SETTLE_READS 16
#define SETTLE_GAP_NS 250000L

static void settle_blocked(struct dbp_proc *p, enum dbp_kind kind)
{
	for (int i = 0; i < SETTLE_READS && p->sig.blocked; i++) {
		struct timespec gap = { 0, SETTLE_GAP_NS };
		struct dbp_proc q;
		uint64_t both;

		nanosleep(&gap, NULL);
		memset(&q, 0, sizeof(q));
		if (dbp_status_read(NULL, dbp_proc_fspid(p), &q) < 0 ||
		    !(q.have & DBP_HAVE_STATUS) || q.ppid != p->ppid)
			return;
		both = p->sig.blocked & q.sig.blocked;
		if (both == p->sig.blocked)
			continue;
		/* out of the critical section: the handlers it had set
		 * aside for it are back too, so this reading is the one */
		q.sig.waiting = p->sig.waiting;
		q.sig.waited = p->sig.waited;
		p->sig = q.sig;
		p->sig.blocked = both;
	}
	if (kind == DBP_KIND_SHELL)
		p->sig.blocked = 0;
}

/* A zombie PID 1 would have to reap is read again, for up to 40 ms,
 * before it counts (DBP104): a shell that forks and waits has its
 * child a zombie between the child's exit and the wait, and under load a
 * reading lands there (pid1check found PID 1's children waiting to be
 * reaped in 33 runs of 150 at load 6, a shell that does wait). Gone, or
 * no longer a zombie (its PID taken by another process), it was reaped.
 * The parent is not compared: in node mode the table's PIDs are the
 * namespace's and status's are the reader's. */
/* Up to 40 reads 1 ms apart, all of PID 1's zombies at each: 4 ms
 * (16 reads) still let one through in a loaded make check */
#define ZOMBIE_READS 40
#define ZOMBIE_GAP_NS 1000000L

static int pid1_zombie(const struct dbp_proc *p)
{
	return p->state == 'Z' && p->ppid == 1 && !p->reaped;
}

static void settle_zombies(struct dbp_table *t)
{
	size_t left = 0;

	for (size_t i = 0; i < t->n; i++)
		left += pid1_zombie(&t->procs[i]);
	for (int round = 0; round < ZOMBIE_READS && left; round++) {
		struct timespec gap = { 0, ZOMBIE_GAP_NS };

		nanosleep(&gap, NULL);
		left = 0;
		for (size_t i = 0; i < t->n; i++) {
			struct dbp_proc *p = &t->procs[i];
			struct dbp_proc q;

			if (!pid1_zombie(p))
				continue;
			memset(&q, 0, sizeof(q));
			if (dbp_status_read(NULL, dbp_proc_fspid(p), &q) < 0 || q.state != 'Z')
				p->reaped = 1;
			else
				left++;
		}
	}
}

/* The processes a stop can run through, whose wait matters to how they
 * take the stop signal: PID 1, every init, shell, user switcher and
 * database server, and the ancestors of a database server. For the
 * thousand workers of an application their wchan is not worth a read
 * each. And PID 1's zombies, read again (settle_zombies). */
void dbp_table_read_waits(struct dbp_table *t)
{
	struct dbp_class c;

	settle_zombies(t);
	for (size_t i = 0; i < t->n; i++) {
		struct dbp_proc *p = &t->procs[i];

		if (!(p->have & DBP_HAVE_STATUS) || p->kthread || p->state == 'Z')
			continue;
		dbp_classify(p, &c);
		if (p->pid == 1 || c.kind != DBP_KIND_OTHER) {
			read_waiting(p);
			if (c.kind != DBP_KIND_INIT && !p->sig.waiting)
				settle_blocked(p, c.kind);
			/* the ancestors of a server: the wrappers that start it */
			if (c.kind == DBP_KIND_DATABASE)
				for (const struct dbp_proc *a = dbp_table_find(t, p->ppid);
				     a && a->pid > 1 && a->ppid != a->pid; a = dbp_table_find(t, a->ppid)) {
					struct dbp_proc *w = (struct dbp_proc *)a;

					dbp_classify(w, &c);
					if (c.kind == DBP_KIND_OTHER && !w->sig.waiting &&
					    (w->have & DBP_HAVE_STATUS))
						read_waiting(w);
				}
		}
	}
}

/*
 * The status of the processes a stop may reach, after the table is
 * complete (who they are comes from stat and cmdline). A process whose
 * status now names another parent is not the one the table holds (it
 * exited and its PID was taken within the moment): it keeps no masks and
 * the rules say "cannot be read" of it rather than judge another process.
 */
static int read_stop_status(struct dbp_table *t)
{
	unsigned char *mark = malloc(t->n ? t->n : 1);
	long n = mark ? dbp_table_stop_candidates(t, mark) : -ENOMEM;

	if (n < 0) {
		free(mark);
		return (int)n;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct dbp_proc *p = &t->procs[i];
		struct dbp_proc q;

		if (!mark[i])
			continue;
		memset(&q, 0, sizeof(q));
		if (dbp_status_read(NULL, dbp_proc_fspid(p), &q) < 0 ||
		    !(q.have & DBP_HAVE_STATUS) || q.ppid != p->ppid)
			continue;
		p->sig = q.sig;		/* the waits are read after (read_waits) */
		/* status's effective uid, as libproc2 takes it when it reads
		 * status; the owner of /proc/PID differs for a process that
		 * changed user without exec */
		p->uid = q.uid;	/* named with the others, after */
		p->have |= DBP_HAVE_STATUS;
	}
	free(mark);
	return 0;
}

int dbp_table_read_live(struct dbp_table *t, unsigned want)
{
	int status_all = (want & DBP_HAVE_STATUS) && (want & DBP_WANT_STATUS_ALL);
	enum pids_item items[NBASE + NSTATUS + NOOM];
	size_t nitems = 0, r_status = 0, r_oom = 0;
	struct pids_info *info = NULL;
	struct pids_fetch *fetch;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	int rc, total;

	if (access("/proc/self/stat", R_OK) < 0)
		return -ENOENT;
	for (size_t i = 0; i < NBASE; i++)
		items[nitems++] = base_items[i];
	if (status_all) {
		r_status = nitems;
		for (size_t i = 0; i < NSTATUS; i++)
			items[nitems++] = status_items[i];
	}
	if (want & DBP_HAVE_OOM) {
		r_oom = nitems;
		for (size_t i = 0; i < NOOM; i++)
			items[nitems++] = oom_items[i];
	}
	rc = procps_pids_new(&info, items, (int)nitems);
	if (rc < 0)
		return rc;
	fetch = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!fetch) {
		rc = errno ? -errno : -EIO;
		procps_pids_unref(&info);
		return rc;
	}
	t->hz = procps_hertz_get();
	t->boot_time = boot_time();
	t->now = time(NULL);
	t->self = getpid();

	total = fetch->counts->total;
	for (int i = 0; i < total; i++) {
		struct pids_stack *s = fetch->stacks[i];
		struct dbp_proc *p = dbp_table_add(t);

		if (!p) {
			procps_pids_unref(&info);
			return -ENOMEM;
		}
		p->pid = PIDS_VAL(R_PID, s_int, s, info);
		p->ppid = PIDS_VAL(R_PPID, s_int, s, info);
		p->pgrp = PIDS_VAL(R_PGRP, s_int, s, info);
		p->sid = PIDS_VAL(R_SID, s_int, s, info);
		p->uid = PIDS_VAL(R_EUID, u_int, s, info);
		p->state = PIDS_VAL(R_STATE, s_ch, s, info);
		p->kthread = !!(PIDS_VAL(R_FLAGS, ul_int, s, info) & PF_KTHREAD);
		p->tty = PIDS_VAL(R_TTY, s_int, s, info);
		p->start_ticks = PIDS_VAL(R_BEGAN, ull_int, s, info);
		p->rss_kb = PIDS_VAL(R_RSS, ul_int, s, info) * (unsigned long)page_kb;
		snprintf(p->comm, sizeof(p->comm), "%s", PIDS_VAL(R_CMD, str, s, info));
		if (strchr(p->comm, '?'))
			read_raw_comm(p);

		if (read_argv(p) < 0) {
			procps_pids_unref(&info);
			return -ENOMEM;
		}

		/* an empty mask string means status could not be read */
		if (status_all) {
			const char *mask = PIDS_VAL(r_status + 4, str, s, info);

			if (mask && *mask &&
			    !dbp_sigmask_parse(mask, &p->sig.caught) &&
			    !dbp_sigmask_parse(PIDS_VAL(r_status + 3, str, s, info), &p->sig.ignored) &&
			    !dbp_sigmask_parse(PIDS_VAL(r_status + 2, str, s, info), &p->sig.blocked) &&
			    !dbp_sigmask_parse(PIDS_VAL(r_status + 0, str, s, info), &p->sig.pending) &&
			    !dbp_sigmask_parse(PIDS_VAL(r_status + 1, str, s, info), &p->sig.shpending))
				p->have |= DBP_HAVE_STATUS;
		}
		if (want & DBP_HAVE_OOM) {
			p->oom_score = PIDS_VAL(r_oom, s_int, s, info);
			p->oom_adj = PIDS_VAL(r_oom + 1, s_int, s, info);
			p->have |= DBP_HAVE_OOM;
		}
	}
	procps_pids_unref(&info);
	dbp_table_sort(t);
	if ((want & DBP_HAVE_STATUS) && !status_all) {
		rc = read_stop_status(t);
		if (rc < 0)
			return rc;
	}
	/* names from this root's passwd, never NSS (userread.h) */
	dbp_table_user_names(t, "");
	if (want & DBP_HAVE_STATUS)
		dbp_table_read_waits(t);
	return 0;
}

pid_t dbp_proc_self_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	long v;
	char *end;

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (*end || v <= 0 || v > INT_MAX)
		return -EINVAL;
	return (pid_t)v;
}

/* Whether descriptor fd of pid is open for writing (fdinfo's flags). */
static int fd_writes(pid_t pid, const char *fd)
{
	char path[320], line[128];
	unsigned flags = 0;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "flags: %o", &flags) == 1;
	fclose(f);
	return found && (flags & O_ACCMODE) != O_RDONLY;
}

pid_t dbp_proc_file_writer(const char *path)
{
	struct stat want, st;
	struct dirent *e, *fe;
	pid_t self = getpid(), found = 0;
	int hidden = 0;
	DIR *d, *fds;

	if (stat(path, &want) < 0)
		return -errno;
	d = opendir("/proc");
	if (!d)
		return -errno;
	while (!found && (e = readdir(d))) {
		char dir[64], fdpath[320];
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || pid == self)
			continue;
		snprintf(dir, sizeof(dir), "/proc/%ld/fd", pid);
		fds = opendir(dir);
		if (!fds) {
			hidden |= errno == EACCES;
			continue;
		}
		while ((fe = readdir(fds))) {
			if (fe->d_name[0] == '.')
				continue;
			snprintf(fdpath, sizeof(fdpath), "%s/%s", dir, fe->d_name);
			/* stat follows the descriptor to its file */
			if (stat(fdpath, &st) == 0 && st.st_dev == want.st_dev &&
			    st.st_ino == want.st_ino && fd_writes((pid_t)pid, fe->d_name)) {
				found = (pid_t)pid;
				break;
			}
		}
		closedir(fds);
	}
	closedir(d);
	return found ? found : hidden ? -EACCES : 0;
}

/* hidepid= and gid= of the last proc mount on /proc: *gid is -1 when
 * there is no gid= */
static int proc_mount_options(long *gid)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int hidden = 0;

	*gid = -1;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char mnt[1024];
		const char *opt, *g;

		/* 36 35 98:0 / /proc rw,... - proc proc rw,hidepid=2,gid=7 */
		if (sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1 || strcmp(mnt, "/proc"))
			continue;
		opt = strstr(line, " - proc ");
		if (!opt)
			continue;
		g = strstr(opt, ",gid=");
		*gid = g ? strtol(g + 5, NULL, 10) : -1;
		opt = strstr(opt, "hidepid=");
		/* the last mount on /proc wins */
		hidden = opt && strncmp(opt + 8, "0", 1) && strncmp(opt + 8, "off", 3);
	}
	fclose(f);
	return hidden;
}

int dbp_proc_hidepid(void)
{
	long gid;

	return proc_mount_options(&gid);
}

/* CAP_SYS_PTRACE in the effective set (/proc/self/status CapEff): what
 * lets a reader past hidepid (fs/proc/base.c has_pid_permissions) */
static int have_sys_ptrace(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long caps = 0;
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &caps) == 1;
	fclose(f);
	return found && (caps >> 19 & 1);	/* CAP_SYS_PTRACE is 19 */
}

static int in_group(long gid)
{
	gid_t groups[256];
	int n;

	if (gid < 0)
		return 0;
	if (getegid() == (gid_t)gid)
		return 1;
	n = getgroups(sizeof(groups) / sizeof(groups[0]), groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == (gid_t)gid)
			return 1;
	return 0;
}

int dbp_pidns_initial(void)
{
	struct stat st;

	/* PROC_PID_INIT_INO (include/linux/proc_ns.h): fixed since Linux 3.8 */
	if (stat("/proc/self/ns/pid", &st) < 0)
		return -errno;
	return st.st_ino == 0xEFFFFFFCU;
}

int dbp_proc_view_partial(void)
{
	long gid;
	int h = proc_mount_options(&gid);

	if (h <= 0)
		return 0;
	return !have_sys_ptrace() && !in_group(gid);
}
