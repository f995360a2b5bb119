/*
 * The model of a recording of `dbpod snapshot -o` (RECORDING FORMAT in
 * dbpod-snapshot(1)): a timeline of process lifetimes, as recread.h
 * reads it back, and the queries on it.
 *
 * A process is identified by (pid, start), never by the PID alone: in a
 * container's small PID namespace PIDs are handed out again soon. For
 * each identity the
 * timeline keeps when it was first and last seen and a version of its
 * fields for every change (ppid, state, comm, args; uid, user, signal
 * masks and oom_score_adj as re-read at keys), so the table of any
 * recorded second can be rebuilt as a struct dbp_table and judged by the
 * same rules that run live.
 */
#ifndef DBPOD_RECORDING_H
#define DBPOD_RECORDING_H

#include <stddef.h>

#include "acct.h"
#include "proctable.h"

/* The format versions. 1: one PID namespace, its PIDs as it numbers
 * them. 2: a node recording (snapshot --all-containers), the node's PIDs
 * with each process's namespace and its numbers there -- a reader of 1
 * would take the node's PIDs for one container's, so it must refuse it.
 * A recording of one namespace is still written as 1, which every
 * reader reads. DBP_RECORDING_VERSION is the newest this dbpod writes
 * and reads. */
#define DBP_RECORDING_VERSION_ONE_NS 1
#define DBP_RECORDING_VERSION 2

/* The longest line a recording may hold: the stream reads no further
 * (recstream.h), nor does a compressed member (recgz.h). */
#define DBP_LINE_MAX (64u << 20)	/* a key of 2,000 processes is ~1 MB */

/* One PID namespace of a node recording, from its namespace lines: the
 * container it is, as far as the recorder could tell. A namespace is
 * known by its inode and its PID 1: the kernel gives the inode of an
 * ended namespace to a later one. Strings are "" when not known. */
struct dbp_rec_pidns {
	unsigned long long ino;		/* ns */
	pid_t pid1;			/* the node's PID of its PID 1; 0 not seen */
	unsigned long long pid1_start;	/* and its start (clock ticks after boot) */
	char id[65];			/* container_id: 64 hex digits */
	char runtime[16];		/* containerd, cri-o, docker, podman */
	char pod_uid[37];
	char qos[16];			/* guaranteed, burstable, besteffort */
	char name[256];
	char image[512];
	double first, last;		/* the first and last line that named it */
};

/* The fields of a process from one moment on. */
struct dbp_rec_version {
	double t;			/* the sample that brought them */
	struct dbp_proc p;		/* pid, ppid, state, comm, argv, uid, user, sig, oom_adj, have */
};

struct dbp_rec_proc {
	pid_t pid;
	unsigned long long start;	/* stat starttime, clock ticks after boot */
	double first, last;		/* first and last sample that had it */
	int gone;			/* a later sample recorded it gone */
	int file;			/* index in files[] of the header it was first seen under */
	pid_t rec_pid;			/* its PID as the file records it (the node's, in a
					 * node recording): with start, its identity; pid is
					 * its number in its namespace when read for one */
	unsigned long long ns;		/* node recording: the inode of its namespace; 0 unknown */
	long pidns;			/* and that namespace in pidns[]; -1 not named */
	struct dbp_rec_version *v;	/* by time; v[0] from first */
	size_t nv;
	size_t capv;			/* v's room */
};

