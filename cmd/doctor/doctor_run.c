/*
 * doctor's run, shared by its one-namespace form (doctor.c) and node mode
 * (doctor_node.c): every live check on the table dbp_live_* serves, each
 * run exactly as its own command would, merged and ranked by lib's
 * rules_doctor; and what is rendered of it.
 */
#include "config.h"

#include <errno.h>

#include "dbpod.h"
#include "doctor.h"
#include "rules_doctor.h"

static const struct {
	const char *name;
	dbp_check_fn *run;
} checks[] = {
	{ "pid1check", check_pid1 },
	{ "signals", check_signals },
	{ "oomscore", check_oomscore },
	{ "overcommit", check_overcommit },
	{ "lockfile", check_lockfile },	/* -ENOENT: no PostgreSQL here */
};

_Static_assert(sizeof(checks) / sizeof(checks[0]) == DOCTOR_NCHECKS, "doctor.h's count");

void doctor_judge(struct doctor_run *d, const struct dbp_opts *o)
{
	const struct dbp_report *parts[DOCTOR_NCHECKS];

	d->n = d->nskipped = 0;
	for (size_t c = 0; c < DOCTOR_NCHECKS; c++) {
		/* -ENOENT: the check does not apply here (no PostgreSQL) */
		if (dbp_check_run(checks[c].name, checks[c].run, o, &d->res[d->n]) == -ENOENT &&
		    !d->res[d->n].report.n) {
			dbp_result_free(&d->res[d->n]);
			d->skipped[d->nskipped++] = checks[c].name;
			continue;
		}
		dbp_result_finish(&d->res[d->n], o);
		parts[d->n] = &d->res[d->n].report;
		d->n++;
	}
	dbp_report_init(&d->all, "doctor");
	dbp_rules_doctor(parts, d->n, &d->all);
	d->status = dbp_severity_exit(dbp_report_status(&d->all));
}

struct json_object *doctor_json(struct doctor_run *d)
{
	struct json_object *facts = json_object_new_object();
	struct json_object *list = json_object_new_array();

	for (size_t c = 0; c < d->n; c++) {
		json_object_array_add(list, dbp_report_json(&d->res[c].report, d->res[c].facts));
		d->res[c].facts = NULL;
	}
	json_object_object_add(facts, "checks", list);
	json_object_object_add(facts, "host", json_object_new_boolean(
		dbp_report_has(&d->all, "DBP110", 1)));
	return dbp_report_json(&d->all, facts);
}

void doctor_metrics(const struct doctor_run *d, struct dbp_metrics *m)
{
	dbp_report_metrics(&d->all, m);
	for (size_t c = 0; c < d->n; c++) {
		dbp_report_metrics(&d->res[c].report, m);
		dbp_metrics_merge(m, &d->res[c].metrics);
	}
}

void doctor_free(struct doctor_run *d)
{
	for (size_t c = 0; c < d->n; c++)
		dbp_result_free(&d->res[c]);
	dbp_report_free(&d->all);
	d->n = 0;
}

