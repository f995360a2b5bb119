/* lib/rules_doctor.c: doctor's merge of the checks' findings. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules_doctor.h"

static const char *ids(const struct dbp_report *r, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s:%d", i ? "," : "",
					r->items[i].id, (int)r->items[i].pid);
	return buf;
}

/* a root psql adopted by a postmaster PID 1 and a PID 1 that drops the
 * stop signal, as pid1check and signals both see them */
static void test_same_cause_said_once(void **state)
{
	struct dbp_report p1, sig, all;
	const struct dbp_report *parts[] = { &p1, &sig };
	char buf[256];

	(void)state;
	dbp_report_init(&p1, "pid1check");
	dbp_report_init(&sig, "signals");
	dbp_report_init(&all, "doctor");
	dbp_report_add(&p1, "DBP103", DBP_CRITICAL, 1, "PID 1 drops SIGTERM");
	dbp_report_add(&p1, "DBP103", DBP_CRITICAL, 1, "PID 1 drops SIGINT");
	dbp_report_add(&p1, "DBP105", DBP_CRITICAL, 42, "adopted psql");
	dbp_report_add(&p1, "DBP105", DBP_INFO, 43, "another adopted one");
	dbp_report_add(&sig, "DBS203", DBP_CRITICAL, 1, "PID 1 drops it");
	dbp_report_add(&sig, "DBS201", DBP_CRITICAL, 42, "psql dies of SIGPIPE");
	dbp_report_add(&sig, "DBS204", DBP_WARNING, 7, "pending");
	dbp_rules_doctor(parts, 2, &all);
	/* DBS203 beside DBP103, DBP105 beside DBS201 of the same PID: gone;
	 * DBP105 of PID 43 has no DBS201 and stays; most severe first */
	assert_string_equal(ids(&all, buf, sizeof(buf)),
			    "DBP103:1,DBP103:1,DBS201:42,DBS204:7,DBP105:43");
	assert_string_equal(all.items[2].message, "psql dies of SIGPIPE");
	dbp_report_free(&all);
	dbp_report_free(&p1);
	dbp_report_free(&sig);
}

/* only the pair's other half of the same process makes a duplicate */
static void test_other_pid_is_not_the_same_cause(void **state)
{
	struct dbp_report p1, sig, all;
	const struct dbp_report *parts[] = { &sig, &p1 };
	char buf[256];

	(void)state;
	dbp_report_init(&p1, "pid1check");
	dbp_report_init(&sig, "signals");
	dbp_report_init(&all, "doctor");
	dbp_report_add(&p1, "DBP105", DBP_CRITICAL, 42, "adopted psql");
	dbp_report_add(&sig, "DBS201", DBP_CRITICAL, 50, "another psql");
	dbp_report_add(&sig, "DBS203", DBP_CRITICAL, 1, "PID 1 drops it");
	dbp_rules_doctor(parts, 2, &all);
	assert_string_equal(ids(&all, buf, sizeof(buf)), "DBS201:50,DBS203:1,DBP105:42");
	assert_false(dbp_doctor_same_cause(&p1.items[0], parts, 2));
	dbp_report_free(&all);
	dbp_report_free(&p1);
	dbp_report_free(&sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_cause_said_once),
		cmocka_unit_test(test_other_pid_is_not_the_same_cause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
