/*
 * The options every command shares (global ones, --stop-signal, --grace),
 * the numbers of options, and the text output's terminal (check.c runs a
 * check and renders its result).
 */
#include "config.h"

#include <err.h>
#include <signal.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dbpod.h"
#include "escape.h"
#include "lockread.h"
#include "numparse.h"
#include "lint/rules_image.h"
#include "rules_pid1.h"
#include "safeopen.h"
#include "rules_signals.h"

void dbp_opts_init(struct dbp_opts *o)
{
	*o = (struct dbp_opts){
		.format = DBP_FORMAT_TEXT,
		.ci_format = DBP_CI_NONE,
		.color = -1,		/* decide from the TTY */
		.stop_signal = SIGTERM,
		.grace = 30,
	};
}

void dbp_argp_share(struct argp_state *state, struct dbp_opts *o)
{
	/* the argp given to argp_parse, whose parser this is: argp_parse
	 * puts it first among the children of a root of its own, with
	 * neither options nor parser, that adds --help and --version */
	const struct argp *a = state->root_argp;

	if (!a->options && !a->parser && a->children && a->children[0].argp)
		a = a->children[0].argp;
	/* argp hands a child the input its parent put in child_inputs, NULL
	 * otherwise: each child is one of the shared options' parsers */
	for (size_t i = 0; a->children && a->children[i].argp; i++)
		state->child_inputs[i] = o;
}

enum {
	OPT_JSON = 0x100,
	OPT_NO_COLOR,
	OPT_IGNORE,
	OPT_ROOT,
	OPT_STOP_SIGNAL,
	OPT_GRACE,
	OPT_OUTPUT = 'o',
	/* -f: hadolint's and many tools' spelling; no command has another -f */
	OPT_FORMAT = 'f',
};

static const struct argp_option global_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", 0,
	  "Output format: text (default), json, prometheus or oneline (a line per "
	  "finding: FILE[:LINE[:COLUMN]] ID severity: message, pid:PID ... or "
	  "COMMAND ...); dbpod lint also sarif, junit, codequality or checkstyle; "
	  "dbpod postmortem --timeline also svg", 0 },
	{ "json", OPT_JSON, NULL, 0, "Short for --format=json", 0 },
	{ "no-color", OPT_NO_COLOR, NULL, 0,
	  "Never colour the text (also when NO_COLOR is set)", 0 },
	{ "ignore", OPT_IGNORE, "ID[,ID...]", 0,
	  "Drop findings with these ids before judging the status", 0 },
	{ "root", OPT_ROOT, "DIR", 0,
	  "Read cgroup, sysctl and meminfo files (and, in node mode, the "
	  "runtimes' state and logs) below DIR instead of / (also DBPOD_ROOT)", 0 },
	{ 0 }
};

static const struct argp_option stop_signal_options[] = {
	{ "stop-signal", OPT_STOP_SIGNAL, "SIG", 0,
	  "The signal the runtime sends to stop the container (the image's "
	  "STOPSIGNAL, which cannot be seen from inside). A name (SIGINT, INT) "
	  "or a number. Without it, both SIGTERM (the runtimes' default) and "
	  "SIGINT (the official postgres image's) are judged", 0 },
	{ 0 }
};

static error_t stop_signal_parse(int key, char *arg, struct argp_state *state)
{
	struct dbp_opts *o = state->input;

	if (key != OPT_STOP_SIGNAL)
		return ARGP_ERR_UNKNOWN;
	o->stop_signal = dbp_signal_parse(arg);
	o->stop_signal_given = 1;
	if (o->stop_signal < 0)
		argp_error(state, "unknown signal '%s'", arg);
	return 0;
}

const struct argp dbp_stop_signal_argp = {
	stop_signal_options, stop_signal_parse, NULL, NULL, NULL, NULL, NULL
};

static const struct argp_option grace_options[] = {
	{ "grace", OPT_GRACE, "SECONDS", 0,
	  "The grace period before SIGKILL (default 30, Kubernetes' "
	  "terminationGracePeriodSeconds; docker stop waits 10)", 0 },
	{ 0 }
};

static error_t grace_parse(int key, char *arg, struct argp_state *state)
{
	struct dbp_opts *o = state->input;

	if (key != OPT_GRACE)
		return ARGP_ERR_UNKNOWN;
	o->grace = dbp_argp_seconds(state, "--grace", arg);
	o->grace_given = 1;
	return 0;
}

