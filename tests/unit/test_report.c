/* lib/report.c and the JSON renderer: findings, status, exit codes. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "render.h"
#include "report.h"

static void test_status_order_is_nagios(void **state)
{
	struct dbp_report r;

	(void)state;
	dbp_report_init(&r, "x");
	assert_int_equal(dbp_report_status(&r), DBP_OK);
	dbp_report_add(&r, "A1", DBP_INFO, 0, "i");
	assert_int_equal(dbp_report_status(&r), DBP_OK);
	dbp_report_add(&r, "A2", DBP_UNKNOWN, 0, "u");
	assert_int_equal(dbp_report_status(&r), DBP_UNKNOWN);
	dbp_report_add(&r, "A3", DBP_WARNING, 0, "w");
	assert_int_equal(dbp_report_status(&r), DBP_WARNING);
	dbp_report_add(&r, "A4", DBP_CRITICAL, 0, "c");
	assert_int_equal(dbp_report_status(&r), DBP_CRITICAL);
	dbp_report_free(&r);
}

/* The status line keeps to the width: a count that would pass it goes
 * under the first, and at 80 columns nothing moves. */
static void test_status_line_wraps_at_width(void **state)
{
	struct dbp_report r;
	struct dbp_text t = { 0 };
	char *out = NULL;
	size_t len = 0;

	(void)state;
	dbp_report_init(&r, "x");
	dbp_report_add(&r, "A1", DBP_CRITICAL, 0, "c");
	dbp_report_add(&r, "A2", DBP_WARNING, 0, "w");
	dbp_report_add(&r, "A3", DBP_UNKNOWN, 0, "u");
	dbp_report_add(&r, "A4", DBP_INFO, 0, "i");
	dbp_report_add(&r, "A5", DBP_INFO, 0, "i");
	t.width = 40;
	t.out = open_memstream(&out, &len);
	dbp_text_status(&t, &r);
	fclose(t.out);
	assert_string_equal(out, "Status: CRITICAL (1 critical, 1 warning,\n"
			    "                  1 unknown, 2 info)\n");
	free(out);
	t.width = 80;
	t.out = open_memstream(&out, &len);
	dbp_text_status(&t, &r);
	fclose(t.out);
	assert_string_equal(out, "Status: CRITICAL (1 critical, 1 warning, 1 unknown, 2 info)\n");
	free(out);
	dbp_report_free(&r);
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(dbp_severity_exit(DBP_OK), 0);
	assert_int_equal(dbp_severity_exit(DBP_INFO), 0);
	assert_int_equal(dbp_severity_exit(DBP_WARNING), 1);
	assert_int_equal(dbp_severity_exit(DBP_CRITICAL), 2);
	assert_int_equal(dbp_severity_exit(DBP_UNKNOWN), 3);
	assert_string_equal(dbp_severity_name(DBP_CRITICAL), "critical");
}

static void test_ignore_and_sort(void **state)
{
	struct dbp_report r;

	(void)state;
	dbp_report_init(&r, "x");
	dbp_report_add(&r, "DBP104", DBP_INFO, 1, "first info");
	dbp_report_add(&r, "DBP101", DBP_CRITICAL, 1, "crit");
	dbp_report_add(&r, "DBP106", DBP_WARNING, 7, "warn");
	dbp_report_add(&r, "DBP105", DBP_INFO, 9, "second info");
	assert_int_equal(dbp_report_ignore(&r, "dbp101,DBP999"), 1);
	dbp_report_sort(&r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.items[0].id, "DBP106");
	assert_string_equal(r.items[1].message, "first info");	/* stable */
	assert_string_equal(r.items[2].message, "second info");
	assert_int_equal(dbp_report_status(&r), DBP_WARNING);
	dbp_report_free(&r);

	/* every severity, many of each: worst first, each in its order */
	dbp_report_init(&r, "x");
	for (int i = 0; i < 5000; i++)
		dbp_report_add(&r, "X", (enum dbp_severity)(i % 5), i, "%d", i);
	dbp_report_sort(&r);
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.items[i - 1].severity > r.items[i].severity ||
			    (r.items[i - 1].severity == r.items[i].severity &&
			     r.items[i - 1].pid < r.items[i].pid));
	assert_int_equal(r.items[0].severity, DBP_CRITICAL);
	dbp_report_free(&r);
}

