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
#include <unistd.h>

#include "pglogread.h"
#include "postmortem.h"
#include "procread.h"
#include "rec/recread.h"
#include "rec/rules_postmortem.h"
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

/* the input: the shared options (postmortem's own are its globals) */
static error_t parse(int key, char *arg, struct argp_state *state)
{
	const struct dbp_opts *g = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, state->input);
		break;
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
		if ((g->grace_given || g->stop_signal_given) && !opt_check)
			argp_error(state, "--grace and --stop-signal go with --at TIME --check");
		if ((opt_from || opt_to) && (!opt_timeline || opt_around))
			argp_error(state, "--from and --to go with --timeline");
		if (g->ci_format == DBP_CI_SVG && !opt_timeline)
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
	if (dbp_time_parse_in_span(s, c->first_t, c->last_t, when) == 0)
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

struct json_object *pm_json_time_ms(double when)
{
	char buf[40], ts[32];
	long ms = (long)((when - (double)(long long)when) * 1000 + 0.5);
	size_t n;

	/* as pm_clock_ms: rounding up to the next second is .999 */
	dbp_iso_time((time_t)when, ts, sizeof(ts));
	n = strlen(ts);
	if (n && ts[n - 1] == 'Z')
		ts[n - 1] = '\0';
	snprintf(buf, sizeof(buf), "%s.%03ldZ", ts, ms > 999 ? 999 : ms);
	return json_object_new_string(buf);
}

