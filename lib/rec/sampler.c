/*
 * The recorder's sampler: held /proc descriptors re-read with pread, and
 * the delta between two samples. See sampler.h for the contract.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classify.h"
#include "path.h"
#include "procstatus.h"
#include "recording.h"
#include "sampler.h"
#include "userread.h"

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h */
#define FD_RESERVE 64		/* descriptors left for the output, stdio, NSS */
#define CMDLINE_MAX (1 << 20)	/* read at most this much of a command line */

/* ---- /proc/PID/stat ---------------------------------------------------- */

int dbp_stat_parse(const char *buf, size_t len, struct dbp_proc *p)
{
	const char *open, *close = NULL, *s, *end = buf + len;
	unsigned long long v[20];
	size_t n, field;
	char *e;

	/* "PID (COMM) S PPID ...": comm is the task name as the process set
	 * it (prctl, exec), up to 15 bytes, unescaped; it may hold spaces
	 * and ')' -- so it ends at the *last* ')' of the line */
	open = memchr(buf, '(', len);
	if (!open)
		return -EINVAL;
	for (s = open + 1; s < end; s++)
		if (*s == ')')
			close = s;
	if (!close || close + 2 >= end || close[1] != ' ')
		return -EINVAL;
	p->pid = (pid_t)strtol(buf, &e, 10);
	if (e == buf || p->pid <= 0)
		return -EINVAL;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(p->comm))
		n = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, n);
	p->comm[n] = '\0';
	p->cls.valid = 0;

	/* field 3 (state) is a character; fields 4..22 are numbers, of which
	 * we take ppid (4), pgrp (5), session (6), tty_nr (7), flags (9)
	 * and starttime (22, clock ticks after boot) */
	s = close + 2;
	p->state = *s++;
	for (field = 0; field < 19; field++) {
		char num[24];
		size_t k = 0;

		while (s < end && *s == ' ')
			s++;
		/* copy the number out: buf need not be NUL-terminated */
		while (s < end && *s != ' ' && *s != '\n' && k < sizeof(num) - 1)
			num[k++] = *s++;
		if (!k)
			return -EINVAL;
		num[k] = '\0';
		/* tty_nr and a few others may be negative; keep the bits */
		v[field] = num[0] == '-' ? (unsigned long long)strtoll(num, NULL, 10)
					 : strtoull(num, NULL, 10);
	}
	p->ppid = (pid_t)v[0];
	p->pgrp = (pid_t)v[1];
	p->sid = (pid_t)v[2];
	p->tty = (int)v[3];
	p->kthread = !!(v[5] & PF_KTHREAD);
	p->start_ticks = v[18];
	/* a task the kernel is releasing (reaped, its signal handlers
	 * gone): do_task_stat fills parent, group and session only while it
	 * can lock those, and leaves 0, -1, -1. Read so, a process that
	 * exits under a loaded sampler got a last version without a parent
	 * -- PID 1's child headed its own chain (614, once). It has gone. */
	if (p->ppid == 0 && p->pgrp == -1 && p->sid == -1)
		return -ESRCH;
	return 0;
}

/* ---- the delta ----------------------------------------------------------- */

void dbp_delta_init(struct dbp_delta *d)
{
	memset(d, 0, sizeof(*d));
}

void dbp_delta_free(struct dbp_delta *d)
{
	free(d->added);
	free(d->gone);
	free(d->changed);
	dbp_delta_init(d);
}

int dbp_argv_equal(char *const *a, char *const *b)
{
	if (a == b)
		return 1;
	if (!a || !b)
		return 0;
	for (; *a && *b; a++, b++)
		if (strcmp(*a, *b))
			return 0;
	return !*a && !*b;
}

static unsigned proc_diff(const struct dbp_proc *a, const struct dbp_proc *b, int with_status)
{
	unsigned w = 0;

	if (a->ppid != b->ppid)
		w |= DBP_CHG_PPID;
	if (a->state != b->state)
		w |= DBP_CHG_STATE;
	if (a->pgrp != b->pgrp || a->sid != b->sid)
		w |= DBP_CHG_PGRP;
	if (strcmp(a->comm, b->comm))
		w |= DBP_CHG_COMM;
	if (!dbp_argv_equal(a->argv, b->argv))
		w |= DBP_CHG_ARGS;
	if (!with_status)
		return w;
	if ((a->have & b->have & DBP_HAVE_STATUS)) {
		if (a->uid != b->uid)
			w |= DBP_CHG_UID;
		if (memcmp(&a->sig, &b->sig, offsetof(struct dbp_sigmasks, waiting)))
			w |= DBP_CHG_SIG;
	}
	if ((a->have & b->have & DBP_HAVE_OOM) && a->oom_adj != b->oom_adj)
		w |= DBP_CHG_OOM;
	return w;
}

