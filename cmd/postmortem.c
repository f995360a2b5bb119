/*
 * dbpod postmortem: ask a recording of `dbpod snapshot -o` who held a PID
 * and when, rebuild the table of any recorded second (and judge it with
 * the live rules), and explain PostgreSQL's crash lines with the mug shot
 * of the process that died.
 */
#include "config.h"

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify.h"
#include "dbpod.h"
#include "pglog.h"
#include "recording.h"
#include "rules_postmortem.h"
#include "rules_signals.h"
#include "timestamp.h"

#define SHORT_LIVED_MAX 20	/* listed in the text view */
#define CHAIN_MAX 32

static pid_t opt_pid;			/* --pid */
static const char *opt_at;		/* --at */
static int opt_tree;			/* --tree */
static int opt_check;			/* --check */
static const char *opt_log;		/* --log */
static char **opt_files;		/* FILE... */
static size_t opt_nfiles;

enum { OPT_AT = 0x300, OPT_TREE, OPT_CHECK, OPT_PID, OPT_LOG };

static const struct argp_option options[] = {
	{ "pid", OPT_PID, "PID", 0,
	  "Every process that held PID in the recording: lifetimes, parent chain, "
	  "user, command lines over time, signal masks", 0 },
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
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_PID: {
		char *end;
		long v;

		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < 1 || v > 4194304)	/* PID_MAX_LIMIT */
			argp_error(state, "'%s' is not a PID", arg);
		opt_pid = (pid_t)v;
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
		if (!!opt_pid + !!opt_at + !!opt_log > 1)
			argp_error(state, "--pid, --at and --log are used one at a time");
		if ((opt_tree || opt_check) && !opt_at)
			argp_error(state, "--tree and --check go with --at TIME");
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
	"the short-lived ones). --pid: who held a PID. --at: the table of a "
	"recorded second, --check judges it with the live rules. --log: the "
	"process behind each crash line of a PostgreSQL log.",
	dbp_stop_grace_children, NULL, NULL
};

/* Findings and facts out, as every check does (the one call to the shared
 * emitter). */
static int emit(struct dbp_report *r, struct json_object *facts,
		void (*text_facts)(const struct dbp_text *t, void *view), void *view)
{
	return dbp_emit_report(r, facts, text_facts, view);
}

/* ---- times ---- */

static const char *fmt_time(double when, char *buf, size_t size)
{
	time_t t = (time_t)when;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "%.0f", when);
	return buf;
}

static struct json_object *json_time(double when)
{
	char buf[32];

	return json_object_new_string(dbp_iso_time((time_t)when, buf, sizeof(buf)));
}

/* -5m, -30s, -1h30m, -2d: seconds before the end; returns 0 or -1 */
static int parse_relative(const char *s, double *secs)
{
	double total = 0;

	if (*s++ != '-' || !*s)
		return -1;
	while (*s) {
		char *end;
		double v = strtod(s, &end);

		if (end == s || v < 0)
			return -1;
		switch (*end) {
		case 's': case '\0': break;
		case 'm': v *= 60; break;
		case 'h': v *= 3600; break;
		case 'd': v *= 86400; break;
		default: return -1;
		}
		total += v;
		s = *end ? end + 1 : end;
	}
	*secs = total;
	return 0;
}

/* "06:40:01", "06:40": that time of the day of the recording's end (UTC),
 * or of the day before when that is later than the end. */
static int parse_clock(const char *s, double end_t, double *when)
{
	unsigned h, m, sec = 0;
	int n = 0, k = 0;
	double day, t;

	if (sscanf(s, "%2u:%2u%n", &h, &m, &n) != 2)
		return -1;
	if (s[n] == ':' && sscanf(s + n, ":%2u%n", &sec, &k) == 1)
		n += k;
	if (s[n] || h > 23 || m > 59 || sec > 60)
		return -1;
	day = (double)((long long)end_t / 86400 * 86400);
	t = day + h * 3600 + m * 60 + sec;
	*when = t > end_t + 60 ? t - 86400 : t;
	return 0;
}

static int parse_when(const char *s, double end_t, double *when)
{
	const char *end;
	char *e;
	double v;
	int zone;

	if (strchr(s, ':') && !strchr(s, '-') && parse_clock(s, end_t, when) == 0)
		return 0;
	if (*s == '-')
		return parse_relative(s, &v) == 0 ? (*when = end_t - v, 0) : -1;
	if (*s == '@')
		s++;
	if (isdigit((unsigned char)*s)) {
		v = strtod(s, &e);
		if (*e == '\0' && e != s) {
			*when = v;
			return 0;
		}
	}
	if (dbp_timestamp_parse(s, &v, &end, &zone) < 0 || *end || zone < 0)
		return -1;
	*when = v;
	return 0;
}

