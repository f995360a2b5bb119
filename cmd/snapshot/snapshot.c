/*
 * dbpod snapshot: the once-a-second `ps` loop that catches a process
 * living a few seconds, done right -- with PPIDs and process identity
 * (pid, start), printed or recorded as JSON Lines for `dbpod postmortem`.
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
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rec/acctread.h"
#include "pglogread.h"
#include "dbpod.h"
#include "numparse.h"
#include "snapshot.h"
#include "rec/recwrite.h"
#include "safeopen.h"
#include "rec/sampler.h"

/* The options, parsed into argp's input; cmd_snapshot sets the defaults. */
struct snap_opts {
	struct dbp_opts g;		/* the shared options */
	double interval;		/* -i, --interval (default 1) */
	unsigned long long count;	/* -n, --count; 0: until stopped */
	const char *output;		/* -o, --output */
	int changes;			/* --changes */
	unsigned long long max_size;	/* --max-size; 0: no rotation */
	int keep;			/* --keep (default 5) */
	double keyframe;		/* --keyframe (default 300) */
	int compress;			/* --compress */
	int acct;			/* --acct */
	int redact;			/* --no-redact clears it; --redact, the default */
	int all_containers;		/* --all-containers */
};

enum { OPT_CHANGES = 0x300, OPT_MAX_SIZE, OPT_KEEP, OPT_KEYFRAME, OPT_REDACT, OPT_NO_REDACT,
       OPT_ACCT, OPT_ALL_CONTAINERS, OPT_COMPRESS };

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
	{ "compress", OPT_COMPRESS, NULL, 0,
	  "Compress each rotated file to FILE.1.gz in blocks with an index, so that "
	  "postmortem --at and --pid seek in it instead of reading it whole", 0 },
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
	{ NULL, 0, NULL, 0, "The node recorder (run on the host, or with hostPID):", 1 },
	{ "all-containers", OPT_ALL_CONTAINERS, NULL, 0,
	  "With -o FILE: record every PID namespace visible here -- every container "
	  "of the node -- each process with its namespace and its PID there beside "
	  "the node's, each namespace with its container (ID, runtime, pod, name, "
	  "image): a recording that outlives the containers it watches "
	  "(postmortem --container reads one back)", 1 },
	{ 0 }
};

static unsigned long long parse_size(struct argp_state *state, const char *arg)
{
	long long v = 0;

	/* a byte size as Compose writes one (numparse.h): k, m, g, t in powers
	 * of 1024, an optional b */
	if (dbp_parse_bytes(arg, &v) < 0 || v < 1 || v > (1LL << 50))
		argp_error(state, "--max-size takes a size such as 4096, 64k, 100M or 1G, not '%s'", arg);
	return (unsigned long long)v;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct snap_opts *so = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &so->g);
		break;
	case 'i':
		so->interval = dbp_argp_real(state, "-i", arg, "seconds", 0.01, 86400);
		break;
	case 'n':
		so->count = (unsigned long long)dbp_argp_integer(state, "-n", arg, "a count of samples",
								 1, LLONG_MAX);
		break;
	case 'o':
		so->output = arg;
		break;
	case OPT_CHANGES:
		so->changes = 1;
		break;
	case OPT_MAX_SIZE:
		so->max_size = parse_size(state, arg);
		break;
	case OPT_KEEP:
		so->keep = (int)dbp_argp_integer(state, "--keep", arg, "a number of files", 0, 1000);
		break;
	case OPT_KEYFRAME:
		so->keyframe = dbp_argp_real(state, "--keyframe", arg, "seconds", 0, 86400 * 7);
		break;
	case OPT_REDACT:
		so->redact = 1;
		break;
	case OPT_NO_REDACT:
		so->redact = 0;
		break;
	case OPT_ACCT:
		so->acct = 1;
		break;
	case OPT_ALL_CONTAINERS:
		so->all_containers = 1;
		break;
	case OPT_COMPRESS:
		so->compress = 1;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (so->output && so->changes)
			argp_error(state, "--changes is for the text view; a recording holds the changes anyway");
		if (!so->output && (so->max_size || so->acct || so->compress))
			argp_error(state, "--max-size, --compress and --acct go with -o FILE");
		if (so->all_containers && !so->output)
			argp_error(state, "--all-containers goes with -o FILE: it makes a node "
				   "recording, read back with dbpod postmortem --container");
		/* accounting is per PID namespace: on the node it would be the
		 * node's, which atop and psacct keep (NOTES in dbpod-snapshot(1)) */
		if (so->all_containers && so->acct)
			argp_error(state, "--acct does not go with --all-containers: it would turn "
				   "the node's process accounting on and off, which atop and "
				   "psacct use; use --acct in a container's own namespace");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, NULL,
	"Take a snapshot of the process table every second, with PPIDs and "
	"process identity (PID, start time): print it like a ps loop (time in UTC, PID, "
	"PPID, STIME, USER, STAT, COMMAND), or record it with -o FILE as JSON "
	"Lines -- keyframes and deltas, cheap enough to run beside the database "
	"for weeks -- for dbpod postmortem. It refuses to start where a database "
	"server would reap it (a shell's child where PID 1 is the server): run it "
	"as the command kubectl exec starts, or under an init.",
	dbp_global_child_no_output, NULL, NULL
};

