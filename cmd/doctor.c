/*
 * dbpod doctor: every live check that applies, one screen, one status.
 *
 * Each check runs exactly as its own command would (same function, same
 * options), so doctor says nothing a single check would not; lib's
 * rules_doctor merges, drops the duplicate of a cause two checks both
 * see, and ranks.
 * The checks judge copies of one reading of the process table, so that
 * /proc is walked once and every finding describes the same instant.
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dbpod.h"
#include "rules_doctor.h"

static int opt_verbose;		/* -v, --verbose */

static const struct {
	const char *name;
	int (*run)(struct dbp_result *res);
} checks[] = {
	{ "pid1check", check_pid1 },
	{ "signals", check_signals },
	{ "oomscore", check_oomscore },
	{ "overcommit", check_overcommit },
	{ "lockfile", check_lockfile },	/* -ENOENT: no PostgreSQL here */
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

static const struct argp_option options[] = {
	{ "verbose", 'v', NULL, 0, "Also list the findings of severity info", 0 },
	{ 0 }
};

static error_t parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'v':
		opt_verbose = 1;
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

static void text(const struct dbp_report *all, struct dbp_result *res, size_t n,
		 const char *const *skipped, size_t nskipped)
{
	struct dbp_text t;
	struct dbp_report shown;
	char sev[32], when[32];
	time_t now = time(NULL);

	dbp_text_init(&t);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	fprintf(t.out, "dbpod doctor, %s\n\n", when);
	for (size_t c = 0; c < n; c++) {
		const struct dbp_report *r = &res[c].report;
		static const enum dbp_severity order[] = { DBP_CRITICAL, DBP_WARNING, DBP_UNKNOWN, DBP_INFO };
		char counts[128] = "";
		size_t len = 0;

		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			size_t m = dbp_report_count(r, order[k]);

			if (m)
				len += (size_t)snprintf(counts + len, sizeof(counts) - len, "%s%zu %s",
							len ? ", " : "", m, dbp_severity_name(order[k]));
		}
		fprintf(t.out, "  %-12s %-8s  %s\n", r->command,
			dbp_text_severity(&t, dbp_report_status(r), sev, sizeof(sev)),
			len ? counts : "nothing to report");
	}
	for (size_t k = 0; k < nskipped; k++)
		fprintf(t.out, "  %-12s %-8s  not applicable here\n", skipped[k], "-");
	/* what a stop will do, a line per stop signal judged (both SIGTERM
	 * and SIGINT when the image's STOPSIGNAL was not given) */
	for (size_t c = 0; c < n; c++) {
		struct json_object *paths;

		if (strcmp(res[c].report.command, "signals") || !res[c].facts ||
		    !json_object_object_get_ex(res[c].facts, "stop_paths", &paths))
			continue;
		fputc('\n', t.out);
		for (size_t k = 0; k < json_object_array_length(paths); k++) {
			struct json_object *p = json_object_array_get_idx(paths, k), *v;
			const char *sig = "", *out = "", *at = "";

			if (json_object_object_get_ex(p, "signal", &v))
				sig = json_object_get_string(v);
			if (json_object_object_get_ex(p, "outcome", &v))
				out = json_object_get_string(v);
			if (json_object_object_get_ex(p, "when", &v))
				at = json_object_get_string(v);
			fprintf(t.out, "  stop with %-8s %s, %s\n", sig, out, at);
		}
	}
	fputc('\n', t.out);
	/* the findings worth acting on; info only when asked */
	dbp_report_init(&shown, "doctor");
	dbp_report_filter(&shown, all, opt_verbose ? DBP_OK : DBP_UNKNOWN);
	dbp_text_findings(&t, &shown);
	dbp_report_free(&shown);
	if (!opt_verbose && dbp_report_count(all, DBP_INFO))
		fprintf(t.out, "(%zu finding%s of severity info not shown: --verbose)\n\n",
			dbp_report_count(all, DBP_INFO), dbp_report_count(all, DBP_INFO) == 1 ? "" : "s");
	dbp_text_status(&t, all);
}

int cmd_doctor(int argc, char **argv)
{
	struct dbp_result res[NCHECKS];
	const struct dbp_report *parts[NCHECKS];
	const char *skipped[NCHECKS];
	size_t n = 0, nskipped = 0;
	struct dbp_report all;
	int status;

	dbp_argp_parse(&argp, argc, argv, NULL);
	/* one reading of /proc for every check: one instant, one pass */
	dbp_live_share(DBP_HAVE_STATUS | DBP_HAVE_OOM);
	for (size_t c = 0; c < NCHECKS; c++) {
		/* -ENOENT: the check does not apply here (no PostgreSQL) */
		if (dbp_check_run(checks[c].name, checks[c].run, &res[n]) == -ENOENT &&
		    !res[n].report.n) {
			dbp_result_free(&res[n]);
			skipped[nskipped++] = checks[c].name;
			continue;
		}
		dbp_result_finish(&res[n]);
		parts[n] = &res[n].report;
		n++;
	}
	dbp_live_unshare();
	dbp_report_init(&all, "doctor");
	dbp_rules_doctor(parts, n, &all);
	status = dbp_severity_exit(dbp_report_status(&all));

	switch (opt_format) {
	case DBP_FORMAT_JSON: {
		struct json_object *facts = json_object_new_object();
		struct json_object *list = json_object_new_array();
		struct json_object *o;

		for (size_t c = 0; c < n; c++) {
			json_object_array_add(list, dbp_report_json(&res[c].report, res[c].facts));
			res[c].facts = NULL;
		}
		json_object_object_add(facts, "checks", list);
		o = dbp_report_json(&all, facts);
		dbp_json_print(stdout, o, isatty(STDOUT_FILENO));
		json_object_put(o);
		break;
	}
	case DBP_FORMAT_PROMETHEUS: {
		struct dbp_metrics m;

		dbp_metrics_init(&m);
		dbp_report_metrics(&all, &m);
		for (size_t c = 0; c < n; c++) {
			dbp_report_metrics(&res[c].report, &m);
			dbp_metrics_merge(&m, &res[c].metrics);
		}
		dbp_metrics_render(stdout, &m);
		dbp_metrics_free(&m);
		break;
	}
	case DBP_FORMAT_TEXT:
		text(&all, res, n, skipped, nskipped);
		break;
	}
	for (size_t c = 0; c < n; c++)
		dbp_result_free(&res[c]);
	dbp_report_free(&all);
	return status;
}
