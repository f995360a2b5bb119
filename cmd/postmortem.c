/*
 * dbpod postmortem: ask a recording of `dbpod snapshot -o` who held a PID
 * and when, rebuild the table of any recorded second (and judge it with
 * the live rules), explain PostgreSQL's crash lines with the mug shot of
 * the process that died, and tell what happened in order. This file: the
 * options, the recording as a whole, and the summary; the views are in
 * postmortem_*.c.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "postmortem.h"
#include "procread.h"
#include "recread.h"
#include "rules_postmortem.h"
#include "safeopen.h"
#include "sigset.h"
#include "timestamp.h"

pid_t opt_pid;
const char *opt_at;
int opt_tree;
int opt_check;
const char *opt_log;
const char *opt_from, *opt_to;
const char *opt_around;
int opt_timeline;
const char *opt_container;
char **opt_files;
size_t opt_nfiles;

enum { OPT_AT = 0x300, OPT_TREE, OPT_CHECK, OPT_PID, OPT_LOG, OPT_TIMELINE, OPT_FROM, OPT_TO,
       OPT_AROUND, OPT_CONTAINER };

static const struct argp_option options[] = {
	{ "pid", OPT_PID, "PID", 0,
	  "Every process that held PID in the recording: lifetimes, parent chain, "
	  "user, command lines over time, signal masks; with --at, the one that held "
	  "it then", 0 },
	{ "at", OPT_AT, "TIME", 0,
	  "The process table at TIME: '2026-11-23 06:40:01' (UTC unless a zone "
	  "follows), ISO 8601, epoch seconds, 06:40:01 on the recording's last "
	  "day, or relative to the recording's end (-5m, -30s, -1h)", 0 },
	{ "tree", OPT_TREE, NULL, 0, "With --at: show the table as a tree", 0 },
	{ "check", OPT_CHECK, NULL, 0,
	  "With --at: judge the table with the live rules of pid1check and signals", 0 },
	{ "log", OPT_LOG, "POSTGRES_LOG", 0,
	  "Explain the crash lines of a PostgreSQL server log (stderr, csvlog or "
	  "jsonlog) with the mug shot of each dead PID", 0 },
	{ "timeline", OPT_TIMELINE, NULL, 0,
	  "The events in order: born, exec'd, user or signal-mask change, "
	  "reparented, exited, and the processes no sample saw; with --log, its "
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
	switch (key) {
	case OPT_PID: {
		pid_t *one = NULL;
		size_t n = 0;

		dbp_argp_pid(state, arg, &one, &n);
		opt_pid = one[0];
		free(one);
		break;
	}
	case OPT_AT:
		opt_at = arg;
		break;
	case OPT_TREE:
		opt_tree = 1;
		break;
	case OPT_CHECK:
		opt_check = 1;
		break;
	case OPT_LOG:
		opt_log = arg;
		break;
	case OPT_TIMELINE:
		opt_timeline = 1;
		break;
	case OPT_FROM:
		opt_from = arg;
		break;
	case OPT_TO:
		opt_to = arg;
		break;
	case OPT_AROUND:
		opt_around = arg;
		opt_timeline = 1;
		break;
	case OPT_CONTAINER:
		opt_container = arg;
		break;
	case ARGP_KEY_ARG: {
		char **nf = realloc(opt_files, (opt_nfiles + 1) * sizeof(*nf));

		if (!nf)
			argp_failure(state, 3, ENOMEM, "out of memory");
		opt_files = nf;
		opt_files[opt_nfiles++] = arg;
		break;
	}
	case ARGP_KEY_END:
		if (!opt_nfiles)
			argp_error(state, "no recording given: dbpod postmortem FILE...");
		if (!!(opt_pid || opt_at) + (opt_log && !opt_timeline) + opt_timeline > 1)
			argp_error(state, "--pid (or --at), --log and --timeline are used one at a "
				   "time (--log goes with --timeline, --pid with --at)");
		if ((opt_tree || opt_check) && (!opt_at || opt_pid))
			argp_error(state, "--tree and --check go with --at TIME (without --pid)");
		if ((opt_from || opt_to) && (!opt_timeline || opt_around))
			argp_error(state, "--from and --to go with --timeline");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, "FILE...",
	"Read recordings of `dbpod snapshot -o` (rotated files in any order, gzip "
	"too). Without options: a summary (time span, samples, gaps, processes, "
	"the short-lived ones, the share of processes seen; the containers of a "
	"node recording). --pid: who held a "
	"PID. --at: the table of a recorded second, --check judges it with the "
	"live rules. --log: the process behind each crash line of a PostgreSQL "
	"log. --timeline: what happened, in order. --container: one container "
	"of a node recording, in its own PIDs.",
	dbp_stop_grace_children, NULL, NULL
};

/* ---- shared by the views ---- */

void pm_show_notes(struct pm_ctx *c)
{
	for (; c->notes_shown < c->rec.nnotes; c->notes_shown++)
		dbp_warnx("%s", c->rec.notes[c->notes_shown]);
}

int pm_replay(struct pm_ctx *c, const struct dbp_rec_query *q)
{
	struct dbp_rec_query scoped = { 0 };
	int rc;

	if (q)
		scoped = *q;
	pm_scope(c, &scoped);
	rc = dbp_recording_replay(&c->rec, &scoped);

	pm_show_notes(c);
	if (rc < 0) {
		warnx("cannot read the recording: %s", dbp_open_strerror(rc));
		return -1;
	}
	return 0;
}