/* ---- the recording file (lib/rec/recwrite.c) ------------------------------------ */

/* rc: a negative errno, or a refusal of the file or its directory
 * (safeopen.h), which says what stands there and what to do. */
static int out_fail(const struct dbp_recout *o, const char *what, int rc)
{
	dbp_warnx("cannot %s '%s': %s%s", what, o->path, dbp_outdir_strerror(&o->dir, rc),
	      rc == -ENOSPC || rc == -EDQUOT ?
	      "; the recording stops here (free space, or use --max-size and --keep)" : "");
	return DBP_EXIT_UNKNOWN;
}

/* --compress: a rotated file that could not be compressed stays plain,
 * and the recording goes on; said on standard error and in the
 * recording. */
static int note_compress(struct dbp_recout *o, double t)
{
	char msg[512];

	if (!o->compress_err)
		return 0;
	snprintf(msg, sizeof(msg), "--compress: cannot compress '%s.1': %s; it is kept "
		 "uncompressed", o->path, dbp_outdir_strerror(&o->dir, o->compress_err));
	dbp_warnx("%s", msg);
	return dbp_recout_line(o, dbp_rec_note(t, msg));
}

/* ---- the node recorder ------------------------------------------------------ */

/* Processes whose namespace could not be read (no ptrace access to
 * /proc/PID/ns/pid: the recorder lacks CAP_SYS_PTRACE, or a security
 * module refuses it) are recorded without their container: said once,
 * on standard error and in the recording. */
static int note_unreadable(const struct dbp_sampler *s, struct dbp_recout *o, double t, int *noted)
{
	struct dbp_sampler_stats st;
	char msg[320];

	dbp_sampler_stats(s, &st);
	if (!st.ns_unreadable)
		return 0;
	*noted = 1;
	snprintf(msg, sizeof(msg), "the PID namespace of %zu process%s could not be read "
		 "(ptrace access to /proc/PID/ns/pid was refused: the recorder needs "
		 "CAP_SYS_PTRACE): %s recorded with the node's PIDs only, in no container",
		 st.ns_unreadable, st.ns_unreadable == 1 ? "" : "es",
		 st.ns_unreadable == 1 ? "it is" : "they are");
	warnx("--all-containers: %s", msg);
	return dbp_recout_line(o, dbp_rec_note(t, msg));
}

/* ---- the recorder ---------------------------------------------------------- */

/* One run, from rec_open to rec_close: the sampler, and with -o FILE the
 * recording (out is &o then, else NULL), its accounting spool and the
 * node's namespaces. Each step returns DBP_EXIT_OK to go on, or the exit
 * status of a failure it has said; rec_close frees what the steps made,
 * whichever step stopped. */
struct snap_rec {
	const struct snap_opts *opt;
	struct dbp_sampler *s;
	struct dbp_delta d;		/* the last sample against the one before */
	struct dbp_recout o, *out;
	struct dbp_acct_spool acct;	/* --acct */
	struct snap_node node;		/* --all-containers */
	struct dbp_rec_nsview nsview;	/* --all-containers */
	int ns_noted;			/* note_unreadable has said it */
	unsigned long long seq;		/* samples taken */
	double last_key;		/* when the last keyframe was taken */
	int tty;			/* the status line on standard error */
	int ended;			/* --count samples taken, or a stop signal */
};

static int proc_fail(int rc)
{
	warnx("cannot read the process table from /proc: %s", strerror(-rc));
	return DBP_EXIT_UNKNOWN;
}

