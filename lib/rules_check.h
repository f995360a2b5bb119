/*
 * What every check says when it cannot judge: the process table could not
 * be read, or the check stopped with an error before it was done.
 *
 * A check that fails is never OK: its report gets an unknown finding
 * (exit status 3) with the check's own "could not judge" id, the x00 of
 * its range, documented in its man page:
 *   pid1check DBP100, signals DBS200, oomscore DBO300, overcommit DBC400,
 *   lockfile DBL500, imagecheck and lint DBI600.
 */
#ifndef DBPOD_RULES_CHECK_H
#define DBPOD_RULES_CHECK_H

#include "report.h"

/* The "could not judge" id of the check named command ("pid1check");
 * NULL for a command that is not a check. */
const char *dbp_check_unknown_id(const char *command);

/* The process table could not be read from /proc (err: a negative
 * errno): an unknown finding of r's check says so. */
void dbp_rules_table_unreadable(struct dbp_report *r, int err);

/* The check of r returned rc. When rc is a negative errno and r holds no
 * unknown finding yet (the check failed without saying why: out of memory
 * before its first finding), add one, so that the status is unknown.
 * -ENOENT with an empty report is a check that does not apply here
 * (lockfile without PostgreSQL) and adds nothing. Returns whether a
 * finding was added. */
int dbp_rules_check_failed(struct dbp_report *r, int rc);

#endif
