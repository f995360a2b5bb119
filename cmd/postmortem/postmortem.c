/*
 * dbpod postmortem: ask a recording of `dbpod snapshot -o` who held a PID
 * and when, rebuild the table of any recorded second (and judge it with
 * the live rules), explain PostgreSQL's crash lines with the mug shot of
 * the process that died, and tell what happened in order. This file is
 * the command: the options, the recording opened, the view picked; the
 * views are in postmortem_*.c (postmortem.h says who calls whom).
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pglogread.h"
#include "postmortem.h"
#include "procread.h"
#include "rec/recread.h"
#include "safeopen.h"

enum { OPT_AT = 0x300, OPT_TREE, OPT_CHECK, OPT_PID, OPT_LOG, OPT_TIMELINE, OPT_FROM, OPT_TO,
       OPT_AROUND, OPT_CONTAINER };

static const struct argp_option options[] = {
	{ "pid", OPT_PID, "PID", 0,
	  "Every process that held PID in the recording: lifetimes, parent chain, "
	  "user, command lines over time, signal masks; with --at, the one that held "
	  "it then", 0 },
	{ "at", OPT_AT, "TIME", 0,
	  "The process table at TIME: '2026-11-23 06:40:01' (UTC unless a zone "
	  "follows), ISO 8601, epoch seconds, 06:40:01 on the day of the recording "
	  "that holds it, or relative to the recording's end (-5m, -30s, -1h)", 0 },
	{ "tree", OPT_TREE, NULL, 0, "With --at: show the table as a tree", 0 },
	{ "check", OPT_CHECK, NULL, 0,
	  "With --at: judge the table with the live rules of pid1check and signals", 0 },
	{ "log", OPT_LOG, "POSTGRES_LOG", 0,
	  "Explain the crash lines of a PostgreSQL server log (stderr, csvlog or "
	  "jsonlog) with the mug shot of each dead PID", 0 },
	{ "timeline", OPT_TIMELINE, NULL, 0,
	  "The events in order, each at its best known time (= exact, ~ between "
	  "two times), cause before effect: born, exec'd, user or signal-mask change, "
	  "reparented, exited, crash-restarts, and the processes no sample saw; with "
	  "the server log (--log, or the one the recording's header names), its "
	  "crash lines among them", 0 },
	{ "from", OPT_FROM, "TIME", 0, "With --timeline: from TIME (as --at takes it)", 0 },
	{ "to", OPT_TO, "TIME", 0, "With --timeline: to TIME", 0 },
	{ "around", OPT_AROUND, "TIME", 0,
	  "The timeline from 30 s before TIME to 10 s after it (a crash line's time)", 0 },
	{ "container", OPT_CONTAINER, "ID|NAME", 0,
	  "A node recording (snapshot --all-containers): read one container -- by its "
	  "container ID or a prefix of it, its name, or its PID namespace's inode -- "
	  "with its processes numbered as it numbers them, so that --pid, --at, "
	  "--timeline and --log take its PIDs (PostgreSQL's)", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct pm_opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case OPT_PID: {
		pid_t *one = NULL;
		size_t n = 0;

		dbp_argp_pid(state, arg, &one, &n);
		o->pid = one[0];
		free(one);
		break;
	}
	case OPT_AT:
		o->at = arg;
		break;
	case OPT_TREE:
		o->tree = 1;
		break;
	case OPT_CHECK:
		o->check = 1;
		break;
	case OPT_LOG:
		o->log = arg;
		break;
	case OPT_TIMELINE:
		o->timeline = 1;
		break;
	case OPT_FROM:
		o->from = arg;
		break;
	case OPT_TO:
		o->to = arg;
		break;
	case OPT_AROUND:
		o->around = arg;
		o->timeline = 1;
		break;
	case OPT_CONTAINER:
		o->container = arg;
		break;
	case ARGP_KEY_ARG: {
		char **nf = realloc(o->files, (o->nfiles + 1) * sizeof(*nf));

		if (!nf)
			argp_failure(state, 3, ENOMEM, "out of memory");
		o->files = nf;
		o->files[o->nfiles++] = arg;
		break;
	}
	case ARGP_KEY_END:
		if (!o->nfiles)
			argp_error(state, "no recording given: dbpod postmortem FILE...");
		if (!!(o->pid || o->at) + (o->log && !o->timeline) + o->timeline > 1)
			argp_error(state, "--pid (or --at), --log and --timeline are used one at a "
				   "time (--log goes with --timeline, --pid with --at)");
		if ((o->tree || o->check) && (!o->at || o->pid))
			argp_error(state, "--tree and --check go with --at TIME (without --pid)");
		if ((o->g.grace_given || o->g.stop_signal_given) && !o->check)
			argp_error(state, "--grace and --stop-signal go with --at TIME --check");
		if ((o->from || o->to) && (!o->timeline || o->around))
			argp_error(state, "--from and --to go with --timeline");
		if (o->g.ci_format == DBP_CI_SVG && !o->timeline)
			argp_error(state, "--format=svg draws the timeline: it goes with --timeline "
				   "or --around");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, "FILE...",
	"Read recordings of `dbpod snapshot -o` (rotated files in any order, gzip "
	"too; an accounting spool FILE.acct is read as accounting). A crash-restart "
	"the recording shows leads every view and makes it CRITICAL; the server log "
	"the recorder noted is read without --log. Without options: a summary (time "
	"span, samples, gaps, processes, the short-lived ones, the share of processes seen; the containers of a "
	"node recording). --pid: who held a "
	"PID. --at: the table of a recorded second, --check judges it with the "
	"live rules. --log: the process behind each crash line of a PostgreSQL "
	"log. --timeline: what happened, in order. --container: one container "
	"of a node recording, in its own PIDs.",
	dbp_stop_grace_children, NULL, NULL
};

/* The recording of o's files opened into c, with its span; DBP_EXIT_OK,
 * or exit 3 when nothing of it can be read (said). */