struct dbp_rec_file {
	char *path;
	int version;			/* dbpod_recording; 0 when the file is not used */
	long long version_seen;		/* the header's dbpod_recording as written */
	char hostname[65];
	long long boot_time;		/* seconds since the epoch */
	long hz;			/* clock_ticks */
	unsigned long long pid_ns;
	double interval;		/* seconds between samples */
	double started;			/* wall clock of the header */
	long file_index;		/* 0 first file of a run, +1 per rotation */
	size_t lines, samples;
	double first_t, last_t;		/* of its samples; 0 without; last_t is the file's
					 * last, whatever a replay of a window reads */
	char end_reason[32];		/* the "end" line's reason; "" without one */
	/* how the file ends, whatever a replay reads (recread.c reads its
	 * tail when it opens it): its last line is the "end" line of a clean
	 * stop; its last line is torn (killed while writing, or a full disk) */
	int ended, torn_tail;
	/* whether a live process has it open for writing, where a reader
	 * looked (dbp_rec_file_recent): 1 yes, PID writer; -1 no; 0 not known */
	int writing;
	pid_t writer;
	double keyframe;		/* seconds between keys (300 when not said) */
	long pid_max;			/* /proc/sys/kernel/pid_max when recorded; 0 unknown */
	int redacted;			/* 1 command lines redacted, 0 as they were, -1 not said */
	int acct;			/* the recorder had process accounting on (exit lines) */
	int all_containers;		/* a node recording (format 2): the node's PIDs, each
					 * process with its namespace */
	double boot_clock;		/* boot to the nanosecond (recwrite.h); 0 not said */
	/* not a recording but the recorder's process accounting spool
	 * (FILE.acct, snapshot --acct), left by a recorder that was killed
	 * or is still running: read for the exits it holds */
	int acct_spool;
	char server_log[1024];		/* where the server logged, as the recorder saw it; "" */
	char boot_id[40];		/* the boot recorded (recwrite.h); "" not said */
};

/* What to replay (dbp_recording_replay): time that grows with what is
 * asked, not with the file. */
struct dbp_rec_query {
	double from, to;		/* samples from the key at or before from, to to; 0: unbounded */
	const pid_t *pids;		/* only these PIDs' processes; NULL: all */
	size_t npids;
	int ancestors;			/* with pids: their parents too, and theirs, as met */
	int first_only;			/* keep each process's first version only (the
					 * summary): memory grows with processes, not changes */
	const size_t *pidns;		/* node recording: only the processes of these
					 * namespaces (indexes into pidns[]), numbered as
					 * each numbers them (its PID 1 is PID 1); NULL: all,
					 * as the node numbers them */
	size_t npidns;
};

/* One sample: its time and, where the recorder wrote them (format 1 from
 * dbpod 0.2), the PID namespace's allocation counter and how many new
 * processes and threads it saw. */
struct dbp_rec_sample {
	double t;
	long long last_pid;		/* the last PID allocated (/proc/loadavg); -1 unknown */
	long born;			/* processes new in this sample; -1 unknown */
	long threads;			/* threads new in this sample (a lower bound); -1 unknown */
};