const struct argp dbp_grace_argp = {
	grace_options, grace_parse, NULL, NULL, NULL, NULL, NULL
};

/* lint and imagecheck: the same two options, as the runtime is told
 * them over what the files say */
static const struct argp_option static_stop_options[] = {
	{ "stop-signal", OPT_STOP_SIGNAL, "SIG", 0,
	  "Judge the stop as if the runtime were told this signal (`docker run "
	  "--stop-signal`), over the image's StopSignal and STOPSIGNAL", 0 },
	{ "grace", OPT_GRACE, "SECONDS", 0,
	  "Judge the stop with this grace period before SIGKILL (`docker stop -t`), "
	  "over StopTimeout, stop_grace_period and terminationGracePeriodSeconds "
	  "(defaults: docker and podman 10, Compose 10, Kubernetes 30)", 0 },
	{ 0 }
};

static error_t static_stop_parse(int key, char *arg, struct argp_state *state)
{
	if (key == OPT_STOP_SIGNAL)
		return stop_signal_parse(key, arg, state);
	if (key == OPT_GRACE)
		return grace_parse(key, arg, state);
	return ARGP_ERR_UNKNOWN;
}

static const struct argp static_stop_argp = {
	static_stop_options, static_stop_parse, NULL, NULL, NULL, NULL, NULL
};

const struct argp_child dbp_static_stop_children[] = {
	{ &static_stop_argp, 0, NULL, 0 },
	{ &dbp_output_argp, 0, "Global options:", 10 },
	{ &dbp_global_argp, 0, NULL, 10 },
	{ 0 }
};

struct json_object *dbp_stop_path_json(const struct dbp_stop_path *p, int predicted)
{
	struct json_object *sp = json_object_new_object();
	struct json_object *steps = json_object_new_array();
	char sn[24], when[64];

	json_object_object_add(sp, "signal",
			       json_object_new_string(dbp_signal_name(p->signal, sn, sizeof(sn))));
	json_object_object_add(sp, "grace_seconds", json_object_new_int(p->grace));
	for (size_t i = 0; i < p->nsteps; i++)
		json_object_array_add(steps, json_object_new_string(p->steps[i]));
	json_object_object_add(sp, "steps", steps);
	/* a predicted chain's PIDs past 1 are only its order */
	json_object_object_add(sp, "receiver", p->receiver && (!predicted || p->receiver->pid == 1) ?
			       json_object_new_int(p->receiver->pid) : NULL);
	json_object_object_add(sp, "receiver_name", p->receiver ?
			       json_object_new_string(dbp_proc_name(p->receiver)) : NULL);
	json_object_object_add(sp, "action", p->action ?
			       json_object_new_string(p->action) : NULL);
	json_object_object_add(sp, "outcome", json_object_new_string(dbp_outcome_name(p->outcome)));
	json_object_object_add(sp, "when", json_object_new_string(dbp_when_text(p, when, sizeof(when))));
	json_object_object_add(sp, "after_seconds",
			       p->when == DBP_WHEN_AFTER || p->when == DBP_WHEN_GRACE ?
			       json_object_new_int(p->when_seconds) :
			       p->when == DBP_WHEN_AT_ONCE ? json_object_new_int(0) : NULL);
	json_object_object_add(sp, "undecided_by", p->unread ?
			       json_object_new_string(p->unread) : NULL);
	/* a prediction from an image is made with no client connected */
	json_object_object_add(sp, "client_sessions", predicted ? NULL :
			       json_object_new_int((int)p->clients));
	/* the time budget of a graceful PostgreSQL, Redis or MariaDB stop, from its log: null
	 * where none was worked out; the basis says what it rests on, or
	 * what was assumed for want of evidence */
	json_object_object_add(sp, "stop_seconds_estimate", p->budget.have_estimate ?
			       json_object_new_double(round(p->budget.seconds * 10) / 10) : NULL);
	json_object_object_add(sp, "stop_seconds_worst", p->budget.worst_seconds > 0 ?
			       json_object_new_double(round(p->budget.worst_seconds * 10) / 10) : NULL);
	json_object_object_add(sp, "stop_estimate_basis", p->budget.judged ?
			       json_object_new_string(p->budget.basis) : NULL);
	/* the restart's budget: the crash recovery a kill of the server now
	 * would cause, the same in every path; null where none was worked out */
	json_object_object_add(sp, "recovery_seconds_estimate", p->recovery.have_estimate ?
			       json_object_new_double(round(p->recovery.seconds * 10) / 10) : NULL);
	json_object_object_add(sp, "recovery_estimate_basis", p->recovery.judged ?
			       json_object_new_string(p->recovery.basis) : NULL);
	json_object_object_add(sp, "stop_estimate_exceeds_grace", p->budget.have_estimate ?
			       json_object_new_boolean(p->budget.over) : NULL);
	return sp;
}