/* ---- the recording, shared by every view ---- */

struct ctx {
	struct dbp_recording rec;
	double first_t, last_t;
};

/* "1 postgres -> 340 sh -> 341 psql": the parent chain of rp at time when. */
static struct json_object *chain_at(const struct dbp_recording *rec, const struct dbp_rec_proc *rp,
				    double when, char *buf, size_t size)
{
	const struct dbp_rec_proc *links[CHAIN_MAX];
	struct json_object *arr = json_object_new_array();
	size_t n = 0, len = 0;

	/* up to a process whose parent is 0 or not in the recording (outside
	 * the namespace); CHAIN_MAX also ends a cycle of a corrupt recording */
	for (const struct dbp_rec_proc *q = rp; q && n < CHAIN_MAX;) {
		pid_t pp = dbp_rec_proc_at(q, when)->ppid;

		links[n++] = q;
		q = pp > 0 && pp != q->pid ? dbp_recording_find(rec, pp, when) : NULL;
	}
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
	{
		pid_t top = dbp_rec_proc_at(links[n - 1], when)->ppid;

		if (top > 0 && !dbp_recording_find(rec, top, when) && len < size)
			snprintf(buf + len, size - len, " (parent %d not recorded)", (int)top);
	}
	return arr;
}

static struct json_object *ignores_sigpipe_json(const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS))
		return NULL;
	return json_object_new_boolean(dbp_sigmask_has(p->sig.ignored, SIGPIPE));
}

static const char *sigpipe_text(const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS))
		return "unknown (signal masks not recorded)";
	if (dbp_sigmask_has(p->sig.ignored, SIGPIPE))
		return "ignored";
	if (dbp_sigmask_has(p->sig.caught, SIGPIPE))
		return "caught by a handler";
	return "NOT ignored: it dies of SIGPIPE when its reader goes away";
}

static void text_signals(const struct dbp_text *t, const struct dbp_proc *p)
{
	if (!(p->have & DBP_HAVE_STATUS)) {
		dbp_text_field(t, "Signals", "masks not recorded");
		return;
	}
	dbp_text_sigmasks(t, &p->sig);
	dbp_text_field(t, "  SIGPIPE", "%s", sigpipe_text(p));
}

/* A process of a table as JSON with its signals. */
static struct json_object *proc_json_full(const struct dbp_table *t, const struct dbp_proc *p)
{
	struct json_object *o = dbp_proc_json(t, p);

	json_object_object_add(o, "signals", dbp_proc_signals_json(p));
	json_object_object_add(o, "ignores_sigpipe", ignores_sigpipe_json(p));
	json_object_object_add(o, "oom_score_adj",
			       p->have & DBP_HAVE_OOM ? json_object_new_int(p->oom_adj) : NULL);
	return o;
}

/* ---- summary ---- */