static void test_json_shape(void **state)
{
	struct dbp_report r;
	struct json_object *o, *f, *v, *made, *facts = json_object_new_object();
	struct dbp_finding *x;

	(void)state;
	dbp_report_init(&r, "pid1check");
	x = dbp_report_add(&r, "DBP101", DBP_CRITICAL, 1, "PID 1 is %s", "postgres");
	dbp_finding_advise(x, "run %s", "tini");
	dbp_report_add(&r, "DBP100", DBP_UNKNOWN, 0, "none");
	json_object_object_add(facts, "zombies", json_object_new_int(3));
	made = dbp_report_json(&r, facts);
	o = json_tokener_parse(json_object_to_json_string(made));
	json_object_put(made);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "dbpod", &v));
	assert_string_equal(json_object_get_string(v), PACKAGE_VERSION);
	json_object_object_get_ex(o, "command", &v);
	assert_string_equal(json_object_get_string(v), "pid1check");
	json_object_object_get_ex(o, "status", &v);
	assert_string_equal(json_object_get_string(v), "critical");
	json_object_object_get_ex(o, "findings", &v);
	assert_int_equal(json_object_array_length(v), 2);
	f = json_object_array_get_idx(v, 0);
	json_object_object_get_ex(f, "message", &v);
	assert_string_equal(json_object_get_string(v), "PID 1 is postgres");
	json_object_object_get_ex(f, "advice", &v);
	assert_string_equal(json_object_get_string(v), "run tini");
	f = json_object_array_get_idx(json_object_object_get(o, "findings"), 1);
	assert_true(json_object_object_get_ex(f, "pid", &v));
	assert_null(v);		/* pid 0 is null */
	assert_true(json_object_object_get_ex(f, "advice", &v));
	assert_null(v);
	json_object_object_get_ex(o, "facts", &v);
	assert_int_equal(json_object_get_int(json_object_object_get(v, "zombies")), 3);
	json_object_put(o);
	dbp_report_free(&r);
}

/* a copy carries everything a finding holds, lint's place included */
static void test_copy_and_filter(void **state)
{
	struct dbp_report src, dst;
	struct dbp_finding *f;

	(void)state;
	dbp_report_init(&src, "x");
	dbp_report_init(&dst, "y");
	f = dbp_report_add(&src, "DBI601", DBP_CRITICAL, 0, "shell form");
	dbp_finding_advise(f, "use exec form");
	dbp_finding_locate(f, "Dockerfile", 3, 1);
	f->database = "postgres";
	dbp_report_add(&src, "DBP104", DBP_INFO, 1, "zombie");
	dbp_report_add(&src, "DBP100", DBP_UNKNOWN, 0, "unknown");
	dbp_report_add(&src, "DBP000", DBP_OK, 0, "ok");
	/* doctor without --verbose: unknown and above */
	assert_int_equal(dbp_report_filter(&dst, &src, DBP_UNKNOWN), 2);
	assert_string_equal(dst.items[0].id, "DBI601");
	assert_string_equal(dst.items[0].message, "shell form");
	assert_string_equal(dst.items[0].advice, "use exec form");
	assert_string_equal(dst.items[0].file, "Dockerfile");
	assert_int_equal(dst.items[0].line, 3);
	assert_string_equal(dst.items[0].database, "postgres");
	assert_string_equal(dst.items[1].id, "DBP100");
	assert_null(dst.items[1].advice);
	dbp_report_free(&dst);
	/* --verbose: all of them, in order */
	dbp_report_init(&dst, "y");
	assert_int_equal(dbp_report_filter(&dst, &src, DBP_OK), 4);
	assert_string_equal(dst.items[3].id, "DBP000");
	assert_true(dbp_report_has(&src, "DBP104", 1));
	assert_false(dbp_report_has(&src, "DBP104", 2));
	dbp_report_free(&dst);
	dbp_report_free(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_order_is_nagios),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_status_line_wraps_at_width),
		cmocka_unit_test(test_ignore_and_sort),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_copy_and_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
