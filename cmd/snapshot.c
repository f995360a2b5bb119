/*
 * dbpod snapshot: the `ps` loop of the first war story, done right --
 * every second, with PPIDs and process identity (pid, start), printed or
 * recorded as JSON Lines for `dbpod postmortem`.
 *
 * The recording is append-only and written with write(2) line by line, so
 * a crash leaves at worst a torn last line; SIGTERM and SIGINT finish the
 * sample, write the "end" line, fsync and exit 0; a write that fails (a
 * full disk) is exit 3 with the reason, never a silent stop.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "acct.h"
#include "dbpod.h"
#include "recwrite.h"
#include "sampler.h"

static double opt_interval = 1.0;		/* -i, --interval */
static unsigned long long opt_count;		/* -n, --count; 0: until stopped */
static const char *opt_output;			/* -o, --output */
static int opt_changes;				/* --changes */
static unsigned long long opt_max_size;		/* --max-size; 0: no rotation */
static int opt_keep = 5;			/* --keep */
static double opt_keyframe = 300;		/* --keyframe */
static int opt_acct;				/* --acct */
static int opt_redact = 1;			/* --no-redact clears it; --redact, the default */

enum { OPT_CHANGES = 0x300, OPT_MAX_SIZE, OPT_KEEP, OPT_KEYFRAME, OPT_REDACT, OPT_NO_REDACT,
       OPT_ACCT };

static const struct argp_option options[] = {
	{ "interval", 'i', "SECONDS", 0,
	  "Seconds between samples (default 1; fractions allowed, at least 0.01)", 0 },
	{ "count", 'n', "COUNT", 0, "Stop after COUNT samples (default: until SIGTERM or SIGINT)", 0 },
	{ "output", 'o', "FILE", 0,
	  "Record JSON Lines into FILE instead of printing a table", 0 },
	{ "changes", OPT_CHANGES, NULL, 0,
	  "Text: print only processes that appeared, vanished or changed", 0 },
	{ "max-size", OPT_MAX_SIZE, "SIZE", 0,
	  "Rotate FILE when it reaches SIZE bytes (suffixes k, M, G)", 0 },
	{ "keep", OPT_KEEP, "N", 0, "Keep N rotated files FILE.1 ... FILE.N (default 5)", 0 },
	{ "keyframe", OPT_KEYFRAME, "SECONDS", 0,
	  "Write a full table every SECONDS (default 300); deltas in between", 0 },
	{ "acct", OPT_ACCT, NULL, 0,
	  "Also record every process that exits, however short-lived, with its "
	  "exit code or signal: BSD process accounting for this PID namespace into "
	  "FILE.acct (needs CAP_SYS_PACCT; replaces another tool's accounting)", 0 },
	{ "no-redact", OPT_NO_REDACT, NULL, 0,
	  "Record and print command lines as they are, passwords included (by "
	  "default they are replaced by ***)", 0 },
	{ "redact", OPT_REDACT, NULL, 0, "Command lines with passwords replaced by *** (the default)", 0 },
	{ 0 }
};

static double parse_seconds(struct argp_state *state, const char *opt, const char *arg,
			    double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= min && v <= max))
		argp_error(state, "%s takes seconds from %g to %g, not '%s'", opt, min, max, arg);
	return v;
}

static unsigned long long parse_size(struct argp_state *state, const char *arg)
{
	char *end;
	unsigned long long v, mul = 1;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end == 'k' || *end == 'K')
		mul = 1ULL << 10;
	else if (*end == 'M')
		mul = 1ULL << 20;
	else if (*end == 'G')
		mul = 1ULL << 30;
	if (mul > 1)
		end++;
	if (errno || end == arg || *end || arg[0] == '-' || v == 0 || v > (1ULL << 50) / mul)
		argp_error(state, "--max-size takes a size such as 4096, 64k, 100M or 1G, not '%s'", arg);
	return v * mul;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
	char *end;
	long long v;

	switch (key) {
	case 'i':
		opt_interval = parse_seconds(state, "-i", arg, 0.01, 86400);
		break;
	case 'n':
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || *end || end == arg || v < 1)
			argp_error(state, "-n takes a count of samples from 1, not '%s'", arg);
		opt_count = (unsigned long long)v;
		break;
	case 'o':
		opt_output = arg;
		break;
	case OPT_CHANGES:
		opt_changes = 1;
		break;
	case OPT_MAX_SIZE:
		opt_max_size = parse_size(state, arg);
		break;
	case OPT_KEEP:
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (errno || *end || end == arg || v < 0 || v > 1000)
			argp_error(state, "--keep takes a number of files from 0 to 1000, not '%s'", arg);
		opt_keep = (int)v;
		break;
	case OPT_KEYFRAME:
		opt_keyframe = parse_seconds(state, "--keyframe", arg, 0, 86400 * 7);
		break;
	case OPT_REDACT:
		opt_redact = 1;
		break;
	case OPT_NO_REDACT:
		opt_redact = 0;
		break;
	case OPT_ACCT:
		opt_acct = 1;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (opt_output && opt_changes)
			argp_error(state, "--changes is for the text view; a recording holds the changes anyway");
		if (!opt_output && (opt_max_size || opt_acct))
			argp_error(state, "--max-size and --acct go with -o FILE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, NULL,
	"Take a snapshot of the process table every second, with PPIDs and "
	"process identity (PID, start time): print it like a ps loop (time, PID, "
	"PPID, STIME, USER, STAT, COMMAND), or record it with -o FILE as JSON "
	"Lines -- keyframes and deltas, cheap enough to run beside the database "
	"for weeks -- for dbpod postmortem.",
	dbp_global_child, NULL, NULL
};

