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
#include <fcntl.h>
#include <sys/stat.h>
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
 * file current_logfiles names; nothing without a postmaster */
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
	char procfs[128], got[1024], data[256];

	(void)state;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	snprintf(data, sizeof(data), "%s/data", ft_root);
	ft_put("/data/current_logfiles", "stderr log/postgresql-2026-11-23.log\n"
	       "csvlog log/postgresql-2026-11-23.csv\n");
	ft_put("/data/log/postgresql-2026-11-23.csv", "");
	ft_put("/data/log/postgresql-2026-11-23.log", "");
	/* under an init: the postmaster's parent is not a postgres */
	proc_put(1, "tini", 0, "tini");
	proc_put(9, "postgres", 8, "postgres: logger ");
	ft_proc(8, data, 2, "/nonexistent/pipe:[4242]");
	proc_put(8, "postgres", 1, "postgres\0-D\0/data");
	assert_int_equal(dbp_pglog_locate(procfs, got, sizeof(got)), 0);
	/* as the server's mount namespace names it (its root is / here) */
	assert_string_equal(got + strlen(got) - strlen("/data/log/postgresql-2026-11-23.log"),
			    "/data/log/postgresql-2026-11-23.log");
}

/* Real lines: PostgreSQL 15 on this project's Debian 12 test machine, its
 * data directory on an ext4 loop file whose writes a blkio cgroup
 * throttled to 8 MB/s (shared_buffers=256MB): a CHECKPOINT, then a fast
 * shutdown after an UPDATE of the table; log_line_prefix "%m [%p] ". */
#define SLOW_DISK_LOG \
	"2026-12-07 07:36:41.696 UTC [14348] LOG:  database system was shut down at 2026-12-07 07:36:41 UTC\n" \
	"2026-12-07 07:36:42.608 UTC [14346] LOG:  checkpoint starting: immediate force wait\n" \
	"2026-12-07 07:36:54.260 UTC [14346] LOG:  checkpoint complete: wrote 11800 buffers (36.0%); " \
	"0 WAL file(s) added, 0 removed, 6 recycled; write=7.013 s, sync=4.600 s, total=11.652 s; " \
	"sync files=29, longest=4.508 s, average=0.159 s; distance=103549 kB, estimate=103549 kB\n" \
	"2026-12-07 07:37:38.052 UTC [14342] LOG:  received fast shutdown request\n" \
	"2026-12-07 07:37:38.094 UTC [14346] LOG:  shutting down\n" \
	"2026-12-07 07:37:38.120 UTC [14346] LOG:  checkpoint starting: shutdown immediate\n" \
	"2026-12-07 07:38:01.288 UTC [14346] LOG:  checkpoint complete: wrote 23535 buffers (71.8%); " \
	"0 WAL file(s) added, 0 removed, 14 recycled; write=0.306 s, sync=22.657 s, total=23.195 s; " \
	"sync files=3, longest=22.646 s, average=7.553 s; distance=227597 kB, estimate=227597 kB\n" \
	"2026-12-07 07:38:01.420 UTC [14342] LOG:  database system is shut down\n"

static void test_checkpoints_from_stderr_paired_with_their_start(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	/* no deaths among them */
	assert_int_equal(dbp_pglog_parse(&log, SLOW_DISK_LOG), 0);
	assert_int_equal(log.nckpt, 2);
	assert_int_equal(log.ckpt[0].flags, DBP_CKPT_STARTED | DBP_CKPT_IMMEDIATE |
			 DBP_CKPT_FORCE | DBP_CKPT_WAIT);
	assert_int_equal(log.ckpt[0].buffers, 11800);
	near(log.ckpt[0].percent, 36.0);
	near(log.ckpt[0].write_s, 7.013);
	near(log.ckpt[0].sync_s, 4.6);
	near(log.ckpt[0].total_s, 11.652);
	assert_int_equal(log.ckpt[0].distance_kb, 103549);
	assert_int_equal(log.ckpt[0].line, 3);
	assert_true(log.ckpt[0].have_when);
	near(log.ckpt[0].when, 1796629014.260);	/* 2026-12-07 07:36:54.260 UTC */
	assert_int_equal(log.ckpt[1].flags, DBP_CKPT_STARTED | DBP_CKPT_SHUTDOWN |
			 DBP_CKPT_IMMEDIATE);
	assert_true(log.ckpt[1].flags & DBP_CKPT_UNTHROTTLED);
	assert_int_equal(log.ckpt[1].buffers, 23535);
	near(log.ckpt[1].total_s, 23.195);
	dbp_pglog_free(&log);
}

