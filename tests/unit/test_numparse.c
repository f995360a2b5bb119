/* lib/numparse.c: numbers as options take them. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "numparse.h"

static void test_integer(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(dbp_parse_integer("30", 0, 86400, &v), 0);
	assert_int_equal(v, 30);
	assert_int_equal(dbp_parse_integer("+5", 0, 10, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(dbp_parse_integer("-3", -5, 5, &v), 0);
	assert_int_equal(v, -3);
	/* the whole word, nothing around it */
	assert_int_equal(dbp_parse_integer("", 0, 10, &v), -EINVAL);
	assert_int_equal(dbp_parse_integer(" 3", 0, 10, &v), -EINVAL);
	assert_int_equal(dbp_parse_integer("3 ", 0, 10, &v), -EINVAL);
	assert_int_equal(dbp_parse_integer("3s", 0, 10, &v), -EINVAL);
	assert_int_equal(dbp_parse_integer("-", 0, 10, &v), -EINVAL);
	assert_int_equal(dbp_parse_integer("0x10", 0, 100, &v), -EINVAL);
	assert_int_equal(dbp_parse_integer(NULL, 0, 10, &v), -EINVAL);
	/* out of range, also past what a long long holds */
	assert_int_equal(dbp_parse_integer("86401", 0, 86400, &v), -ERANGE);
	assert_int_equal(dbp_parse_integer("-1", 0, 86400, &v), -ERANGE);
	assert_int_equal(dbp_parse_integer("99999999999999999999", 0, LLONG_MAX, &v), -ERANGE);
	assert_int_equal(v, -3);	/* untouched on error */
	/* a PID: 1 to PID_MAX_LIMIT */
	assert_int_equal(dbp_parse_integer("4194304", 1, 4194304, &v), 0);
	assert_int_equal(dbp_parse_integer("0", 1, 4194304, &v), -ERANGE);
}

static void test_real(void **state)
{
	double v = 0;

	(void)state;
	assert_int_equal(dbp_parse_real("0.5", 0.01, 86400, &v), 0);
	assert_true(v == 0.5);
	assert_int_equal(dbp_parse_real("1e2", 0, 1000, &v), 0);
	assert_true(v == 100);
	assert_int_equal(dbp_parse_real("0.001", 0.01, 86400, &v), -ERANGE);
	assert_int_equal(dbp_parse_real("nan", 0, 1, &v), -EINVAL);
	assert_int_equal(dbp_parse_real("inf", 0, 1e300, &v), -EINVAL);
	assert_int_equal(dbp_parse_real("1.5x", 0, 10, &v), -EINVAL);
	assert_int_equal(dbp_parse_real(" 1", 0, 10, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integer),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
