/*
 * dbpod doctor: every live check that applies, one screen, one status.
 *
 * Each check runs exactly as its own command would (same function, same
 * shared options, its own options' defaults), so doctor says nothing a
 * single check would not; lib's rules_doctor merges, drops the duplicate
 * of a cause two checks both see, and ranks (doctor_run.c). This file
 * parses the options and renders one namespace's run; --all-containers
 * hands them to node mode (doctor_node.c).
 * The checks judge copies of one reading of the process table, so that
 * /proc is walked once and every finding describes the same instant.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbpod.h"
#include "doctor.h"
#include "timestamp.h"

/* what the parser fills: the shared options, then doctor's own */
struct opts {
	struct dbp_opts g;
	int verbose;			/* -v, --verbose */
	struct doctor_node_opts node;	/* --all-containers, --all, --every */
};

enum { OPT_ALL_CONTAINERS = 0x200, OPT_ALL, OPT_EVERY };

static const struct argp_option options[] = {
	{ "verbose", 'v', NULL, 0, "Also list the findings of severity info", 0 },
	{ NULL, 0, NULL, 0, "Node mode (run on the host, or with hostPID):", 1 },
	{ "all-containers", OPT_ALL_CONTAINERS, NULL, 0,
	  "Judge every other PID namespace visible here (every container of the "
	  "node) as if dbpod ran inside it, and print one line, object or "
	  "labelled series set per container", 1 },
	{ "all", OPT_ALL, NULL, 0,
	  "With --all-containers: also the namespaces without a database server", 1 },
	{ "every", OPT_EVERY, "SECONDS", 0,
	  "Run again every SECONDS (1 to 86400) until SIGTERM or SIGINT, "
	  "rewriting FILE each time; not where a database server would reap it", 1 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		dbp_argp_share(state, &o->g);
		break;
	case 'v':
		o->verbose = 1;
		break;
	case OPT_ALL_CONTAINERS:
		o->node.on = 1;
		break;
	case OPT_ALL:
		o->node.all = 1;
		break;
	case OPT_EVERY:
		o->node.every = (int)dbp_argp_integer(state, "--every", arg, "seconds", 1, 86400);
		break;
	case ARGP_KEY_END:
		/* node mode writes -o FILE itself, once per run of --every */
		o->g.output_own = o->node.on;
		if (o->node.all && !o->node.on)
			argp_error(state, "--all goes with --all-containers");
		if (o->node.every > 0 && !o->node.on)
			argp_error(state, "--every goes with --all-containers");
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse, NULL,
	"Run every live check that applies (pid1check, signals, oomscore, "
	"overcommit, and lockfile where PostgreSQL runs or PGDATA is set) and "
	"print one "
	"screen: a line per check with its status, then the findings worth "
	"acting on, most severe first, each with its fix. The exit status is "
	"the worst of the checks.",
	dbp_stop_grace_children, NULL, NULL
};

/* The line per check and the stop lines: doctor's screen and, in node
 * mode, nothing (its table has a line per container). */
static void text_checks(const struct dbp_text *t, const struct doctor_run *d)
{
	char sev[32];

	for (size_t c = 0; c < d->n; c++) {
		const struct dbp_report *r = &d->res[c].report;
		static const enum dbp_severity order[] = { DBP_CRITICAL, DBP_WARNING, DBP_UNKNOWN, DBP_INFO };
		char counts[128] = "";
		size_t len = 0;

		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			size_t m = dbp_report_count(r, order[k]);

			if (m)
				len += (size_t)snprintf(counts + len, sizeof(counts) - len, "%s%zu %s",
							len ? ", " : "", m, dbp_severity_name(order[k]));
		}
		fprintf(t->out, "  %-12s %-8s  %s\n", r->command,
			dbp_text_severity(t, dbp_report_status(r), sev, sizeof(sev)),
			len ? counts : "nothing to report");
	}
	for (size_t k = 0; k < d->nskipped; k++)
		fprintf(t->out, "  %-12s %-8s  not applicable here\n", d->skipped[k], "-");
	/* what a stop will do, a line per stop signal judged (both SIGTERM
	 * and SIGINT when the image's STOPSIGNAL was not given) */
	for (size_t c = 0; c < d->n; c++) {
		struct json_object *paths;

		if (strcmp(d->res[c].report.command, "signals") || !d->res[c].facts ||
		    !json_object_object_get_ex(d->res[c].facts, "stop_paths", &paths))
			continue;
		fputc('\n', t->out);
		for (size_t k = 0; k < json_object_array_length(paths); k++) {
			struct json_object *p = json_object_array_get_idx(paths, k), *v;
			const char *sig = "", *out = "", *at = "";

			if (json_object_object_get_ex(p, "signal", &v))
				sig = json_object_get_string(v);
			if (json_object_object_get_ex(p, "outcome", &v))
				out = json_object_get_string(v);
			if (json_object_object_get_ex(p, "when", &v))
				at = json_object_get_string(v);
			fprintf(t->out, "  stop with %-8s %s, %s", sig, out, at);
			/* the stop's time budget, where the server's log gave one */
			if (json_object_object_get_ex(p, "stop_seconds_estimate", &v) && v)
				fprintf(t->out, " (shutdown about %.1f s)", json_object_get_double(v));
			fputc('\n', t->out);
		}
	}
}