static int short_lived(const struct ctx *c, const struct dbp_rec_proc *rp)
{
	double iv = c->rec.interval > 0 ? c->rec.interval : 1;

	return rp->gone && rp->first > c->first_t && rp->last - rp->first < 3 * iv;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* How many PIDs were held by more than one process. */
static size_t reused_pids(const struct dbp_recording *rec)
{
	pid_t *pids = malloc((rec->nprocs ? rec->nprocs : 1) * sizeof(*pids));
	size_t n = 0;

	if (!pids)
		return 0;
	for (size_t i = 0; i < rec->nprocs; i++)
		pids[i] = rec->procs[i].pid;
	qsort(pids, rec->nprocs, sizeof(*pids), cmp_pid);
	for (size_t i = 1; i < rec->nprocs; i++)
		n += pids[i] == pids[i - 1] && (i < 2 || pids[i - 1] != pids[i - 2]);
	free(pids);
	return n;
}

static void summary_text(const struct dbp_text *t, void *arg)
{
	const struct ctx *c = arg;
	const struct dbp_recording *rec = &c->rec;
	struct dbp_rec_gap gaps[5];
	size_t ngaps = dbp_recording_gaps(rec, gaps, 5), nshort = 0, live = 0, reused = 0;
	char a[32], b[32];

	dbp_text_field(t, "Recording", "%zu file%s, host %s, interval %.2f s%s%s",
		       rec->nfiles, rec->nfiles == 1 ? "" : "s",
		       rec->files[0].hostname[0] ? rec->files[0].hostname : "?", rec->interval,
		       rec->files[rec->nfiles - 1].end_reason[0] ? ", ended by " : "",
		       rec->files[rec->nfiles - 1].end_reason);
	dbp_text_field(t, "Span", "%s .. %s UTC (%.0f s), %zu samples", fmt_time(c->first_t, a, sizeof(a)),
		       fmt_time(c->last_t, b, sizeof(b)), c->last_t - c->first_t, rec->nsamples);
	if (!ngaps)
		dbp_text_field(t, "Gaps", "none longer than two intervals");
	for (size_t i = 0; i < ngaps && i < 5; i++)
		dbp_text_field(t, i ? "" : "Gaps", "%s .. %s (%.1f s)", fmt_time(gaps[i].from, a, sizeof(a)),
			       fmt_time(gaps[i].to, b, sizeof(b)) + 11, gaps[i].to - gaps[i].from);
	for (size_t i = 0; i < rec->nprocs; i++) {
		nshort += (size_t)short_lived(c, &rec->procs[i]);
		live += dbp_rec_proc_alive(&rec->procs[i], c->last_t);
	}
	reused = reused_pids(rec);
	dbp_text_field(t, "Processes", "%zu seen, %zu at the end; %zu PID%s held by more than one",
		       rec->nprocs, live, reused, reused == 1 ? "" : "s");
	dbp_text_field(t, "Short-lived", "%zu (appeared and vanished within three intervals)", nshort);
	if (!nshort)
		return;
	fprintf(t->out, "\n%7s %7s %-19s %6s %-8s %s\n", "PID", "PPID", "FIRST SEEN", "SECS", "USER", "COMMAND");
	for (size_t i = 0, shown = 0; i < rec->nprocs && shown < SHORT_LIVED_MAX; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		const struct dbp_proc *p;
		char cmd[256];

		if (!short_lived(c, rp))
			continue;
		p = dbp_rec_proc_at(rp, rp->first);
		fprintf(t->out, "%7d %7d %-19s %6.1f %-8.8s %s\n", (int)rp->pid, (int)p->ppid,
			fmt_time(rp->first, a, sizeof(a)), rp->last - rp->first, p->user,
			dbp_proc_cmdline(p, cmd, sizeof(cmd)));
		shown++;
	}
	if (nshort > SHORT_LIVED_MAX)
		fprintf(t->out, "(%zu more in the JSON output)\n", nshort - SHORT_LIVED_MAX);
}

static struct json_object *summary_json(const struct ctx *c)
{
	const struct dbp_recording *rec = &c->rec;
	struct json_object *o = json_object_new_object();
	struct json_object *files = json_object_new_array(), *gaps = json_object_new_array();
	struct json_object *shorts = json_object_new_array();
	size_t ngaps = dbp_recording_gaps(rec, NULL, 0), live = 0;
	struct dbp_rec_gap *g = calloc(ngaps ? ngaps : 1, sizeof(*g));

	for (size_t i = 0; i < rec->nfiles; i++) {
		const struct dbp_rec_file *f = &rec->files[i];
		struct json_object *jf = json_object_new_object();

		json_object_object_add(jf, "path", json_object_new_string(f->path));
		json_object_object_add(jf, "usable", json_object_new_boolean(f->version > 0));
		json_object_object_add(jf, "hostname", json_object_new_string(f->hostname));
		json_object_object_add(jf, "file_index", json_object_new_int64(f->file_index));
		json_object_object_add(jf, "samples", json_object_new_int64((int64_t)f->samples));
		json_object_object_add(jf, "end", f->end_reason[0] ? json_object_new_string(f->end_reason) : NULL);
		json_object_array_add(files, jf);
	}
	json_object_object_add(o, "files", files);
	json_object_object_add(o, "from", json_time(c->first_t));
	json_object_object_add(o, "to", json_time(c->last_t));
	json_object_object_add(o, "samples", json_object_new_int64((int64_t)rec->nsamples));
	json_object_object_add(o, "interval", json_object_new_double(rec->interval));
	if (g) {
		dbp_recording_gaps(rec, g, ngaps);
		for (size_t i = 0; i < ngaps; i++) {
			struct json_object *jg = json_object_new_object();

			json_object_object_add(jg, "from", json_time(g[i].from));
			json_object_object_add(jg, "to", json_time(g[i].to));
			json_object_object_add(jg, "seconds", json_object_new_double(g[i].to - g[i].from));
			json_object_array_add(gaps, jg);
		}
		free(g);
	}
	json_object_object_add(o, "gaps", gaps);
	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		live += dbp_rec_proc_alive(rp, c->last_t);
		if (short_lived(c, rp)) {
			const struct dbp_proc *p = dbp_rec_proc_at(rp, rp->first);
			struct json_object *js = json_object_new_object();
			char cmd[4096];

			json_object_object_add(js, "pid", json_object_new_int(rp->pid));
			json_object_object_add(js, "ppid", json_object_new_int(p->ppid));
			json_object_object_add(js, "user", json_object_new_string(p->user));
			json_object_object_add(js, "first_seen", json_time(rp->first));
			json_object_object_add(js, "last_seen", json_time(rp->last));
			json_object_object_add(js, "cmdline",
					       json_object_new_string(dbp_proc_cmdline(p, cmd, sizeof(cmd))));
			json_object_array_add(shorts, js);
		}
	}
	json_object_object_add(o, "processes_seen", json_object_new_int64((int64_t)rec->nprocs));
	json_object_object_add(o, "processes_at_end", json_object_new_int64((int64_t)live));
	json_object_object_add(o, "pids_reused", json_object_new_int64((int64_t)reused_pids(rec)));
	json_object_object_add(o, "short_lived", shorts);
	json_object_object_add(o, "lines_skipped", json_object_new_int64((int64_t)(rec->garbage + rec->torn)));
	return o;
}