static int recording_open(struct pm_ctx *c, const struct pm_opts *o)
{
	struct dbp_rec_file *f;
	int rc;

	rc = dbp_recording_open(&c->rec, o->files, o->nfiles);
	/* one input that gave nothing: one line naming it (013) */
	if (rc >= 0 && !c->rec.span_to && o->nfiles == 1 && c->rec.nfiles == 1 &&
	    (c->rec.files[0].acct_spool || c->rec.nnotes == 1)) {
		if (c->rec.files[0].acct_spool)
			dbp_warnx("nothing usable: %s is an accounting spool (snapshot --acct), "
				  "which holds exits and no sample: give it beside its recording",
				  o->files[0]);
		else
			dbp_warnx("nothing usable: %s", c->rec.notes[0]);
		return DBP_EXIT_UNKNOWN;
	}
	pm_show_notes(c);
	if (rc < 0) {
		warnx("cannot read the recording: %s", dbp_open_strerror(rc));
		return DBP_EXIT_UNKNOWN;
	}
	if (!c->rec.span_to) {
		dbp_warnx("nothing usable: no sample could be read from %s%s", o->files[0],
			  o->nfiles > 1 ? " and the other files" : "");
		return DBP_EXIT_UNKNOWN;
	}
	c->first_t = c->rec.span_from;
	c->last_t = c->rec.span_to;
	c->now = (double)time(NULL);
	/* a recent last sample without an end line: is a recorder still
	 * writing it, or was it cut off just now? */
	f = (struct dbp_rec_file *)dbp_recording_last_file(&c->rec);
	if (f && !f->ended && dbp_rec_file_recent(&c->rec, f, c->now)) {
		pid_t w = dbp_proc_file_writer(f->path);

		f->writing = w > 0 ? 1 : w == 0 ? -1 : 0;
		f->writer = w > 0 ? w : 0;
	}
	return DBP_EXIT_OK;
}

/* What the options ask of this recording, before a view reads it:
 * --container's namespaces chosen, --log refused on a node recording
 * without one, --at with --pid read. DBP_EXIT_OK, or the exit status of
 * a refusal (said). */
static int question_check(struct pm_ctx *c, const struct pm_opts *o)
{
	if (o->container && pm_containers_select(c, o) < 0)
		return DBP_EXIT_UNKNOWN;
	/* a server log's PIDs are its container's: a node recording's
	 * own are the node's */
	if (o->log && c->rec.all_containers && !o->container)
		return pm_containers_refuse(c, "--log: a node recording holds the node's PIDs and "
					    "PostgreSQL logs its container's: say which container "
					    "with --container");
	if (o->pid && o->at && pm_when(c, "--at", o->at, &c->pid_at) < 0)
		return DBP_EXIT_UNKNOWN;
	return DBP_EXIT_OK;
}

/* The server log the views read: --log, else the one the recorder saw
 * the server write, while it is still there (the last header that names
 * one), with the files the collector rotated to after it. */
static void server_log(struct pm_ctx *c, const struct pm_opts *o)
{
	c->log_path = o->log;
	if (c->log_path)
		return;
	for (size_t i = c->rec.nfiles; i-- > 0 && !c->log_path;)
		if (c->rec.files[i].version > 0 && c->rec.files[i].server_log[0] &&
		    access(c->rec.files[i].server_log, R_OK) == 0 && !c->rec.all_containers)
			c->log_path = c->rec.files[i].server_log;
	c->log_auto = !!c->log_path;
	if (c->log_auto) {
		long n = dbp_pglog_rotated(c->log_path, &c->log_more);

		c->nlog_more = n > 0 ? (size_t)n : 0;
	}
}

/* The view the options pick; its exit status. */
static int view_run(struct pm_ctx *c, const struct pm_opts *o)
{
	struct dbp_report r;
	int rc;

	dbp_report_init(&r, "postmortem");
	if (o->timeline)
		rc = pm_run_timeline(c, o, &r);
	else if (o->log)
		rc = pm_run_log(c, &r);
	else if (o->pid)
		rc = pm_run_pid(c, o, &r);
	else if (o->at)
		rc = pm_run_at(c, o, &r);
	else
		rc = pm_run_summary(c, &r);
	dbp_report_free(&r);
	return rc;
}

int cmd_postmortem(int argc, char **argv, const struct dbp_opts *g)
{
	struct pm_opts o = { .g = *g };
	struct pm_ctx c;
	int rc;

	o.g.svg_ok = 1;
	dbp_argp_parse(&argp, argc, argv, &o, &o.g);
	memset(&c, 0, sizeof(c));
	c.g = &o.g;
	dbp_recording_init(&c.rec);
	rc = recording_open(&c, &o);
	if (rc == DBP_EXIT_OK)
		rc = question_check(&c, &o);
	if (rc == DBP_EXIT_OK) {
		server_log(&c, &o);
		rc = view_run(&c, &o);
	}
	for (size_t i = 0; i < c.nlog_more; i++)
		free(c.log_more[i]);
	free(c.log_more);
	free(c.pidns);
	dbp_recording_free(&c.rec);
	free(o.files);
	return rc;
}