/* Real lines: the same server version with logging_collector on and
 * log_destination 'stderr,csvlog,jsonlog', shared_buffers=32MB, an
 * unthrottled disk. */
static void test_checkpoints_from_csvlog_and_jsonlog(void **state)
{
	struct dbp_pglog log;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"2026-12-07 07:41:11.397 UTC,,,3,,6b166317.3,1,,2026-12-07 07:41:11 UTC,,0,LOG,00000,"
		"\"checkpoint starting: immediate force wait\",,,,,,,,,\"\",\"checkpointer\",,0\n"
		"2026-12-07 07:41:11.580 UTC,,,3,,6b166317.3,2,,2026-12-07 07:41:11 UTC,,0,LOG,00000,"
		"\"checkpoint complete: wrote 916 buffers (22.4%); 1 WAL file(s) added, 0 removed, 0 "
		"recycled; write=0.016 s, sync=0.101 s, total=0.183 s; sync files=29, longest=0.009 s, "
		"average=0.004 s; distance=7878 kB, estimate=7878 kB\",,,,,,,,,\"\",\"checkpointer\",,0\n"), 0);
	assert_int_equal(log.nckpt, 1);
	assert_int_equal(log.ckpt[0].buffers, 916);
	near(log.ckpt[0].total_s, 0.183);
	assert_true(log.ckpt[0].flags & DBP_CKPT_IMMEDIATE);
	assert_true(log.ckpt[0].have_when);
	assert_true(log.csv);
	assert_int_equal(dbp_pglog_parse(&log,
		"{\"timestamp\":\"2026-12-07 07:41:11.819 UTC\",\"pid\":3,\"session_id\":\"6b166317.3\","
		"\"line_num\":4,\"session_start\":\"2026-12-07 07:41:11 UTC\",\"txid\":0,"
		"\"error_severity\":\"LOG\",\"message\":\"checkpoint starting: shutdown immediate\","
		"\"backend_type\":\"checkpointer\",\"query_id\":0}\n"
		"{\"timestamp\":\"2026-12-07 07:41:11.852 UTC\",\"pid\":3,\"session_id\":\"6b166317.3\","
		"\"line_num\":5,\"session_start\":\"2026-12-07 07:41:11 UTC\",\"txid\":0,"
		"\"error_severity\":\"LOG\",\"message\":\"checkpoint complete: wrote 1769 buffers "
		"(43.2%); 0 WAL file(s) added, 0 removed, 1 recycled; write=0.016 s, sync=0.004 s, "
		"total=0.033 s; sync files=5, longest=0.004 s, average=0.001 s; distance=17070 kB, "
		"estimate=17070 kB\",\"backend_type\":\"checkpointer\",\"query_id\":0}\n"), 0);
	assert_int_equal(log.nckpt, 2);
	assert_true(log.ckpt[1].flags & DBP_CKPT_SHUTDOWN);
	assert_int_equal(log.ckpt[1].buffers, 1769);
	near(log.ckpt[1].percent, 43.2);
	near(log.ckpt[1].total_s, 0.033);
	near(log.ckpt[1].when, 1796629271.852);
	dbp_pglog_free(&log);
}

/* A start cut by SIGKILL is not carried to the next checkpoint; a
 * complete line with no start seen (the log's tail began after it) has
 * no flags, so it is never taken for an unthrottled one. Later versions
 * append fields (16: "; lsn=..., redo lsn=..."), which are skipped; a
 * standby logs restartpoints. */
