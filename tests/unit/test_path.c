/* lib/path.c: files read through a root prefix (fixture trees). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixturetree.h"

#include "path.h"

static int setup(void **state)
{
	if (ft_setup(state) < 0)
		return -1;
	ft_put("/sys/limit", "1073741824\n");
	ft_put("/sys/max", "max\n");
	ft_put("/sys/neg", "-1000\n");
	ft_put("/sys/junk", "12abc\n");
	ft_put("/sys/events", "low 0\nhigh 5\nmax 12\noom 3\noom_kill 2\noom_group_kill 0\n");
	return 0;
}

static void test_prefix_joins_root_and_path(void **state)
{
	char b[128];

	(void)state;
	assert_string_equal(dbp_path("/x", "/proc/meminfo", b, sizeof(b)), "/x/proc/meminfo");
	assert_string_equal(dbp_path(NULL, "/proc/meminfo", b, sizeof(b)), "/proc/meminfo");
	assert_string_equal(dbp_path("/", "/proc/meminfo", b, sizeof(b)), "/proc/meminfo");
}

static void test_read_strips_newline(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(dbp_path_read(ft_root, "/sys/limit", b, sizeof(b)), 0);
	assert_string_equal(b, "1073741824");
}

static void test_read_too_big_is_efbig(void **state)
{
	char b[4];

	(void)state;
	assert_int_equal(dbp_path_read(ft_root, "/sys/limit", b, sizeof(b)), -EFBIG);
}

static void test_missing_file_is_enoent(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(dbp_path_read_u64(ft_root, "/sys/nope", &v), -ENOENT);
}

static void test_u64_and_max(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(dbp_path_read_u64(ft_root, "/sys/limit", &v), 0);
	assert_true(v == 1073741824ULL);
	assert_int_equal(dbp_path_read_u64(ft_root, "/sys/max", &v), -ERANGE);
	assert_true(v == UINT64_MAX);
	assert_int_equal(dbp_path_read_u64(ft_root, "/sys/junk", &v), -EINVAL);
	assert_int_equal(dbp_path_read_u64(ft_root, "/sys/neg", &v), -EINVAL);
}

static void test_s64_negative(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(dbp_path_read_s64(ft_root, "/sys/neg", &v), 0);
	assert_true(v == -1000);
}

static void test_key_lookup_is_exact(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(dbp_path_read_key(ft_root, "/sys/events", "oom_kill", &v), 0);
	assert_true(v == 2);
	/* "oom" must not match "oom_kill" or "oom_group_kill" */
	assert_int_equal(dbp_path_read_key(ft_root, "/sys/events", "oom", &v), 0);
	assert_true(v == 3);
	assert_int_equal(dbp_path_read_key(ft_root, "/sys/events", "absent", &v), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_joins_root_and_path),
		cmocka_unit_test(test_read_strips_newline),
		cmocka_unit_test(test_read_too_big_is_efbig),
		cmocka_unit_test(test_missing_file_is_enoent),
		cmocka_unit_test(test_u64_and_max),
		cmocka_unit_test(test_s64_negative),
		cmocka_unit_test(test_key_lookup_is_exact),
	};

	return cmocka_run_group_tests(tests, setup, ft_teardown);
}