int pm_when(const struct pm_ctx *c, const char *opt, const char *s, double *when)
{
	if (dbp_time_parse_when(s, c->last_t, when) == 0)
		return 0;
	dbp_warnx("%s: cannot read the time '%s': give '2026-11-23 06:40:01' (UTC), ISO 8601 "
		  "with a zone, epoch seconds, 06:40:01, or -5m / -30s before the "
		  "recording's end", opt, s);
	return -1;
}

struct json_object *pm_json_time(double when)
{
	char buf[32];

	return json_object_new_string(dbp_iso_time((time_t)when, buf, sizeof(buf)));
}

struct json_object *pm_chain(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
			     double when, char *buf, size_t size)
{
	const struct dbp_rec_proc *links[PM_CHAIN_MAX];
	struct json_object *arr = json_object_new_array();
	pid_t top;
	size_t n = dbp_recording_chain(rec, rp, when, links, PM_CHAIN_MAX, &top), len = 0;

	buf[0] = '\0';
	for (size_t i = n; i-- > 0;) {
		const struct dbp_proc *p = dbp_rec_proc_at(links[i], when);
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "pid", json_object_new_int(links[i]->pid));
		json_object_object_add(o, "name", json_object_new_string(dbp_proc_name(p)));
		json_object_object_add(o, "user", json_object_new_string(p->user));
		json_object_array_add(arr, o);
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%d %s", i + 1 < n ? " -> " : "",
						(int)links[i]->pid, dbp_proc_name(p));
	}
	if (top > 0 && len < size)
		snprintf(buf + len, size - len, " (parent %d not recorded)", (int)top);
	return arr;
}

struct json_object *pm_ignores_sigpipe_json(const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS))
		return NULL;
	return json_object_new_boolean(dbp_sigmask_has(p->sig.ignored, SIGPIPE));
}

const char *pm_sigpipe_text(const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS))
		return "unknown (signal masks not recorded)";
	if (dbp_sigmask_has(p->sig.ignored, SIGPIPE))
		return "ignored";
	if (dbp_sigmask_has(p->sig.caught, SIGPIPE))
		return "caught by a handler";
	return "NOT ignored: it dies of SIGPIPE when its reader goes away";
}

void pm_text_signals(const struct dbp_text *t, const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS)) {
		dbp_text_field(t, "Signals", "masks not recorded");
		return;
	}
	dbp_text_sigmasks(t, &p->sig);
	dbp_text_field(t, "  SIGPIPE", "%s", pm_sigpipe_text(p));
}

struct json_object *pm_proc_json_full(const struct dbp_table *t, const struct dbp_proc *p)
{
	struct json_object *o = dbp_proc_json(t, p);

	json_object_object_add(o, "signals", dbp_proc_signals_json(p));
	json_object_object_add(o, "ignores_sigpipe", pm_ignores_sigpipe_json(p));
	json_object_object_add(o, "oom_score_adj",
			       p->have & DBP_HAVE_OOM ? json_object_new_int(p->oom_adj) : NULL);
	return o;
}

int cmd_postmortem(int argc, char **argv)
{
	struct pm_ctx c;
	struct dbp_report r;
	int rc;

	dbp_argp_parse(&argp, argc, argv, NULL);
	memset(&c, 0, sizeof(c));
	dbp_recording_init(&c.rec);
	rc = dbp_recording_open(&c.rec, opt_files, opt_nfiles);
	pm_show_notes(&c);
	if (rc < 0) {
		warnx("cannot read the recording: %s", dbp_open_strerror(rc));
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	if (!c.rec.span_to) {
		dbp_warnx("nothing usable: no sample could be read from %s%s", opt_files[0],
			  opt_nfiles > 1 ? " and the other files" : "");
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	c.first_t = c.rec.span_from;
	c.last_t = c.rec.span_to;
	c.now = (double)time(NULL);
	{
		/* a recent last sample without an end line: is a recorder
		 * still writing it, or was it cut off just now? */
		struct dbp_rec_file *f = (struct dbp_rec_file *)dbp_recording_last_file(&c.rec);
		pid_t w;

		if (f && !f->ended && dbp_rec_file_recent(&c.rec, f, c.now)) {
			w = dbp_proc_file_writer(f->path);
			f->writing = w > 0 ? 1 : w == 0 ? -1 : 0;
			f->writer = w > 0 ? w : 0;
		}
	}
	if (opt_container && pm_containers_select(&c, opt_container) < 0) {
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	/* a server log's PIDs are its container's: a node recording's
	 * own are the node's */
	if (opt_log && c.rec.all_containers && !opt_container) {
		rc = pm_containers_refuse(&c, "--log: a node recording holds the node's PIDs and "
					  "PostgreSQL logs its container's: say which container "
					  "with --container");
		goto out;
	}
	if (opt_pid && opt_at && pm_when(&c, "--at", opt_at, &c.pid_at) < 0) {
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	dbp_report_init(&r, "postmortem");
	if (opt_timeline)
		rc = pm_run_timeline(&c, &r);
	else if (opt_log)
		rc = pm_run_log(&c, &r);
	else if (opt_pid)
		rc = pm_run_pid(&c, &r);
	else if (opt_at)
		rc = pm_run_at(&c, &r);
	else
		rc = pm_run_summary(&c, &r);
	dbp_report_free(&r);
out:
	free(c.pidns);
	dbp_recording_free(&c.rec);
	free(opt_files);
	return rc;
}