static void text(const struct doctor_run *d, const struct opts *o)
{
	struct dbp_text t;
	struct dbp_report shown;
	char when[32];
	time_t now = time(NULL);
	const struct dbp_report *all = &d->all;

	dbp_text_init(&t, &o->g);
	fprintf(t.out, "dbpod doctor, %s UTC%s\n\n", dbp_time_format((double)now, when, sizeof(when)),
		/* pid1check's DBP110: said first, since it changes what every
		 * line below means */
		dbp_report_has(all, "DBP110", 1) ? ", on the host: not a container (the "
		"container checks of PID 1 and the stop do not apply; --all-containers "
		"judges each container)" : "");
	text_checks(&t, d);
	fputc('\n', t.out);
	/* the findings worth acting on; info only when asked */
	dbp_report_init(&shown, "doctor");
	dbp_report_filter(&shown, all, o->verbose ? DBP_OK : DBP_UNKNOWN);
	dbp_text_findings(&t, &shown);
	dbp_report_free(&shown);
	if (!o->verbose && dbp_report_count(all, DBP_INFO))
		fprintf(t.out, "(%zu finding%s of severity info not shown: --verbose)\n\n",
			dbp_report_count(all, DBP_INFO), dbp_report_count(all, DBP_INFO) == 1 ? "" : "s");
	dbp_text_status(&t, all);
}

int cmd_doctor(int argc, char **argv, const struct dbp_opts *g)
{
	struct opts o = { .g = *g, .node = { .every = -1 } };
	struct doctor_run d;
	int rc;

	dbp_argp_parse(&argp, argc, argv, &o, &o.g);
	/* --every runs for weeks: never where a database server reaps it */
	if (o.node.every > 0 && (rc = dbp_guard_reaper(DBP_GUARD_NODE, argc, argv)) >= 0)
		return rc;
	if (o.node.on)
		return doctor_node(&o.node, &o.g);
	/* one reading of /proc for every check: one instant, one pass; the
	 * masks of every process only for JSON, whose signals section lists
	 * them all */
	dbp_live_share(DBP_HAVE_STATUS | DBP_HAVE_OOM |
		       (o.g.format == DBP_FORMAT_JSON ? DBP_WANT_STATUS_ALL : 0));
	doctor_judge(&d, &o.g);
	dbp_live_unshare();

	switch (o.g.format) {
	case DBP_FORMAT_JSON: {
		struct json_object *j = doctor_json(&d);

		dbp_json_print(stdout, j, isatty(STDOUT_FILENO));
		json_object_put(j);
		break;
	}
	case DBP_FORMAT_PROMETHEUS: {
		struct dbp_metrics m;

		dbp_metrics_init(&m);
		doctor_metrics(&d, &m);
		dbp_metrics_render(stdout, &m);
		dbp_metrics_free(&m);
		break;
	}
	case DBP_FORMAT_ONELINE:
		dbp_oneline_findings(stdout, &d.all, NULL);
		break;
	case DBP_FORMAT_TEXT:
		text(&d, &o);
		break;
	}
	doctor_free(&d);
	return d.status;
}