const char *pm_clock_ms(double t, char *buf, size_t size)
{
	char ts[16];
	long ms = (long)((t - (double)(long long)t) * 1000 + 0.5);

	/* rounding up to the next second is rounding down to .999 */
	snprintf(buf, size, "%s.%03ld", dbp_time_clock(t, ts, sizeof(ts)), ms > 999 ? 999 : ms);
	return buf;
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

/* ---- crash-restarts ---- */

void pm_crashes_free(struct pm_crashes *cr)
{
	for (size_t i = 0; i < cr->n; i++)
		dbp_recording_free(&cr->rec[i]);
	free(cr->rec);
	free(cr->crash);
	memset(cr, 0, sizeof(*cr));
}

int pm_crashes_merge(struct pm_crashes *dst, struct pm_crashes *src)
{
	struct dbp_recording *nr;
	struct dbp_crash *nc;

	nr = realloc(dst->rec, (dst->n + src->n + 1) * sizeof(*nr));
	if (nr)
		dst->rec = nr;
	nc = realloc(dst->crash, (dst->n + src->n + 1) * sizeof(*nc));
	if (nc)
		dst->crash = nc;
	if (!nr || !nc) {
		warnx("out of memory");
		pm_crashes_free(src);
		return -1;
	}
	for (size_t i = 0; i < src->n; i++) {
		int dup = 0;

		for (size_t k = 0; k < dst->n && !dup; k++)
			dup = dst->crash[k].before == src->crash[i].before &&
			      dst->crash[k].pm->pid == src->crash[i].pm->pid;
		if (dup) {
			dbp_recording_free(&src->rec[i]);
			continue;
		}
		/* a recording's heap stays where it is: the crash's pointers
		 * into it hold across the move */
		dst->rec[dst->n] = src->rec[i];
		dst->crash[dst->n++] = src->crash[i];
	}
	free(src->rec);
	free(src->crash);
	memset(src, 0, sizeof(*src));
	return 0;
}

/* The server log's word on the culprit of each of the n crashes of rec,
 * when a log is known; one that cannot be read leaves them as they are
 * (the view that reads it says why). */
static void crashes_log(const struct pm_ctx *c, const struct dbp_recording *rec,
			struct dbp_crash *x, size_t n)
{
	struct dbp_pglog log;

	if (!c->log_path || !n)
		return;
	dbp_pglog_init(&log);
	if (dbp_pglog_read_all(&log, c->log_path, c->log_auto ? c->log_more : NULL,
			       c->log_auto ? c->nlog_more : 0) >= 0)
		for (size_t i = 0; i < n; i++)
			dbp_crash_apply_log(rec, &x[i], &log);
	dbp_pglog_free(&log);
}

int pm_crashes_find(struct pm_ctx *c, const struct dbp_recording *seen, struct pm_crashes *out)
{
	double slack = 2 * (c->rec.interval > 0 ? c->rec.interval : 1) + 2;
	struct dbp_crash *found = NULL;
	long n = dbp_recording_crashes(seen, NULL, 0);

	memset(out, 0, sizeof(*out));
	if (n <= 0)
		return n < 0 ? (warnx("out of memory"), -1) : 0;
	found = calloc((size_t)n, sizeof(*found));
	out->rec = calloc((size_t)n, sizeof(*out->rec));
	out->crash = calloc((size_t)n, sizeof(*out->crash));
	if (!found || !out->rec || !out->crash || dbp_recording_crashes(seen, found, (size_t)n) < 0)
		goto nomem;
	for (long i = 0; i < n; i++) {
		struct dbp_recording *rec = &out->rec[out->n];
		struct dbp_rec_query q = { 0 };
		struct dbp_crash near[8];
		long m;
		int rc;

		dbp_recording_init(rec);
		out->n++;
		rc = dbp_recording_open_like(rec, &c->rec);
		if (rc >= 0) {
			/* from a sample before the crash's: its children were
			 * there, and so was an adopted culprit */
			q.from = found[i].before - slack;
			q.to = found[i].after + slack;
			pm_scope(c, &q);
			rc = dbp_recording_replay(rec, &q);
		}
		if (rc < 0) {
			warnx("cannot read the recording: %s", dbp_open_strerror(rc));
			goto fail;
		}
		m = dbp_recording_crashes(rec, near, sizeof(near) / sizeof(near[0]));
		if (m < 0)
			goto nomem;
		out->crash[out->n - 1] = found[i];
		for (long k = 0; k < m && k < 8; k++)
			if (near[k].before == found[i].before && near[k].pm->pid == found[i].pm->pid)
				out->crash[out->n - 1] = near[k];
		if (out->crash[out->n - 1].pm == found[i].pm) {
			/* not found again: keep what the first reading knew,
			 * without pointers into a replay that is gone */
			out->crash[out->n - 1].culprit = NULL;
			out->crash[out->n - 1].acct = NULL;
			out->crash[out->n - 1].pm = NULL;
		}
	}
	free(found);
	for (size_t i = 0; i < out->n; i++)
		if (out->crash[i].pm)
			crashes_log(c, &out->rec[i], &out->crash[i], 1);
	/* only those found again are reported */
	for (size_t i = 0; i < out->n;) {
		if (out->crash[i].pm) {
			i++;
			continue;
		}
		dbp_recording_free(&out->rec[i]);
		memmove(&out->rec[i], &out->rec[i + 1], (out->n - i - 1) * sizeof(*out->rec));
		memmove(&out->crash[i], &out->crash[i + 1], (out->n - i - 1) * sizeof(*out->crash));
		out->n--;
	}
	return 0;
nomem:
	warnx("out of memory");
fail:
	free(found);
	pm_crashes_free(out);
	return -1;
}

int pm_crash_verdict(struct pm_ctx *c, struct dbp_report *r, int replay_whole)
{
	if (replay_whole) {
		long n = dbp_recording_crashes(&c->rec, NULL, 0);
		struct dbp_crash *x = n > 0 ? calloc((size_t)n, sizeof(*x)) : NULL;

		if (n < 0 || (n > 0 && (!x || dbp_recording_crashes(&c->rec, x, (size_t)n) < 0))) {
			free(x);
			warnx("out of memory");
			return -1;
		}
		crashes_log(c, &c->rec, x, n > 0 ? (size_t)n : 0);
		for (long i = 0; i < n; i++)
			dbp_rules_postmortem_crash_restart(&c->rec, &x[i], r);
		free(x);
	}
	return c->log_path ? pm_log_findings(c, c->log_path, r) : 0;
}

void pm_crashes_judge(const struct pm_crashes *cr, struct dbp_report *r)
{
	for (size_t i = 0; i < cr->n; i++)
		dbp_rules_postmortem_crash_restart(&cr->rec[i], &cr->crash[i], r);
}

void pm_crash_text(const struct dbp_text *t, const struct dbp_recording *rec,
		   const struct dbp_crash *x)
{
	char a[32], b[16], w[128], who[256], sn[24];

	dbp_text_field(t, "CRASH", "PostgreSQL crash-restart between %s and %s UTC: every "
		       "child of the postmaster (PID %d; %zu children) ended, new ones started",
		       dbp_time_format(x->before, a, sizeof(a)), dbp_time_clock(x->after, b, sizeof(b)),
		       (int)x->pm->pid, x->children);
	if (x->have_log) {
		char how[96];

		dbp_crash_culprit_text(rec, x, who, sizeof(who));
		dbp_text_field(t, "Culprit", "%s: %s at %s UTC (server log line %zu)", who,
			       dbp_pglog_how_text(&x->log, how, sizeof(how)),
			       pm_clock_ms(x->when, w, sizeof(w)), x->log.line);
		return;
	}
	if (!x->culprit && !x->acct) {
		dbp_text_field(t, "Culprit", "not recorded (no child is known to have died of a "
			       "signal; --acct records how each ended)");
		return;
	}
	dbp_crash_culprit_text(rec, x, who, sizeof(who));
	if (x->acct)
		dbp_text_field(t, "Culprit", "%s: killed by signal %d (%s) at %s UTC%s (process "
			       "accounting)", who, x->acct->signal,
			       dbp_signal_name(x->acct->signal, sn, sizeof(sn)),
			       pm_clock_ms(x->when, w, sizeof(w)), x->lo < x->hi ? " or so" : "");
	else
		dbp_text_field(t, "Culprit", "%s: likely (not a server process, and it ended then; "
			       "%s)", who, dbp_crash_likely_text(rec, x, w, sizeof(w)));
}

struct json_object *pm_crash_json(const struct dbp_recording *rec, const struct dbp_crash *x)
{
	struct json_object *o = json_object_new_object();
	char who[256];

	json_object_object_add(o, "postmaster", json_object_new_int(x->pm->pid));
	json_object_object_add(o, "after", pm_json_time(x->before));
	json_object_object_add(o, "before", pm_json_time(x->after));
	json_object_object_add(o, "children", json_object_new_int64((int64_t)x->children));
	if (x->culprit || x->acct || x->have_log) {
		struct json_object *k = json_object_new_object();
		const struct dbp_proc *p = x->culprit ? &x->culprit->v[x->culprit->nv - 1].p : NULL;

		json_object_object_add(k, "pid", json_object_new_int(p ? x->culprit->pid : x->acct ?
								     x->acct->pid : x->log.pid));
		json_object_object_add(k, "comm", p || x->acct ? json_object_new_string(p ? p->comm :
					x->acct->comm) : NULL);
		json_object_object_add(k, "ppid", p || x->acct ? json_object_new_int(p ? p->ppid :
					x->acct->ppid) : NULL);
		json_object_object_add(k, "text", json_object_new_string(
				       dbp_crash_culprit_text(rec, x, who, sizeof(who))));
		json_object_object_add(k, "signal", x->have_log ? (x->log.how == DBP_PGLOG_SIGNAL ?
				       json_object_new_int(x->log.code) : NULL) :
				       x->acct && x->acct->signal ? json_object_new_int(x->acct->signal) : NULL);
		/* who named it: the server log, accounting, or a guess */
		json_object_object_add(k, "source", json_object_new_string(
				       x->have_log ? "log" : x->acct ? "acct" : "guess"));
		json_object_object_add(k, "log_line", x->have_log ?
				       json_object_new_int64((int64_t)x->log.line) : NULL);
		json_object_object_add(k, "likely", json_object_new_boolean(x->likely));
		/* to the millisecond, as the text gives it */
		json_object_object_add(k, "time", pm_json_time_ms(x->when));
		json_object_object_add(k, "exact", json_object_new_boolean(x->lo >= x->hi));
		json_object_object_add(o, "culprit", k);
	} else {
		json_object_object_add(o, "culprit", NULL);
	}
	return o;
}

void pm_crashes_text(const struct dbp_text *t, const struct pm_crashes *cr)
{
	for (size_t i = 0; i < cr->n; i++)
		pm_crash_text(t, &cr->rec[i], &cr->crash[i]);
}

struct json_object *pm_crashes_json(const struct pm_crashes *cr)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < cr->n; i++)
		json_object_array_add(arr, pm_crash_json(&cr->rec[i], &cr->crash[i]));
	return arr;
}