static void test_checkpoint_pairing_and_later_versions(void **state)
{
	struct dbp_pglog log;
	struct dbp_pglog_checkpoint ck;
	unsigned flags = 0;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"LOG:  checkpoint complete: wrote 10 buffers (0.1%); 0 WAL file(s) added, 0 removed, "
		"0 recycled; write=1.000 s, sync=0.001 s, total=1.002 s; sync files=2, longest=0.001 s, "
		"average=0.001 s; distance=10 kB, estimate=10 kB\n"
		"LOG:  checkpoint starting: shutdown immediate\n"
		"LOG:  database system was interrupted; last known up at 2026-12-07 07:40:01 UTC\n"
		"LOG:  checkpoint starting: time\n"
		"LOG:  checkpoint complete: wrote 500 buffers (3.1%); 0 WAL file(s) added, 0 removed, "
		"1 recycled; write=26.900 s, sync=0.010 s, total=26.950 s; sync files=4, longest=0.009 s, "
		"average=0.003 s; distance=4000 kB, estimate=4000 kB; lsn=0/3000060, redo lsn=0/3000028\n"), 0);
	assert_int_equal(log.nckpt, 2);
	assert_int_equal(log.ckpt[0].flags, 0);
	assert_false(log.ckpt[0].have_when);
	assert_int_equal(log.ckpt[1].flags, DBP_CKPT_STARTED | DBP_CKPT_TIME);
	assert_int_equal(log.ckpt[1].buffers, 500);
	assert_int_equal(log.ckpt[1].distance_kb, 4000);
	dbp_pglog_free(&log);
	assert_int_equal(dbp_pglog_parse_checkpoint("LOG:  restartpoint starting: time", &flags, &ck), 1);
	assert_int_equal(flags, DBP_CKPT_STARTED | DBP_CKPT_RESTARTPOINT | DBP_CKPT_TIME);
	assert_int_equal(dbp_pglog_parse_checkpoint("LOG:  checkpoints are occurring too frequently "
						    "(9 seconds apart)", &flags, &ck), 0);
	assert_int_equal(dbp_pglog_parse_checkpoint("LOG:  checkpoint complete: wrote many buffers",
						    &flags, &ck), 0);
	/* strtod reads "inf" and "nan": no time of a checkpoint, nor a share */
	assert_int_equal(dbp_pglog_parse_checkpoint("LOG:  checkpoint complete: wrote 9 buffers "
						    "(0.1%); write=0 s, sync=0 s, total=inf s",
						    &flags, &ck), 0);
	assert_int_equal(dbp_pglog_parse_checkpoint("LOG:  checkpoint complete: wrote 9 buffers "
						    "(nan%); write=0 s, sync=0 s, total=0.5 s",
						    &flags, &ck), 2);
	assert_true(ck.percent == 0);
}

static void test_memory_settings_in_kb(void **state)
{
	(void)state;
	assert_int_equal(dbp_pg_memory_kb("256MB"), 262144);
	assert_int_equal(dbp_pg_memory_kb("1GB"), 1048576);
	assert_int_equal(dbp_pg_memory_kb("128kB"), 128);
	/* a bare number counts 8 kB buffers, as shared_buffers does */
	assert_int_equal(dbp_pg_memory_kb("16384"), 131072);
	assert_int_equal(dbp_pg_memory_kb("lots"), -EINVAL);
	assert_int_equal(dbp_pg_memory_kb("1PB"), -EINVAL);
}

/* A running server's log, through a fixture /proc (ft_proc): PID/cwd is
 * the data directory (the postmaster's working directory), PID/root the
 * root, and PID/fd/2 its standard error. */
