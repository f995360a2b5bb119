/*
 * The snapshot recorder's hot path: the process table, sample after
 * sample, at a fraction of the cost of reading /proc afresh.
 *
 * libproc2 opens, reads and closes every /proc/PID file on every call,
 * which is what a one-shot check wants and what a recorder running for
 * weeks cannot afford. The sampler keeps each process's /proc/PID/stat and
 * /proc/PID/cmdline open between samples and re-reads them with pread(2).
 * A held descriptor stays bound to the process it was opened for: once
 * that process has exited, reads fail with ESRCH, even when its PID has
 * been given to another process — so PID reuse is told apart for free.
 * When descriptors run out (RLIMIT_NOFILE), the sampler falls back to
 * open-read-close for the processes it cannot hold.
 *
 * Before walking /proc the sampler reads the PID namespace's allocation
 * counter (the last field of /proc/loadavg): when it has not moved since
 * the last sample, no process can be new, and the last sample's list is
 * re-read instead (keys always walk /proc).
 *
 * /proc/PID/status (uid, signal masks) and oom_score_adj are read when a
 * process first appears and at keyframes only; in between those fields
 * are carried over from the previous sample.
 *
 * Node mode (dbp_sampler_set_pidns) adds each process's PID namespace
 * and its numbers there (p->ns): the inode of /proc/PID/ns/pid is read
 * once, at the process's birth, and the numbers come from the status
 * read a new process gets anyway; both are carried over while the
 * process (pid, start) lives. The namespaces of each sample are kept,
 * and a namespace first seen in a sample is marked fresh.
 *
 * Pure reading: nothing here prints. Functions return 0 or a negative
 * errno.
 */
#ifndef DBPOD_SAMPLER_H
#define DBPOD_SAMPLER_H

#include <stddef.h>
#include <time.h>

#include "proctable.h"

/* What changed in a process between two samples (dbp_delta_compute). */
enum {
	DBP_CHG_PPID  = 1 << 0,
	DBP_CHG_STATE = 1 << 1,
	DBP_CHG_COMM  = 1 << 2,
	DBP_CHG_ARGS  = 1 << 3,
	DBP_CHG_UID   = 1 << 4,	/* uid and user: compared with_status only */
	DBP_CHG_SIG   = 1 << 5,	/* with_status only */
	DBP_CHG_OOM   = 1 << 6,	/* with_status only */
	DBP_CHG_PGRP  = 1 << 7,	/* process group or session (setpgid, setsid) */
};

struct dbp_change {
	size_t cur;		/* index into the newer table */
	unsigned what;		/* DBP_CHG_* */
};

/* The change between two tables, as indexes into them. */
struct dbp_delta {
	size_t *added, nadded;		/* into cur: processes that appeared */
	size_t *gone, ngone;		/* into prev: processes that vanished */
	struct dbp_change *changed;
	size_t nchanged, cap;
};

void dbp_delta_init(struct dbp_delta *d);
void dbp_delta_free(struct dbp_delta *d);

/*
 * Compare two tables sorted by pid (dbp_table_sort). A process is the pair
 * (pid, start_ticks): the same pid with another start is one gone and one
 * added. with_status also compares uid, signal masks and oom_score_adj
 * where both sides have them. Returns 0 or -ENOMEM.
 */
int dbp_delta_compute(const struct dbp_table *prev, const struct dbp_table *cur,
		      int with_status, struct dbp_delta *d);

/* Do two argv lists (NULL-terminated, or NULL) hold the same strings? */
int dbp_argv_equal(char *const *a, char *const *b);

/*
 * Parse the text of /proc/PID/stat (len bytes, need not be NUL-terminated)
 * into pid, comm, state, ppid, pgrp, sid, tty, kthread and start_ticks.
 * comm may contain spaces and ')': it runs from the first '(' to the last
 * ')'. Returns 0 or -EINVAL.
 */
int dbp_stat_parse(const char *buf, size_t len, struct dbp_proc *p);

struct dbp_sampler;