int dbp_delta_compute(const struct dbp_table *prev, const struct dbp_table *cur,
		      int with_status, struct dbp_delta *d)
{
	size_t i = 0, j = 0;

	d->nadded = d->ngone = d->nchanged = 0;
	/* index arrays sized for the worst case, reused between samples */
	if (d->cap < prev->n + cur->n + 1) {
		size_t cap = prev->n + cur->n + 64;
		size_t *na = realloc(d->added, cap * sizeof(*na));

		if (!na)
			return -ENOMEM;
		d->added = na;
		na = realloc(d->gone, cap * sizeof(*na));
		if (!na)
			return -ENOMEM;
		d->gone = na;
		{
			struct dbp_change *nc = realloc(d->changed, cap * sizeof(*nc));

			if (!nc)
				return -ENOMEM;
			d->changed = nc;
		}
		d->cap = cap;
	}
	/* both sorted by pid: one merge walk */
	while (i < prev->n || j < cur->n) {
		const struct dbp_proc *a = i < prev->n ? &prev->procs[i] : NULL;
		const struct dbp_proc *b = j < cur->n ? &cur->procs[j] : NULL;

		if (a && (!b || a->pid < b->pid)) {
			d->gone[d->ngone++] = i++;
		} else if (b && (!a || b->pid < a->pid)) {
			d->added[d->nadded++] = j++;
		} else if (a->start_ticks != b->start_ticks) {
			/* the PID was reused: another process */
			d->gone[d->ngone++] = i++;
			d->added[d->nadded++] = j++;
		} else {
			unsigned w = proc_diff(a, b, with_status);

			if (w) {
				d->changed[d->nchanged].cur = j;
				d->changed[d->nchanged++].what = w;
			}
			i++;
			j++;
		}
	}
	return 0;
}

/* ---- the sampler ------------------------------------------------------- */

struct held {
	int fd_stat;		/* /proc/PID/stat, or -1 */
	int fd_cmd;		/* /proc/PID/cmdline, or -1 */
	long threads;		/* num_threads at this sample */
	int ns;			/* node mode: its namespace's slot in s->ns; -1 none */
	int ns_denied;		/* and none because /proc/PID/ns/pid was refused */
};

struct dbp_sampler {
	char procfs[256];
	int procfd;
	DIR *dir;
	struct dbp_table t[2];		/* t[c]: the latest sample; t[!c]: the one before */
	struct held *h[2];		/* parallel to t[].procs */
	size_t hcap[2];
	int c;
	size_t hold_max;		/* processes we may hold descriptors for */
	size_t nheld, nunheld, nmissed;
	unsigned long fd_limit;
	char *buf;
	size_t bufsize;
	struct dbp_users users;		/* /etc/passwd, read once at the start */
	long hz;
	time_t boot_time;
	int loadavg_fd;		/* /proc/loadavg, held */
	unsigned long scans_skipped;	/* samples that re-read the last list instead of /proc */
	long long walk_pid;	/* the counter read before the last sample's walk: -1 unknown */
	struct dbp_sampler_counts counts;
	/* node mode (dbp_sampler_set_pidns): the PID namespaces of the
	 * sample, a slot each (ino 0: a free slot), with the passwd of
	 * each, read when a name is first wanted */
	int pidns;
	unsigned long long own_ns;
	struct dbp_sampler_pidns *ns;
	struct dbp_users *ns_users;
	unsigned char *ns_users_loaded;
	size_t nns, capns;
	size_t ns_unreadable;
};

