/* lib/pglog.c, lib/pglogread.c and lib/timestamp.c: PostgreSQL's lines
 * about dead children. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "fixturetree.h"

#include "pglog.h"
#include "pglogread.h"
#include "timestamp.h"

#define T_LINE 1795416002.517	/* 2026-11-23 06:40:02.517 UTC */

static void near(double a, double b)
{
	assert_true(a - b < 0.0005 && b - a < 0.0005);
}

static void test_stderr_with_timestamp_prefix(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"2026-11-23 06:40:01.000 UTC [1] LOG:  database system is ready\n"
		"2026-11-23 06:40:02.517 UTC [84512] LOG:  server process (PID 84799) was "
		"terminated by signal 13: Broken pipe\n"
		"2026-11-23 06:40:02.517 UTC [84512] LOG:  terminating any other active server processes\n"), 1);
	assert_int_equal(log.ev[0].pid, 84799);
	assert_int_equal(log.ev[0].how, DBP_PGLOG_SIGNAL);
	assert_int_equal(log.ev[0].code, 13);
	assert_string_equal(log.ev[0].detail, "Broken pipe");
	assert_string_equal(log.ev[0].what, "server process");
	assert_int_equal(log.ev[0].line, 2);
	assert_true(log.ev[0].have_when);
	near(log.ev[0].when, T_LINE);
	dbp_pglog_free(&log);
}

static void test_stderr_without_prefix_has_no_time(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"LOG:  server process (PID 84799) was terminated by signal 13: Broken pipe\n"), 1);
	assert_false(log.ev[0].have_when);
	assert_int_equal(log.ev[0].pid, 84799);
	dbp_pglog_free(&log);
}

static void test_exit_code_and_exception(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"LOG:  background worker \"logical replication launcher\" (PID 120) exited with exit code 1\n"
		"LOG:  server process (PID 4242) was terminated by exception 0xC0000005\n"), 2);
	assert_int_equal(log.ev[0].how, DBP_PGLOG_EXIT);
	assert_int_equal(log.ev[0].code, 1);
	assert_string_equal(log.ev[0].what, "background worker \"logical replication launcher\"");
	assert_int_equal(log.ev[1].how, DBP_PGLOG_EXCEPTION);
	assert_string_equal(log.ev[1].detail, "0xC0000005");
	assert_int_equal(log.ev[1].pid, 4242);
	dbp_pglog_free(&log);
}

static void test_signal_without_name(void **state)
{
	struct dbp_pglog_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(dbp_pglog_parse_message("server process (PID 7) was terminated by signal 9", &ev), 1);
	assert_int_equal(ev.code, 9);
	assert_string_equal(ev.detail, "");
}

static void test_other_lines_do_not_match(void **state)
{
	struct dbp_pglog_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(dbp_pglog_parse_message("LOG:  checkpoint starting: time", &ev), 0);
	assert_int_equal(dbp_pglog_parse_message("DETAIL:  Failed process was running: SELECT (PID 5)", &ev), 0);
	assert_int_equal(dbp_pglog_parse_message("server process (PID x) was terminated by signal 9", &ev), 0);
}

static void test_csvlog_message_column_and_multiline_record(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"2026-11-23 06:40:01.900 UTC,\"postgres\",\"postgres\",39,\"[local]\",6561a0b6.27,3,"
		"\"SELECT\",2026-11-23 06:40:01 UTC,3/2,0,ERROR,57014,\"canceling, \"\"quoted\"\"\",,,,,,"
		"\"SELECT 'a,\nb'\",,,\"psql\",\"client backend\",,0\n"
		"2026-11-23 06:40:02.517 UTC,,,1,,6561a0b6.1,2,,2026-11-23 06:39:57 UTC,,0,LOG,00000,"
		"\"server process (PID 40) was terminated by signal 13: Broken pipe\",,,,,,,,,\"\","
		"\"postmaster\",,0\n"), 1);
	assert_true(log.csv);
	assert_int_equal(log.ev[0].pid, 40);
	assert_int_equal(log.ev[0].line, 3);
	near(log.ev[0].when, T_LINE);
	dbp_pglog_free(&log);
}

