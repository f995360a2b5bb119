/* lib/rules_check.c: a check that cannot judge is never OK. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules_check.h"

/* pid1check when its first allocation fails: no finding, -ENOMEM */
static void test_failure_without_finding_is_unknown(void **state)
{
	struct dbp_report r;

	(void)state;
	dbp_report_init(&r, "pid1check");
	assert_int_equal(dbp_severity_exit(dbp_report_status(&r)), 0);
	assert_true(dbp_rules_check_failed(&r, -ENOMEM));
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].id, "DBP100");
	assert_int_equal(r.items[0].severity, DBP_UNKNOWN);
	assert_non_null(strstr(r.items[0].message, "dbpod pid1check stopped"));
	assert_non_null(strstr(r.items[0].message, strerror(ENOMEM)));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&r)), 3);
	dbp_report_free(&r);
}

/* a check that says why it failed keeps its own finding; a warning does
 * not say why, and the failure still makes it unknown */
static void test_own_unknown_finding_kept(void **state)
{
	struct dbp_report r;

	(void)state;
	dbp_report_init(&r, "overcommit");
	dbp_report_add(&r, "DBC400", DBP_UNKNOWN, 0, "nothing could be read");
	assert_false(dbp_rules_check_failed(&r, -EIO));
	assert_int_equal(r.n, 1);
	dbp_report_free(&r);

	dbp_report_init(&r, "oomscore");
	dbp_report_add(&r, "DBO308", DBP_WARNING, 0, "oom.group");
	assert_true(dbp_rules_check_failed(&r, -ENOMEM));
	assert_string_equal(r.items[1].id, "DBO300");
	assert_int_equal(dbp_report_status(&r), DBP_WARNING);	/* Nagios: a definite problem first */
	assert_int_equal(dbp_report_count(&r, DBP_UNKNOWN), 1);
	dbp_report_free(&r);
}

static void test_success_and_not_applicable_add_nothing(void **state)
{
	struct dbp_report r;

	(void)state;
	dbp_report_init(&r, "signals");
	assert_false(dbp_rules_check_failed(&r, 0));
	dbp_report_free(&r);
	/* lockfile without PostgreSQL: not applicable, doctor skips it */
	dbp_report_init(&r, "lockfile");
	assert_false(dbp_rules_check_failed(&r, -ENOENT));
	assert_int_equal(r.n, 0);
	dbp_report_free(&r);
}

static void test_ids_and_table_unreadable(void **state)
{
	static const char *const pairs[][2] = {
		{ "pid1check", "DBP100" }, { "signals", "DBS200" }, { "oomscore", "DBO300" },
		{ "overcommit", "DBC400" }, { "lockfile", "DBL500" }, { "imagecheck", "DBI600" },
		{ "lint", "DBI600" },
	};
	struct dbp_report r;

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_string_equal(dbp_check_unknown_id(pairs[i][0]), pairs[i][1]);
	assert_null(dbp_check_unknown_id("snapshot"));
	dbp_report_init(&r, "signals");
	dbp_rules_table_unreadable(&r, -EACCES);
	assert_string_equal(r.items[0].id, "DBS200");
	assert_int_equal(r.items[0].severity, DBP_UNKNOWN);
	assert_string_equal(r.items[0].message, "The process table cannot be read from "
			    "/proc: Permission denied.");
	assert_string_equal(r.items[0].advice, "run dbpod where /proc is mounted (inside "
			    "the container).");
	dbp_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failure_without_finding_is_unknown),
		cmocka_unit_test(test_own_unknown_finding_kept),
		cmocka_unit_test(test_success_and_not_applicable_add_nothing),
		cmocka_unit_test(test_ids_and_table_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
