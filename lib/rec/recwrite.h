/*
 * The lines of a dbpod recording (JSON Lines; every key is documented in
 * dbpod-snapshot(1)): header, key, delta, note, exit and end, and in a
 * node recording (format 2) namespace.
 *
 * These functions build the objects; the caller formats each with
 * dbp_rec_string and writes it, '\n'-terminated, where it chooses.
 */
#ifndef DBPOD_RECWRITE_H
#define DBPOD_RECWRITE_H

#include <time.h>

#include <json-c/json.h>

#include "proctable.h"
#include "recording.h"
#include "safeopen.h"
#include "sampler.h"

struct dbp_rec_header {
	const char *hostname;
	time_t boot_time;		/* /proc/stat btime */
	long clock_ticks;		/* sysconf(_SC_CLK_TCK) */
	unsigned long long pid_ns;	/* inode of /proc/self/ns/pid */
	double interval;		/* seconds */
	double started;			/* wall clock, seconds since the epoch */
	int file_index;			/* 0, then +1 per rotation */
	int redacted;			/* command lines recorded with secrets replaced by *** */
	double keyframe;		/* seconds between keys (--keyframe) */
	long pid_max;			/* /proc/sys/kernel/pid_max: where PIDs wrap */
	int acct;			/* exit lines from process accounting follow */
	int partial;			/* /proc hides other users' processes (hidepid) from the recorder */
	int all_containers;		/* a node recording: every PID namespace, format 2 */
	/* the wall clock of boot to the nanosecond (CLOCK_REALTIME minus
	 * CLOCK_BOOTTIME, which stat's starttime counts from): boot_time is
	 * /proc/stat's whole second, which puts every start up to 1 s early;
	 * 0 not known */
	double boot_clock;
	/* where the PostgreSQL server logs (the file behind the postmaster's
	 * stderr, or the one its logging collector writes), as the recorder
	 * saw it when the file was opened; "" not found */
	char server_log[1024];
	/* /proc/sys/kernel/random/boot_id: the boot itself, which no clock
	 * step moves (boot_time does); "" not known */
	char boot_id[40];
};

struct json_object *dbp_rec_header(const struct dbp_rec_header *h);

/* PROC: pid, start, ppid, state, comm, args, and when read uid, user,
 * sig, oom_adj; kthread:true for kernel threads. redact: secrets in args
 * replaced by "***" (see redact.h). */
struct json_object *dbp_rec_proc(const struct dbp_proc *p, int redact);

/* A node recording's samples (NULL: one namespace's): each PROC also
 * says its namespace (ns, from p->ns) and, for a process of a namespace
 * other than the recorder's own, its numbers there: nspid, nspgid,
 * nssid, and nsppid, its parent's number when the parent is in the same
 * namespace (looked up in the sample, else in the one before), else 0
 * as getppid() says inside. */
struct dbp_rec_nsview {
	unsigned long long own;		/* the recorder's own namespace */
	const struct dbp_table *prev;	/* the sample before; NULL at the first */
};

/* PROC of p, a process of the sample cur, in a node recording. */
struct json_object *dbp_rec_proc_in(const struct dbp_table *cur, const struct dbp_proc *p,
				    int redact, const struct dbp_rec_nsview *nv);

/* A namespace line: which container namespace n->ino is, written before
 * the sample that first shows it and before every key (a key is where a
 * reader may start). */
struct json_object *dbp_rec_namespace(double t, const struct dbp_rec_pidns *n);

/* What a sample line says about what it could not see (written right
 * after "seq", so that a reader finds them without parsing the line). */
struct dbp_rec_counts {
	long long last_pid;		/* the allocation counter; -1: not written */
	long born;			/* processes new in this sample (d->nadded) */
	long threads;			/* threads new in this sample */
};

/* nv: a node recording's, or NULL. */
struct json_object *dbp_rec_key(double t, unsigned long long seq, const struct dbp_rec_counts *c,
				const struct dbp_table *cur, int redact,
				const struct dbp_rec_nsview *nv);

/* d from dbp_delta_compute(prev, cur, ...). */
struct json_object *dbp_rec_delta(double t, unsigned long long seq, const struct dbp_rec_counts *c,
				  const struct dbp_table *prev, const struct dbp_table *cur,
				  const struct dbp_delta *d, int redact,
				  const struct dbp_rec_nsview *nv);

