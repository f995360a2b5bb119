/* lib/pidfile.c: postmaster.pid text into struct dbp_pidfile. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pidfile.h"

/* A PostgreSQL 15 postmaster.pid as the server writes it (line 7 padded). */
static const char pg15[] =
	"1\n"
	"/var/lib/postgresql/data\n"
	"1763879001\n"
	"5432\n"
	"/var/run/postgresql\n"
	"*\n"
	"  5432001      32770\n"
	"ready   \n";

static int parse(const char *text, struct dbp_pidfile *pf)
{
	return dbp_pidfile_parse(text, strlen(text), pf);
}

static void test_pg15_file_all_lines(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse(pg15, &pf), 0);
	assert_int_equal(pf.problem, DBP_PIDFILE_OK);
	assert_int_equal(pf.nlines, 8);
	assert_int_equal(pf.pid, 1);
	assert_int_equal(pf.pg_pid, 1);
	assert_false(pf.standalone);
	assert_string_equal(pf.datadir, "/var/lib/postgresql/data");
	assert_true(pf.have_start_time);
	assert_int_equal(pf.start_time, 1763879001);
	assert_int_equal(pf.port, 5432);
	assert_string_equal(pf.socket_dir, "/var/run/postgresql");
	assert_string_equal(pf.listen_addr, "*");
	assert_int_equal(pf.shm_key, 5432001);
	assert_int_equal(pf.shm_id, 32770);
	assert_string_equal(pf.status, "ready");	/* padding removed */
}

static void test_empty_file(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(dbp_pidfile_parse("", 0, &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_EMPTY);
	assert_int_equal(pf.pg_pid, 0);
}

static void test_non_numeric_pid_is_bogus_for_postgres(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("abc\n/d\n1763879001\n5432\n\n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_BAD_PID);
	assert_int_equal(pf.pg_pid, 0);		/* atoi("abc"): "bogus data" */
}

static void test_pid_with_junk_is_read_like_atoi(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("123x\n/d\n1763879001\n5432\n\n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_BAD_PID);
	assert_int_equal(pf.pg_pid, 123);
}

static void test_negative_pid_is_standalone_backend(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("-4242\n/d\n1763879001\n0\n\n\n", &pf), 0);
	assert_true(pf.standalone);
	assert_int_equal(pf.pid, 4242);
	assert_int_equal(pf.pg_pid, 4242);
	assert_int_equal(pf.shm_id, -1);
}

static void test_fewer_than_five_lines_is_truncated(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("77\n/d\n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_TRUNCATED);
	assert_int_equal(pf.pid, 77);
	assert_string_equal(pf.datadir, "/d");
	assert_false(pf.have_start_time);
}

static void test_cut_mid_line_is_truncated(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("77\n/d\n1763879001\n5432\n/tm", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_TRUNCATED);
	assert_false(pf.final_newline);
	assert_int_equal(pf.nlines, 5);
}

static void test_server_still_starting_has_five_lines(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("77\n/d\n1763879001\n5432\n\n", &pf), 0);
	assert_int_equal(pf.nlines, 5);
	assert_string_equal(pf.socket_dir, "");
	assert_string_equal(pf.status, "");
}

static void test_pre_9_1_format(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("77\n/d\n  5432001  98\n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_OLD_FORMAT);
	assert_int_equal(pf.shm_key, 5432001);
	assert_int_equal(pf.shm_id, 98);
	assert_false(pf.have_start_time);
}

static void test_bad_start_time(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("77\n/d\nyesterday\n5432\n\n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_BAD_FIELD);
	assert_int_equal(pf.pid, 77);
}

static void test_bad_shmem_line(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("77\n/d\n1763879001\n5432\n\n\nkey id\nready   \n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_BAD_FIELD);
	assert_int_equal(pf.shm_id, -1);
}

static void test_nul_ends_the_text(void **state)
{
	struct dbp_pidfile pf;
	static const char text[] = "77\n/d\n1763879001\n5432\n\n\0garbage";

	(void)state;
	assert_int_equal(dbp_pidfile_parse(text, sizeof(text) - 1, &pf), 0);
	assert_int_equal(pf.nlines, 5);
}

/* found by fuzz/fuzz_pidfile: a PID line beyond LONG_MIN */
static void test_huge_negative_pid_does_not_overflow(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	assert_int_equal(parse("-2222222222222222222222222234\n/d\n", &pf), -EINVAL);
	assert_int_equal(pf.problem, DBP_PIDFILE_BAD_PID);
	assert_int_equal(pf.pg_pid, 0);
}

/* PostgreSQL reads line 1 with atoi(), which is (int)strtol: a number
 * beyond an int wraps to its low 32 bits, one beyond a long saturates
 * first; checked against PostgreSQL 15's own start (it named PID 4818 of
 * a running server in "Is another postmaster (PID 4818) running") */
static void test_pid_beyond_int_is_read_like_atoi(void **state)
{
	struct dbp_pidfile pf;

	(void)state;
	parse("4294972114\n/d\n", &pf);	/* 2^32 + 4818 */
	assert_int_equal(pf.problem, DBP_PIDFILE_BAD_PID);
	assert_int_equal(pf.pg_pid, 4818);
	parse("-4294962478\n/d\n", &pf);	/* -(2^32) + 4818 */
	assert_int_equal(pf.pg_pid, 4818);
	parse("99999999999999999999\n/d\n", &pf);	/* LONG_MAX: -1, so PID 1 */
	assert_int_equal(pf.pg_pid, 1);
	parse("\n \t4818\n", &pf);	/* atoi(buffer) skips the newline too */
	assert_int_equal(pf.pg_pid, 4818);
	parse("00000000000000000000000000000000000004818\n/d\n", &pf);
	assert_int_equal(pf.pg_pid, 4818);
	parse("2147483648\n/d\n", &pf);	/* INT_MIN: "bogus data" */
	assert_int_equal(pf.pg_pid, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pg15_file_all_lines),
		cmocka_unit_test(test_huge_negative_pid_does_not_overflow),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_non_numeric_pid_is_bogus_for_postgres),
		cmocka_unit_test(test_pid_with_junk_is_read_like_atoi),
		cmocka_unit_test(test_negative_pid_is_standalone_backend),
		cmocka_unit_test(test_fewer_than_five_lines_is_truncated),
		cmocka_unit_test(test_cut_mid_line_is_truncated),
		cmocka_unit_test(test_server_still_starting_has_five_lines),
		cmocka_unit_test(test_pre_9_1_format),
		cmocka_unit_test(test_bad_start_time),
		cmocka_unit_test(test_bad_shmem_line),
		cmocka_unit_test(test_nul_ends_the_text),
		cmocka_unit_test(test_pid_beyond_int_is_read_like_atoi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
