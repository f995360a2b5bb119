/*
 * The process table: plain structs that the rules read.
 *
 * A table is filled either by the live reader (procread.c, libproc2) or by
 * hand in a test, or later from a recording; the rules cannot tell which.
 * Every field says where the live reader takes it from.
 */
#ifndef DBPOD_PROCTABLE_H
#define DBPOD_PROCTABLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Signal masks from /proc/PID/status: 64 bits, bit N-1 is signal N. */
struct dbp_sigmasks {
	uint64_t pending;	/* SigPnd: pending for this thread */
	uint64_t shpending;	/* ShdPnd: pending for the whole process */
	uint64_t blocked;	/* SigBlk */
	uint64_t ignored;	/* SigIgn */
	uint64_t caught;	/* SigCgt */
	/* A process in sigtimedwait()/sigwaitinfo() has the waited-for
	 * signals taken out of SigBlk for the duration of the call (the
	 * kernel keeps the real mask in real_blocked, which /proc does not
	 * show). tini sleeps there nearly all the time. */
	int waiting;		/* 0 no; 1 yes, set unknown; 2 yes, set in waited */
	uint64_t waited;	/* the set, from /proc/PID/syscall and /proc/PID/mem */
};

/* A process's PID namespace and its numbers there, as a reader outside
 * that namespace learns them: the inode of /proc/PID/ns/pid and the last
 * (innermost) fields of status' NSpid, NSpgid and NSsid -- 0 for a group
 * or session whose leader is outside the namespace, as getpgrp() says
 * inside. ino 0: not read (the process vanished, no ptrace access to
 * /proc/PID/ns/pid, or nobody asked). */
struct dbp_nsinfo {
	unsigned long long ino;
	pid_t pid, pgrp, sid;
};

/* What of a process could be read; a rule that needs a missing part says
 * "unknown" rather than guessing. */
enum {
	DBP_HAVE_STATUS  = 1 << 0,	/* signal masks, and uid from status (else the
					 * owner of /proc/PID, which is root for a
					 * process that changed user without exec) */
	DBP_HAVE_CMDLINE = 1 << 1,	/* argv (empty for kernel threads and zombies) */
	DBP_HAVE_OOM     = 1 << 2,	/* oom_score, oom_score_adj */
	/* a want of a reader only, never in a process's have: status for
	 * every process, not only for the processes a stop may reach
	 * (dbp_table_read_live) */
	DBP_WANT_STATUS_ALL = 1 << 8,
};

struct dbp_proc {
	pid_t pid;			/* /proc/PID; in another namespace's table, its PID there (NSpid) */
	pid_t host_pid;			/* 0, or where its /proc files are when pid is another
					 * namespace's (dbp_proc_fspid); node mode sets it */
	pid_t ppid;			/* stat: ppid; 0 for PID 1 and for processes entered from outside the namespace */
	pid_t pgrp;			/* stat: pgrp */
	pid_t sid;			/* stat: session */
	uid_t uid;			/* status: Uid, effective */
	char user[33];			/* getpwuid(uid), else the number */
	char state;			/* stat: state; 'Z' zombie */
	int kthread;			/* stat: flags & PF_KTHREAD */
	int reaped;			/* a zombie gone on a second look: its parent
					 * reaped it a moment after the reading */
	int tty;			/* stat: tty_nr; 0 without a controlling terminal */
	unsigned long long start_ticks;	/* stat: starttime, clock ticks after boot */
	char comm[17];			/* stat: comm; the kernel cuts it at 15 bytes */
	char **argv;			/* cmdline, NULL-terminated; NULL when empty or unreadable */
	struct dbp_sigmasks sig;	/* status: Sig* / ShdPnd */
	int oom_score;			/* oom_score: 0..1333 on current kernels (0..1000 on older ones) */
	int oom_adj;			/* oom_score_adj: -1000..1000 */
	unsigned long rss_kb;		/* stat: rss, in KiB (the same counter as status' VmRSS) */
	unsigned have;			/* DBP_HAVE_* */
	/* its PID namespace, where a reader of the node asked (the node
	 * recorder, read once at its birth; a node recording read back) */
	struct dbp_nsinfo ns;
	/* What dbp_classify says, worked out once when the table is
	 * complete (dbp_table_sort, classify.h) rather than again by every
	 * rule that asks; valid 0 for a process added or changed since. */
	struct {
		unsigned char valid, kind, db;	/* enum dbp_kind, enum dbp_db */
		const char *name;		/* the canonical name, a string of classify's
						 * own; NULL: the process's (dbp_proc_name) */
	} cls;
};