struct json_object *dbp_rec_note(double t, const char *msg);

struct dbp_acct_rec;
/* A process accounting record (snapshot --acct), read at sample time t. */
struct json_object *dbp_rec_exit(double t, const struct dbp_acct_rec *a);
struct json_object *dbp_rec_end(double t, unsigned long long samples, const char *reason);

/* The line for obj, without its '\n'; valid until obj is put. */
const char *dbp_rec_string(struct json_object *obj);

/* argv with secrets redacted, each argument on its own; a NULL-terminated
 * array to free with dbp_argv_free, or NULL without memory. */
char **dbp_argv_redacted(char *const *argv);
void dbp_argv_free(char **argv);

/*
 * The recording file: opened with O_APPEND and a header, one writev per
 * line (a partial write is continued, so a reader or a crash sees whole
 * lines except possibly the last), rotated FILE -> FILE.1 -> ... FILE.keep
 * (and FILE.1.gz -> FILE.2.gz ... when compressed) with a new header, and reopened when someone deleted it under the
 * recorder. Every one of these names is reached through the directory
 * opened at dbp_recout_init and never through a link (safeopen.h,
 * dbp_outdir): whoever can write the directory -- the database user,
 * when the recording sits on its volume -- cannot make the recorder write
 * any other file. Functions return 0 or a negative errno (-ENOSPC: the
 * disk is full; a refusal of safeopen.h, which dbp_outdir_strerror(&o->dir,
 * err) explains); the caller says what failed.
 */
struct dbp_recout {
	const char *path;		/* FILE as given, for messages */
	const char *name;		/* its last component, in dir */
	struct dbp_outdir dir;		/* FILE's directory, held from init */
	int fd;				/* -1 when closed */
	unsigned long long size;	/* bytes in the current file */
	int keep;			/* rotated files kept (--keep) */
	int compress;			/* --compress: FILE.1 is made FILE.1.gz (recgz.h) */
	int compress_err;		/* the last dbp_recout_compress: 0 or a negative
					 * errno (FILE.1 then stays as it was) */
	struct dbp_rec_header h;	/* file_index and started are set on open */
	char hostname[256];
};

/* Fill o for path: fd -1, the header's hostname, clock ticks, PID
 * namespace and pid_max read from this process's view; open and judge
 * path's directory (dbp_outdir_open). 0 or a negative errno; free o with
 * dbp_recout_free in either case. */
int dbp_recout_init(struct dbp_recout *o, const char *path, int keep);

/* Open the file -- a new one, or an existing one that passes
 * dbp_outdir_file_open's checks, appended to -- and write its header. */
int dbp_recout_open(struct dbp_recout *o);

/* Write obj as one line and put it (also on failure). */
int dbp_recout_line(struct dbp_recout *o, struct json_object *obj);

/* Shift the rotated files: FILE -> FILE.1 ... (the oldest beyond keep
 * dropped). Names are renamed, whatever they are: nothing is written. */
int dbp_recout_shift(const struct dbp_recout *o);

/* fsync, close, shift, compress FILE.1 when o->compress, and open the
 * next file (file_index + 1). A compression that fails is no failure of
 * the rotation: it is in o->compress_err, and FILE.1 stays plain. */
int dbp_recout_rotate(struct dbp_recout *o);

/* FILE.1 to FILE.1.gz in members with an index (recgz.h), so that
 * postmortem seeks in it: written under a temporary name, made durable
 * and renamed, then FILE.1 removed -- a crash leaves one of the two
 * whole. Synchronous: about a second per 100 MB, which the sample after
 * a rotation waits. Returns 0 (also when there is no FILE.1) or a
 * negative errno, kept in o->compress_err. */
int dbp_recout_compress(struct dbp_recout *o);

/* Has the file been deleted (its link count is 0) or replaced under its
 * name? Then open a new one under the name (same file_index, a new
 * header) as dbp_recout_open does: what was planted under the name is
 * refused, never written. Returns 1 when it did, 0 when the file is in
 * place, or a negative errno. */
int dbp_recout_reopen_if_unlinked(struct dbp_recout *o);

/* fsync and close. */
int dbp_recout_close(struct dbp_recout *o);

/* Close the file (without fsync) and the directory. */
void dbp_recout_free(struct dbp_recout *o);

#endif