/* --acct, before FILE is opened: something planted under FILE.acct is
 * refused as FILE itself would be, before anything is recorded; accounting
 * the kernel will not turn on is said, and the recording goes on without
 * it, with msg (empty otherwise) for its note. */
static int rec_acct_start(struct snap_rec *r, char *msg, size_t size)
{
	int rc = snap_acct_start(&r->acct, &r->o);

	if (rc >= 0)
		return DBP_EXIT_OK;
	if (rc == -DBP_ENOTREG || rc == -DBP_ELINKS || rc == -DBP_EOWNER) {
		dbp_warnx("--acct: cannot write '%s.acct': %s", r->o.path,
		      dbp_outdir_strerror(&r->o.dir, rc));
		return DBP_EXIT_UNKNOWN;
	}
	dbp_warnx("--acct: cannot turn on process accounting into '%s.acct': %s%s; "
	      "recording without it", r->opt->output, strerror(-rc),
	      rc == -EPERM ? " (it needs CAP_SYS_PACCT: run the recorder with that "
	      "capability, e.g. a privileged sidecar)" :
	      rc == -ENOENT ? " (the kernel is handed the spool as /proc/self/fd/N, "
	      "never by its name, and that is not there: mount /proc)" : "");
	snprintf(msg, size, "--acct: process accounting could not be "
		 "turned on (%s): exits are not recorded", strerror(-rc));
	return DBP_EXIT_OK;
}

/* -o FILE: the recording's header filled in, an earlier recording under
 * that name rotated away, accounting turned on, FILE opened and its first
 * lines written. */
static int rec_open_file(struct snap_rec *r)
{
	const struct snap_opts *op = r->opt;
	struct dbp_recout *o = &r->o;
	char acct_msg[256] = "";
	struct stat st;
	int rc, status;

	r->out = o;
	/* FILE's directory, opened once and judged: every file of the
	 * recording is reached through it (recwrite.h) */
	rc = dbp_recout_init(o, op->output, op->keep);
	if (rc < 0)
		return out_fail(o, "write to", rc);
	o->h.interval = op->interval;
	o->h.keyframe = op->keyframe;
	o->h.redacted = op->redact;
	o->h.boot_time = dbp_sampler_boot_time(r->s);
	o->h.boot_clock = dbp_boot_clock();
	(void)dbp_boot_id(o->h.boot_id, sizeof(o->h.boot_id));
	/* so that postmortem finds the server's log without being told;
	 * none seen (no postmaster yet, a log to a pipe) is said by its
	 * absence */
	if (!op->all_containers &&
	    dbp_pglog_locate(NULL, o->h.server_log, sizeof(o->h.server_log)) < 0)
		o->h.server_log[0] = '\0';
	o->h.all_containers = op->all_containers;
	o->compress = op->compress;
	r->nsview.own = o->h.pid_ns;
	/* every file starts with its header: an earlier recording
	 * under this name is rotated away, never appended to (a link
	 * there is not followed: it is refused by the open below) */
	if (dbp_outdir_file_stat(&o->dir, o->name, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0 && (rc = dbp_recout_shift(o)) < 0)
		return out_fail(o, "rotate the earlier recording", rc);
	dbp_recout_compress(o);
	if (op->acct && (status = rec_acct_start(r, acct_msg, sizeof(acct_msg))) != DBP_EXIT_OK)
		return status;
	o->h.acct = r->acct.on;
	rc = dbp_recout_open(o);
	if (rc >= 0 && acct_msg[0])
		rc = dbp_recout_line(o, dbp_rec_note(snap_now(), acct_msg));
	if (rc >= 0)
		rc = note_compress(o, snap_now());
	return rc < 0 ? out_fail(o, "write to", rc) : DBP_EXIT_OK;
}

/* The sampler, and the recording's file or the text view's header. */
static int rec_open(struct snap_rec *r, const struct snap_opts *op)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->opt = op;
	r->acct.fd = r->acct.old_fd = -1;
	dbp_delta_init(&r->d);
	snap_node_init(&r->node);
	rc = dbp_sampler_new(&r->s, NULL);
	if (rc < 0)
		return proc_fail(rc);
	if (op->all_containers && (rc = dbp_sampler_set_pidns(r->s, 1)) < 0) {
		warnx("--all-containers: cannot read the recorder's own PID namespace "
		      "(/proc/self/ns/pid): %s", strerror(-rc));
		return DBP_EXIT_UNKNOWN;
	}
	r->tty = isatty(STDERR_FILENO);
	if (op->output)
		return rec_open_file(r);
	/* the status line only when the table goes elsewhere */
	r->tty = r->tty && !isatty(STDOUT_FILENO);
	if (op->g.format == DBP_FORMAT_TEXT)
		snap_text_header(op->changes);
	return DBP_EXIT_OK;
}