static time_t read_boot_time(const char *procfs)
{
	char path[300], line[256];
	FILE *f;
	time_t bt = 0;

	snprintf(path, sizeof(path), "%s/stat", procfs);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "btime ", 6)) {
			bt = (time_t)strtoll(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return bt;
}

int dbp_sampler_new(struct dbp_sampler **out, const char *procfs)
{
	struct dbp_sampler *s = calloc(1, sizeof(*s));
	struct rlimit rl;
	int dfd;

	if (!s)
		return -ENOMEM;
	snprintf(s->procfs, sizeof(s->procfs), "%s", procfs ? procfs : "/proc");
	s->procfd = open(s->procfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->procfd < 0) {
		int rc = -errno;

		free(s);
		return rc;
	}
	/* names from this root's passwd, never NSS (userread.h); a user
	 * added while the recorder runs is recorded by number */
	dbp_users_load(&s->users, "");
	dfd = dup(s->procfd);
	s->dir = dfd < 0 ? NULL : fdopendir(dfd);
	if (!s->dir) {
		int rc = -errno;

		if (dfd >= 0)
			close(dfd);
		close(s->procfd);
		free(s);
		return rc;
	}
	/* two descriptors a process: 2,000 processes want 4,000, above the
	 * usual soft limit of 1,024 and well below the usual hard limit */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		s->fd_limit = (unsigned long)rl.rlim_cur;
	} else {
		s->fd_limit = 1024;
	}
	s->hold_max = s->fd_limit > 2 * FD_RESERVE ? (s->fd_limit - FD_RESERVE) / 2 : 0;
	s->bufsize = 4096;
	s->buf = malloc(s->bufsize);
	dbp_table_init(&s->t[0]);
	dbp_table_init(&s->t[1]);
	s->hz = sysconf(_SC_CLK_TCK);
	if (s->hz <= 0)
		s->hz = 100;
	s->boot_time = read_boot_time(s->procfs);
	s->loadavg_fd = openat(s->procfd, "loadavg", O_RDONLY | O_CLOEXEC);
	s->counts.last_pid = -1;
	s->walk_pid = -1;
	if (!s->buf) {
		dbp_sampler_free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

void dbp_sampler_set_hold_max(struct dbp_sampler *s, size_t max)
{
	if (max < s->hold_max)
		s->hold_max = max;
}

static void close_held(struct held *h)
{
	if (h->fd_stat >= 0)
		close(h->fd_stat);
	if (h->fd_cmd >= 0)
		close(h->fd_cmd);
	h->fd_stat = h->fd_cmd = -1;
}

static void table_release(struct dbp_table *t, struct held *h, const struct dbp_table *keep)
{
	for (size_t i = 0; i < t->n; i++) {
		struct dbp_proc *p = &t->procs[i];
		const struct dbp_proc *k = keep ? dbp_table_find(keep, p->pid) : NULL;

		if (h)
			close_held(&h[i]);
		/* argv shared with the newer sample belongs to it now */
		if (p->argv && !(k && k->argv == p->argv)) {
			for (char **a = p->argv; *a; a++)
				free(*a);
			free(p->argv);
		}
		p->argv = NULL;
	}
	t->n = 0;
}

void dbp_sampler_free(struct dbp_sampler *s)
{
	if (!s)
		return;
	/* the older table first: its argv may be shared with the newer */
	table_release(&s->t[!s->c], s->h[!s->c], &s->t[s->c]);
	table_release(&s->t[s->c], s->h[s->c], NULL);
	dbp_table_free(&s->t[0]);
	dbp_table_free(&s->t[1]);
	free(s->h[0]);
	free(s->h[1]);
	free(s->buf);
	dbp_users_free(&s->users);
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns_users_loaded[i])
			dbp_users_free(&s->ns_users[i]);
	free(s->ns);
	free(s->ns_users);
	free(s->ns_users_loaded);
	if (s->dir)
		closedir(s->dir);
	if (s->loadavg_fd >= 0)
		close(s->loadavg_fd);
	if (s->procfd >= 0)
		close(s->procfd);
	free(s);
}

void dbp_sampler_stats(const struct dbp_sampler *s, struct dbp_sampler_stats *st)
{
	st->held = s->nheld;
	st->unheld = s->nunheld;
	st->missed = s->nmissed;
	st->fd_limit = s->fd_limit;
	st->scans_skipped = s->scans_skipped;
	st->ns_unreadable = s->ns_unreadable;
}

void dbp_sampler_counts(const struct dbp_sampler *s, struct dbp_sampler_counts *c)
{
	*c = s->counts;
}

/* "0.00 0.01 0.05 1/123 4567": the last field is the last PID allocated
 * in the reader's PID namespace (the same counter as ns_last_pid). */
long long dbp_loadavg_last_pid(const char *buf, size_t len)
{
	const char *end = buf + len, *p;
	long long v = 0;

	while (end > buf && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (p = end; p > buf && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == end || end - p > 9 || (p > buf && p[-1] != ' '))
		return -EINVAL;
	for (; p < end; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/* The allocation counter now, or -1 (counts.last_pid's unreadable) */
static long long last_pid_now(struct dbp_sampler *s)
{
	char b[128];
	ssize_t n = s->loadavg_fd >= 0 ? pread(s->loadavg_fd, b, sizeof(b), 0) : -1;
	long long v = n > 0 ? dbp_loadavg_last_pid(b, (size_t)n) : -1;

	return v < 0 ? -1 : v;
}

static void read_last_pid(struct dbp_sampler *s)
{
	s->counts.last_pid = last_pid_now(s);
}

/* num_threads, field 20 of /proc/PID/stat (the 18th after the state). */
static long stat_threads(const char *buf, size_t len)
{
	const char *end = buf + len, *s = NULL;
	int field = 2;

	for (const char *c = buf; c < end; c++)
		if (*c == ')')
			s = c;
	if (!s)
		return 1;
	for (s++; s < end && field < 20; s++)
		if (*s == ' ')
			field++;
	return s < end ? strtol(s, NULL, 10) : 1;
}

time_t dbp_sampler_boot_time(const struct dbp_sampler *s)
{
	return s->boot_time;
}

double dbp_boot_clock(void)
{
	struct timespec rt, bt, rt2;

	/* the two reads bracket the boot clock's: a preemption between them
	 * shows as rt2 - rt, and the middle is taken */
	if (clock_gettime(CLOCK_REALTIME, &rt) < 0 || clock_gettime(CLOCK_BOOTTIME, &bt) < 0 ||
	    clock_gettime(CLOCK_REALTIME, &rt2) < 0)
		return 0;
	return ((double)rt.tv_sec + (double)rt.tv_nsec / 1e9 + (double)rt2.tv_sec +
		(double)rt2.tv_nsec / 1e9) / 2 - ((double)bt.tv_sec + (double)bt.tv_nsec / 1e9);
}

int dbp_boot_id(char *buf, size_t size)
{
	int rc = dbp_path_read(NULL, "/proc/sys/kernel/random/boot_id", buf, size);

	if (rc == 0 && !dbp_boot_id_valid(buf))
		rc = -EINVAL;
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}

const char *dbp_sampler_user(struct dbp_sampler *s, uid_t uid)
{
	return dbp_users_name(&s->users, uid);
}

/* Read the whole of fd from offset 0 into s->buf, growing it for long
 * command lines. Returns the length, or a negative errno. */
static ssize_t read_all(struct dbp_sampler *s, int fd)
{
	for (;;) {
		ssize_t n = pread(fd, s->buf, s->bufsize, 0);
		char *nb;

		if (n < 0)
			return -errno;
		if ((size_t)n < s->bufsize || s->bufsize >= CMDLINE_MAX)
			return n;
		nb = realloc(s->buf, s->bufsize * 2);
		if (!nb)
			return n;	/* keep what fits */
		s->buf = nb;
		s->bufsize *= 2;
	}
}

static int open_pid_file(struct dbp_sampler *s, pid_t pid, const char *name)
{
	char rel[48];

	snprintf(rel, sizeof(rel), "%d/%s", (int)pid, name);
	return openat(s->procfd, rel, O_RDONLY | O_CLOEXEC);
}

/* Does the NUL-separated buffer hold the same arguments as argv? */
static int argv_matches(char *const *argv, const char *buf, size_t n)
{
	size_t off = 0;

	if (!argv)
		return n == 0;
	for (; *argv; argv++) {
		size_t l;

		if (off >= n)
			return 0;
		l = strnlen(buf + off, n - off);
		if (strlen(*argv) != l || memcmp(*argv, buf + off, l))
			return 0;
		off += l + 1;
	}
	return off >= n;
}

static int argv_from_buf(struct dbp_proc *p, const char *buf, size_t n)
{
	size_t count = 0, off, k = 0;

	p->argv = NULL;
	for (off = 0; off < n; count++)
		off += strnlen(buf + off, n - off) + 1;
	if (!count)
		return 0;
	p->argv = calloc(count + 1, sizeof(char *));
	if (!p->argv)
		return -ENOMEM;
	for (off = 0; off < n; k++) {
		size_t l = strnlen(buf + off, n - off);

		p->argv[k] = strndup(buf + off, l);
		if (!p->argv[k])
			return -ENOMEM;	/* the caller's release frees the rest */
		off += l + 1;
	}
	return 0;
}

/* Status and oom_score_adj: on first sight and at keyframes. In node
 * mode the same read of status gives the process's numbers in its PID
 * namespace (NSpid, NSpgid, NSsid). The user is named by the caller,
 * from the passwd of the process's namespace. */
static void read_slow_fields(struct dbp_sampler *s, struct dbp_proc *q)
{
	struct dbp_proc st;
	char rel[48], text[8192];
	int fd;

	memset(&st, 0, sizeof(st));
	q->have &= ~(unsigned)(DBP_HAVE_STATUS | DBP_HAVE_OOM);
	if (dbp_status_text(s->procfs, q->pid, text, sizeof(text)) == 0) {
		if (dbp_status_parse(text, &st) == 0 && (st.have & DBP_HAVE_STATUS)) {
			q->uid = st.uid;
			q->sig = st.sig;
			q->have |= DBP_HAVE_STATUS;
		}
		if (s->pidns && q->ns.ino) {
			struct dbp_nsinfo n = q->ns;

			if (dbp_status_nsids(text, &n) == 0)
				q->ns = n;
		}
	}
	snprintf(rel, sizeof(rel), "%d/oom_score_adj", (int)q->pid);
	fd = openat(s->procfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char b[16];
		ssize_t n = read(fd, b, sizeof(b) - 1);

		close(fd);
		if (n > 0) {
			b[n] = '\0';
			q->oom_adj = (int)strtol(b, NULL, 10);
			q->have |= DBP_HAVE_OOM;
		}
	}
}

/* ---- node mode: PID namespaces ------------------------------------------ */

int dbp_sampler_set_pidns(struct dbp_sampler *s, int on)
{
	struct stat st;

	s->pidns = 0;
	if (!on)
		return 0;
	if (fstatat(s->procfd, "self/ns/pid", &st, 0) < 0)
		return -errno;
	s->own_ns = (unsigned long long)st.st_ino;
	s->pidns = 1;
	return 0;
}

const struct dbp_sampler_pidns *dbp_sampler_pidns(const struct dbp_sampler *s, size_t *n)
{
	*n = s->nns;
	return s->ns;
}

/* The slot of namespace ino for process q (new in this sample): the one
 * in use, or a new one (fresh). An inode is reused by a later namespace
 * once the earlier one has ended (the kernel hands out the lowest free
 * one); a namespace begins with its PID 1, so a PID 1 other than the one
 * a slot knows is a new namespace under the same inode. Returns the
 * slot, or -ENOMEM. */
static int pidns_slot(struct dbp_sampler *s, const struct dbp_proc *q)
{
	size_t i, free_at = s->nns;
	struct dbp_sampler_pidns *n;

	for (i = 0; i < s->nns; i++) {
		n = &s->ns[i];
		if (!n->ino) {
			if (free_at == s->nns)
				free_at = i;
			continue;
		}
		if (n->ino != q->ns.ino)
			continue;
		if (q->ns.pid != 1 || q->ns.ino == s->own_ns)
			return (int)i;
		if (!n->init) {
			n->init = q->pid;
			n->init_start = q->start_ticks;
			return (int)i;
		}
		if (n->init == q->pid && n->init_start == q->start_ticks)
			return (int)i;
		/* a new namespace under the inode of an ended one */
		n->ino = 0;
		if (free_at == s->nns)
			free_at = i;
		break;
	}
	if (free_at == s->capns) {
		size_t cap = s->capns ? s->capns * 2 : 16;
		struct dbp_sampler_pidns *nn = realloc(s->ns, cap * sizeof(*nn));
		struct dbp_users *nu;
		unsigned char *nl;

		if (!nn)
			return -ENOMEM;
		s->ns = nn;
		nu = realloc(s->ns_users, cap * sizeof(*nu));
		if (!nu)
			return -ENOMEM;
		s->ns_users = nu;
		nl = realloc(s->ns_users_loaded, cap);
		if (!nl)
			return -ENOMEM;
		s->ns_users_loaded = nl;
		s->capns = cap;
	}
	if (free_at == s->nns) {
		s->ns_users_loaded[free_at] = 0;
		s->nns++;
	}
	if (s->ns_users_loaded[free_at])
		dbp_users_free(&s->ns_users[free_at]);
	s->ns_users_loaded[free_at] = 0;
	n = &s->ns[free_at];
	memset(n, 0, sizeof(*n));
	n->ino = q->ns.ino;
	n->first = q->pid;
	n->fresh = 1;
	n->own = q->ns.ino == s->own_ns;
	if (q->ns.pid == 1 && !n->own) {
		n->init = q->pid;
		n->init_start = q->start_ticks;
	}
	return (int)free_at;
}

/* The name of q's user: in node mode, as the passwd of its namespace's
 * root says (where `ps` in the container would look), else the node's. */
static void name_user(struct dbp_sampler *s, struct dbp_proc *q, int slot)
{
	struct dbp_users *u = &s->users;

	if (!(q->have & DBP_HAVE_STATUS))
		return;
	if (slot >= 0 && !s->ns[slot].own) {
		if (!s->ns_users_loaded[slot]) {
			char root[300];

			/* the first process seen in it: its PID 1, mostly */
			snprintf(root, sizeof(root), "%s/%d/root", s->procfs, (int)s->ns[slot].first);
			dbp_users_load(&s->ns_users[slot], root);
			s->ns_users_loaded[slot] = 1;
		}
		u = &s->ns_users[slot];
	}
	snprintf(q->user, sizeof(q->user), "%s", dbp_users_name(u, q->uid));
}

/* A new process's namespace: the inode of /proc/PID/ns/pid (the numbers
 * follow from its status). Kernel threads are all in the initial
 * namespace, which is the sampler's own when it sees them at all.
 * Returns 1 when the link was refused (no ptrace access), else 0. */
static int read_pidns(struct dbp_sampler *s, struct dbp_proc *q)
{
	char rel[48];
	struct stat st;
	int denied = 0;

	memset(&q->ns, 0, sizeof(q->ns));
	if (q->kthread) {
		q->ns.ino = s->own_ns;
	} else {
		snprintf(rel, sizeof(rel), "%d/ns/pid", (int)q->pid);
		if (fstatat(s->procfd, rel, &st, 0) == 0)
			q->ns.ino = (unsigned long long)st.st_ino;
		else
			denied = errno == EACCES || errno == EPERM;
	}
	/* until status says otherwise (or for good, without NSpid) */
	if (q->ns.ino == s->own_ns) {
		q->ns.pid = q->pid;
		q->ns.pgrp = q->pgrp;
		q->ns.sid = q->sid;
	}
	return denied;
}

static int ensure_held(struct dbp_sampler *s, int c, size_t n)
{
	if (s->hcap[c] < n) {
		size_t cap = n < 256 ? 256 : n * 2;
		struct held *nh = realloc(s->h[c], cap * sizeof(*nh));

		if (!nh)
			return -ENOMEM;
		s->h[c] = nh;
		s->hcap[c] = cap;
	}
	return 0;
}

static int is_emfile(int e)
{
	return e == EMFILE || e == ENFILE;
}

/* One process of this sample: into t[c], with its descriptors in h[c]. */
static int sample_one(struct dbp_sampler *s, pid_t pid, int keyframe)
{
	struct dbp_table *prev = &s->t[!s->c], *cur = &s->t[s->c];
	struct held *hp = s->h[!s->c], *hq;
	const struct dbp_proc *a = dbp_table_find(prev, pid);
	struct held *ha = a ? &hp[a - prev->procs] : NULL;
	struct dbp_proc *q;
	int survivor = 0, same_args, rc, fd;
	ssize_t n = -1;

	rc = ensure_held(s, s->c, cur->n + 1);
	if (rc < 0)
		return rc;
	q = dbp_table_add(cur);
	if (!q)
		return -ENOMEM;
	hq = &s->h[s->c][cur->n - 1];
	hq->fd_stat = hq->fd_cmd = -1;
	hq->ns = -1;
	hq->ns_denied = 0;

	/* the hot path: a held descriptor, re-read */
	if (ha && ha->fd_stat >= 0) {
		n = pread(ha->fd_stat, s->buf, s->bufsize, 0);
		if (n > 0 && dbp_stat_parse(s->buf, (size_t)n, q) == 0 &&
		    q->start_ticks == a->start_ticks) {
			*hq = *ha;
			ha->fd_stat = ha->fd_cmd = -1;
			survivor = 1;
		} else {
			/* ESRCH: the process we held is gone; whoever has
			 * its PID now is another one */
			close_held(ha);
			n = -1;
		}
	}
	if (n <= 0) {
		fd = open_pid_file(s, pid, "stat");
		if (fd < 0) {
			/* exited since readdir; or out of descriptors: hold
			 * no more, and this process is missed this once */
			if (is_emfile(errno)) {
				s->hold_max = s->nheld;
				s->nmissed++;
			}
			cur->n--;
			return 0;
		}
		n = pread(fd, s->buf, s->bufsize, 0);
		if (n <= 0 || dbp_stat_parse(s->buf, (size_t)n, q) < 0) {
			close(fd);
			cur->n--;
			return 0;
		}
		survivor = a && a->start_ticks == q->start_ticks;
		if (survivor) {
			hq->ns = ha->ns;
			hq->ns_denied = ha->ns_denied;
		}
		if (s->nheld < s->hold_max && q->kthread) {
			hq->fd_stat = fd;	/* a kernel thread has no command line */
		} else if (s->nheld < s->hold_max) {
			hq->fd_stat = fd;
			hq->fd_cmd = open_pid_file(s, pid, "cmdline");
			if (hq->fd_cmd < 0) {
				if (is_emfile(errno))
					s->hold_max = s->nheld;	/* degrade from here on */
				close(fd);
				hq->fd_stat = -1;
			}
		} else {
			close(fd);
		}
	}
	if (hq->fd_stat >= 0)
		s->nheld++;
	else
		s->nunheld++;
	/* threads that came since the last sample (each took a PID) */
	hq->threads = stat_threads(s->buf, (size_t)n);
	if (survivor && ha && hq->threads > ha->threads)
		s->counts.threads_new += hq->threads - ha->threads;
	else if (!survivor && hq->threads > 1)
		s->counts.threads_new += hq->threads - 1;

	/* the command line: PostgreSQL retitles its processes; kernel
	 * threads have none, zombies have none left */
	if (q->kthread || q->state == 'Z') {
		n = 0;
	} else if (hq->fd_cmd >= 0) {
		n = read_all(s, hq->fd_cmd);
	} else {
		fd = open_pid_file(s, pid, "cmdline");
		n = fd < 0 ? -errno : read_all(s, fd);
		if (fd >= 0)
			close(fd);
	}
	if (n < 0)
		n = 0;		/* exited between the reads: the next sample sees it */
	same_args = survivor && argv_matches(a->argv, s->buf, (size_t)n);
	if (same_args) {
		q->argv = a->argv;	/* shared: table_release knows */
	} else if (argv_from_buf(q, s->buf, (size_t)n) < 0) {
		return -ENOMEM;
	}
	if (q->argv)
		q->have |= DBP_HAVE_CMDLINE;

	/* Node mode: a process's namespace, and its number there, never
	 * change; they are read at its birth and carried over. Its group
	 * and session numbers there are read again when it moves
	 * (setsid, setpgid), from the status that is then read anyway. */
	if (s->pidns) {
		if (survivor) {
			q->ns = a->ns;
			if (q->pgrp != a->pgrp || q->sid != a->sid) {
				same_args = 0;
				if (q->ns.ino == s->own_ns) {
					q->ns.pgrp = q->pgrp;
					q->ns.sid = q->sid;
				}
			}
		} else {
			hq->ns_denied = read_pidns(s, q);
		}
	}
	/* Between keys the slow fields are carried over, unless the process
	 * exec'd (its comm or command line changed): that is when gosu,
	 * su-exec or setpriv have just changed the uid, and when exec has
	 * reset the caught signals to their defaults.  A process that
	 * drops privileges without exec'ing is seen at the next key. */
	if (same_args && !keyframe && !strcmp(q->comm, a->comm)) {
		q->uid = a->uid;
		q->sig = a->sig;
		q->oom_adj = a->oom_adj;
		memcpy(q->user, a->user, sizeof(q->user));
		q->have |= a->have & (DBP_HAVE_STATUS | DBP_HAVE_OOM);
	} else {
		read_slow_fields(s, q);
		if (s->pidns && !survivor && q->ns.ino && (hq->ns = pidns_slot(s, q)) < 0)
			return -ENOMEM;
		name_user(s, q, s->pidns ? hq->ns : -1);
	}
	if (s->pidns) {
		if (hq->ns >= 0)
			s->ns[hq->ns].procs++;
		else if (hq->ns_denied)
			s->ns_unreadable++;
	}
	return 0;
}

struct proc_held {
	struct dbp_proc p;
	struct held h;
};

static int cmp_proc_held(const void *x, const void *y)
{
	const struct proc_held *a = x, *b = y;

	return (a->p.pid > b->p.pid) - (a->p.pid < b->p.pid);
}

static void sort_with_held(struct dbp_table *t, struct held *h)
{
	struct proc_held *ph;
	size_t i;

	for (i = 1; i < t->n && t->procs[i - 1].pid < t->procs[i].pid; i++)
		;
	if (i >= t->n) {
		t->sorted = 1;
		return;
	}
	ph = malloc(t->n * sizeof(*ph));
	if (!ph) {
		/* cannot pair them: give up holding rather than mismatch */
		for (i = 0; i < t->n; i++)
			close_held(&h[i]);
		dbp_table_sort(t);
		return;
	}
	for (i = 0; i < t->n; i++) {
		ph[i].p = t->procs[i];
		ph[i].h = h[i];
	}
	qsort(ph, t->n, sizeof(*ph), cmp_proc_held);
	for (i = 0; i < t->n; i++) {
		t->procs[i] = ph[i].p;
		h[i] = ph[i].h;
	}
	free(ph);
	t->sorted = 1;
}

static int pid_name(const char *name, pid_t *pid)
{
	long v = 0;

	if (!isdigit((unsigned char)*name))
		return 0;
	for (; *name; name++) {
		if (!isdigit((unsigned char)*name))
			return 0;
		v = v * 10 + (*name - '0');
		if (v > 1 << 22)
			return 0;
	}
	*pid = (pid_t)v;
	return 1;
}

/* Is PID c a process (not a thread: threads have PIDs too, and /proc
 * opens them though it lists none) that the table lacks? */
static int unlisted_process(struct dbp_sampler *s, const struct dbp_table *t, long long c)
{
	char b[1024];
	ssize_t n;
	int fd;

	if (c <= 0 || dbp_table_find(t, (pid_t)c))
		return 0;
	fd = open_pid_file(s, (pid_t)c, "status");
	if (fd < 0)
		return 0;
	n = pread(fd, b, sizeof(b) - 1, 0);
	close(fd);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	return dbp_status_tgid(b) == c;
}

int dbp_sampler_take(struct dbp_sampler *s, int keyframe,
		     const struct dbp_table **cur, const struct dbp_table **prev)
{
	struct dirent *de;
	struct dbp_table *t;
	long long walk_pid;
	int rc = 0;

	/* the table before the latest is recycled for this sample */
	table_release(&s->t[!s->c], s->h[!s->c], &s->t[s->c]);
	s->c = !s->c;
	t = &s->t[s->c];
	t->hz = s->hz;
	t->boot_time = s->boot_time;
	t->now = time(NULL);
	t->self = getpid();
	s->nheld = s->nunheld = s->nmissed = 0;
	s->counts.threads_new = 0;
	s->ns_unreadable = 0;
	for (size_t i = 0; i < s->nns; i++) {
		s->ns[i].procs = 0;
		s->ns[i].fresh = 0;
	}

	/* No PID handed out since the last sample's walk began (the counter
	 * has not moved): no process is new, and the last sample's list is
	 * the one to re-read -- the exited fail to read. Skips the walk of
	 * /proc, the largest cost after the reads themselves. Keys always
	 * walk. The counter compared is the one read before that walk, not
	 * after it: a process forked while readdir was past its PID is not
	 * in that list, and comparing with the counter after the walk would
	 * skip it at every sample until the next fork (601, sanitizers).
	 * The counter can also stand still while a process is new: set
	 * back by a write to ns_last_pid (a PID reused on purpose, CRIU),
	 * it names the same PID again, now another process's; and it moves
	 * when a PID is allocated, before /proc lists the process. Either
	 * way the process the counter names is not in the list: walk (616). */
	walk_pid = last_pid_now(s);
	if (!keyframe && walk_pid >= 0 && s->walk_pid == walk_pid && s->t[!s->c].n &&
	    !unlisted_process(s, &s->t[!s->c], walk_pid)) {
		const struct dbp_table *before = &s->t[!s->c];

		s->scans_skipped++;
		for (size_t i = 0; i < before->n && rc >= 0; i++)
			rc = sample_one(s, before->procs[i].pid, keyframe);
	} else {
		rewinddir(s->dir);
		errno = 0;
		while ((de = readdir(s->dir))) {
			pid_t pid;

			if (!pid_name(de->d_name, &pid))
				continue;
			rc = sample_one(s, pid, keyframe);
			if (rc < 0)
				break;
		}
	}
	/* readdir lists /proc in pid order; should it ever not, sort the
	 * processes and their descriptors together (dbp_table_find bisects) */
	sort_with_held(t, s->h[s->c]);
	/* a namespace none of whose processes is left has ended */
	for (size_t i = 0; i < s->nns; i++)
		if (s->ns[i].ino && !s->ns[i].procs) {
			s->ns[i].ino = 0;
			if (s->ns_users_loaded[i])
				dbp_users_free(&s->ns_users[i]);
			s->ns_users_loaded[i] = 0;
		}
	/* after the scan: a process born during it is counted by the
	 * counter and, mostly, seen */
	read_last_pid(s);
	/* a process missed (out of descriptors) is not in this list: the
	 * next sample walks /proc, or a re-read of the list would miss it
	 * until the next fork, and record it gone meanwhile */
	s->walk_pid = s->nmissed ? -1 : walk_pid;
	*cur = t;
	*prev = &s->t[!s->c];
	return rc;
}