/* ---- signals ----------------------------------------------------------- */

/* SIGTERM and SIGINT are blocked for the whole run and taken with
 * sigtimedwait between samples: one that arrives during a sample stays
 * pending until the sample is written, and one that arrives between
 * samples ends the wait at once -- no handler, no race. */
static int stop_signal;
static sigset_t stop_set;

static void block_stop_signals(void)
{
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	sigprocmask(SIG_BLOCK, &stop_set, NULL);
}

/* ---- time -------------------------------------------------------------- */

static double now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until the next wall-clock multiple of the interval: samples stay
 * on their ticks over hours, whatever a sample costs. Returns the number
 * of ticks missed (a sample longer than the interval). */
static unsigned long long sleep_to_next_tick(double iv, double started)
{
	double now = now_real();
	double next = (floor(now / iv) + 1) * iv;
	unsigned long long missed = 0;
	struct timespec ts;

	if (now - started > iv)
		missed = (unsigned long long)floor((now - started) / iv);
	while (!stop_signal && now < next) {
		double left = next - now;
		int sig;

		ts.tv_sec = (time_t)floor(left);
		ts.tv_nsec = (long)((left - floor(left)) * 1e9);
		if (ts.tv_nsec >= 1000000000L)
			ts.tv_nsec = 999999999L;
		sig = sigtimedwait(&stop_set, NULL, &ts);
		if (sig > 0)
			stop_signal = sig;
		/* EAGAIN: the time is up -- unless the wall clock was set
		 * back meanwhile, which the loop condition sees */
		now = now_real();
	}
	return missed;
}

/* ---- the recording file (lib/recwrite.c) ------------------------------------ */

static int out_fail(const struct dbp_recout *o, const char *what, int e)
{
	warnx("cannot %s '%s': %s%s", what, o->path, strerror(e),
	      e == ENOSPC || e == EDQUOT ?
	      "; the recording stops here (free space, or use --max-size and --keep)" : "");
	return DBP_EXIT_UNKNOWN;
}

/* ---- text ---------------------------------------------------------------- */

static const char *stime(const struct dbp_table *t, const struct dbp_proc *p, char *buf, size_t size)
{
	time_t st = dbp_proc_start_time(t, p);
	struct tm tm;

	/* as ps: the time of day within the last 24 hours, else the date */
	if (!localtime_r(&st, &tm))
		snprintf(buf, size, "?");
	else if (t->now - st < 24 * 3600)
		strftime(buf, size, "%H:%M", &tm);
	else
		strftime(buf, size, "%b%d", &tm);
	return buf;
}

static void text_header(void)
{
	printf("%-8s %s%7s %7s %-5s %-8s %-4s %s\n", "TIME", opt_changes ? "  " : "",
	       "PID", "PPID", "STIME", "USER", "STAT", "COMMAND");
}

static void text_row(const struct dbp_table *t, const struct dbp_proc *p, const char *when,
		     const char *mark, unsigned what)
{
	char cmd[512], st[8], user[33];
	char stat[4] = { p->state, 0, 0, 0 };

	if (p->pid == p->sid)
		stat[1] = 's';	/* a session leader, as ps marks it */
	if (p->have & DBP_HAVE_STATUS)
		snprintf(user, sizeof(user), "%s", p->user);
	else
		snprintf(user, sizeof(user), "?");
	printf("%-8s %s%7d %7d %-5s %-8.8s %-4s %s", when, mark, (int)p->pid, (int)p->ppid,
	       stime(t, p, st, sizeof(st)), user, stat, dbp_rec_cmdline(p, opt_redact, cmd, sizeof(cmd)));
	if (what) {
		const char *sep = "  (";

		if (what & DBP_CHG_PPID) { printf("%sppid", sep); sep = ", "; }
		if (what & DBP_CHG_STATE) { printf("%sstate", sep); sep = ", "; }
		if (what & (DBP_CHG_COMM | DBP_CHG_ARGS)) { printf("%scommand", sep); sep = ", "; }
		if (what & DBP_CHG_UID) { printf("%suser", sep); sep = ", "; }
		if (what & DBP_CHG_SIG) { printf("%ssignals", sep); sep = ", "; }
		if (what & DBP_CHG_OOM) { printf("%soom_score_adj", sep); sep = ", "; }
		fputs(")", stdout);
	}
	fputc('\n', stdout);
}