/* Before a recorded sample at t: FILE rotated at --max-size, or begun
 * anew when it was deleted under the recorder; *key set when the sample
 * is to be a keyframe (a new file, the first sample, --keyframe seconds
 * since the last). */
static int rec_file_turn(struct snap_rec *r, double t, int *key)
{
	struct dbp_recout *o = &r->o;
	int rc;

	if (r->opt->max_size && o->size >= r->opt->max_size) {
		rc = dbp_recout_rotate(o);
		if (rc < 0)
			return out_fail(o, "rotate", rc);
		if ((rc = note_compress(o, t)) < 0)
			return out_fail(o, "write to", rc);
		*key = 1;
	}
	rc = dbp_recout_reopen_if_unlinked(o);
	if (rc < 0)
		return out_fail(o, "reopen", rc);
	if (rc == 1) {
		/* rm, or a cleaner: go on in a new file, and say so */
		dbp_warnx("'%s' was deleted or replaced while recording: the recording "
		      "goes on in a new file under that name", o->path);
		rc = dbp_recout_line(o, dbp_rec_note(t, "the recording file was deleted "
			"or replaced while recording: the samples before are in the old file"));
		if (rc < 0)
			return out_fail(o, "write to", rc);
		*key = 1;
	}
	*key |= r->seq == 0 || t - r->last_key >= r->opt->keyframe;
	return DBP_EXIT_OK;
}

/* The sample cur (prev the one before, r->d between them) of time t into
 * FILE, after the namespace lines it needs, and the exits since the last;
 * a keyframe synced. Returns 0 or the negative errno of a write. */
static int rec_write_sample(struct snap_rec *r, double t, int key,
			    const struct dbp_table *prev, const struct dbp_table *cur)
{
	const struct snap_opts *op = r->opt;
	const struct dbp_rec_nsview *nsview = op->all_containers ? &r->nsview : NULL;
	struct dbp_recout *o = &r->o;
	struct dbp_sampler_counts sc;
	struct dbp_rec_counts rcn;
	int rc = 0;

	dbp_sampler_counts(r->s, &sc);
	rcn.last_pid = sc.last_pid;
	rcn.born = (long)r->d.nadded;
	rcn.threads = sc.threads_new;
	if (op->all_containers) {
		/* which container each new namespace is, before the
		 * sample that shows its processes */
		rc = snap_node_lines(&r->node, r->s, cur, o, t, key);
		if (rc == 0 && !r->ns_noted)
			rc = note_unreadable(r->s, o, t, &r->ns_noted);
		if (rc < 0)
			return rc;
		r->nsview.prev = prev;
	}
	rc = dbp_recout_line(o, key ? dbp_rec_key(t, r->seq, &rcn, cur, op->redact, nsview) :
			     dbp_rec_delta(t, r->seq, &rcn, prev, cur, &r->d, op->redact, nsview));
	if (rc < 0)
		return rc;
	if (key) {
		r->last_key = t;
		fdatasync(o->fd);	/* a keyframe is a restart point: make it durable */
	}
	return r->acct.on ? snap_acct_drain(&r->acct, o, t) : 0;
}

/* The sleep to the next tick after a sample taken at t; a sample that
 * took longer than the interval is said, in the recording or on standard
 * error. */
static int rec_wait(struct snap_rec *r, double t, double took)
{
	unsigned long long missed = snap_sleep_to_next_tick(r->opt->interval, t);
	char msg[160];
	int rc;

	if (!missed)
		return DBP_EXIT_OK;
	snprintf(msg, sizeof(msg), "sample %llu took %.2f s (interval %.2f s)",
		 r->seq, took, r->opt->interval);
	if (!r->out) {
		warnx("%s", msg);
		return DBP_EXIT_OK;
	}
	rc = dbp_recout_line(&r->o, dbp_rec_note(snap_now(), msg));
	return rc < 0 ? out_fail(&r->o, "write to", rc) : DBP_EXIT_OK;
}

/* One sample: the file's turn, the sample taken, recorded or printed,
 * then the wait for the next; r->ended once --count samples are taken or
 * a stop signal came. */