struct dbp_recording {
	struct dbp_rec_file *files;	/* in replay order once read */
	size_t nfiles;
	double *samples;		/* sample times, ascending */
	struct dbp_rec_sample *sinfo;	/* parallel to samples */
	size_t nsamples;
	double span_from, span_to;	/* first and last sample of the whole recording */
	double window_from;		/* > 0: the replay began at the key of this time */
	struct dbp_rec_query query;	/* of the last replay */
	char *text;			/* dbp_recording_read_text's lines */
	struct dbp_acct_rec *exits;	/* exit lines (snapshot --acct) of the replay */
	size_t nexits, capexits;
	/* their indexes by PID (then order) and by end (then order), built
	 * with bypid; used while nexitsix == nexits */
	size_t *exits_bypid, *exits_byend;
	size_t nexitsix;
	int have_acct;			/* some file was recorded with accounting on */
	size_t spooled;			/* exits read from an accounting spool that no exit
					 * line holds (the recorder did not write them) */
	pid_t *fpids;			/* the PID filter of the replay: query.pids and the
					 * ancestors met (query.ancestors) */
	size_t nfpids;
	double late_from;		/* > 0: an ancestor was first met in a delta at this
					 * time, so it is missing before the next key */
	struct dbp_rec_proc *procs;	/* every identity, in order of appearance */
	size_t nprocs, capprocs;
	/* procs by PID, then by order of appearance: what dbp_recording_find
	 * looks a PID up in, built when a replay ends (dbp_recording_index);
	 * used while nbypid == nprocs */
	struct dbp_rec_bypid {
		pid_t pid;
		size_t idx;
	} *bypid;
	size_t nbypid;
	char **notes;			/* "FILE:LINE: what was skipped and why" */
	size_t nnotes;
	size_t garbage;			/* lines that are not JSON objects of the format */
	size_t torn;			/* torn last lines */
	size_t refused;			/* files refused (newer format, no header, unreadable) */
	size_t duplicates;		/* samples not newer than the one before (the same file twice) */
	size_t missing_files;		/* files of a rotated run that were not given */
	size_t other_ns;		/* files refused as another PID namespace, host or boot */
	int not_recording;		/* no file was a recording at all (not a header, too long a line) */
	double interval;		/* of the first file with a header */
	int all_containers;		/* a file is a node recording */
	struct dbp_rec_pidns *pidns;	/* the namespaces its namespace lines name, in order
					 * of appearance (dbp_recording_namespaces reads them
					 * all; a replay adds those it meets) */
	size_t npidns, cappidns;
	int renumbered;			/* the last replay was of some namespaces (query.pidns) */
	size_t *sel_pidns;		/* query.pidns, the replay's own copy */
};

void dbp_recording_init(struct dbp_recording *rec);
void dbp_recording_free(struct dbp_recording *rec);

/* dst (initialised, empty) as src was opened, without reading the files
 * again: for a second replay kept beside the first. 0 or -ENOMEM. */
int dbp_recording_open_like(struct dbp_recording *dst, const struct dbp_recording *src);

/* The namespace of rec->pidns that is ino with that PID 1, or -1. */
long dbp_recording_pidns_find(const struct dbp_recording *rec, unsigned long long ino, pid_t pid1,
			      unsigned long long pid1_start);

/* Add n (or widen the span of the one it is) to rec->pidns; its index,
 * or -ENOMEM. */
long dbp_recording_pidns_add(struct dbp_recording *rec, const struct dbp_rec_pidns *n);

/* The sample at or before when; -1 when when is before the first. */
long dbp_recording_sample_at(const struct dbp_recording *rec, double when);

/* The fields of rp as they were at time when (the last version at or
 * before it; the first version when before all). */
const struct dbp_proc *dbp_rec_proc_at(const struct dbp_rec_proc *rp, double when);

/* Was rp present in the sample at time when? */
int dbp_rec_proc_alive(const struct dbp_rec_proc *rp, double when);

/* Index procs by PID for dbp_recording_find, and exits by PID and by
 * end (a replay does it when it ends). 0 or -ENOMEM (then the lookups go
 * through every process and exit). */
int dbp_recording_index(struct dbp_recording *rec);

/* The identity holding pid in the sample at time when, or NULL. */
const struct dbp_rec_proc *dbp_recording_find(const struct dbp_recording *rec, pid_t pid,
					      double when);

/* The header that applies to rp (boot time, clock ticks). */
const struct dbp_rec_file *dbp_rec_proc_file(const struct dbp_recording *rec,
					     const struct dbp_rec_proc *rp);

/* Fill t (initialised, empty) with the processes of the sample at time
 * sample_t, as the live reader would: hz and boot_time from the header,
 * now = sample_t, self = 0 (dbpod was not among them). Returns 0 or
 * -ENOMEM. */
int dbp_recording_table(const struct dbp_recording *rec, double sample_t, struct dbp_table *t);

/* A stretch between two samples longer than twice the interval: the
 * recorder was stopped, starved or the machine slept; a process that
 * lived only then is not in the recording. */
struct dbp_rec_gap {
	double from, to;
};