static void test_server_log_through_current_logfiles_and_the_file_before(void **state)
{
	char *argv[] = { "postgres", "-D", "/data", "-c", "shared_buffers=256MB", NULL };
	char path[512], procfs[512];
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct dbp_pg_evidence ev;
	struct dbp_proc pm;

	(void)state;
	/* the default log_filename: a new file at each start, so the last
	 * stop's shutdown checkpoint is in the file before the current one */
	ft_put("/data/current_logfiles", "stderr log/postgresql-2026-12-07_073800.log\n");
	ft_put("/data/log/postgresql-2026-12-07_073641.log", SLOW_DISK_LOG);
	ft_put("/data/log/postgresql-2026-12-07_073800.log",
	       "2026-12-07 07:38:02.000 UTC [1] LOG:  database system is ready to accept connections\n");
	/* another suffix (csvlog's file), or older: not the file before */
	ft_put("/data/log/postgresql-2026-12-07_073641.csv", "");
	ft_put("/data/log/postgresql-2026-12-06_000000.log",
	       "LOG:  checkpoint starting: immediate force wait\n"
	       "LOG:  checkpoint complete: wrote 99 buffers (0.3%); write=0.1 s, sync=0.1 s, total=0.2 s\n");
	snprintf(path, sizeof(path), "%s/data/log/postgresql-2026-12-06_000000.log", ft_root);
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	old[0].tv_sec = old[1].tv_sec = 1100000000;
	snprintf(path, sizeof(path), "%s/data/log/postgresql-2026-12-07_073641.log", ft_root);
	assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
	snprintf(path, sizeof(path), "%s/data", ft_root);
	ft_proc(4242, path, 2, "/dev/null");
	memset(&pm, 0, sizeof(pm));
	pm.pid = 4242;
	pm.argv = argv;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_evidence_init(&ev);
	assert_int_equal(dbp_pg_evidence_read(procfs, &pm, &ev), 0);
	assert_true(ev.log_read);
	assert_non_null(strstr(ev.log_path, "/data/log/postgresql-2026-12-07_073800.log"));
	assert_non_null(strstr(ev.log_where, "and the one before it"));
	assert_int_equal(ev.log.nckpt, 2);
	assert_int_equal(ev.log.ckpt[1].buffers, 23535);
	assert_int_equal(ev.shared_buffers_kb, 262144);
	dbp_evidence_free(&ev);
}

static void test_server_log_through_standard_error_or_a_pipe(void **state)
{
	char *argv[] = { "postgres", "-B", "1024", NULL };
	char path[512], procfs[512], fifo[512];
	struct dbp_pg_evidence ev;
	struct dbp_proc pm;

	(void)state;
	/* pg_ctl -l FILE: standard error a file, no current_logfiles */
	ft_put("/pg_ctl.log", SLOW_DISK_LOG);
	ft_put("/nocollector/PG_VERSION", "15\n");
	snprintf(path, sizeof(path), "%s/pg_ctl.log", ft_root);
	snprintf(procfs, sizeof(procfs), "%s/nocollector", ft_root);
	ft_proc(4243, procfs, 2, path);
	memset(&pm, 0, sizeof(pm));
	pm.pid = 4243;
	pm.argv = argv;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_evidence_init(&ev);
	assert_int_equal(dbp_pg_evidence_read(procfs, &pm, &ev), 0);
	assert_true(ev.log_read);
	assert_string_equal(ev.log_path, path);
	assert_string_equal(ev.log_where, "the postmaster's standard error");
	assert_int_equal(ev.log.nckpt, 2);
	assert_int_equal(ev.shared_buffers_kb, 8192);	/* -B 1024: buffers of 8 kB */
	dbp_evidence_free(&ev);

	/* a pipe, as a container runtime gives it: nothing read, and why */
	snprintf(fifo, sizeof(fifo), "%s/stderr.fifo", ft_root);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(path, sizeof(path), "%s/nocollector", ft_root);
	ft_proc(4244, path, 2, fifo);
	pm.pid = 4244;
	dbp_evidence_init(&ev);
	assert_int_equal(dbp_pg_evidence_read(procfs, &pm, &ev), 0);
	assert_false(ev.log_read);
	assert_int_equal(ev.log_err, 0);
	assert_non_null(strstr(ev.log_missing, "its standard error is a pipe"));
	dbp_evidence_free(&ev);
}