/* ---- --pid ---- */

static void start_text(const struct dbp_recording *rec, const struct dbp_rec_proc *rp, char *buf,
		       size_t size)
{
	const struct dbp_rec_file *f = dbp_rec_proc_file(rec, rp);
	long hz = f && f->hz > 0 ? f->hz : 100;

	if (f && f->boot_time)
		fmt_time((double)f->boot_time + (double)rp->start / (double)hz, buf, size);
	else
		snprintf(buf, size, "tick %llu", rp->start);
}

static int argv_same(const struct dbp_proc *a, const struct dbp_proc *b)
{
	char x[2048], y[2048];

	return !strcmp(dbp_proc_cmdline(a, x, sizeof(x)), dbp_proc_cmdline(b, y, sizeof(y)));
}

static void pid_text(const struct dbp_text *t, void *arg)
{
	const struct ctx *c = arg;
	const struct dbp_recording *rec = &c->rec;
	size_t n = 0;
	char a[32], b[32];

	for (size_t i = 0; i < rec->nprocs; i++)
		n += rec->procs[i].pid == opt_pid;
	dbp_text_field(t, "PID", "%d was held by %zu process%s in the recording", (int)opt_pid, n,
		       n == 1 ? "" : "es");
	for (size_t i = 0, k = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		const struct dbp_proc *p;

		if (rp->pid != opt_pid)
			continue;
		p = dbp_rec_proc_at(rp, rp->last);
		fputc('\n', t->out);
		start_text(rec, rp, a, sizeof(a));
		dbp_text_field(t, "Holder", "%zu of %zu: %s, started %s UTC (tick %llu)", ++k, n,
			       dbp_proc_name(p), a, rp->start);
		dbp_text_field(t, "Seen", "%s .. %s UTC%s", fmt_time(rp->first, a, sizeof(a)),
			       fmt_time(rp->last, b, sizeof(b)) + 11,
			       rp->gone ? ", then gone" : ", still there at the end");
		dbp_text_field(t, "User", "%s (uid %u)", p->user, (unsigned)p->uid);
		for (size_t v = 0; v < rp->nv; v++) {
			const struct dbp_proc *pv = &rp->v[v].p;
			const struct dbp_proc *prev = v ? &rp->v[v - 1].p : NULL;
			char chain[1024], cmd[2048];
			struct json_object *j;

			if (prev && prev->ppid == pv->ppid && argv_same(prev, pv) &&
			    prev->state == pv->state && !strcmp(prev->user, pv->user))
				continue;
			j = chain_at(rec, rp, rp->v[v].t, chain, sizeof(chain));
			json_object_put(j);
			dbp_text_field(t, fmt_time(rp->v[v].t, a, sizeof(a)) + 11, "%s [%c] %s",
				       chain, pv->state, dbp_proc_cmdline(pv, cmd, sizeof(cmd)));
		}
		text_signals(t, p);
	}
}

static struct json_object *holder_json(const struct dbp_recording *rec, const struct dbp_rec_proc *rp)
{
	struct json_object *o = json_object_new_object(), *vs = json_object_new_array();
	const struct dbp_proc *p = dbp_rec_proc_at(rp, rp->last);
	char buf[4096];

