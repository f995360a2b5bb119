/*
 * dbpod snapshot's helpers (snapshot.h): the stop signals and the
 * wall-clock ticks, the ps-like text view, and the process accounting
 * spool drained into the recording.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rec/acct.h"
#include "rec/acctread.h"
#include "dbpod.h"
#include "escape.h"
#include "render.h"
#include "rec/recwrite.h"
#include "snapshot.h"

/* ---- signals ----------------------------------------------------------- */

/* SIGTERM and SIGINT are blocked for the whole run and taken with
 * sigtimedwait between samples: one that arrives during a sample stays
 * pending until the sample is written, and one that arrives between
 * samples ends the wait at once -- no handler, no race. */
int snap_stop_signal;
static sigset_t stop_set;

void snap_block_stop_signals(void)
{
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	sigprocmask(SIG_BLOCK, &stop_set, NULL);
}

/* ---- time -------------------------------------------------------------- */

double snap_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until the next wall-clock multiple of the interval: samples stay
 * on their ticks over hours, whatever a sample costs. Returns the number
 * of ticks missed (a sample longer than the interval). */
unsigned long long snap_sleep_to_next_tick(double iv, double started)
{
	double now = snap_now();
	double next = (floor(now / iv) + 1) * iv;
	unsigned long long missed = 0;
	struct timespec ts;

	if (now - started > iv)
		missed = (unsigned long long)floor((now - started) / iv);
	while (!snap_stop_signal && now < next) {
		double left = next - now;
		int sig;

		ts.tv_sec = (time_t)floor(left);
		ts.tv_nsec = (long)((left - floor(left)) * 1e9);
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_nsec = 999999999L;
		sig = sigtimedwait(&stop_set, NULL, &ts);
		if (sig > 0)
			snap_stop_signal = sig;
		/* EAGAIN: the time is up -- unless the wall clock was set
		 * back meanwhile, which the loop condition sees */
		now = snap_now();
	}
	return missed;
}

/* ---- text ---------------------------------------------------------------- */

/* The sample's time (UTC, as every time dbpod prints: timestamp.h), the
 * change mark with --changes, then the ps columns (render.h). */
void snap_text_header(int changes)
{
	printf("%-8s %s", "TIME", changes ? "  " : "");
	dbp_text_ps_header(stdout);
}

/* Redaction is the recording's own choice (--no-redact); render.h
 * escapes what it prints. */
static void text_row(const struct dbp_table *t, const struct dbp_proc *p, const char *when,
		     const char *mark, unsigned what, int redact)
{
	printf("%-8s %s", when, mark);
	dbp_text_ps_row(stdout, t, p, redact, 0);
	if (what) {
		const char *sep = "  (";

		if (what & DBP_CHG_PPID) { printf("%sppid", sep); sep = ", "; }
		if (what & DBP_CHG_STATE) { printf("%sstate", sep); sep = ", "; }
		if (what & DBP_CHG_PGRP) { printf("%sprocess group", sep); sep = ", "; }
		if (what & (DBP_CHG_COMM | DBP_CHG_ARGS)) { printf("%scommand", sep); sep = ", "; }
		if (what & DBP_CHG_UID) { printf("%suser", sep); sep = ", "; }
		if (what & DBP_CHG_SIG) { printf("%ssignals", sep); sep = ", "; }
		if (what & DBP_CHG_OOM) { printf("%soom_score_adj", sep); sep = ", "; }
		fputs(")", stdout);
	}
	fputc('\n', stdout);
}

void snap_text_sample(const struct dbp_table *prev, const struct dbp_table *cur,
		      const struct dbp_delta *d, int first, double t, int changes, int redact)
{
	char when[16];

	dbp_time_clock(t, when, sizeof(when));
	if (!changes || first) {
		for (size_t i = 0; i < cur->n; i++)
			text_row(cur, &cur->procs[i], when, changes ? "  " : "", 0, redact);
		return;
	}
	for (size_t i = 0; i < d->ngone; i++)
		text_row(prev, &prev->procs[d->gone[i]], when, "- ", 0, redact);
	for (size_t i = 0; i < d->nadded; i++)
		text_row(cur, &cur->procs[d->added[i]], when, "+ ", 0, redact);
	for (size_t i = 0; i < d->nchanged; i++)
		text_row(cur, &cur->procs[d->changed[i].cur], when, "~ ", d->changed[i].what, redact);
}

void snap_json_sample(const struct dbp_table *cur, unsigned long long seq, double t, int redact)
{
	struct json_object *o = dbp_rec_key(t, seq, NULL, cur, redact, NULL);
	char *s = o ? dbp_escape_json(dbp_rec_string(o)) : NULL;

	if (s)
		printf("%s\n", s);
	free(s);
	json_object_put(o);
	fflush(stdout);
}

void snap_live_status(unsigned long long samples, size_t nprocs, const struct dbp_recout *o)
{
	if (o)
		fprintf(stderr, "\rdbpod snapshot: %llu samples, %zu processes, %.1f MB in %s\033[K",
			samples, nprocs, (double)o->size / 1e6, o->path);
	else
		fprintf(stderr, "\rdbpod snapshot: %llu samples, %zu processes\033[K",
			samples, nprocs);
	fflush(stderr);
}

/* ---- process accounting (--acct) ------------------------------------------ */

int snap_acct_start(struct dbp_acct_spool *sp, struct dbp_recout *o)
{
	char *name;
	int rc;

	if (asprintf(&name, "%s.acct", o->name) < 0)
		return -ENOMEM;
	rc = dbp_acct_spool_start(sp, &o->dir, name);
	free(name);
	return rc;
}

/* The exits the kernel has written since the last sample, as exit lines;
 * then keep the spool small. */
int snap_acct_drain(struct dbp_acct_spool *sp, struct dbp_recout *o, double t)
{
	struct dbp_acct_rec recs[256];
	pid_t self = getpid();
	int n, rc;

	do {
		n = dbp_acct_spool_read(sp, recs, 256);
		for (int i = 0; i < n; i++) {
			/* the kernel writes a record of whoever switches the file
			 * (acct_pin_kill): the recorder, which has not exited */
			if (recs[i].pid == self)
				continue;
			if ((rc = dbp_recout_line(o, dbp_rec_exit(t, &recs[i]))) < 0)
				return rc;
		}
	} while (n == 256);
	if (sp->on && (rc = dbp_acct_spool_roll(sp)) < 0)
		dbp_warnx("--acct: cannot start a new '%s.acct.new': %s; the spool grows until the "
		      "recorder stops", o->path, dbp_outdir_strerror(&o->dir, rc));
	return 0;
}