static void write_at(const char *path, const char *text, time_t mtime)
{
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* The header names the file open when the recording began; the logging
 * collector then rotated to a newer one, where the crash is: both are
 * read, the old one first; an older file and one of another suffix not */
static void test_rotated_log_read_after_the_named_one(void **state)
{
	char dir[] = "/tmp/dbpod-test-rot-XXXXXX", a[128], b[128], old[128], csv[128], other[128];
	struct dbp_pglog log;
	char **more = NULL;
	long n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(old, sizeof(old), "%s/postgresql-0500.log", dir);
	snprintf(a, sizeof(a), "%s/postgresql-0600.log", dir);
	snprintf(b, sizeof(b), "%s/postgresql-0700.log", dir);
	snprintf(csv, sizeof(csv), "%s/postgresql-0700.csv", dir);
	write_at(old, "2026-11-23 05:00:00.000 UTC [1] LOG:  server process (PID 7) was "
		 "terminated by signal 9: Killed\n", 1795410000);
	write_at(a, "2026-11-23 06:00:00.000 UTC [1] LOG:  database system is ready\n", 1795413600);
	write_at(b, "2026-11-23 06:40:02.517 UTC [1] LOG:  server process (PID 230) was "
		 "terminated by signal 9: Killed\n", 1795416002);
	write_at(csv, "x\n", 1795416003);
	/* another program's log beside it */
	snprintf(other, sizeof(other), "%s/backup-0700.log", dir);
	write_at(other, "x\n", 1795416003);
	n = dbp_pglog_rotated(a, &more);
	assert_int_equal(n, 1);
	assert_string_equal(more[0], b);
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_read_all(&log, a, more, (size_t)n), 1);
	assert_int_equal(log.ev[0].pid, 230);
	/* lines count on through the files */
	assert_int_equal(log.ev[0].line, 2);
	dbp_pglog_free(&log);
	free(more[0]);
	free(more);
	/* a file in no directory named: nothing more */
	assert_int_equal(dbp_pglog_rotated("postgresql.log", &more), 0);
	/* nor one without a time in its name */
	snprintf(other, sizeof(other), "%s/postgresql.log", dir);
	write_at(other, "x\n", 1795400000);
	assert_int_equal(dbp_pglog_rotated(other, &more), 0);
	unlink(other);
	snprintf(other, sizeof(other), "%s/backup-0700.log", dir);
	unlink(other);
	unlink(old);
	unlink(a);
	unlink(b);
	unlink(csv);
	rmdir(dir);
}

/* Real lines: PostgreSQL 15 on Debian 12 SIGKILLed after an INSERT with
 * checkpoint_timeout=1h, and restarted */
#define CRASH_RECOVERY \
	"2026-12-07 10:50:09.151 UTC [12749] LOG:  database system was interrupted; last known up at 2026-12-07 10:49:58 UTC\n" \
	"2026-12-07 10:50:09.870 UTC [12749] LOG:  database system was not properly shut down; automatic recovery in progress\n" \
	"2026-12-07 10:50:09.871 UTC [12749] LOG:  redo starts at 0/4168640\n" \
	"2026-12-07 10:50:10.085 UTC [12749] LOG:  invalid record length at 0/7A212F0: wanted 24, got 0\n" \
	"2026-12-07 10:50:10.085 UTC [12749] LOG:  redo done at 0/7A212C8 system usage: CPU: user: 0.08 s, system: 0.03 s, elapsed: 0.21 s\n" \
	"2026-12-07 10:50:10.100 UTC [12747] LOG:  checkpoint starting: end-of-recovery immediate wait\n" \
	"2026-12-07 10:50:10.187 UTC [12747] LOG:  checkpoint complete: wrote 6612 buffers (40.4%); 0 WAL file(s) added, 0 removed, 3 recycled; write=0.059 s, sync=0.003 s, total=0.092 s; sync files=4, longest=0.002 s, average=0.001 s; distance=58083 kB, estimate=58083 kB\n" \
	"2026-12-07 10:50:10.200 UTC [12734] LOG:  database system is ready to accept connections\n"

