/*
 * dbpod postmortem, split by view: postmortem.c parses the options and
 * opens the recording; postmortem_summary.c the summary; postmortem_views.c --pid and
 * --at; postmortem_log.c --log; postmortem_timeline.c --timeline and
 * --around; postmortem_containers.c the containers of a node recording
 * and --container. Each view asks lib/recording for only what it shows.
 */
#ifndef DBPOD_CMD_POSTMORTEM_H
#define DBPOD_CMD_POSTMORTEM_H

#include <json-c/json.h>

#include "dbpod.h"
#include "rec/recording.h"
#include "report.h"

extern pid_t opt_pid;			/* --pid */
extern const char *opt_at;		/* --at */
extern int opt_tree;			/* --tree */
extern int opt_check;			/* --check */
extern const char *opt_log;		/* --log */
extern const char *opt_from, *opt_to;	/* --from, --to (--timeline) */
extern const char *opt_around;		/* --around */
extern int opt_timeline;		/* --timeline */
extern const char *opt_container;	/* --container */
extern char **opt_files;		/* FILE... */
extern size_t opt_nfiles;

#define PM_CHAIN_MAX 32

/* The recording as opened (headers, span), replayed by each view. */
struct pm_ctx {
	const struct dbp_opts *o;	/* the shared options: --format, --stop-signal, ... */
	struct dbp_recording rec;
	double first_t, last_t;		/* the span of the whole recording */
	double now;			/* when postmortem ran: a recording whose last sample
					 * is this recent is still being written */
	size_t notes_shown;		/* rec.notes already printed */
	size_t *pidns;			/* --container: its namespaces in rec.pidns */
	size_t npidns;
	int containers_read;		/* rec.pidns holds every namespace of the files */
	double pid_at;			/* --pid with --at: the time asked about; 0 none */
	/* the server log: --log, else the one the recorder's header names
	 * when it is still there (log_auto) */
	const char *log_path;
	int log_auto;
	/* with log_auto: the files the logging collector rotated to after
	 * it, read after it as one log */
	char **log_more;
	size_t nlog_more;
};

/* The crash-restarts of a recording, each found again in a whole replay
 * of the stretch around it, so that an adopted culprit is named with
 * its last parent and masks: crash[i] refers into rec[i]. */
struct pm_crashes {
	struct dbp_recording *rec;
	struct dbp_crash *crash;
	size_t n;
};

/* The crash-restarts among the processes of seen (a replay of the whole
 * recording or a window of it, first versions only will do) into out;
 * 0, or a message and -1. */
int pm_crashes_find(struct pm_ctx *c, const struct dbp_recording *seen, struct pm_crashes *out);
void pm_crashes_free(struct pm_crashes *cr);

/* Move src's crashes that dst does not hold (the same postmaster and
 * samples) into dst, free the rest; src is left empty. 0 or -1 (said). */
int pm_crashes_merge(struct pm_crashes *dst, struct pm_crashes *src);

/* DBM709 for each, and the crash lines of the server log (c->log_path)
 * judged as --log judges them (DBM701, DBM702) */
void pm_crashes_judge(const struct pm_crashes *cr, struct dbp_report *r);

/* The lines that lead a text view with a crash, and its JSON */
void pm_crash_text(const struct dbp_text *t, const struct dbp_recording *rec,
		   const struct dbp_crash *x);
struct json_object *pm_crash_json(const struct dbp_recording *rec, const struct dbp_crash *x);
void pm_crashes_text(const struct dbp_text *t, const struct pm_crashes *cr);
struct json_object *pm_crashes_json(const struct pm_crashes *cr);

/* The crash lines of the server log judged into r, as --log does (the
 * findings only): 0, or a message and -1. Used by the views that are
 * not --log when the log is known. */
int pm_log_findings(struct pm_ctx *c, const char *path, struct dbp_report *r);

/* Print the notes the last replay added. */
void pm_show_notes(struct pm_ctx *c);

/* The namespaces --container chose into q (none: the node's view). */
void pm_scope(const struct pm_ctx *c, struct dbp_rec_query *q);

/* Replay q (NULL: all) into c->rec, scoped by --container; a message and
 * -1 on failure. */
int pm_replay(struct pm_ctx *c, const struct dbp_rec_query *q);

/* Parse a time option: a message and -1 when it cannot be read. */
int pm_when(const struct pm_ctx *c, const char *opt, const char *s, double *when);

struct json_object *pm_json_time(double when);
/* "2026-11-23T06:40:01.200Z" */
struct json_object *pm_json_time_ms(double when);

/* "07:33:43.021" (UTC) into buf */
const char *pm_clock_ms(double t, char *buf, size_t size);

/* The chain of rp at when, "1 postgres -> 340 sh -> 341 psql" into buf,
 * and as a JSON array (to put when not wanted). */
struct json_object *pm_chain(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			     double when, char *buf, size_t size);

struct json_object *pm_ignores_sigpipe_json(const struct dbp_proc *p);
const char *pm_sigpipe_text(const struct dbp_proc *p);
void pm_text_signals(const struct dbp_text *t, const struct dbp_proc *p);
struct json_object *pm_proc_json_full(const struct dbp_table *t, const struct dbp_proc *p);

/* Read every namespace line of a node recording into c->rec.pidns: 0, or
 * a message and -1. */
int pm_containers_read(struct pm_ctx *c);

/* --container ARG: the namespaces it names into c->pidns; 0, or -1 after
 * saying why, with the containers the recording holds (exit 3). */
int pm_containers_select(struct pm_ctx *c, const char *arg);

/* A view that needs one container of a node recording, asked without
 * --container: why, and the containers; returns exit status 3. */
int pm_containers_refuse(struct pm_ctx *c, const char *why);

/* The containers of a node recording replayed whole, for the summary. */
void pm_containers_text(const struct dbp_text *t, const struct pm_ctx *c);
struct json_object *pm_containers_json(const struct pm_ctx *c);
/* One namespace of c->rec.pidns, as its namespace lines name it. */
struct json_object *pm_container_json(const struct pm_ctx *c, size_t idx);

/* The verdict of a view that reads only part of the recording (--pid,
 * --at): the crash-restarts its replay holds (when whole: not a replay
 * of some PIDs) and the crash lines of the server log when it is known,
 * so that a recording of a crash is CRITICAL in every view. 0, or a
 * message and -1. */
int pm_crash_verdict(struct pm_ctx *c, struct dbp_report *r, int replay_whole);

int pm_run_summary(struct pm_ctx *c, struct dbp_report *r);
int pm_run_pid(struct pm_ctx *c, struct dbp_report *r);
int pm_run_at(struct pm_ctx *c, struct dbp_report *r);
int pm_run_log(struct pm_ctx *c, struct dbp_report *r);
/* --log read into log (initialised here): 0, or a negative errno after
 * saying on stderr why (unreadable, or not a PostgreSQL log at all) */
struct dbp_pglog;
int pm_log_read(const struct pm_ctx *c, struct dbp_pglog *log, const char *path);

/* ", then B, C (rotated to)" for the files read after the header's log,
 * into buf; "" when none */
const char *pm_log_more_text(const struct pm_ctx *c, char *buf, size_t size);
int pm_run_timeline(struct pm_ctx *c, struct dbp_report *r);

#endif