	json_object_object_add(o, "pid", json_object_new_int(rp->pid));
	json_object_object_add(o, "start_ticks", json_object_new_uint64(rp->start));
	{
		const struct dbp_rec_file *f = dbp_rec_proc_file(rec, rp);

		json_object_object_add(o, "start_time", f && f->boot_time ?
			json_time((double)f->boot_time + (double)rp->start / (double)(f->hz > 0 ? f->hz : 100)) :
			NULL);
	}
	json_object_object_add(o, "first_seen", json_time(rp->first));
	json_object_object_add(o, "last_seen", json_time(rp->last));
	json_object_object_add(o, "gone", json_object_new_boolean(rp->gone));
	json_object_object_add(o, "user", json_object_new_string(p->user));
	json_object_object_add(o, "uid", json_object_new_int64(p->uid));
	for (size_t v = 0; v < rp->nv; v++) {
		const struct dbp_proc *pv = &rp->v[v].p;
		struct json_object *jv = json_object_new_object();

		json_object_object_add(jv, "time", json_time(rp->v[v].t));
		json_object_object_add(jv, "ppid", json_object_new_int(pv->ppid));
		json_object_object_add(jv, "chain", chain_at(rec, rp, rp->v[v].t, buf, sizeof(buf)));
		json_object_object_add(jv, "state", json_object_new_string_len(&pv->state, 1));
		json_object_object_add(jv, "comm", json_object_new_string(pv->comm));
		json_object_object_add(jv, "user", json_object_new_string(pv->user));
		json_object_object_add(jv, "cmdline",
				       json_object_new_string(dbp_proc_cmdline(pv, buf, sizeof(buf))));
		json_object_object_add(jv, "signals", dbp_proc_signals_json(pv));
		json_object_object_add(jv, "ignores_sigpipe", ignores_sigpipe_json(pv));
		json_object_array_add(vs, jv);
	}
	json_object_object_add(o, "versions", vs);
	json_object_object_add(o, "signals", dbp_proc_signals_json(p));
	json_object_object_add(o, "ignores_sigpipe", ignores_sigpipe_json(p));
	return o;
}

static struct json_object *pid_json(const struct ctx *c)
{
	struct json_object *o = json_object_new_object(), *hs = json_object_new_array();

	json_object_object_add(o, "pid", json_object_new_int(opt_pid));
	for (size_t i = 0; i < c->rec.nprocs; i++)
		if (c->rec.procs[i].pid == opt_pid)
			json_object_array_add(hs, holder_json(&c->rec, &c->rec.procs[i]));
	json_object_object_add(o, "holders", hs);
	return o;
}

/* ---- --at ---- */

struct at_view {
	const struct ctx *c;
	double when, sample_t;
	struct dbp_table *t;
	const struct dbp_pid1_facts *f;		/* with --check */
	const struct dbp_stop_path *sp;
};

static void ps_line(const struct dbp_text *t, const struct at_view *v, const struct dbp_proc *p,
		    int depth)
{
	char st[16], cmd[1024];
	time_t start = dbp_proc_start_time(v->t, p);
	struct tm tm;

	if (v->t->boot_time && gmtime_r(&start, &tm))
		strftime(st, sizeof(st), v->sample_t - (double)start < 86400 ? "%H:%M:%S" : "%b%d", &tm);
	else
		snprintf(st, sizeof(st), "?");
	fprintf(t->out, "%7d %7d %-8s %-8.8s %c    %*s%s%s\n", (int)p->pid, (int)p->ppid, st, p->user,
		p->state, depth * 2, "", depth ? "\\_ " : "", dbp_proc_cmdline(p, cmd, sizeof(cmd)));
}

static void tree_walk(const struct dbp_text *t, const struct at_view *v, const struct dbp_proc *p,
		      int depth)
{
	ps_line(t, v, p, depth);
	if (depth > 64)
		return;
	for (size_t i = 0; i < v->t->n; i++) {
		const struct dbp_proc *q = &v->t->procs[i];

		if (q->ppid == p->pid && q->pid != p->pid)
			tree_walk(t, v, q, depth + 1);
	}
}

static void at_text(const struct dbp_text *t, void *arg)
{
	const struct at_view *v = arg;
	char a[32], b[32];

	dbp_text_field(t, "At", "%s UTC: the sample of %s, %zu processes", fmt_time(v->when, a, sizeof(a)),
		       fmt_time(v->sample_t, b, sizeof(b)) + 11, v->t->n);
	if (v->f && v->f->pid1) {
		char buf[1024];

		dbp_text_field(t, "PID 1", "%s, user %s", dbp_proc_cmdline(v->f->pid1, buf, sizeof(buf)),
			       v->f->pid1->user);
	}
	if (v->sp)
		dbp_text_field(t, "Stop outcome", "%s", dbp_outcome_name(v->sp->outcome));
	fprintf(t->out, "\n%7s %7s %-8s %-8s %-4s %s\n", "PID", "PPID", "STIME", "USER", "STAT", "COMMAND");
	for (size_t i = 0; i < v->t->n; i++) {
		const struct dbp_proc *p = &v->t->procs[i];

		if (!opt_tree)
			ps_line(t, v, p, 0);
		else if (p->ppid == p->pid || !dbp_table_find(v->t, p->ppid))
			tree_walk(t, v, p, 0);	/* a root: its parent is not in the table */
	}
}

