/*
 * dbpod postmortem without a question: the recording's summary -- files,
 * span, gaps, processes, the share of them a sample saw, the short-lived
 * ones -- from a replay of the whole of it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postmortem.h"
#include "rec/rules_postmortem.h"
#include "timestamp.h"

#define SHORT_LIVED_MAX 20	/* listed in the text view */
/* The short-lived table: PID, PPID, FIRST SEEN, SECS and USER take 52
 * columns, the command wraps beside them; below SHORT_WIDE columns the
 * first-seen time and the command go on their own lines under the row */
#define SHORT_CMD_COL 52
#define SHORT_WIDE 72

static const char *redaction_text(const struct dbp_recording *rec)
{
	int red = -1;

	for (size_t i = 0; i < rec->nfiles && red < 0; i++)
		if (rec->files[i].version)
			red = rec->files[i].redacted;
	return red == 1 ? "redacted by the recorder" :
	       red == 0 ? "recorded as they were (--no-redact); shown redacted" :
			  "as an older recorder wrote them (it did not say whether redacted); shown redacted";
}

struct summary_view {
	const struct pm_ctx *c;
	struct pm_crashes crashes;
};

static void summary_text(const struct dbp_text *t, void *arg)
{
	const struct summary_view *v = arg;
	const struct pm_ctx *c = v->c;
	const struct dbp_recording *rec = &c->rec;
	const struct dbp_rec_file *last = &rec->files[0];
	struct dbp_rec_gap gaps[5];
	struct dbp_rec_unseen u;
	size_t ngaps = dbp_recording_gaps(rec, gaps, 5), nshort = 0, live = 0, reused = 0;
	char a[32], b[32];

	/* the crash first: it is what the reader came for */
	if (v->crashes.n) {
		pm_crashes_text(t, &v->crashes);
		fputc('\n', t->out);
	}
	size_t nrec = 0;

	for (size_t i = 0; i < rec->nfiles; i++) {
		if (rec->files[i].version)
			last = &rec->files[i];
		/* an accounting spool is no file of the recording: named apart */
		nrec += !rec->files[i].acct_spool;
	}
	dbp_text_field(t, "Recording", "%zu file%s, host %s, interval %.2f s%s%s",
		       nrec, nrec == 1 ? "" : "s",
		       last->hostname[0] ? last->hostname : "?", rec->interval,
		       last->end_reason[0] ? ", ended by " : last->ended ? "" :
		       ", no end line (cut off, or still being written)", last->end_reason);
	for (size_t i = 0; i < rec->nfiles; i++)
		if (rec->files[i].acct_spool)
			dbp_text_field(t, "Accounting", "%s (the recorder's process accounting spool, "
				       "read for %zu exit%s not yet in the recording)", rec->files[i].path, rec->spooled,
				       rec->spooled == 1 ? "" : "s");
	dbp_text_field(t, "Commands", "command lines %s", redaction_text(rec));
	if (c->log_path) {
		char more[1024];

		dbp_text_field(t, "Server log", "%s%s%s", c->log_path,
			       c->log_auto ? " (named by the recording's header)" : "",
			       pm_log_more_text(c, more, sizeof(more)));
	}
	/* --container: which one, as its namespace lines name it */
	for (size_t i = 0; i < c->npidns; i++) {
		const struct dbp_rec_pidns *n = &rec->pidns[c->pidns[i]];

		dbp_text_field(t, i ? "" : "Container", "%s, %s%.12s, PID namespace %llu%s%s%s",
			       n->name[0] ? n->name : "(no name known)",
			       n->id[0] ? "ID " : "no container ID", n->id, n->ino,
			       n->image[0] ? ", image " : "", n->image,
			       c->npidns > 1 ? " (restarted: one namespace after the other)" : "");
	}
	dbp_text_field(t, "Span", "%s .. %s UTC (%.0f s), %zu samples",
		       dbp_time_format(c->first_t, a, sizeof(a)), dbp_time_format(c->last_t, b, sizeof(b)),
		       c->last_t - c->first_t, rec->nsamples);
	if (!ngaps)
		dbp_text_field(t, "Gaps", "none longer than two intervals");
	for (size_t i = 0; i < ngaps && i < 5; i++)
		dbp_text_field(t, i ? "" : "Gaps", "%s .. %s (%.1f s)",
			       dbp_time_format(gaps[i].from, a, sizeof(a)),
			       dbp_time_clock(gaps[i].to, b, sizeof(b)), gaps[i].to - gaps[i].from);
	for (size_t i = 0; i < rec->nprocs; i++) {
		nshort += (size_t)dbp_rec_proc_short_lived(rec, &rec->procs[i]);
		live += dbp_rec_proc_alive(&rec->procs[i], c->last_t);
	}
	reused = dbp_recording_reused_pids(rec);
	dbp_text_field(t, "Processes", "%zu seen, %zu at the end; %zu PID%s held by more than one",
		       rec->nprocs, live, reused, reused == 1 ? "" : "s");
	dbp_recording_unseen_total(rec, &u);
	if (u.from && u.allocated - u.threads > 0)
		dbp_text_field(t, "Seen", "%.1f%% of the %ld processes started after the first "
			       "sample (%ld missed: they lived between two samples; %ld PIDs "
			       "went to threads)",
			       100.0 * (double)u.born / (double)(u.born + u.unseen), u.born + u.unseen,
			       u.unseen, u.threads);
	else if (rec->renumbered)
		dbp_text_field(t, "Seen", "unknown for one container (the PID counter the recorder "
			       "reads is the node's)");
	else
		dbp_text_field(t, "Seen", "unknown (the recorder did not write the PID counter)");
	dbp_text_field(t, "Short-lived", "%zu (appeared and vanished within three intervals)", nshort);
	if (rec->all_containers && !rec->renumbered)
		pm_containers_text(t, c);
	if (!nshort)
		return;
	if (t->width >= SHORT_WIDE)
		fprintf(t->out, "\n%7s %7s %-19s %6s %-8s %s\n", "PID", "PPID", "FIRST SEEN", "SECS",
			"USER", "COMMAND");
	else
		fprintf(t->out, "\n%7s %7s %6s %s\n    %s\n", "PID", "PPID", "SECS", "USER",
			"FIRST SEEN, COMMAND");
	for (size_t i = 0, shown = 0; i < rec->nprocs && shown < SHORT_LIVED_MAX; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];
		const struct dbp_proc *p;
		char cmd[256], user[9], row[128], line[512];

		if (!dbp_rec_proc_short_lived(rec, rp))
			continue;
		p = dbp_rec_proc_at(rp, rp->first);
		dbp_proc_cmdline(p, cmd, sizeof(cmd));
		/* argv and the user are from outside: dbp_text_wrap redacts and
		 * escapes the command, dbp_text_safe the user */
		dbp_text_safe(p->user, user, sizeof(user));
		if (t->width >= SHORT_WIDE) {
			snprintf(row, sizeof(row), "%7d %7d %-19s %6.1f %-8s ", (int)rp->pid,
				 (int)p->ppid, dbp_time_format(rp->first, a, sizeof(a)),
				 rp->last - rp->first, user);
			dbp_text_wrap(t, SHORT_CMD_COL, row, cmd);
		} else {
			fprintf(t->out, "%7d %7d %6.1f %s\n", (int)rp->pid, (int)p->ppid,
				rp->last - rp->first, user);
			snprintf(line, sizeof(line), "%s %s", dbp_time_format(rp->first, a, sizeof(a)), cmd);
			dbp_text_wrap(t, 4, "    ", line);
		}
		shown++;
	}
	if (nshort > SHORT_LIVED_MAX)
		fprintf(t->out, "(%zu more in the JSON output)\n", nshort - SHORT_LIVED_MAX);
}