/* procfs NULL means "/proc". Raises RLIMIT_NOFILE to its hard limit. */
int dbp_sampler_new(struct dbp_sampler **s, const char *procfs);
void dbp_sampler_free(struct dbp_sampler *s);

/*
 * Take a sample. keyframe re-reads status and oom_score_adj of every
 * process. On success *cur is the new table (sorted by pid) and *prev the
 * one before it (empty at the first sample); both stay valid until the
 * next call. Processes share argv with their previous sample when their
 * command line did not change: never free or modify the tables.
 */
int dbp_sampler_take(struct dbp_sampler *s, int keyframe,
		     const struct dbp_table **cur, const struct dbp_table **prev);

struct dbp_sampler_stats {
	size_t held;		/* processes whose descriptors are held open */
	size_t unheld;		/* processes read open-per-sample (out of descriptors) */
	size_t missed;		/* processes skipped: not even one descriptor left */
	unsigned long fd_limit;	/* RLIMIT_NOFILE after raising it */
	unsigned long scans_skipped;	/* samples that did not walk /proc: the PID
					 * counter had not moved since the last */
	size_t ns_unreadable;	/* node mode: processes of the last sample whose PID
				 * namespace was refused (no ptrace access) */
};
void dbp_sampler_stats(const struct dbp_sampler *s, struct dbp_sampler_stats *st);

/* What the last sample tells about the processes it could not see. */
struct dbp_sampler_counts {
	long long last_pid;	/* the PID namespace's allocation counter after the
				 * scan: the last field of /proc/loadavg; -1 unreadable */
	long threads_new;	/* threads that appeared in the processes seen: the
				 * rise of num_threads (stat field 20) of those seen
				 * before, num_threads - 1 of new ones */
};
void dbp_sampler_counts(const struct dbp_sampler *s, struct dbp_sampler_counts *c);

/* The last field of the text of /proc/loadavg (len bytes). Returns it,
 * or -EINVAL when the text does not end in a number of at most 9 digits. */
long long dbp_loadavg_last_pid(const char *buf, size_t len);

/* /proc/stat btime, seconds since the epoch (0 when unreadable). */
time_t dbp_sampler_boot_time(const struct dbp_sampler *s);

/* The wall clock of boot to the microsecond: CLOCK_REALTIME minus
 * CLOCK_BOOTTIME, the clock stat's starttime counts (Linux 5.3 and
 * later; before, CLOCK_MONOTONIC, which differs only by the time spent
 * suspended). 0 when a clock cannot be read. */
double dbp_boot_clock(void);

/* This boot's identity, /proc/sys/kernel/random/boot_id (a UUID, the
 * same in every container of the machine), into buf: 0, or a negative
 * errno with buf "" */
int dbp_boot_id(char *buf, size_t size);

/* The user name of uid (cached getpwuid), else the number. */
const char *dbp_sampler_user(struct dbp_sampler *s, uid_t uid);

/* Node mode on (or off): see above. The processes of the sampler's own
 * namespace are numbered there as in /proc. Returns 0, or a negative
 * errno when its own namespace cannot be read. */
int dbp_sampler_set_pidns(struct dbp_sampler *s, int on);

/* A PID namespace of the last sample (node mode). */
struct dbp_sampler_pidns {
	unsigned long long ino;		/* the inode of /proc/PID/ns/pid; 0: a free slot */
	pid_t init;			/* the PID of its PID 1 as the sampler numbers it;
					 * 0: not seen (and for the sampler's own) */
	unsigned long long init_start;	/* and its start (stat starttime) */
	pid_t first;			/* the first of its processes the sampler saw */
	size_t procs;			/* its processes in the last sample */
	int fresh;			/* first seen in the last sample */
	int own;			/* the sampler's own namespace */
};

/* The namespaces of the last sample: *n slots, free ones with ino 0;
 * valid until the next sample. */
const struct dbp_sampler_pidns *dbp_sampler_pidns(const struct dbp_sampler *s, size_t *n);

/* Cap the descriptors the sampler may hold (tests, benchmarks): at most
 * max processes are held; 0 means open-per-sample for all. */
void dbp_sampler_set_hold_max(struct dbp_sampler *s, size_t max);

#endif