static void test_jsonlog_timestamp_and_message(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"{\"timestamp\":\"2026-11-23 06:40:01.000 UTC\",\"pid\":1,\"error_severity\":\"LOG\","
		"\"message\":\"database system is ready to accept connections\"}\n"
		"{\"timestamp\":\"2026-11-23 06:40:02.517 UTC\",\"pid\":1,\"error_severity\":\"LOG\","
		"\"message\":\"server process (PID 40) was terminated by signal 13: Broken pipe\","
		"\"backend_type\":\"postmaster\"}\n"), 1);
	assert_true(log.json);
	assert_int_equal(log.ev[0].pid, 40);
	assert_int_equal(log.ev[0].line, 2);
	assert_true(log.ev[0].have_when);
	near(log.ev[0].when, T_LINE);
	dbp_pglog_free(&log);
}

static void test_timestamp_zones(void **state)
{
	double t;
	int zone;
	const char *end;

	(void)state;
	assert_int_equal(dbp_timestamp_parse("2026-11-23 06:40:02.517 UTC", &t, &end, &zone), 0);
	near(t, T_LINE);
	assert_int_equal(zone, 1);
	assert_string_equal(end, "");
	assert_int_equal(dbp_timestamp_parse("2026-11-23T07:40:02.517+01:00", &t, NULL, &zone), 0);
	near(t, T_LINE);
	assert_int_equal(dbp_timestamp_parse("2026-11-23 01:40:02.517 -0500", &t, NULL, &zone), 0);
	near(t, T_LINE);
	assert_int_equal(dbp_timestamp_parse("2026-11-23 06:40:02.517Z", &t, NULL, &zone), 0);
	near(t, T_LINE);
	assert_int_equal(dbp_timestamp_parse("2026-11-23 06:40:02", &t, NULL, &zone), 0);
	assert_int_equal(zone, 0);
	near(t, 1795416002.0);
	assert_int_equal(dbp_timestamp_parse("2026-11-23 06:40:02 CET", &t, NULL, &zone), 0);
	assert_int_equal(zone, -1);
	assert_int_equal(dbp_timestamp_parse("23.11.2026 06:40", &t, NULL, &zone), -EINVAL);
	assert_int_equal(dbp_timestamp_parse("2026-13-23 06:40:02", &t, NULL, &zone), -EINVAL);
}

/* --log given a file of another kind (/etc/passwd, a recording) is told
 * from a PostgreSQL log in which no child died: the second has entries */
static void test_entries_tell_a_postgres_log_from_another_file(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, "root:x:0:0:root:/root:/bin/bash\n"
					 "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
					 "{\"dbpod\": 1}\nERROR: not two spaces\n"), 0);
	assert_int_equal(log.entries, 0);
	assert_int_equal(dbp_pglog_parse(&log, "2026-11-23 06:40:01.123 UTC [1] LOG:  database "
					 "system is ready to accept connections\n"
					 "DEBUG3:  a debug line\n\tDETAIL:  continued\n"), 0);
	assert_int_equal(log.entries, 3);
	dbp_pglog_free(&log);
	/* a death without a prefix or tag is PostgreSQL's too */
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, "server process (PID 5) was terminated by signal 9\n"), 1);
	assert_int_equal(log.entries, 1);
	assert_false(dbp_pglog_line_tagged("xLOG:  y", 8));
	assert_true(dbp_pglog_line_tagged("LOG:  y", 7));
	dbp_pglog_free(&log);
}

static void test_reads_fixture_files(void **state)
{
	struct dbp_pglog log;
	char path[4096];
	const char *top = getenv("top_srcdir");

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fixtures/postmortem/postgresql.stderr", top ? top : ".");
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_read(&log, path), 2);
	assert_int_equal(log.ev[1].pid, 7);
	assert_int_equal(log.ev[1].code, 9);
	dbp_pglog_free(&log);
	assert_int_equal(dbp_pglog_read(&log, "/nonexistent/pg.log"), -ENOENT);
}

static void test_pid_beyond_pid_max_is_not_truncated(void **state)
{
	struct dbp_pglog_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	/* 99999999999 once became 1215752191 through a 64 to 32 bit cast */
	assert_int_equal(dbp_pglog_parse_message("LOG:  server process (PID 99999999999) was "
						 "terminated by signal 13: Broken pipe", &ev), 0);
	assert_int_equal(dbp_pglog_parse_message("LOG:  server process (PID 4194304) was "
						 "terminated by signal 13: Broken pipe", &ev), 1);
	assert_int_equal(ev.pid, 4194304);
}

