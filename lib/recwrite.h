/*
 * The lines of a dbpod recording (JSON Lines, format version 1; every key
 * is documented in dbpod-snapshot(1)): header, key, delta, note and end.
 *
 * These functions build the objects; the caller formats each with
 * dbp_rec_string and writes it, '\n'-terminated, where it chooses.
 */
#ifndef DBPOD_RECWRITE_H
#define DBPOD_RECWRITE_H

#include <time.h>

#include <json-c/json.h>

#include "proctable.h"
#include "sampler.h"

#define DBP_RECORDING_VERSION 1

struct dbp_rec_header {
	const char *hostname;
	time_t boot_time;		/* /proc/stat btime */
	long clock_ticks;		/* sysconf(_SC_CLK_TCK) */
	unsigned long long pid_ns;	/* inode of /proc/self/ns/pid */
	double interval;		/* seconds */
	double started;			/* wall clock, seconds since the epoch */
	int file_index;			/* 0, then +1 per rotation */
};

struct json_object *dbp_rec_header(const struct dbp_rec_header *h);

/* PROC: pid, start, ppid, state, comm, args, and when read uid, user,
 * sig, oom_adj; kthread:true for kernel threads. redact: secrets in args
 * replaced by "***" (see redact.h). */
struct json_object *dbp_rec_proc(const struct dbp_proc *p, int redact);

struct json_object *dbp_rec_key(double t, unsigned long long seq,
				const struct dbp_table *cur, int redact);

/* d from dbp_delta_compute(prev, cur, ...). */
struct json_object *dbp_rec_delta(double t, unsigned long long seq,
				  const struct dbp_table *prev, const struct dbp_table *cur,
				  const struct dbp_delta *d, int redact);

struct json_object *dbp_rec_note(double t, const char *msg);
struct json_object *dbp_rec_end(double t, unsigned long long samples, const char *reason);

/* The line for obj, without its '\n'; valid until obj is put. */
const char *dbp_rec_string(struct json_object *obj);

/* argv with secrets redacted, each argument on its own; a NULL-terminated
 * array to free with dbp_argv_free, or NULL without memory. */
char **dbp_argv_redacted(char *const *argv);
void dbp_argv_free(char **argv);

#endif
