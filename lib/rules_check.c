/*
 * What every check says when it cannot judge (rules_check.h).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "rules_check.h"

static const struct {
	const char *command, *id;
} unknown_ids[] = {
	{ "pid1check", "DBP100" },
	{ "signals", "DBS200" },
	{ "oomscore", "DBO300" },
	{ "overcommit", "DBC400" },
	{ "lockfile", "DBL500" },
	{ "imagecheck", "DBI600" },
	{ "lint", "DBI600" },
};

const char *dbp_check_unknown_id(const char *command)
{
	for (size_t i = 0; command && i < sizeof(unknown_ids) / sizeof(unknown_ids[0]); i++)
		if (!strcmp(command, unknown_ids[i].command))
			return unknown_ids[i].id;
	return NULL;
}

/* The id for r's findings: its check's, or a generic one for a report
 * of something that is not a check (none today). */
static const char *id_of(const struct dbp_report *r)
{
	const char *id = dbp_check_unknown_id(r->command);

	return id ? id : "DBP100";
}

void dbp_rules_table_unreadable(struct dbp_report *r, int err)
{
	struct dbp_finding *x = dbp_report_add(r, id_of(r), DBP_UNKNOWN, 0,
		"The process table cannot be read from /proc: %s.", strerror(-err));

	dbp_finding_advise(x, "run dbpod where /proc is mounted (inside the container).");
}

int dbp_rules_check_failed(struct dbp_report *r, int rc)
{
	struct dbp_finding *x;

	if (rc >= 0 || (rc == -ENOENT && !r->n) || dbp_report_count(r, DBP_UNKNOWN))
		return 0;
	x = dbp_report_add(r, id_of(r), DBP_UNKNOWN, 0,
		"dbpod %s stopped before it was done: %s. What it did not judge is "
		"not known to be OK.", r->command ? r->command : "doctor", strerror(-rc));
	dbp_finding_advise(x, "run the check again; if it fails the same way, run "
		"`dbpod %s` alone and report the error with its output.",
		r->command ? r->command : "doctor");
	return x != NULL;
}
