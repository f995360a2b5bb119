/*
 * dbpod postmortem: what several views share -- the replay of the
 * recording scoped by --container, its notes, the times and chains they
 * print, and the crash-restarts found again around each. It calls no
 * view and nothing of postmortem.c: only lib/.
 */
#include "config.h"

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pglogread.h"
#include "postmortem.h"
#include "rec/recread.h"
#include "rec/rules_postmortem.h"
#include "safeopen.h"
#include "sigset.h"
#include "timestamp.h"

/* ---- the recording, its times and its processes ---- */

void pm_scope(const struct pm_ctx *c, struct dbp_rec_query *q)
{
	q->pidns = c->pidns;
	q->npidns = c->npidns;
}

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

/* The recorder writes the user with the signal masks, but a recording
 * may hold a user (or a uid) and no masks: the user is known all the same. */
const char *pm_user(const struct dbp_proc *p)
{
	return p->user[0] ? p->user : "?";
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

void pm_crashes_log(const struct pm_ctx *c, const struct dbp_recording *rec,
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
			pm_crashes_log(c, &out->rec[i], &out->crash[i], 1);
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