static void text_sample(const struct dbp_table *prev, const struct dbp_table *cur,
			const struct dbp_delta *d, int first, double t)
{
	char when[16];
	time_t sec = (time_t)t;
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	if (!opt_changes || first) {
		for (size_t i = 0; i < cur->n; i++)
			text_row(cur, &cur->procs[i], when, opt_changes ? "  " : "", 0);
		return;
	}
	for (size_t i = 0; i < d->ngone; i++)
		text_row(prev, &prev->procs[d->gone[i]], when, "- ", 0);
	for (size_t i = 0; i < d->nadded; i++)
		text_row(cur, &cur->procs[d->added[i]], when, "+ ", 0);
	for (size_t i = 0; i < d->nchanged; i++)
		text_row(cur, &cur->procs[d->changed[i].cur], when, "~ ", d->changed[i].what);
}

static void live_status(unsigned long long samples, size_t nprocs, const struct dbp_recout *o)
{
	if (o)
		fprintf(stderr, "\rdbpod snapshot: %llu samples, %zu processes, %.1f MB in %s\033[K",
			samples, nprocs, (double)o->size / 1e6, o->path);
	else
		fprintf(stderr, "\rdbpod snapshot: %llu samples, %zu processes\033[K",
			samples, nprocs);
	fflush(stderr);
}

/* ---- the loop ------------------------------------------------------------- */

/* ---- process accounting (--acct) ------------------------------------------ */

static int acct_start(struct dbp_acct_spool *sp, const char *output)
{
	char *path;
	int rc;

	if (asprintf(&path, "%s.acct", output) < 0)
		return -ENOMEM;
	rc = dbp_acct_spool_start(sp, path);
	free(path);
	return rc;
}

/* The exits the kernel has written since the last sample, as exit lines;
 * then keep the spool small. */
static int acct_drain(struct dbp_acct_spool *sp, struct dbp_recout *o, double t)
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
	if (sp->on && dbp_acct_spool_roll(sp) < 0)
		warnx("--acct: cannot start a new '%s': it grows until the recorder stops", sp->path);
	return 0;
}