/* The file a recording ends with: the last usable file of its last run
 * (a rotated file ends without an "end" line, the next one goes on);
 * NULL when no file is usable. */
const struct dbp_rec_file *dbp_recording_last_file(const struct dbp_recording *rec);

/* Whether f's last sample is at most two intervals and 5 s older than
 * now (seconds since the epoch): a recorder may still be writing it. */
int dbp_rec_file_recent(const struct dbp_recording *rec, const struct dbp_rec_file *f, double now);

/* The gaps, up to max of them into out; returns how many there are. */
size_t dbp_recording_gaps(const struct dbp_recording *rec, struct dbp_rec_gap *out, size_t max);

/* The parent chain of rp at time when: links[0] = rp, then its parent
 * and so on, up to a process whose parent is 0 or not in the recording
 * (outside the namespace), at most max links (which also ends a cycle of
 * a corrupt recording). Returns the number of links; *unrecorded is the
 * last link's parent when the recording does not hold it, else 0. */
size_t dbp_recording_chain(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			   double when, const struct dbp_rec_proc **links, size_t max,
			   pid_t *unrecorded);

/* Appeared after the first sample and vanished within three intervals. */
int dbp_rec_proc_short_lived(const struct dbp_recording *rec, const struct dbp_rec_proc *rp);

/* How many PIDs were held by more than one process. */
size_t dbp_recording_reused_pids(const struct dbp_recording *rec);

/* The accounting record of a process that held pid and ended between
 * after and before (seconds); the latest such. NULL when none. */
const struct dbp_acct_rec *dbp_recording_exit(const struct dbp_recording *rec, pid_t pid,
					      double after, double before);

/* The exits that ended in [lo, hi]: *n indexes into rec->exits, in
 * order of end. NULL when the exits are not indexed (then look through
 * them all). */
const size_t *dbp_recording_exits_ended(const struct dbp_recording *rec, double lo, double hi,
					size_t *n);

/* The exit record of rp: its PID, ending after its last sample and
 * before the next plus slack. NULL when none. */
const struct dbp_acct_rec *dbp_rec_proc_exit(const struct dbp_recording *rec,
					     const struct dbp_rec_proc *rp);

/* A user name for uid from the processes of the recording, else the
 * number, into buf. */
const char *dbp_recording_user(const struct dbp_recording *rec, unsigned uid, char *buf, size_t size);

/* Between two samples: PIDs allocated (the counter's advance) against
 * processes and threads first seen; what is left came and went unseen. */
struct dbp_rec_unseen {
	double from, to;		/* the two samples */
	long long pid_from, pid_to;	/* the counter at each: PIDs in (pid_from, pid_to] */
	long allocated;			/* PIDs handed out in between */
	long born, threads;		/* new processes and threads the later sample saw */
	long unseen;			/* allocated - born - threads, at least 0 */
};

/* The window before sample i (i >= 1 of the replayed samples). Returns 0,
 * -EINVAL when i is 0 or past the samples, or -ENODATA when the recorder
 * did not write the counter or it wrapped without a known pid_max. */
int dbp_recording_window(const struct dbp_recording *rec, size_t i, struct dbp_rec_unseen *w);

/* The window in which pid was handed out, looking back from the sample
 * at or before when (at most max_back windows). Returns 0, or -ENOENT
 * when none of those windows can be told to hold it. */
int dbp_recording_allocated(const struct dbp_recording *rec, pid_t pid, double when,
			    size_t max_back, struct dbp_rec_unseen *w);

/* The totals over the replayed samples with counts (tot->from and to
 * are the first and last such sample; 0 when there is none). */
void dbp_recording_unseen_total(const struct dbp_recording *rec, struct dbp_rec_unseen *tot);

/* Whether s is a boot_id as the kernel writes it (recwrite.h): 36
 * characters of lower-case hex digits and dashes */
int dbp_boot_id_valid(const char *s);

#endif