static struct json_object *at_json(const struct at_view *v)
{
	struct json_object *o = json_object_new_object(), *ps = json_object_new_array();

	json_object_object_add(o, "at", json_time(v->when));
	json_object_object_add(o, "sample_time", json_time(v->sample_t));
	for (size_t i = 0; i < v->t->n; i++)
		json_object_array_add(ps, proc_json_full(v->t, &v->t->procs[i]));
	json_object_object_add(o, "processes", ps);
	if (v->sp)
		json_object_object_add(o, "stop_outcome",
				       json_object_new_string(dbp_outcome_name(v->sp->outcome)));
	return o;
}

/* ---- --log ---- */

struct shot {
	const struct dbp_pglog_event *ev;
	const struct dbp_rec_proc *rp;		/* NULL: nobody held the PID */
	double seen;				/* the sample of the mug shot */
	struct dbp_table t;
	const struct dbp_proc *p;		/* rp in t */
};

struct log_view {
	const struct ctx *c;
	struct shot *shots;
	size_t n;
	size_t events;
};

static void log_text(const struct dbp_text *t, void *arg)
{
	const struct log_view *v = arg;
	char a[32], b[32], buf[2048];

	dbp_text_field(t, "Log", "%s: %zu line%s about a child that died", opt_log, v->events,
		       v->events == 1 ? "" : "s");
	for (size_t i = 0; i < v->n; i++) {
		const struct shot *s = &v->shots[i];
		const struct dbp_pglog_event *ev = s->ev;

		if (!i || v->shots[i - 1].ev != ev) {
			fputc('\n', t->out);
			dbp_text_field(t, "Line", "%zu, %s%s: %s", ev->line,
				       ev->have_when ? fmt_time(ev->when, a, sizeof(a)) : "no timestamp",
				       ev->have_when ? " UTC" : "", ev->text);
		}
		if (!s->p) {
			dbp_text_field(t, "Held by", "no process with PID %d in the recording%s",
				       (int)ev->pid, ev->have_when ? " at that time" : "");
			continue;
		}
		{
			const struct dbp_proc *parent = dbp_table_find(&s->t, s->p->ppid);
			const struct dbp_proc *pm = dbp_postmortem_postmaster(&s->t, s->p);

			dbp_text_field(t, "Held by", "PID %d %s, user %s, parent %d %s%s (sample of %s)",
				       (int)s->p->pid, dbp_proc_name(s->p), s->p->user, (int)s->p->ppid,
				       parent ? dbp_proc_name(parent) : "(not recorded)",
				       parent && parent == pm ? ", the postmaster" : "",
				       fmt_time(s->seen, b, sizeof(b)) + 11);
		}
		dbp_text_field(t, "", "%s", dbp_proc_cmdline(s->p, buf, sizeof(buf)));
		{
			struct json_object *j = chain_at(&v->c->rec, s->rp, s->seen, buf, sizeof(buf));

			json_object_put(j);
			dbp_text_field(t, "Chain", "%s", buf);
		}
		dbp_text_field(t, "Seen", "%s .. %s UTC%s", fmt_time(s->rp->first, a, sizeof(a)),
			       fmt_time(s->rp->last, b, sizeof(b)) + 11, s->rp->gone ? ", then gone" : "");
		dbp_text_field(t, "SIGPIPE", "%s", sigpipe_text(s->p));
	}
}

static struct json_object *log_json(const struct log_view *v)
{
	struct json_object *o = json_object_new_object(), *evs = json_object_new_array();
	struct json_object *je = NULL, *hs = NULL;
	char buf[4096];