void dbp_image_stop_json(struct json_object *j, const struct dbp_image_facts *f)
{
	struct json_object *paths = json_object_new_array(), *chain = json_object_new_array();

	json_object_object_add(j, "stop_signal_known", json_object_new_boolean(f->stop_signal_known));
	json_object_object_add(j, "grace_seconds", json_object_new_int(f->grace));
	json_object_object_add(j, "grace_from", json_object_new_string(f->grace_from));
	for (size_t i = 0; i < f->chain.nnotes; i++)
		json_object_array_add(chain, json_object_new_string(f->chain.notes[i]));
	json_object_object_add(j, "chain", chain);
	json_object_object_add(j, "stop_path", f->nsp ? dbp_stop_path_json(&f->sp[0], 1) : NULL);
	for (size_t k = 0; k < f->nsp; k++)
		json_object_array_add(paths, dbp_stop_path_json(&f->sp[k], 1));
	json_object_object_add(j, "stop_paths", paths);
}

void dbp_text_stop_lines(const struct dbp_text *t, const char *indent,
			 const struct dbp_stop_path *sp, size_t n)
{
	char when[64], sn[24];

	for (size_t k = 0; k < n; k++)
		fprintf(t->out, "%sstop with %-8s %s, %s\n", indent,
			dbp_signal_name(sp[k].signal, sn, sizeof(sn)), dbp_outcome_name(sp[k].outcome),
			dbp_when_text(&sp[k], when, sizeof(when)));
}

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	struct dbp_opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		/* every command's argp has this child: its usage errors in
		 * dbpod's style (dbp_usage_stream) */
		dbp_usage_stream(state);
		return 0;
	case OPT_FORMAT:
		o->ci_format = DBP_CI_NONE;
		if (!strcmp(arg, "text"))
			o->format = DBP_FORMAT_TEXT;
		else if (!strcmp(arg, "sarif"))
			o->ci_format = DBP_CI_SARIF;
		else if (!strcmp(arg, "junit"))
			o->ci_format = DBP_CI_JUNIT;
		else if (!strcmp(arg, "codequality"))
			o->ci_format = DBP_CI_CODEQUALITY;
		else if (!strcmp(arg, "checkstyle"))
			o->ci_format = DBP_CI_CHECKSTYLE;
		else if (!strcmp(arg, "svg"))
			o->ci_format = DBP_CI_SVG;
		else if (!strcmp(arg, "json"))
			o->format = DBP_FORMAT_JSON;
		else if (!strcmp(arg, "prometheus"))
			o->format = DBP_FORMAT_PROMETHEUS;
		else if (!strcmp(arg, "oneline"))
			o->format = DBP_FORMAT_ONELINE;
		else
			argp_error(state, "unknown format '%s': use " DBP_FORMATS_ALL, arg);
		if (o->ci_format)
			o->format = DBP_FORMAT_TEXT;
		break;
	case OPT_JSON:
		o->ci_format = DBP_CI_NONE;
		o->format = DBP_FORMAT_JSON;
		break;
	case OPT_NO_COLOR:
		o->color = 0;
		break;
	case OPT_IGNORE:
		/* repeated --ignore options add up */
		if (o->ignore) {
			static char *joined;
			char *j;

			if (asprintf(&j, "%s,%s", o->ignore, arg) < 0)
				argp_failure(state, 3, ENOMEM, "out of memory");
			free(joined);
			o->ignore = joined = j;
		} else {
			o->ignore = arg;
		}
		break;
	case OPT_ROOT:
		o->root = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp dbp_global_argp = { global_options, global_parse, NULL, NULL, NULL, NULL, NULL };