static struct json_object *summary_json(const struct summary_view *v)
{
	const struct pm_ctx *c = v->c;
	const struct dbp_recording *rec = &c->rec;
	struct json_object *o = json_object_new_object();
	struct json_object *files = json_object_new_array(), *gaps = json_object_new_array();
	struct json_object *spools = json_object_new_array();
	struct json_object *shorts = json_object_new_array(), *seen = json_object_new_object();
	size_t ngaps = dbp_recording_gaps(rec, NULL, 0), live = 0;
	struct dbp_rec_gap *g = calloc(ngaps ? ngaps : 1, sizeof(*g));
	struct dbp_rec_unseen u;
	int red = -1;

	for (size_t i = 0; i < rec->nfiles; i++) {
		const struct dbp_rec_file *f = &rec->files[i];
		struct json_object *jf;

		if (f->acct_spool) {
			/* no file of the recording, nor an unusable one */
			jf = json_object_new_object();
			json_object_object_add(jf, "path", json_object_new_string(f->path));
			json_object_object_add(jf, "exits", json_object_new_int64((int64_t)rec->spooled));
			json_object_array_add(spools, jf);
			continue;
		}
		jf = json_object_new_object();
		if (f->version && red < 0)
			red = f->redacted;
		json_object_object_add(jf, "path", json_object_new_string(f->path));
		json_object_object_add(jf, "usable", json_object_new_boolean(f->version > 0));
		json_object_object_add(jf, "hostname", json_object_new_string(f->hostname));
		json_object_object_add(jf, "file_index", json_object_new_int64(f->file_index));
		json_object_object_add(jf, "samples", json_object_new_int64((int64_t)f->samples));
		json_object_object_add(jf, "end", f->end_reason[0] ? json_object_new_string(f->end_reason) : NULL);
		json_object_array_add(files, jf);
	}
	json_object_object_add(o, "files", files);
	json_object_object_add(o, "acct_spools", spools);
	json_object_object_add(o, "redacted", red < 0 ? NULL : json_object_new_boolean(red));
	json_object_object_add(o, "from", pm_json_time(c->first_t));
	json_object_object_add(o, "to", pm_json_time(c->last_t));
	json_object_object_add(o, "samples", json_object_new_int64((int64_t)rec->nsamples));
	json_object_object_add(o, "interval", json_object_new_double(rec->interval));
	if (g) {
		dbp_recording_gaps(rec, g, ngaps);
		for (size_t i = 0; i < ngaps; i++) {
			struct json_object *jg = json_object_new_object();

			json_object_object_add(jg, "from", pm_json_time(g[i].from));
			json_object_object_add(jg, "to", pm_json_time(g[i].to));
			json_object_object_add(jg, "seconds", json_object_new_double(g[i].to - g[i].from));
			json_object_array_add(gaps, jg);
		}
		free(g);
	}
	json_object_object_add(o, "gaps", gaps);
	for (size_t i = 0; i < rec->nprocs; i++) {
		const struct dbp_rec_proc *rp = &rec->procs[i];

		live += dbp_rec_proc_alive(rp, c->last_t);
		if (dbp_rec_proc_short_lived(rec, rp)) {
			const struct dbp_proc *p = dbp_rec_proc_at(rp, rp->first);
			struct json_object *js = json_object_new_object();
			char cmd[4096];

			json_object_object_add(js, "pid", json_object_new_int(rp->pid));
			json_object_object_add(js, "ppid", json_object_new_int(p->ppid));
			json_object_object_add(js, "user", json_object_new_string(p->user));
			json_object_object_add(js, "first_seen", pm_json_time(rp->first));
			json_object_object_add(js, "last_seen", pm_json_time(rp->last));
			json_object_object_add(js, "cmdline",
					       json_object_new_string(dbp_proc_cmdline(p, cmd, sizeof(cmd))));
			json_object_array_add(shorts, js);
		}
	}
	json_object_object_add(o, "processes_seen", json_object_new_int64((int64_t)rec->nprocs));
	json_object_object_add(o, "processes_at_end", json_object_new_int64((int64_t)live));
	json_object_object_add(o, "pids_reused", json_object_new_int64((int64_t)dbp_recording_reused_pids(rec)));
	dbp_recording_unseen_total(rec, &u);
	if (u.from) {
		json_object_object_add(seen, "pids_allocated", json_object_new_int64(u.allocated));
		json_object_object_add(seen, "processes_seen_new", json_object_new_int64(u.born));
		json_object_object_add(seen, "threads_new", json_object_new_int64(u.threads));
		json_object_object_add(seen, "processes_missed", json_object_new_int64(u.unseen));
		json_object_object_add(seen, "share_seen", u.born + u.unseen > 0 ?
			json_object_new_double((double)u.born / (double)(u.born + u.unseen)) : NULL);
		json_object_object_add(o, "accounting", seen);
	} else {
		json_object_put(seen);
		json_object_object_add(o, "accounting", NULL);
	}
	json_object_object_add(o, "short_lived", shorts);
	if (rec->renumbered) {
		struct json_object *sel = json_object_new_array();

		for (size_t i = 0; i < c->npidns; i++)
			json_object_array_add(sel, pm_container_json(c, c->pidns[i]));
		json_object_object_add(o, "container", sel);
	} else if (rec->all_containers) {
		json_object_object_add(o, "containers", pm_containers_json(c));
	}
	json_object_object_add(o, "crashes", pm_crashes_json(&v->crashes));
	json_object_object_add(o, "server_log", c->log_path ? json_object_new_string(c->log_path) : NULL);
	{
		struct json_object *more = json_object_new_array();

		for (size_t i = 0; i < c->nlog_more; i++)
			json_object_array_add(more, json_object_new_string(c->log_more[i]));
		json_object_object_add(o, "server_log_rotated", more);
	}
	json_object_object_add(o, "lines_skipped", json_object_new_int64((int64_t)(rec->garbage + rec->torn)));
	return o;
}

int pm_run_summary(struct pm_ctx *c, struct dbp_report *r)
{
	struct dbp_rec_query q = { 0 };
	struct summary_view v = { c, { 0 } };
	int rc;

	/* the summary shows each process as it first was */
	q.first_only = 1;
	if (pm_replay(c, &q) < 0 || !c->rec.nsamples)
		return DBP_EXIT_UNKNOWN;
	if (pm_crashes_find(c, &c->rec, &v.crashes) < 0)
		return DBP_EXIT_UNKNOWN;
	dbp_rules_postmortem_recording(&c->rec, c->now, r);
	pm_crashes_judge(&v.crashes, r);
	if (c->log_path && pm_log_findings(c, c->log_path, r) < 0) {
		pm_crashes_free(&v.crashes);
		return DBP_EXIT_UNKNOWN;
	}
	rc = dbp_emit_report(r, c->g->format == DBP_FORMAT_JSON ? summary_json(&v) : NULL,
			     summary_text, &v, c->g);
	pm_crashes_free(&v.crashes);
	return rc;
}