static int rec_tick(struct snap_rec *r)
{
	const struct snap_opts *op = r->opt;
	const struct dbp_table *cur, *prev;
	double t = snap_now(), took;
	int key = 0, rc, status;

	if (r->out && (status = rec_file_turn(r, t, &key)) != DBP_EXIT_OK)
		return status;
	rc = dbp_sampler_take(r->s, key, &cur, &prev);
	if (rc < 0)
		return proc_fail(rc);
	r->seq++;
	/* keys too: a key's "born" counts the new processes */
	if (dbp_delta_compute(prev, cur, 1, &r->d) < 0) {
		warnx("out of memory");
		return DBP_EXIT_UNKNOWN;
	}
	if (r->out) {
		if ((rc = rec_write_sample(r, t, key, prev, cur)) < 0)
			return out_fail(&r->o, "write to", rc);
	} else if (op->g.format == DBP_FORMAT_JSON) {
		/* --json: each sample as a recording's key line, one a line */
		snap_json_sample(cur, r->seq, t, op->redact);
	} else {
		snap_text_sample(prev, cur, &r->d, r->seq == 1, t, op->changes, op->redact);
		fflush(stdout);
	}
	if (r->tty)
		snap_live_status(r->seq, cur->n, r->out);
	took = snap_now() - t;
	if (op->count && r->seq >= op->count) {
		r->ended = 1;
		return DBP_EXIT_OK;
	}
	status = rec_wait(r, t, took);
	r->ended = snap_stop_signal != 0;
	return status;
}

/* The end of a recording: the last exits and accounting off for the
 * namespace, the "end" line saying why, FILE synced. */
static int rec_finish(struct snap_rec *r)
{
	const char *reason = "count";
	struct dbp_recout *o = &r->o;
	int rc = 0;

	if (!r->out)
		return DBP_EXIT_OK;
	if (snap_stop_signal)
		reason = snap_stop_signal == SIGTERM ? "SIGTERM" : "SIGINT";
	if (r->acct.on) {
		double t = snap_now();

		dbp_acct_off();
		r->acct.on = 0;
		rc = snap_acct_drain(&r->acct, o, t);
	}
	if (rc >= 0)
		rc = dbp_recout_line(o, dbp_rec_end(snap_now(), r->seq, reason));
	if (rc < 0)
		return out_fail(o, "write to", rc);
	if (fsync(o->fd) < 0 && errno != EINVAL)
		return out_fail(o, "sync", -errno);
	return DBP_EXIT_OK;
}

/* The one way out of a run, whatever stopped it: FILE closed (a failure
 * there matters only when all went well before), the rest freed. */
static int rec_close(struct snap_rec *r, int status)
{
	int rc;

	if (r->tty)
		fputc('\n', stderr);
	if (r->out && r->o.fd >= 0 && (rc = dbp_recout_close(&r->o)) < 0 && status == DBP_EXIT_OK)
		status = out_fail(&r->o, "close", rc);
	if (r->acct.name)
		dbp_acct_spool_stop(&r->acct);
	if (r->out)
		dbp_recout_free(&r->o);
	snap_node_free(&r->node);
	dbp_delta_free(&r->d);
	dbp_sampler_free(r->s);
	return status;
}

int cmd_snapshot(int argc, char **argv, const struct dbp_opts *g)
{
	struct snap_opts so = { .g = *g, .interval = 1.0, .keep = 5, .keyframe = 300,
				.redact = 1 };
	struct snap_rec r;
	int rc, status;

	/* snapshot's -o is its recording; dbpod's own -o before the
	 * command name would send the table's text elsewhere */
	so.g.output_own = 1;
	dbp_argp_parse(&argp, argc, argv, &so, &so.g);
	if (so.g.out_file)
		errx(DBP_EXIT_UNKNOWN, "-o before 'snapshot' is not snapshot's: write "
		     "`dbpod snapshot -o FILE` to record into FILE");
	/* a recording, or a view that runs until stopped: never where a
	 * database server reaps dbpod (before the file is touched) */
	if ((so.output || !so.count) &&
	    (rc = dbp_guard_reaper(DBP_GUARD_RECORDER, argc, argv)) >= 0)
		return rc;
	snap_block_stop_signals();
	status = rec_open(&r, &so);
	while (status == DBP_EXIT_OK && !r.ended)
		status = rec_tick(&r);
	if (status == DBP_EXIT_OK)
		status = rec_finish(&r);
	return rec_close(&r, status);
}