static const struct argp_option output_options[] = {
	{ "output", OPT_OUTPUT, "FILE", 0,
	  "Write the output to FILE instead of standard output, as a whole: a "
	  "new file in FILE's directory (mode 0644), renamed over FILE once "
	  "complete, whatever the status (for node-exporter's textfile "
	  "collector and scripts); never through a link", 0 },
	{ 0 }
};

static error_t output_parse(int key, char *arg, struct argp_state *state)
{
	struct dbp_opts *o = state->input;

	if (key != OPT_OUTPUT)
		return ARGP_ERR_UNKNOWN;
	o->out_file = arg;
	return 0;
}

const struct argp dbp_output_argp = { output_options, output_parse, NULL, NULL, NULL, NULL, NULL };

const struct argp_child dbp_global_child[] = {
	{ &dbp_output_argp, 0, "Global options:", 10 },
	{ &dbp_global_argp, 0, NULL, 10 },
	{ 0 }
};

/* snapshot's -o is its recording, a file of another kind */
const struct argp_child dbp_global_child_no_output[] = {
	{ &dbp_global_argp, 0, "Global options:", 10 },
	{ 0 }
};

long long dbp_argp_integer(struct argp_state *state, const char *opt, const char *arg,
			   const char *what, long long min, long long max)
{
	long long v = 0;

	if (dbp_parse_integer(arg, min, max, &v) < 0) {
		if (max == LLONG_MAX)
			argp_error(state, "%s takes %s from %lld, not '%s'", opt, what, min, arg);
		else
			argp_error(state, "%s takes %s from %lld to %lld, not '%s'", opt, what,
				   min, max, arg);
	}
	return v;
}

double dbp_argp_real(struct argp_state *state, const char *opt, const char *arg,
		     const char *what, double min, double max)
{
	double v = 0;

	if (dbp_parse_real(arg, min, max, &v) < 0)
		argp_error(state, "%s takes %s from %g to %g, not '%s'", opt, what, min, max, arg);
	return v;
}

int dbp_argp_seconds(struct argp_state *state, const char *opt, const char *arg)
{
	return (int)dbp_argp_integer(state, opt, arg, "seconds", 0, 86400);
}

void dbp_argp_pid(struct argp_state *state, const char *arg, pid_t **pids, size_t *n)
{
	long long v = 0;
	pid_t *np;

	if (dbp_parse_integer(arg, 1, 4194304, &v) < 0)	/* PID_MAX_LIMIT */
		argp_error(state, "'%s' is not a PID", arg);
	np = realloc(*pids, (*n + 1) * sizeof(*np));
	if (!np)
		argp_failure(state, 3, ENOMEM, "out of memory");
	*pids = np;
	(*pids)[(*n)++] = (pid_t)v;
}

void dbp_argp_live_pid(struct argp_state *state, const char *arg, pid_t **pids, size_t *n)
{
	dbp_argp_pid(state, arg, pids, n);
	/* a PID that names no process is an input that cannot be judged, the
	 * way a missing file is: one line, exit 3, and nothing else judged
	 * (the rules' "gone" findings are left for a process that exits while
	 * dbpod reads it) */
	if (!dbp_pid_alive((*pids)[*n - 1]))
		argp_failure(state, DBP_EXIT_UNKNOWN, 0, "no process %d in this PID namespace: "
			     "it exited, or it is another namespace's PID (`dbpod %s` without "
			     "PIDs lists this one's)", (int)(*pids)[*n - 1],
			     strchr(state->name, ' ') ? strchr(state->name, ' ') + 1 : state->name);
}

const struct argp_child dbp_stop_signal_children[] = {
	{ &dbp_stop_signal_argp, 0, NULL, 0 },
	{ &dbp_output_argp, 0, "Global options:", 10 },
	{ &dbp_global_argp, 0, NULL, 10 },
	{ 0 }
};

/* the commands that predict a stop: the signal and how long it has */
const struct argp_child dbp_stop_grace_children[] = {
	{ &dbp_stop_signal_argp, 0, NULL, 0 },
	{ &dbp_grace_argp, 0, NULL, 0 },
	{ &dbp_output_argp, 0, "Global options:", 10 },
	{ &dbp_global_argp, 0, NULL, 10 },
	{ 0 }
};

