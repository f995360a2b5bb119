/*
 * Global options and the end of every check: --ignore, format, exit code.
 */
#include "config.h"

#include <err.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dbpod.h"
#include "procenv.h"
#include "procread.h"
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

void dbp_pid1_input_init(const struct dbp_table *t, struct dbp_pid1_input *in, char *tkg)
{
	const struct dbp_proc *p1 = dbp_table_find(t, 1);

	in->stop_signal = opt_stop_signal;
	in->stop_signal_given = opt_stop_signal_given;
	in->hidepid = dbp_proc_hidepid() > 0;
	in->tini_kill_group = NULL;
	/* tini's one environment switch; nothing else is read from environ */
	if (p1 && dbp_init_forwarding(p1, NULL) == DBP_FWD_CHILD &&
	    strcmp(p1->comm, "catatonit") &&
	    dbp_environ_get(NULL, 1, "TINI_KILL_PROCESS_GROUP", tkg, 16) == 0)
		in->tini_kill_group = tkg;
}

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

int dbp_argp_seconds(struct argp_state *state, const char *opt, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 0 || v > 86400)
		argp_error(state, "%s takes seconds from 0 to 86400, not '%s'", opt, arg);
	return (int)v;
}

void dbp_argp_pid(struct argp_state *state, const char *arg, pid_t **pids, size_t *n)
{
	pid_t *np;
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v < 1 || v > 4194304)	/* PID_MAX_LIMIT */
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

/* doctor's one reading of /proc (dbp_live_share): while it is set, every
 * check judges it (borrowed, not copied) instead of walking /proc again,
 * so that its findings describe one instant and /proc is read once */
static struct dbp_table shared_table;
static int shared_rc, shared_on;
static unsigned shared_want;

void dbp_live_share(unsigned want)
{
	dbp_table_init(&shared_table);
	shared_rc = dbp_table_read_live(&shared_table, want);
	shared_want = want;
	shared_on = 1;
}

void dbp_live_unshare(void)
{
	dbp_table_free(&shared_table);
	shared_on = 0;
}

int dbp_live_table(struct dbp_table *t, unsigned want)
{
	if (!shared_on || (shared_want & want) != want)
		return dbp_table_read_live(t, want);
	if (shared_rc < 0)
		return shared_rc;
	dbp_table_borrow(t, &shared_table);
	return 0;
}

int dbp_read_table(struct dbp_result *res, struct dbp_table *t, const char *id, unsigned want)
{
	int rc = dbp_live_table(t, want);

	if (rc < 0) {
		struct dbp_finding *x = dbp_report_add(&res->report, id, DBP_UNKNOWN, 0,
			"The process table cannot be read from /proc: %s.", strerror(-rc));

		dbp_finding_advise(x, "run dbpod where /proc is mounted (inside the container).");
	}
	return rc;
}

void dbp_result_init(struct dbp_result *res, const char *command)
{
	memset(res, 0, sizeof(*res));
	dbp_report_init(&res->report, command);
	dbp_metrics_init(&res->metrics);
}

void dbp_result_free(struct dbp_result *res)
{
	dbp_report_free(&res->report);
	json_object_put(res->facts);
	dbp_metrics_free(&res->metrics);
	if (res->view_free)
		res->view_free(res->view);
	memset(res, 0, sizeof(*res));
}

int dbp_result_finish(struct dbp_result *res)
{
	if (opt_ignore)
		dbp_report_ignore(&res->report, opt_ignore);
	dbp_report_sort(&res->report);
	return dbp_severity_exit(dbp_report_status(&res->report));
}

void dbp_result_status_metrics(const struct dbp_result *res, struct dbp_metrics *m)
{
	const struct dbp_report *r = &res->report;

	dbp_metric(m, "dbpod_check_status", "gauge",
		   "Status of a dbpod check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
		   dbp_severity_exit(dbp_report_status(r)), "check", r->command, NULL);
	for (size_t i = 0; i < r->n; i++) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", (int)r->items[i].pid);
		dbp_metric(m, "dbpod_finding", "gauge",
			   "A finding of a dbpod check, 1 while it holds.", 1,
			   "check", r->command, "id", r->items[i].id,
			   "severity", dbp_severity_name(r->items[i].severity),
			   "pid", pid, NULL);
	}
}

int dbp_emit_report(struct dbp_report *r, struct json_object *facts,
		    void (*text_facts)(const struct dbp_text *t, void *view), void *view)
{
	struct dbp_result res;
	int rc;

	dbp_result_init(&res, r->command);
	dbp_report_free(&res.report);
	res.report = *r;		/* borrowed: handed back below */
	res.facts = facts;
	res.text_facts = text_facts;
	res.view = view;
	rc = dbp_emit(&res);
	*r = res.report;		/* --ignore and sorting apply to the caller's */
	memset(&res.report, 0, sizeof(res.report));
	dbp_result_free(&res);
	return rc;
}

int dbp_emit(struct dbp_result *res)
{
	struct dbp_text t;
	int status = dbp_result_finish(res);

	switch (opt_format) {
	case DBP_FORMAT_JSON: {
		struct json_object *o = dbp_report_json(&res->report, res->facts);

		res->facts = NULL;	/* now o's */
		dbp_json_print(stdout, o, isatty(STDOUT_FILENO));
		json_object_put(o);
		return status;
	}
	case DBP_FORMAT_PROMETHEUS: {
		struct dbp_metrics m;

		dbp_metrics_init(&m);
		dbp_result_status_metrics(res, &m);
		dbp_metrics_merge(&m, &res->metrics);
		dbp_metrics_render(stdout, &m);
		dbp_metrics_free(&m);
		return status;
	}
	case DBP_FORMAT_TEXT:
		break;
	}
	dbp_text_init(&t);
	if (res->text_facts) {
		res->text_facts(&t, res->view);
		fputc('\n', stdout);
	}
	dbp_text_findings(&t, &res->report);
	dbp_text_status(&t, &res->report);
	return status;
}

int dbp_run_check(int (*check)(struct dbp_result *res))
{
	struct dbp_result res;
	int rc;

	check(&res);
	rc = dbp_emit(&res);
	dbp_result_free(&res);
	return rc;
}
