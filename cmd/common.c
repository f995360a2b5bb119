/*
 * The options every command shares (global ones, --stop-signal, --grace),
 * the numbers of options, and the text output's terminal (check.c runs a
 * check and renders its result).
 */
#include "config.h"

#include <err.h>
#include <signal.h>
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dbpod.h"
#include "escape.h"
#include "numparse.h"
#include "rules_pid1.h"

enum dbp_format opt_format = DBP_FORMAT_TEXT;
enum dbp_ci_format opt_ci_format = DBP_CI_NONE;
int dbp_ci_formats_ok;
int opt_color = -1;		/* -1: decide from the TTY */
const char *opt_ignore;
const char *opt_root;

enum {
	OPT_FORMAT = 0x100,
	OPT_JSON,
	OPT_NO_COLOR,
	OPT_IGNORE,
	OPT_ROOT,
	OPT_STOP_SIGNAL,
	OPT_GRACE,
};

static const struct argp_option global_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", 0,
	  "Output format: text (default), json or prometheus; dbpod lint also "
	  "sarif, junit, codequality or checkstyle", 0 },
	{ "json", OPT_JSON, NULL, 0, "Short for --format=json", 0 },
	{ "no-color", OPT_NO_COLOR, NULL, 0,
	  "Never colour the text (also when NO_COLOR is set)", 0 },
	{ "ignore", OPT_IGNORE, "ID[,ID...]", 0,
	  "Drop findings with these ids before judging the status", 0 },
	{ "root", OPT_ROOT, "DIR", 0,
	  "Read cgroup, sysctl and meminfo files below DIR instead of / "
	  "(also DBPOD_ROOT)", 0 },
	{ 0 }
};

int opt_stop_signal = SIGTERM;
int opt_stop_signal_given;

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
	if (key != OPT_STOP_SIGNAL)
		return ARGP_ERR_UNKNOWN;
	opt_stop_signal = dbp_signal_parse(arg);
	opt_stop_signal_given = 1;
	if (opt_stop_signal < 0)
		argp_error(state, "unknown signal '%s'", arg);
	return 0;
}

const struct argp dbp_stop_signal_argp = {
	stop_signal_options, stop_signal_parse, NULL, NULL, NULL, NULL, NULL
};

int opt_grace = 30;

static const struct argp_option grace_options[] = {
	{ "grace", OPT_GRACE, "SECONDS", 0,
	  "The grace period before SIGKILL (default 30, Kubernetes' "
	  "terminationGracePeriodSeconds; docker stop waits 10)", 0 },
	{ 0 }
};

static error_t grace_parse(int key, char *arg, struct argp_state *state)
{
	if (key != OPT_GRACE)
		return ARGP_ERR_UNKNOWN;
	opt_grace = dbp_argp_seconds(state, "--grace", arg);
	return 0;
}

const struct argp dbp_grace_argp = {
	grace_options, grace_parse, NULL, NULL, NULL, NULL, NULL
};

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_FORMAT:
		opt_ci_format = DBP_CI_NONE;
		if (!strcmp(arg, "text"))
			opt_format = DBP_FORMAT_TEXT;
		else if (!strcmp(arg, "sarif"))
			opt_ci_format = DBP_CI_SARIF;
		else if (!strcmp(arg, "junit"))
			opt_ci_format = DBP_CI_JUNIT;
		else if (!strcmp(arg, "codequality"))
			opt_ci_format = DBP_CI_CODEQUALITY;
		else if (!strcmp(arg, "checkstyle"))
			opt_ci_format = DBP_CI_CHECKSTYLE;
		else if (!strcmp(arg, "json"))
			opt_format = DBP_FORMAT_JSON;
		else if (!strcmp(arg, "prometheus"))
			opt_format = DBP_FORMAT_PROMETHEUS;
		else
			argp_error(state, "unknown format '%s': use text, json or prometheus "
				   "(dbpod lint: also sarif, junit, codequality, checkstyle)", arg);
		if (opt_ci_format)
			opt_format = DBP_FORMAT_TEXT;
		break;
	case OPT_JSON:
		opt_ci_format = DBP_CI_NONE;
		opt_format = DBP_FORMAT_JSON;
		break;
	case OPT_NO_COLOR:
		opt_color = 0;
		break;
	case OPT_IGNORE:
		/* repeated --ignore options add up */
		if (opt_ignore) {
			static char *joined;
			char *j;

			if (asprintf(&j, "%s,%s", opt_ignore, arg) < 0)
				argp_failure(state, 3, ENOMEM, "out of memory");
			free(joined);
			opt_ignore = joined = j;
		} else {
			opt_ignore = arg;
		}
		break;
	case OPT_ROOT:
		opt_root = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp dbp_global_argp = { global_options, global_parse, NULL, NULL, NULL, NULL, NULL };

const struct argp_child dbp_global_child[] = {
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

const struct argp_child dbp_stop_signal_children[] = {
	{ &dbp_stop_signal_argp, 0, NULL, 0 },
	{ &dbp_global_argp, 0, "Global options:", 10 },
	{ 0 }
};

/* the commands that predict a stop: the signal and how long it has */
const struct argp_child dbp_stop_grace_children[] = {
	{ &dbp_stop_signal_argp, 0, NULL, 0 },
	{ &dbp_grace_argp, 0, NULL, 0 },
	{ &dbp_global_argp, 0, "Global options:", 10 },
	{ 0 }
};

int dbp_argp_parse(const struct argp *argp, int argc, char **argv, void *input)
{
	int rc = argp_parse(argp, argc, argv, 0, NULL, input);

	if (opt_ci_format && !dbp_ci_formats_ok)
		errx(DBP_EXIT_UNKNOWN, "%s does not write the CI formats (sarif, junit, "
		     "codequality, checkstyle): use them with `dbpod lint`, or use "
		     "--format=text, json or prometheus", argv[0]);
	return rc;
}

void dbp_text_init(struct dbp_text *t)
{
	struct winsize ws;
	const char *nc = getenv("NO_COLOR");
	int tty = isatty(STDOUT_FILENO);

	t->out = stdout;
	t->width = 80;
	if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		t->width = ws.ws_col < 120 ? ws.ws_col : 120;
	if (opt_color < 0)
		t->color = tty && !(nc && *nc) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	else
		t->color = opt_color;
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