/* A fixture /proc: each process's stat (and a cmdline), its fds as links */
static void proc_put(pid_t pid, const char *comm, pid_t ppid, const char *cmdline)
{
	char rel[64], stat[256];

	snprintf(rel, sizeof(rel), "/proc/%d/stat", (int)pid);
	snprintf(stat, sizeof(stat), "%d (%s) S %d %d %d 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n",
		 (int)pid, comm, (int)ppid, (int)pid, (int)pid);
	ft_put(rel, stat);
	snprintf(rel, sizeof(rel), "/proc/%d/cmdline", (int)pid);
	ft_put(rel, cmdline);
}

static void fd_put(pid_t pid, int fd, const char *target)
{
	char dir[512], link[600];

	snprintf(dir, sizeof(dir), "%s/proc/%d/fd", ft_root, (int)pid);
	snprintf(link, sizeof(link), "mkdir -p '%s'", dir);
	assert_int_equal(system(link), 0);
	snprintf(link, sizeof(link), "%s/%d", dir, fd);
	assert_int_equal(symlink(target, link), 0);
}

/* Where the server logs, as the recorder notes it: the file behind the
 * postmaster's stderr; with the logging collector (stderr a pipe), the
 * .log its logger holds, not the .csv; nothing without a postmaster */
static void test_locate_the_server_log(void **state)
{
	char procfs[128], got[1024], want[256];

	(void)state;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	/* no postmaster: a shell and a backend-looking child of it */
	proc_put(7, "sh", 0, "sh");
	assert_int_equal(dbp_pglog_locate(procfs, got, sizeof(got)), -ENOENT);

	ft_put("/data/server.log", "LOG:  ready\n");
	snprintf(want, sizeof(want), "%s/data/server.log", ft_root);
	proc_put(1, "postgres", 0, "postgres\0-D\0/data");
	proc_put(2, "postgres", 1, "postgres: checkpointer ");
	fd_put(1, 2, want);
	fd_put(2, 2, "/nonexistent/pipe:[4242]");
	assert_int_equal(dbp_pglog_locate(procfs, got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

static void test_locate_through_the_logging_collector(void **state)
{
	char procfs[128], got[1024], want[256], csv[256];

	(void)state;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	ft_put("/data/log/postgresql-2026-11-23.csv", "");
	ft_put("/data/log/postgresql-2026-11-23.log", "");
	snprintf(csv, sizeof(csv), "%s/data/log/postgresql-2026-11-23.csv", ft_root);
	snprintf(want, sizeof(want), "%s/data/log/postgresql-2026-11-23.log", ft_root);
	/* under an init: the postmaster's parent is not a postgres */
	proc_put(1, "tini", 0, "tini");
	proc_put(8, "postgres", 1, "postgres\0-D\0/data");
	proc_put(9, "postgres", 8, "postgres: logger ");
	fd_put(8, 2, "/nonexistent/pipe:[4242]");
	fd_put(9, 3, csv);
	fd_put(9, 4, want);
	assert_int_equal(dbp_pglog_locate(procfs, got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stderr_with_timestamp_prefix),
		cmocka_unit_test(test_stderr_without_prefix_has_no_time),
		cmocka_unit_test(test_exit_code_and_exception),
		cmocka_unit_test(test_signal_without_name),
		cmocka_unit_test(test_other_lines_do_not_match),
		cmocka_unit_test(test_csvlog_message_column_and_multiline_record),
		cmocka_unit_test(test_jsonlog_timestamp_and_message),
		cmocka_unit_test(test_timestamp_zones),
		cmocka_unit_test(test_entries_tell_a_postgres_log_from_another_file),
		cmocka_unit_test(test_reads_fixture_files),
		cmocka_unit_test(test_pid_beyond_pid_max_is_not_truncated),
		cmocka_unit_test_setup_teardown(test_locate_the_server_log, ft_setup, ft_teardown),
		cmocka_unit_test_setup_teardown(test_locate_through_the_logging_collector, ft_setup,
						ft_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