int cmd_snapshot(int argc, char **argv)
{
	struct dbp_sampler *s = NULL;
	struct dbp_delta d;
	struct dbp_recout o, *out = NULL;
	struct dbp_acct_spool acct = { .fd = -1, .old_fd = -1 };
	char acct_msg[256] = "";
	unsigned long long seq = 0;
	double last_key = 0;
	int rc, status = DBP_EXIT_OK, tty;
	const char *reason = "count";

	dbp_argp_parse(&argp, argc, argv, NULL);
	block_stop_signals();
	rc = dbp_sampler_new(&s, NULL);
	if (rc < 0) {
		warnx("cannot read the process table from /proc: %s", strerror(-rc));
		return DBP_EXIT_UNKNOWN;
	}
	dbp_delta_init(&d);
	tty = isatty(STDERR_FILENO);
	if (opt_output) {
		struct stat st;

		out = &o;
		dbp_recout_init(&o, opt_output, opt_keep);
		o.h.interval = opt_interval;
		o.h.keyframe = opt_keyframe;
		o.h.redacted = opt_redact;
		o.h.boot_time = dbp_sampler_boot_time(s);
		/* every file starts with its header: an earlier recording
		 * under this name is rotated away, never appended to */
		if (stat(o.path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
		    (rc = dbp_recout_shift(&o)) < 0) {
			status = out_fail(&o, "rotate the earlier recording", -rc);
			goto done;
		}
		if (opt_acct && (rc = acct_start(&acct, opt_output)) < 0) {
			warnx("--acct: cannot turn on process accounting into '%s.acct': %s%s; "
			      "recording without it", opt_output, strerror(-rc),
			      rc == -EPERM ? " (it needs CAP_SYS_PACCT: run the recorder with that "
			      "capability, e.g. a privileged sidecar)" : "");
			snprintf(acct_msg, sizeof(acct_msg), "--acct: process accounting could not be "
				 "turned on (%s): exits are not recorded", strerror(-rc));
		}
		o.h.acct = acct.on;
		rc = dbp_recout_open(&o);
		if (rc < 0) {
			status = out_fail(&o, "write to", -rc);
			goto done;
		}
		if (acct_msg[0] && (rc = dbp_recout_line(&o, dbp_rec_note(now_real(), acct_msg))) < 0) {
			status = out_fail(&o, "write to", -rc);
			goto done;
		}
	} else {
		/* the status line only when the table goes elsewhere */
		tty = tty && !isatty(STDOUT_FILENO);
		text_header();
	}

	for (;;) {
		const struct dbp_table *cur, *prev;
		double t = now_real(), took;
		int key = 0;

		if (out) {
			if (opt_max_size && o.size >= opt_max_size) {
				rc = dbp_recout_rotate(&o);
				if (rc < 0) {
					status = out_fail(&o, "rotate", -rc);
					goto done;
				}
				key = 1;
			}
			rc = dbp_recout_reopen_if_unlinked(&o);
			if (rc < 0) {
				status = out_fail(&o, "reopen", -rc);
				goto done;
			}
			if (rc == 1) {
				/* rm, or a cleaner: go on in a new file, and say so */
				warnx("'%s' was deleted or replaced while recording: the recording "
				      "goes on in a new file under that name", o.path);
				rc = dbp_recout_line(&o, dbp_rec_note(t, "the recording file was deleted "
					"or replaced while recording: the samples before are in the old file"));
				if (rc < 0) {
					status = out_fail(&o, "write to", -rc);
					goto done;
				}
				key = 1;
			}
			key |= seq == 0 || t - last_key >= opt_keyframe;
		}
		rc = dbp_sampler_take(s, key, &cur, &prev);
		if (rc < 0) {
			warnx("cannot read the process table from /proc: %s", strerror(-rc));
			status = DBP_EXIT_UNKNOWN;
			goto done;
		}
		seq++;
		/* keys too: a key's "born" counts the new processes */
		if (dbp_delta_compute(prev, cur, 1, &d) < 0) {
			warnx("out of memory");
			status = DBP_EXIT_UNKNOWN;
			goto done;
		}
		if (out) {
			struct dbp_sampler_counts sc;
			struct dbp_rec_counts rcn;

			dbp_sampler_counts(s, &sc);
			rcn.last_pid = sc.last_pid;
			rcn.born = (long)d.nadded;
			rcn.threads = sc.threads_new;
			rc = dbp_recout_line(&o, key ? dbp_rec_key(t, seq, &rcn, cur, opt_redact) :
				      dbp_rec_delta(t, seq, &rcn, prev, cur, &d, opt_redact));
			if (rc < 0) {
				status = out_fail(&o, "write to", -rc);
				goto done;
			}
			if (key) {
				last_key = t;
				fdatasync(o.fd);	/* a keyframe is a restart point: make it durable */
			}
			if (acct.on && (rc = acct_drain(&acct, &o, t)) < 0) {
				status = out_fail(&o, "write to", -rc);
				goto done;
			}
		} else {
			text_sample(prev, cur, &d, seq == 1, t);
			fflush(stdout);
		}
		if (tty)
			live_status(seq, cur->n, out);
		took = now_real() - t;
		if (opt_count && seq >= opt_count)
			break;
		{
			unsigned long long missed = sleep_to_next_tick(opt_interval, t);

			if (missed) {
				char msg[160];

				snprintf(msg, sizeof(msg), "sample %llu took %.2f s (interval %.2f s)",
					 seq, took, opt_interval);
				if (!out)
					warnx("%s", msg);
				else if ((rc = dbp_recout_line(&o, dbp_rec_note(now_real(), msg))) < 0) {
					status = out_fail(&o, "write to", -rc);
					goto done;
				}
			}
		}
		if (stop_signal)
			break;
	}
	if (stop_signal)
		reason = stop_signal == SIGTERM ? "SIGTERM" : "SIGINT";
	if (out && acct.on) {
		/* the last exits, then accounting off for the namespace */
		double t = now_real();

		dbp_acct_switch(NULL);
		acct.on = 0;
		if ((rc = acct_drain(&acct, &o, t)) < 0) {
			status = out_fail(&o, "write to", -rc);
			goto done;
		}
	}
	if (out) {
		rc = dbp_recout_line(&o, dbp_rec_end(now_real(), seq, reason));
		if (rc < 0) {
			status = out_fail(&o, "write to", -rc);
			goto done;
		}
		if (fsync(o.fd) < 0 && errno != EINVAL) {
			status = out_fail(&o, "sync", errno);
			goto done;
		}
	}
done:
	if (tty)
		fputc('\n', stderr);
	if (out && o.fd >= 0 && (rc = dbp_recout_close(&o)) < 0 && status == DBP_EXIT_OK)
		status = out_fail(&o, "close", -rc);
	if (acct.path)
		dbp_acct_spool_stop(&acct);
	dbp_delta_free(&d);
	dbp_sampler_free(s);
	return status;
}