static void test_crash_recovery_lines(void **state)
{
	struct dbp_pglog log;
	uint64_t lsn = 0;
	double el = -1;

	(void)state;
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, CRASH_RECOVERY), 0);
	assert_int_equal(log.nredo, 1);
	assert_true(log.redo[0].start == 0x4168640);
	assert_true(log.redo[0].have_done);
	assert_true(log.redo[0].done == 0x7A212C8);
	assert_true(log.redo[0].elapsed_s > 0.2099 && log.redo[0].elapsed_s < 0.2101);
	/* the end-of-recovery checkpoint belongs to it, and is a checkpoint */
	assert_true(log.redo[0].have_ckpt);
	assert_int_equal(log.redo[0].ckpt_buffers, 6612);
	assert_true(log.redo[0].ckpt_s > 0.0919 && log.redo[0].ckpt_s < 0.0921);
	assert_int_equal(log.nckpt, 1);
	assert_true(log.ckpt[0].flags & DBP_CKPT_END_OF_RECOVERY);
	/* interrupted at 09.151, ready at 10.200 */
	assert_true(log.redo[0].have_span);
	assert_true(log.redo[0].span_s > 1.048 && log.redo[0].span_s < 1.050);
	dbp_pglog_free(&log);

	/* a recovery killed before its end, then one that ends: each its own;
	 * without timestamps no span */
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log,
		"LOG:  database system was interrupted; last known up at 2026-12-07 10:49:58 UTC\n"
		"LOG:  redo starts at 0/4168640\n"
		"LOG:  database system was interrupted while in recovery at 2026-12-07 10:52:00 UTC\n"
		"LOG:  redo starts at 0/4168640\n"
		"LOG:  redo done at 16/B374D848 system usage: CPU: user: 1.00 s, system: 0.50 s, elapsed: 12.34 s\n"
		"LOG:  database system is ready to accept connections\n"), 0);
	assert_int_equal(log.nredo, 2);
	assert_false(log.redo[0].have_done);
	assert_true(log.redo[1].have_done);
	assert_true(log.redo[1].done == 0x16B374D848ull);
	assert_false(log.redo[1].have_span);
	assert_false(log.redo[1].have_ckpt);
	dbp_pglog_free(&log);

	/* the messages alone, as csvlog and jsonlog carry them */
	assert_int_equal(dbp_pglog_parse_redo("redo starts at 0/10", &lsn, &el), 1);
	assert_true(lsn == 0x10);
	assert_int_equal(dbp_pglog_parse_redo("redo done at 1/0 system usage: CPU: user: 0.00 s, "
					      "system: 0.00 s, elapsed: 0.00 s", &lsn, &el), 2);
	assert_true(lsn == 0x100000000ull && el == 0);
	/* not redo's lines, or not whole */
	assert_int_equal(dbp_pglog_parse_redo("redo is not required", &lsn, &el), 0);
	assert_int_equal(dbp_pglog_parse_redo("redo starts at 0/", &lsn, &el), 0);
	assert_int_equal(dbp_pglog_parse_redo("redo starts at 0/123456789", &lsn, &el), 0);
	assert_int_equal(dbp_pglog_parse_redo("redo done at 0/10", &lsn, &el), 0);
	assert_int_equal(dbp_pglog_parse_redo("redo done at 0/10 system usage: elapsed: nan s",
					      &lsn, &el), 0);
	assert_int_equal(dbp_pglog_parse_redo("undo starts at 0/10", &lsn, &el), 0);
	/* a done below its start is another recovery's, not this one's */
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, "LOG:  redo starts at 0/5000000\n"
		"LOG:  redo done at 0/10 system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.10 s\n"), 0);
	assert_int_equal(log.nredo, 1);
	assert_false(log.redo[0].have_done);
	dbp_pglog_free(&log);
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
		cmocka_unit_test(test_checkpoints_from_stderr_paired_with_their_start),
		cmocka_unit_test(test_checkpoints_from_csvlog_and_jsonlog),
		cmocka_unit_test(test_checkpoint_pairing_and_later_versions),
		cmocka_unit_test(test_memory_settings_in_kb),
		cmocka_unit_test(test_rotated_log_read_after_the_named_one),
		cmocka_unit_test(test_crash_recovery_lines),
		cmocka_unit_test_setup_teardown(test_server_log_through_current_logfiles_and_the_file_before,
						ft_setup, ft_teardown),
		cmocka_unit_test_setup_teardown(test_server_log_through_standard_error_or_a_pipe,
						ft_setup, ft_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
