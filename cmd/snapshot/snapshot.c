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

static double opt_interval = 1.0;		/* -i, --interval */
static unsigned long long opt_count;		/* -n, --count; 0: until stopped */
static const char *opt_output;			/* -o, --output */
static int opt_changes;				/* --changes */
static unsigned long long opt_max_size;		/* --max-size; 0: no rotation */
static int opt_keep = 5;			/* --keep */
static double opt_keyframe = 300;		/* --keyframe */
static int opt_acct;				/* --acct */
static int opt_redact = 1;			/* --no-redact clears it; --redact, the default */
static int opt_all_containers;			/* --all-containers */

/* The options parsed into argp's input (the older ones above are still
 * file-scope). */
struct snap_opts {
	struct dbp_opts g;		/* the shared options */
	int compress;			/* --compress */
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
		opt_interval = dbp_argp_real(state, "-i", arg, "seconds", 0.01, 86400);
		break;
	case 'n':
		opt_count = (unsigned long long)dbp_argp_integer(state, "-n", arg, "a count of samples",
								 1, LLONG_MAX);
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
		opt_keep = (int)dbp_argp_integer(state, "--keep", arg, "a number of files", 0, 1000);
		break;
	case OPT_KEYFRAME:
		opt_keyframe = dbp_argp_real(state, "--keyframe", arg, "seconds", 0, 86400 * 7);
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
	case OPT_ALL_CONTAINERS:
		opt_all_containers = 1;
		break;
	case OPT_COMPRESS:
		so->compress = 1;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (opt_output && opt_changes)
			argp_error(state, "--changes is for the text view; a recording holds the changes anyway");
		if (!opt_output && (opt_max_size || opt_acct || so->compress))
			argp_error(state, "--max-size, --compress and --acct go with -o FILE");
		if (opt_all_containers && !opt_output)
			argp_error(state, "--all-containers goes with -o FILE: it makes a node "
				   "recording, read back with dbpod postmortem --container");
		/* accounting is per PID namespace: on the node it would be the
		 * node's, which atop and psacct keep (NOTES in dbpod-snapshot(1)) */
		if (opt_all_containers && opt_acct)
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

/* ---- the loop ------------------------------------------------------------- */

int cmd_snapshot(int argc, char **argv, const struct dbp_opts *g)
{
	struct dbp_sampler *s = NULL;
	struct dbp_delta d;
	struct dbp_recout o, *out = NULL;
	struct snap_opts so = { .g = *g };
	struct dbp_acct_spool acct = { .fd = -1, .old_fd = -1 };
	struct snap_node node;
	struct dbp_rec_nsview nsview = { 0 };
	int ns_noted = 0;
	char acct_msg[256] = "";
	unsigned long long seq = 0;
	double last_key = 0;
	int rc, status = DBP_EXIT_OK, tty = 0;
	const char *reason = "count";

	/* snapshot's -o is its recording; dbpod's own -o before the
	 * command name would send the table's text elsewhere */
	so.g.output_own = 1;
	dbp_argp_parse(&argp, argc, argv, &so, &so.g);
	if (so.g.out_file)
		errx(DBP_EXIT_UNKNOWN, "-o before 'snapshot' is not snapshot's: write "
		     "`dbpod snapshot -o FILE` to record into FILE");
	/* a recording, or a view that runs until stopped: never where a
	 * database server reaps dbpod (before the file is touched) */
	if ((opt_output || !opt_count) &&
	    (rc = dbp_guard_reaper(DBP_GUARD_RECORDER, argc, argv)) >= 0)
		return rc;
	snap_block_stop_signals();
	rc = dbp_sampler_new(&s, NULL);
	if (rc < 0) {
		warnx("cannot read the process table from /proc: %s", strerror(-rc));
		return DBP_EXIT_UNKNOWN;
	}
	dbp_delta_init(&d);
	snap_node_init(&node);
	if (opt_all_containers && (rc = dbp_sampler_set_pidns(s, 1)) < 0) {
		warnx("--all-containers: cannot read the recorder's own PID namespace "
		      "(/proc/self/ns/pid): %s", strerror(-rc));
		status = DBP_EXIT_UNKNOWN;
		goto done;
	}
	tty = isatty(STDERR_FILENO);
	if (opt_output) {
		struct stat st;

		out = &o;
		/* FILE's directory, opened once and judged: every file of the
		 * recording is reached through it (recwrite.h) */
		rc = dbp_recout_init(&o, opt_output, opt_keep);
		if (rc < 0) {
			status = out_fail(&o, "write to", rc);
			goto done;
		}
		o.h.interval = opt_interval;
		o.h.keyframe = opt_keyframe;
		o.h.redacted = opt_redact;
		o.h.boot_time = dbp_sampler_boot_time(s);
		o.h.boot_clock = dbp_boot_clock();
		/* so that postmortem finds the server's log without being told;
		 * none seen (no postmaster yet, a log to a pipe) is said by its
		 * absence */
		if (!opt_all_containers &&
		    dbp_pglog_locate(NULL, o.h.server_log, sizeof(o.h.server_log)) < 0)
			o.h.server_log[0] = '\0';
		o.h.all_containers = opt_all_containers;
		o.compress = so.compress;
		nsview.own = o.h.pid_ns;
		/* every file starts with its header: an earlier recording
		 * under this name is rotated away, never appended to (a link
		 * there is not followed: it is refused by the open below) */
		if (dbp_outdir_file_stat(&o.dir, o.name, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0 && (rc = dbp_recout_shift(&o)) < 0) {
			status = out_fail(&o, "rotate the earlier recording", rc);
			goto done;
		}
		dbp_recout_compress(&o);
		if (opt_acct && (rc = snap_acct_start(&acct, &o)) < 0) {
			/* something planted under FILE.acct: refused as FILE
			 * itself would be, before anything is recorded */
			if (rc == -DBP_ENOTREG || rc == -DBP_ELINKS || rc == -DBP_EOWNER) {
				dbp_warnx("--acct: cannot write '%s.acct': %s", o.path,
				      dbp_outdir_strerror(&o.dir, rc));
				status = DBP_EXIT_UNKNOWN;
				goto done;
			}
			dbp_warnx("--acct: cannot turn on process accounting into '%s.acct': %s%s; "
			      "recording without it", opt_output, strerror(-rc),
			      rc == -EPERM ? " (it needs CAP_SYS_PACCT: run the recorder with that "
			      "capability, e.g. a privileged sidecar)" :
			      rc == -ENOENT ? " (the kernel is handed the spool as /proc/self/fd/N, "
			      "never by its name, and that is not there: mount /proc)" : "");
			snprintf(acct_msg, sizeof(acct_msg), "--acct: process accounting could not be "
				 "turned on (%s): exits are not recorded", strerror(-rc));
		}
		o.h.acct = acct.on;
		rc = dbp_recout_open(&o);
		if (rc < 0) {
			status = out_fail(&o, "write to", rc);
			goto done;
		}
		if (acct_msg[0] && (rc = dbp_recout_line(&o, dbp_rec_note(snap_now(), acct_msg))) < 0) {
			status = out_fail(&o, "write to", rc);
			goto done;
		}
		if ((rc = note_compress(&o, snap_now())) < 0) {
			status = out_fail(&o, "write to", rc);
			goto done;
		}
	} else {
		/* the status line only when the table goes elsewhere */
		tty = tty && !isatty(STDOUT_FILENO);
		if (so.g.format == DBP_FORMAT_TEXT)
			snap_text_header(opt_changes);
	}

	for (;;) {
		const struct dbp_table *cur, *prev;
		double t = snap_now(), took;
		int key = 0;

		if (out) {
			if (opt_max_size && o.size >= opt_max_size) {
				rc = dbp_recout_rotate(&o);
				if (rc < 0) {
					status = out_fail(&o, "rotate", rc);
					goto done;
				}
				if ((rc = note_compress(&o, t)) < 0) {
					status = out_fail(&o, "write to", rc);
					goto done;
				}
				key = 1;
			}
			rc = dbp_recout_reopen_if_unlinked(&o);
			if (rc < 0) {
				status = out_fail(&o, "reopen", rc);
				goto done;
			}
			if (rc == 1) {
				/* rm, or a cleaner: go on in a new file, and say so */
				dbp_warnx("'%s' was deleted or replaced while recording: the recording "
				      "goes on in a new file under that name", o.path);
				rc = dbp_recout_line(&o, dbp_rec_note(t, "the recording file was deleted "
					"or replaced while recording: the samples before are in the old file"));
				if (rc < 0) {
					status = out_fail(&o, "write to", rc);
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
			if (opt_all_containers) {
				/* which container each new namespace is, before the
				 * sample that shows its processes */
				rc = snap_node_lines(&node, s, cur, &o, t, key);
				if (rc == 0 && !ns_noted)
					rc = note_unreadable(s, &o, t, &ns_noted);
				if (rc < 0) {
					status = out_fail(&o, "write to", rc);
					goto done;
				}
				nsview.prev = prev;
			}
			rc = dbp_recout_line(&o, key ? dbp_rec_key(t, seq, &rcn, cur, opt_redact,
						    opt_all_containers ? &nsview : NULL) :
				      dbp_rec_delta(t, seq, &rcn, prev, cur, &d, opt_redact,
						    opt_all_containers ? &nsview : NULL));
			if (rc < 0) {
				status = out_fail(&o, "write to", rc);
				goto done;
			}
			if (key) {
				last_key = t;
				fdatasync(o.fd);	/* a keyframe is a restart point: make it durable */
			}
			if (acct.on && (rc = snap_acct_drain(&acct, &o, t)) < 0) {
				status = out_fail(&o, "write to", rc);
				goto done;
			}
		} else if (so.g.format == DBP_FORMAT_JSON) {
			/* --json: each sample as a recording's key line, one a line */
			snap_json_sample(cur, seq, t, opt_redact);
		} else {
			snap_text_sample(prev, cur, &d, seq == 1, t, opt_changes, opt_redact);
			fflush(stdout);
		}
		if (tty)
			snap_live_status(seq, cur->n, out);
		took = snap_now() - t;
		if (opt_count && seq >= opt_count)
			break;
		{
			unsigned long long missed = snap_sleep_to_next_tick(opt_interval, t);

			if (missed) {
				char msg[160];

				snprintf(msg, sizeof(msg), "sample %llu took %.2f s (interval %.2f s)",
					 seq, took, opt_interval);
				if (!out)
					warnx("%s", msg);
				else if ((rc = dbp_recout_line(&o, dbp_rec_note(snap_now(), msg))) < 0) {
					status = out_fail(&o, "write to", rc);
					goto done;
				}
			}
		}
		if (snap_stop_signal)
			break;
	}
	if (snap_stop_signal)
		reason = snap_stop_signal == SIGTERM ? "SIGTERM" : "SIGINT";
	if (out && acct.on) {
		/* the last exits, then accounting off for the namespace */
		double t = snap_now();

		dbp_acct_off();
		acct.on = 0;
		if ((rc = snap_acct_drain(&acct, &o, t)) < 0) {
			status = out_fail(&o, "write to", rc);
			goto done;
		}
	}
	if (out) {
		rc = dbp_recout_line(&o, dbp_rec_end(snap_now(), seq, reason));
		if (rc < 0) {
			status = out_fail(&o, "write to", rc);
			goto done;
		}
		if (fsync(o.fd) < 0 && errno != EINVAL) {
			status = out_fail(&o, "sync", -errno);
			goto done;
		}
	}
done:
	if (tty)
		fputc('\n', stderr);
	if (out && o.fd >= 0 && (rc = dbp_recout_close(&o)) < 0 && status == DBP_EXIT_OK)
		status = out_fail(&o, "close", rc);
	if (acct.name)
		dbp_acct_spool_stop(&acct);
	if (out)
		dbp_recout_free(&o);
	snap_node_free(&node);
	dbp_delta_free(&d);
	dbp_sampler_free(s);
	return status;
}
