/*
 * dbpod postmortem, split by view. Who calls whom, one way only:
 *
 *   postmortem.c            the command: parses the options into struct
 *                           pm_opts, opens the recording, picks the view
 *   the views               postmortem_summary.c the summary,
 *                           postmortem_views.c --pid and --at,
 *                           postmortem_log.c --log,
 *                           postmortem_timeline.c --timeline and --around;
 *                           postmortem_containers.c the containers of a
 *                           node recording (the summary's) and --container
 *   postmortem_logshots.c   the server log read beside the recording, for
 *                           every view that judges it
 *   postmortem_common.c     what several views share: the replay, times,
 *                           chains, the crash-restarts
 *
 * A file calls only those below it: no view calls postmortem.c or
 * another view, and the two files of shared helpers call no view. Each
 * view asks lib/rec/recording for only what it shows.
 */
#ifndef DBPOD_CMD_POSTMORTEM_H
#define DBPOD_CMD_POSTMORTEM_H

#include <json-c/json.h>

#include "dbpod.h"
#include "rec/recording.h"
#include "report.h"

/* postmortem's options, as postmortem.c's parser fills them; a view
 * that reads one is handed them (const). The options every command
 * shares (--format, --root, --grace, ...: struct dbp_opts, dbpod.h) come
 * first, and every view reads them through its context (pm_ctx.g). */
struct pm_opts {
	struct dbp_opts g;		/* the shared options */
	pid_t pid;			/* --pid */
	const char *at;			/* --at */
	int tree;			/* --tree */
	int check;			/* --check */
	const char *log;		/* --log */
	const char *from, *to;		/* --from, --to (--timeline) */
	const char *around;		/* --around */
	int timeline;			/* --timeline, --around */
	const char *container;		/* --container */
	char **files;			/* FILE... */
	size_t nfiles;
};

#define PM_CHAIN_MAX 32

/* The recording as opened (headers, span), replayed by each view. */
struct pm_ctx {
	const struct dbp_opts *g;	/* the shared options: --format, --stop-signal, ... */
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

/* ---- postmortem_common.c: what several views share ---- */

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

/* The lines that lead a text view with a crash, and its JSON */
void pm_crash_text(const struct dbp_text *t, const struct dbp_recording *rec,
		   const struct dbp_crash *x);
struct json_object *pm_crash_json(const struct dbp_recording *rec, const struct dbp_crash *x);
void pm_crashes_text(const struct dbp_text *t, const struct pm_crashes *cr);
struct json_object *pm_crashes_json(const struct pm_crashes *cr);

/* DBM709 for each */
void pm_crashes_judge(const struct pm_crashes *cr, struct dbp_report *r);

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
/* The process's user as recorded, or "?" where the recording has none */
const char *pm_user(const struct dbp_proc *p);
void pm_text_signals(const struct dbp_text *t, const struct dbp_proc *p);
struct json_object *pm_proc_json_full(const struct dbp_table *t, const struct dbp_proc *p);

/* The server log's word on the culprit of each of the n crashes of rec,
 * when a log is known (c->log_path); one that cannot be read leaves them
 * as they are (the view that reads it says why). */
void pm_crashes_log(const struct pm_ctx *c, const struct dbp_recording *rec,
		    struct dbp_crash *x, size_t n);

/* ---- postmortem_logshots.c: the server log beside the recording ---- */

struct dbp_pglog;

/* A crash line of the server log and the process that held its PID: its
 * mug shot, from the part of the recording read around the line's time */
struct pm_shot {
	const struct dbp_pglog_event *ev;
	struct dbp_recording *rec;		/* the part of the recording read for it */
	const struct dbp_rec_proc *rp;		/* NULL: nobody held the PID */
	struct dbp_rec_unseen w;		/* without rp: when the PID was handed out */
	int have_w;
	const struct dbp_acct_rec *acct;	/* its exit from process accounting, or NULL */
	double seen;				/* the sample of the mug shot */
	struct dbp_table t;
	const struct dbp_proc *p;		/* rp in t */
	int outside;				/* logged outside the recording's span: context */
};

/* A server log's crash lines and their shots (a line without a time has
 * one for each holder of its PID, all of them at their last sample) */
struct pm_log_view {
	const struct pm_ctx *c;
	const char *path;
	struct pm_shot *shots;
	size_t n;
	size_t events;
	struct pm_crashes crashes;	/* what the recording itself shows */
};

/* The log at path read into log and a shot for each of its crash lines
 * into v (v->c set by the caller); quiet: no word when no line reports a
 * child that died. 0, or a message and -1. */
int pm_log_read_shots(struct pm_ctx *c, const char *path, struct dbp_pglog *log,
		      struct pm_log_view *v, int quiet);
/* DBM701, DBM702 (or the missed PID's finding) for each shot */
void pm_log_judge(const struct pm_log_view *v, struct dbp_report *r);
void pm_log_view_free(struct pm_log_view *v);

/* The crash lines of the server log judged into r, as --log does (the
 * findings only): 0, or a message and -1. Used by the views that are
 * not --log when the log is known. */
int pm_log_findings(struct pm_ctx *c, const char *path, struct dbp_report *r);

/* --log read into log (initialised here): 0, or a negative errno after
 * saying on stderr why (unreadable, or not a PostgreSQL log at all) */
int pm_log_read(const struct pm_ctx *c, struct dbp_pglog *log, const char *path);

/* ", then B, C (rotated to)" for the files read after the header's log,
 * into buf; "" when none */
const char *pm_log_more_text(const struct pm_ctx *c, char *buf, size_t size);

/* The verdict of a view that reads only part of the recording (--pid,
 * --at): the crash-restarts its replay holds (when whole: not a replay
 * of some PIDs) and the crash lines of the server log when it is known,
 * so that a recording of a crash is CRITICAL in every view. 0, or a
 * message and -1. */
int pm_crash_verdict(struct pm_ctx *c, struct dbp_report *r, int replay_whole);

/* ---- postmortem_containers.c ---- */

/* Read every namespace line of a node recording into c->rec.pidns: 0, or
 * a message and -1. */
int pm_containers_read(struct pm_ctx *c);

/* --container: the namespaces it names into c->pidns; 0, or -1 after
 * saying why, with the containers the recording holds (exit 3). */
int pm_containers_select(struct pm_ctx *c, const struct pm_opts *o);

/* A view that needs one container of a node recording, asked without
 * --container: why, and the containers; returns exit status 3. */
int pm_containers_refuse(struct pm_ctx *c, const char *why);

/* The containers of a node recording replayed whole, for the summary. */
void pm_containers_text(const struct dbp_text *t, const struct pm_ctx *c);
struct json_object *pm_containers_json(const struct pm_ctx *c);
/* One namespace of c->rec.pidns, as its namespace lines name it. */
struct json_object *pm_container_json(const struct pm_ctx *c, size_t idx);

/* ---- the views, called by postmortem.c alone ---- */

int pm_run_summary(struct pm_ctx *c, struct dbp_report *r);
int pm_run_pid(struct pm_ctx *c, const struct pm_opts *o, struct dbp_report *r);
int pm_run_at(struct pm_ctx *c, const struct pm_opts *o, struct dbp_report *r);
int pm_run_log(struct pm_ctx *c, struct dbp_report *r);
int pm_run_timeline(struct pm_ctx *c, const struct pm_opts *o, struct dbp_report *r);

#endif
