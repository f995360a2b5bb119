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
};

static const struct argp_option global_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", 0,
	  "Output format: text (default), json or prometheus", 0 },
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

static const struct argp_option stop_signal_options[] = {
	{ "stop-signal", OPT_STOP_SIGNAL, "SIG", 0,
	  "The signal the runtime sends to stop the container (the image's "
	  "STOPSIGNAL; default SIGTERM). A name (SIGINT, INT) or a number", 0 },
	{ 0 }
};

static error_t stop_signal_parse(int key, char *arg, struct argp_state *state)
{
	if (key != OPT_STOP_SIGNAL)
		return ARGP_ERR_UNKNOWN;
	opt_stop_signal = dbp_signal_parse(arg);
	if (opt_stop_signal < 0)
		argp_error(state, "unknown signal '%s'", arg);
	return 0;
}

const struct argp dbp_stop_signal_argp = {
	stop_signal_options, stop_signal_parse, NULL, NULL, NULL, NULL, NULL
};

void dbp_pid1_input_init(const struct dbp_table *t, struct dbp_pid1_input *in, char *tkg)
{
	const struct dbp_proc *p1 = dbp_table_find(t, 1);

	in->stop_signal = opt_stop_signal;
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
		if (!strcmp(arg, "text"))
			opt_format = DBP_FORMAT_TEXT;
		else if (!strcmp(arg, "json"))
			opt_format = DBP_FORMAT_JSON;
		else if (!strcmp(arg, "prometheus"))
			opt_format = DBP_FORMAT_PROMETHEUS;
		else
			argp_error(state, "unknown format '%s': use text, json or prometheus", arg);
		break;
	case OPT_JSON:
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

const struct argp_child dbp_stop_signal_children[] = {
	{ &dbp_stop_signal_argp, 0, NULL, 0 },
	{ &dbp_global_argp, 0, "Global options:", 10 },
	{ 0 }
};

int dbp_argp_parse(const struct argp *argp, int argc, char **argv, void *input)
{
	return argp_parse(argp, argc, argv, 0, NULL, input);
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

static void prom_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*s, out);
	}
}

static void emit_prometheus(const struct dbp_report *r)
{
	printf("# HELP dbpod_check_status Status of a dbpod check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
	       "# TYPE dbpod_check_status gauge\n"
	       "dbpod_check_status{check=\"%s\"} %d\n",
	       r->command, dbp_severity_exit(dbp_report_status(r)));
	printf("# HELP dbpod_finding A finding of a dbpod check, 1 while it holds.\n"
	       "# TYPE dbpod_finding gauge\n");
	for (size_t i = 0; i < r->n; i++) {
		printf("dbpod_finding{check=\"%s\",id=\"", r->command);
		prom_escape(stdout, r->items[i].id);
		printf("\",severity=\"%s\",pid=\"%d\"} 1\n",
		       dbp_severity_name(r->items[i].severity), (int)r->items[i].pid);
	}
}

int dbp_emit(struct dbp_report *r, struct json_object *facts,
	     void (*text_facts)(const struct dbp_text *t, void *arg), void *arg)
{
	struct dbp_text t;
	int status;

	if (opt_ignore)
		dbp_report_ignore(r, opt_ignore);
	dbp_report_sort(r);
	status = dbp_severity_exit(dbp_report_status(r));

	switch (opt_format) {
	case DBP_FORMAT_JSON: {
		struct json_object *o = dbp_report_json(r, facts);

		dbp_json_print(stdout, o, isatty(STDOUT_FILENO));
		json_object_put(o);
		return status;
	}
	case DBP_FORMAT_PROMETHEUS:
		json_object_put(facts);
		emit_prometheus(r);
		return status;
	case DBP_FORMAT_TEXT:
		break;
	}
	json_object_put(facts);
	dbp_text_init(&t);
	if (text_facts) {
		text_facts(&t, arg);
		fputc('\n', stdout);
	}
	dbp_text_findings(&t, r);
	dbp_text_status(&t, r);
	return status;
}