	json_object_object_add(o, "log", json_object_new_string(opt_log));
	for (size_t i = 0; i < v->n; i++) {
		const struct shot *s = &v->shots[i];
		const struct dbp_pglog_event *ev = s->ev;
		const char *how[] = { "signal", "exit", "exception" };

		if (!i || v->shots[i - 1].ev != ev) {
			je = json_object_new_object();
			hs = json_object_new_array();
			json_object_object_add(je, "line", json_object_new_int64((int64_t)ev->line));
			json_object_object_add(je, "time", ev->have_when ? json_time(ev->when) : NULL);
			json_object_object_add(je, "pid", json_object_new_int(ev->pid));
			json_object_object_add(je, "what", json_object_new_string(ev->what));
			json_object_object_add(je, "how", json_object_new_string(how[ev->how]));
			json_object_object_add(je, "code", json_object_new_int(ev->code));
			json_object_object_add(je, "message", json_object_new_string(ev->text));
			json_object_object_add(je, "holders", hs);
			json_object_array_add(evs, je);
		}
		if (s->p) {
			struct json_object *h = proc_json_full(&s->t, s->p);
			const struct dbp_proc *parent = dbp_table_find(&s->t, s->p->ppid);
			const struct dbp_proc *pm = dbp_postmortem_postmaster(&s->t, s->p);

			json_object_object_add(h, "seen_at", json_time(s->seen));
			json_object_object_add(h, "first_seen", json_time(s->rp->first));
			json_object_object_add(h, "last_seen", json_time(s->rp->last));
			json_object_object_add(h, "parent", parent ? dbp_proc_json(&s->t, parent) : NULL);
			json_object_object_add(h, "parent_is_postmaster",
					       json_object_new_boolean(parent && parent == pm));
			json_object_object_add(h, "server_process",
					       json_object_new_boolean(dbp_postmortem_is_server(pm, s->p)));
			json_object_object_add(h, "chain", chain_at(&v->c->rec, s->rp, s->seen, buf, sizeof(buf)));
			json_object_array_add(hs, h);
		}
	}
	json_object_object_add(o, "events", evs);
	return o;
}

/* The holders of ev->pid to show: with a time, the one that held it last
 * at or before then (and not long gone); without, every one. */
static int add_shots(const struct ctx *c, const struct dbp_pglog_event *ev, struct shot **shots,
		     size_t *n)
{
	const struct dbp_recording *rec = &c->rec;
	double slack = 2 * (rec->interval > 0 ? rec->interval : 1) + 2;
	const struct dbp_rec_proc *best = NULL;
	size_t want = 0;

	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		if (rp->pid != ev->pid)
			continue;
		if (!ev->have_when)
			want++;
		else if (rp->first <= ev->when && ev->when - rp->last <= slack &&
			 (!best || rp->first > best->first))
			best = rp;
	}
	if (ev->have_when)
		want = 1;
	if (!want)
		want = 1;	/* one shot saying nobody */
	{
		struct shot *ns = realloc(*shots, (*n + want) * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		*shots = ns;
	}
	for (size_t i = 0, k = 0; k < want; i++) {
		struct shot *s = &(*shots)[*n];
		const struct dbp_rec_proc *rp = NULL;

		if (ev->have_when) {
			rp = best;
		} else {
			while (i < rec->nprocs && rec->procs[i].pid != ev->pid)
				i++;
			rp = i < rec->nprocs ? &rec->procs[i] : NULL;
		}
		memset(s, 0, sizeof(*s));
		dbp_table_init(&s->t);
		s->ev = ev;
		s->rp = rp;
		(*n)++;
		k++;
		if (!rp)
			break;
		s->seen = ev->have_when && ev->when < rp->last ?
			  rec->samples[dbp_recording_sample_at(rec, ev->when)] : rp->last;
		if (dbp_recording_table(rec, s->seen, &s->t) < 0)
			return -ENOMEM;
		s->p = dbp_table_find(&s->t, rp->pid);
		if (ev->have_when)
			break;
	}
	return 0;
}