/* -o FILE: standard output goes to a temporary file in FILE's directory
 * (opened once, judged as every file dbpod writes: safeopen.h), renamed
 * over FILE when the command is done. A command that ends without
 * finishing (errx, a signal) leaves FILE as it was. */
static struct {
	struct dbp_outdir dir;
	const char *file;	/* -o FILE, for the messages */
	const char *name;
	char tmp[4096];
	int active;
} out = { .dir = { .fd = -1 } };

static void output_abandon(void)
{
	if (out.active)
		dbp_outdir_file_unlink(&out.dir, out.tmp);
	out.active = 0;
}

static void output_begin(const char *file)
{
	int rc = dbp_outdir_open(&out.dir, file, &out.name), fd;

	if (rc < 0)
		errx(DBP_EXIT_UNKNOWN, "cannot write '%s': %s", file,
		     dbp_outdir_strerror(&out.dir, rc));
	fd = dbp_outdir_replace_begin(&out.dir, out.name, out.tmp, sizeof(out.tmp));
	if (fd < 0)
		errx(DBP_EXIT_UNKNOWN, "cannot write '%s': %s", file,
		     dbp_outdir_strerror(&out.dir, fd));
	out.file = file;
	fflush(stdout);
	if (dup2(fd, STDOUT_FILENO) < 0) {
		rc = errno;
		close(fd);
		dbp_outdir_file_unlink(&out.dir, out.tmp);
		errx(DBP_EXIT_UNKNOWN, "cannot write '%s': %s", file, strerror(rc));
	}
	close(fd);
	out.active = 1;
	atexit(output_abandon);
}

int dbp_output_finish(int status)
{
	int rc;

	if (!out.active)
		return status;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("cannot write '%s'", out.file);
		output_abandon();
		return DBP_EXIT_UNKNOWN;
	}
	rc = dbp_outdir_replace_commit(&out.dir, out.tmp, out.name, STDOUT_FILENO);
	out.active = 0;
	if (rc < 0) {
		warnx("cannot write '%s': %s", out.file, dbp_outdir_strerror(&out.dir, rc));
		return DBP_EXIT_UNKNOWN;
	}
	return status;
}

int dbp_argp_parse(const struct argp *argp, int argc, char **argv, void *input,
		   const struct dbp_opts *o)
{
	int rc;

	dbp_usage_unknown_options(argp, argc, argv, 0);
	rc = argp_parse(argp, argc, argv, 0, NULL, input);
	dbp_usage_flush();

	if (o->ci_format == DBP_CI_SVG && !o->svg_ok)
		dbp_usage_error(argv[0], "--format=svg is postmortem --timeline's: use "
				DBP_FORMATS_ALL);
	if (o->ci_format && o->ci_format != DBP_CI_SVG && !o->ci_formats_ok)
		dbp_usage_error(argv[0], "sarif, junit, codequality and checkstyle are "
				"dbpod lint's: use " DBP_FORMATS_ALL);
	/* the output's file is opened once the options are known good, and
	 * before anything is read: a refusal costs nothing */
	if (o->out_file && !o->output_own)
		output_begin(o->out_file);
	return rc;
}

void dbp_text_init(struct dbp_text *t, const struct dbp_opts *o)
{
	struct winsize ws;
	const char *nc = getenv("NO_COLOR"), *cols = getenv("COLUMNS");
	int tty = isatty(STDOUT_FILENO);
	long long c = 0;

	t->out = stdout;
	t->width = 80;
	/* COLUMNS first, as ps(1) takes it (COLUMNS=1000 for a line per
	 * entry in a pipe), then the terminal's, never past 120 where lines
	 * get hard to follow; 80 when neither says */
	if (cols && dbp_parse_integer(cols, 1, 100000, &c) == 0)
		t->width = c < 40 ? 40 : (int)c;	/* narrower is not readable */
	else if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		t->width = ws.ws_col < 120 ? ws.ws_col : 120;
	if (o->color < 0)
		t->color = tty && !(nc && *nc) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	else
		t->color = o->color;
}

void dbp_warnx(const char *fmt, ...)
{
	char *msg = NULL, *e;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	e = msg ? dbp_escape_text_dup(msg) : NULL;
	warnx("%s", e ? e : "out of memory");
	free(e);
	free(msg);
}