struct dbp_table {
	struct dbp_proc *procs;
	size_t n, cap;
	int sorted;			/* procs ordered by pid: dbp_table_find can bisect */
	long hz;			/* clock ticks per second (sysconf(_SC_CLK_TCK)) */
	time_t boot_time;		/* /proc/stat: btime, seconds since the epoch */
	time_t now;			/* when the table was read */
	pid_t self;			/* the reader's own PID in this namespace; 0 if none */
	int borrowed;			/* procs belong to another table: dbp_table_free leaves them */
	int foreign;			/* another PID namespace's, read from outside (node mode):
					 * its PIDs are not this process's to signal or look up */
	int predicted;			/* not read but built from an image's configuration
					 * (imagechain.h): PID 1 is real, the other PIDs are
					 * only the chain's order, and the masks are what each
					 * known program sets */
};

void dbp_table_init(struct dbp_table *t);
void dbp_table_free(struct dbp_table *t);

/* dst (not initialised) becomes a deep copy of src. 0 or -ENOMEM (dst is
 * then empty). */
int dbp_table_copy(struct dbp_table *dst, const struct dbp_table *src);

/* dst (not initialised) shows src's processes without owning them: one
 * reading of /proc judged by several checks, none of which changes it.
 * src must outlive dst; dbp_table_free(dst) frees nothing of src's. */
void dbp_table_borrow(struct dbp_table *dst, const struct dbp_table *src);

/* A new zeroed process at the end of the table, or NULL without memory. */
struct dbp_proc *dbp_table_add(struct dbp_table *t);

/* Copy argv (NULL-terminated) into p, as one allocation (the pointers,
 * then the strings); returns 0 or -ENOMEM. */
int dbp_proc_set_argv(struct dbp_proc *p, const char *const *argv);

/* dst becomes a copy of src with its own argv (whatever dst held is not
 * freed); returns 0 or -ENOMEM. */
int dbp_proc_copy(struct dbp_proc *dst, const struct dbp_proc *src);

/* Free what p owns (its argv). */
void dbp_proc_clear(struct dbp_proc *p);

/* Order by pid, so that dbp_table_find can bisect. A table read whole is
 * sorted with dbp_table_sort (classify.h), which classifies as well. */
void dbp_table_order(struct dbp_table *t);

const struct dbp_proc *dbp_table_find(const struct dbp_table *t, pid_t pid);

/* Whether pid is among the n PIDs a user asked for; every PID is when
 * none were (only NULL or n 0). */
int dbp_pid_selected(const pid_t *only, size_t n, pid_t pid);

/* The children of pid that are not zombies, oldest first; returns how many
 * there are (which may be more than max). */
size_t dbp_table_children(const struct dbp_table *t, pid_t pid,
			  const struct dbp_proc **out, size_t max);

/* Is anc an ancestor of (or the same as) pid? */
int dbp_table_is_ancestor(const struct dbp_table *t, pid_t anc, pid_t pid);

/* Start time of p in seconds since the epoch (boot time + ticks / hz). */
time_t dbp_proc_start_time(const struct dbp_table *t, const struct dbp_proc *p);

/* The PID under which p's /proc files are found by the reader: host_pid
 * for a process of another PID namespace, else pid. */
static inline pid_t dbp_proc_fspid(const struct dbp_proc *p)
{
	return p->host_pid ? p->host_pid : p->pid;
}

/* argv[0] without its directory, or comm when there is no argv. */
const char *dbp_proc_name(const struct dbp_proc *p);

/* The command line joined with spaces, with passwords redacted (see
 * redact.h), into buf, cut with "..." when longer; comm in brackets when
 * there is none, as ps does. */
const char *dbp_proc_cmdline(const struct dbp_proc *p, char *buf, size_t size);
/* The same with flags: without DBP_CMDLINE_REDACT as it is (a view of
 * snapshot --no-redact); with DBP_CMDLINE_TRIM without its trailing
 * blanks, dropped before the cut -- PostgreSQL pads its process titles
 * with spaces, ~170 of them, which a table's row has no use for (JSON
 * keeps them: what the process showed). */
enum {
	DBP_CMDLINE_REDACT = 1,
	DBP_CMDLINE_TRIM = 2,
};
const char *dbp_proc_cmdline_as(const struct dbp_proc *p, unsigned flags, char *buf, size_t size);

#endif