static int run_log(struct ctx *c, struct dbp_report *r)
{
	struct dbp_pglog log;
	struct log_view v = { c, NULL, 0, 0 };
	int rc;

	dbp_pglog_init(&log);
	rc = dbp_pglog_read(&log, opt_log);
	if (rc < 0) {
		warnx("cannot read the PostgreSQL log '%s': %s", opt_log, strerror(-rc));
		return DBP_EXIT_UNKNOWN;
	}
	if (log.cut)
		warnx("%s: the compressed data is cut short or corrupt: the lines before "
		      "the cut were read", opt_log);
	v.events = log.n;
	if (!log.n)
		warnx("no line of '%s' reports a child that died (\"(PID N) was terminated by "
		      "signal S\", \"exited with exit code C\", \"was terminated by exception\")",
		      opt_log);
	for (size_t i = 0; i < log.n && rc >= 0; i++) {
		if (log.ev[i].zone_unknown)
			warnx("%s:%zu: the time zone of the timestamp is not known to dbpod: "
			      "taken as UTC (use log_timezone = 'UTC' or a numeric offset)",
			      opt_log, log.ev[i].line);
		rc = add_shots(c, &log.ev[i], &v.shots, &v.n);
	}
	if (rc < 0) {
		warnx("out of memory");
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	for (size_t i = 0; i < v.n; i++)
		dbp_rules_postmortem_crash(v.shots[i].ev, &v.shots[i].t, v.shots[i].p, r);
	rc = emit(r, opt_format == DBP_FORMAT_JSON ? log_json(&v) : NULL, log_text, &v);
out:
	for (size_t i = 0; i < v.n; i++)
		dbp_table_free(&v.shots[i].t);
	free(v.shots);
	dbp_pglog_free(&log);
	return rc;
}

static int run_at(struct ctx *c, struct dbp_report *r)
{
	struct dbp_table t;
	struct at_view v = { c, 0, 0, &t, NULL, NULL };
	struct dbp_signals_input in;
	struct dbp_pid1_facts f1, f2;
	struct dbp_stop_path sp[DBP_STOP_MAX];
	size_t nsp;
	double slack = 2 * (c->rec.interval > 0 ? c->rec.interval : 1);
	char a[32], b[32];
	long s;
	int rc;

	if (parse_when(opt_at, c->last_t, &v.when) < 0) {
		warnx("cannot read the time '%s': give '2026-11-23 06:40:01' (UTC), ISO 8601 "
		      "with a zone, epoch seconds, 06:40:01, or -5m / -30s before the "
		      "recording's end", opt_at);
		return DBP_EXIT_UNKNOWN;
	}
	s = dbp_recording_sample_at(&c->rec, v.when);
	if (s < 0 || v.when > c->last_t + slack) {
		char z[32];

		warnx("%s UTC is outside the recording, which runs from %s to %s UTC",
		      fmt_time(v.when, a, sizeof(a)), fmt_time(c->first_t, b, sizeof(b)),
		      fmt_time(c->last_t, z, sizeof(z)));
		return DBP_EXIT_UNKNOWN;
	}
	v.sample_t = c->rec.samples[s];
	dbp_table_init(&t);
	if (dbp_recording_table(&c->rec, v.sample_t, &t) < 0) {
		dbp_table_free(&t);
		warnx("out of memory");
		return DBP_EXIT_UNKNOWN;
	}
	if (opt_check) {
		/* as the live commands judge, with what a recording cannot know
		 * left at its default: no hidepid, no TINI_KILL_PROCESS_GROUP;
		 * the grace period is --grace's */
		memset(&in, 0, sizeof(in));
		in.pid1.stop_signal = opt_stop_signal;
		in.pid1.stop_signal_given = opt_stop_signal_given;
		in.grace = opt_grace;
		dbp_rules_pid1(&t, &in.pid1, r, &f1);
		dbp_rules_signals(&t, &in, r, &f2, sp, &nsp, NULL, 0);
		v.f = &f1;
		v.sp = &sp[0];
	}
	rc = emit(r, opt_format == DBP_FORMAT_JSON ? at_json(&v) : NULL, at_text, &v);
	dbp_table_free(&t);
	return rc;
}

int cmd_postmortem(int argc, char **argv)
{
	struct ctx c;
	struct dbp_report r;
	int rc;

	dbp_argp_parse(&argp, argc, argv, NULL);
	dbp_recording_init(&c.rec);
	rc = dbp_recording_read(&c.rec, opt_files, opt_nfiles);
	for (size_t i = 0; i < c.rec.nnotes; i++)
		warnx("%s", c.rec.notes[i]);
	if (rc < 0) {
		warnx("cannot read the recording: %s", strerror(-rc));
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	if (!c.rec.nsamples) {
		warnx("nothing usable: no sample could be read from %s%s", opt_files[0],
		      opt_nfiles > 1 ? " and the other files" : "");
		rc = DBP_EXIT_UNKNOWN;
		goto out;
	}
	c.first_t = c.rec.samples[0];
	c.last_t = c.rec.samples[c.rec.nsamples - 1];
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_recording(&c.rec, &r);
	if (opt_log)
		rc = run_log(&c, &r);
	else if (opt_at)
		rc = run_at(&c, &r);
	else if (opt_pid)
		rc = emit(&r, opt_format == DBP_FORMAT_JSON ? pid_json(&c) : NULL, pid_text, &c);
	else
		rc = emit(&r, opt_format == DBP_FORMAT_JSON ? summary_json(&c) : NULL,
			      summary_text, &c);
	dbp_report_free(&r);
out:
	dbp_recording_free(&c.rec);
	free(opt_files);
	return rc;
}