int cmd_postmortem(int argc, char **argv, const struct dbp_opts *o)
{
	struct dbp_opts g = *o;
	struct pm_ctx c;
	struct dbp_report r;
	int rc;

	g.svg_ok = 1;
	dbp_argp_parse(&argp, argc, argv, &g, &g);
	memset(&c, 0, sizeof(c));
	c.o = &g;
	dbp_recording_init(&c.rec);
	rc = dbp_recording_open(&c.rec, opt_files, opt_nfiles);
	/* one input that gave nothing: one line naming it (013) */
	if (rc >= 0 && !c.rec.span_to && opt_nfiles == 1 && c.rec.nfiles == 1 &&
	    (c.rec.files[0].acct_spool || c.rec.nnotes == 1)) {
		if (c.rec.files[0].acct_spool)
			dbp_warnx("nothing usable: %s is an accounting spool (snapshot --acct), "
				  "which holds exits and no sample: give it beside its recording",
				  opt_files[0]);
		else
			dbp_warnx("nothing usable: %s", c.rec.notes[0]);
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
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
	c.log_path = opt_log;
	if (!c.log_path) {
		/* the log the recorder saw the server write, while it is
		 * still there: the last header that names one */
		for (size_t i = c.rec.nfiles; i-- > 0 && !c.log_path;)
			if (c.rec.files[i].version > 0 && c.rec.files[i].server_log[0] &&
			    access(c.rec.files[i].server_log, R_OK) == 0 && !c.rec.all_containers)
				c.log_path = c.rec.files[i].server_log;
		c.log_auto = !!c.log_path;
		if (c.log_auto) {
			long n = dbp_pglog_rotated(c.log_path, &c.log_more);

			c.nlog_more = n > 0 ? (size_t)n : 0;
		}
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
	for (size_t i = 0; i < c.nlog_more; i++)
		free(c.log_more[i]);
	free(c.log_more);
	free(c.pidns);
	dbp_recording_free(&c.rec);
	free(opt_files);
	return rc;
}
