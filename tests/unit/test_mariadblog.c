/* lib/mariadblog.c and lib/mariadbread.c: MariaDB's error-log lines that
 * time a shutdown, its options, and a running server's evidence. */
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
#include "mariadblog.h"
#include "mariadbread.h"
#include "rules_budget.h"
#include "stopinput.h"

/* Real lines: MariaDB 10.11.19 on Debian 12, its data directory on an
 * ext4 loop file whose writes a blkio cgroup throttled to 8 MB/s, 300000
 * rows inserted with innodb_buffer_pool_size=512M, then SIGTERM: two
 * lives (some start lines left out) */
#define REAL_LOG \
	"2026-12-07 13:39:57 0 [Note] Starting MariaDB 10.11.19-MariaDB-0+deb12u1 source revision 5843d8475120241667a7ce0f8a1abb6c9b43a273 server_uid fXdYp7ZWAMMBm0PUMZFJoAcM0o0= as process 21651\n" \
	"2026-12-07 13:39:57 0 [Note] InnoDB: Compressed tables use zlib 1.2.13\n" \
	"2026-12-07 13:39:57 0 [Note] /usr/sbin/mariadbd: ready for connections.\n" \
	"Version: '10.11.19-MariaDB-0+deb12u1'  socket: '/tmp/mx/e/slow/d/s.sock'  port: 0  Debian 12\n" \
	"2026-12-07 13:40:00 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown\n" \
	"2026-12-07 13:40:00 0 [Note] InnoDB: FTS optimize thread exiting.\n" \
	"2026-12-07 13:40:00 0 [Note] InnoDB: Starting shutdown...\n" \
	"2026-12-07 13:40:00 0 [Note] InnoDB: Dumping buffer pool(s) to /tmp/mx/e/slow/d/ib_buffer_pool\n" \
	"2026-12-07 13:40:00 0 [Note] InnoDB: Buffer pool(s) dump completed at 261207 13:40:00\n" \
	"2026-12-07 13:40:08 0 [Note] InnoDB: Removed temporary tablespace data file: \"./ibtmp1\"\n" \
	"2026-12-07 13:40:08 0 [Note] Shutdown completed; log sequence number 77506100; transaction id 23\n" \
	"2026-12-07 13:40:08 0 [Note] /usr/sbin/mariadbd: Shutdown complete\n" \
	"\n" \
	"2026-12-07 13:40:08 0 [Note] Starting MariaDB 10.11.19-MariaDB-0+deb12u1 source revision 5843d8475120241667a7ce0f8a1abb6c9b43a273 server_uid fXdYp7ZWAMMBm0PUMZFJoAcM0o0= as process 21970\n" \
	"2026-12-07 13:40:09 0 [Note] /usr/sbin/mariadbd: ready for connections.\n" \
	"Version: '10.11.19-MariaDB-0+deb12u1'  socket: '/tmp/mx/e/slow/d/s.sock'  port: 0  Debian 12\n" \
	"2026-12-07 13:40:11 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown\n" \
	"2026-12-07 13:40:11 0 [Note] InnoDB: FTS optimize thread exiting.\n" \
	"2026-12-07 13:40:11 0 [Note] InnoDB: Starting shutdown...\n" \
	"2026-12-07 13:40:11 0 [Note] InnoDB: Restricted to 8112 pages due to innodb_buf_pool_dump_pct=25\n" \
	"2026-12-07 13:40:20 0 [Note] Shutdown completed; log sequence number 154967597; transaction id 34\n" \
	"2026-12-07 13:40:20 0 [Note] /usr/sbin/mariadbd: Shutdown complete\n"

/* Real lines: the same server SIGKILLed 50 ms after SIGTERM, mid-shutdown,
 * and started again: InnoDB's crash recovery */
#define KILLED_LOG \
	"2026-12-07 13:42:07 0 [Note] /usr/sbin/mariadbd: ready for connections.\n" \
	"2026-12-07 13:42:08 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown\n" \
	"2026-12-07 13:42:08 0 [Note] InnoDB: FTS optimize thread exiting.\n" \
	"2026-12-07 13:42:08 0 [Note] InnoDB: Starting shutdown...\n" \
	"2026-12-07 13:42:08 0 [Note] InnoDB: Buffer pool(s) dump completed at 261207 13:42:08\n" \
	"2026-12-07 13:42:08 0 [Note] Starting MariaDB 10.11.19-MariaDB-0+deb12u1 source revision 5843d8475120241667a7ce0f8a1abb6c9b43a273 server_uid fXdYp7ZWAMMBm0PUMZFJoAcM0o0= as process 26931\n" \
	"2026-12-07 13:42:09 0 [Note] InnoDB: Starting crash recovery from checkpoint LSN=159111183\n" \
	"2026-12-07 13:42:09 0 [Note] InnoDB: To recover: 4494 pages\n" \
	"2026-12-07 13:42:09 0 [Note] /usr/sbin/mariadbd: ready for connections.\n" \
	"2026-12-07 13:42:09 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown\n" \
	"2026-12-07 13:42:09 0 [Note] InnoDB: Starting shutdown...\n" \
	"2026-12-07 13:42:09 0 [Note] Shutdown completed; log sequence number 232396829; transaction id 42\n" \
	"2026-12-07 13:42:09 0 [Note] /usr/sbin/mariadbd: Shutdown complete"

static void test_line_prefix_and_time(void **state)
{
	const char *l = "2026-12-07 13:40:08 0 [Note] /usr/sbin/mariadbd: Shutdown complete", *msg;
	double when;

	(void)state;
	assert_int_equal(dbp_mariadblog_line(l, strlen(l), &when, &msg), 1);
	assert_true(when == 1796650808.0);	/* the local time, taken as UTC */
	assert_string_equal(msg, "/usr/sbin/mariadbd: Shutdown complete");
	/* MySQL 8's prefix */
	l = "2026-12-07T13:40:08.250000Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: "
	    "Shutdown complete (mysqld 8.0.36)  MySQL Community Server - GPL.";
	assert_int_equal(dbp_mariadblog_line(l, strlen(l), &when, &msg), 1);
	assert_true(when == 1796650808.25);
	assert_true(!strncmp(msg, "/usr/sbin/mysqld: Shutdown", 26));
	/* not the error log's: the Version line, PostgreSQL's, a cut line */
	l = "Version: '10.11.19-MariaDB-0+deb12u1'  socket: '/tmp/s.sock'  port: 0  Debian 12";
	assert_int_equal(dbp_mariadblog_line(l, strlen(l), &when, &msg), 0);
	l = "2026-12-07 13:40:08.123 UTC [42] LOG:  database system is shut down";
	assert_int_equal(dbp_mariadblog_line(l, strlen(l), &when, &msg), 0);
	l = "2026-12-07 13:40:08 0 [No";
	assert_int_equal(dbp_mariadblog_line(l, strlen(l), &when, &msg), 0);
	l = "2026-12-07 13:40";
	assert_int_equal(dbp_mariadblog_line(l, strlen(l), &when, &msg), 0);
}

static void test_shutdowns_are_timed(void **state)
{
	struct dbp_mariadblog log;

	(void)state;
	dbp_mariadblog_init(&log);
	assert_int_equal(dbp_mariadblog_parse(&log, REAL_LOG), 2);
	assert_int_equal(log.starts, 2);
	assert_int_equal(log.unfinished, 0);
	assert_true(log.shut[0].end - log.shut[0].start == 8);
	assert_true(log.shut[1].end - log.shut[1].start == 9);
	assert_int_equal(log.shut[1].line, 22);
	/* "Shutdown completed; log sequence number" is InnoDB's, not the end */
	assert_int_equal(log.entries, 19);
	dbp_mariadblog_free(&log);
}

static void test_killed_mid_shutdown(void **state)
{
	struct dbp_mariadblog log;

	(void)state;
	dbp_mariadblog_init(&log);
	/* the last line without its newline, as the server leaves it */
	assert_int_equal(dbp_mariadblog_parse(&log, KILLED_LOG), 1);
	assert_int_equal(log.unfinished, 1);
	assert_int_equal(log.recoveries, 1);
	assert_true(log.unfinished_last - log.unfinished_start == 0);
	assert_true(log.shut[0].end == log.shut[0].start);
	dbp_mariadblog_free(&log);
	/* a crash ends a shutdown too */
	dbp_mariadblog_init(&log);
	assert_int_equal(dbp_mariadblog_parse(&log,
		"2026-12-07 13:42:08 0 [Note] /usr/sbin/mariadbd (initiated by: unknown): Normal shutdown\n"
		"261207 13:42:09 [ERROR] mysqld got signal 11 ;\n"
		"2026-12-07 13:42:20 0 [Note] /usr/sbin/mariadbd: Shutdown complete\n"), 0);
	assert_int_equal(log.crashes, 1);
	assert_int_equal(log.unfinished, 1);
	dbp_mariadblog_free(&log);
}

/* MySQL 8's lines, and MariaDB 10.4's InnoDB line, which is no end */
static void test_mysql8_and_older_lines(void **state)
{
	struct dbp_mariadblog log;

	(void)state;
	dbp_mariadblog_init(&log);
	assert_int_equal(dbp_mariadblog_parse(&log,
		"2026-12-07T13:40:00.100000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n"
		"2026-12-07T13:40:11.000000Z 0 [System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.0.36).\n"
		"2026-12-07T13:40:15.500000Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.36)  MySQL Community Server - GPL.\n"
		"2026-12-07 13:41:00 0 [Note] /usr/sbin/mysqld (initiated by: unknown): Normal shutdown\n"
		"2026-12-07 13:41:03 0 [Note] InnoDB: Shutdown completed; log sequence number 1903512; transaction id 1234\n"
		"2026-12-07 13:41:04 0 [Note] /usr/sbin/mysqld: Shutdown complete\n"), 2);
	assert_true(log.shut[0].end - log.shut[0].start == 4.5);
	assert_true(log.shut[1].end - log.shut[1].start == 4);
	assert_int_equal(log.shut[1].line, 6);
	dbp_mariadblog_free(&log);
	{
		struct dbp_mariadb_evidence ev;
		struct dbp_stop_budget b;

		dbp_mariadb_evidence_init(&ev);
		assert_int_equal(dbp_mariadblog_parse(&ev.log,
			"2026-12-07T13:40:11.000000Z 0 [System] [MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.0.36).\n"
			"2026-12-07T13:40:15.500000Z 0 [System] [MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.36)  MySQL Community Server - GPL.\n"), 1);
		ev.log_read = 1;
		dbp_mariadb_stop_budget(&ev, 3, &b);
		assert_true(b.over && b.seconds == 4.5);
		assert_non_null(strstr(b.basis, "took 4.5 s"));
		dbp_mariadb_evidence_free(&ev);
	}
}

static void test_options(void **state)
{
	char *argv[] = { "/usr/sbin/mariadbd", "--innodb-fast-shutdown=2",
			 "--innodb_buffer_pool_size", "1G", "--log-error=/var/log/m.err",
			 "--datadir=/data", "--skip-networking", NULL };
	char *argv2[] = { "mariadbd", "--loose-innodb_fast_shutdown=0", "--log-error", NULL };
	struct dbp_mariadb_conf c;

	(void)state;
	dbp_mariadb_conf_init(&c);
	dbp_mariadb_conf_args(&c, argv);
	assert_int_equal(c.fast_shutdown, 2);
	assert_string_equal(c.fast_from, "its command line");
	assert_true(c.buffer_pool == 1024LL * 1024 * 1024);
	assert_string_equal(c.log_error, "/var/log/m.err");
	assert_string_equal(c.datadir, "/data");
	dbp_mariadb_conf_init(&c);
	dbp_mariadb_conf_args(&c, argv2);
	assert_int_equal(c.fast_shutdown, 0);
	/* log-error's value is optional: DATADIR/HOSTNAME.err */
	assert_true(c.log_error_set);
	assert_string_equal(c.log_error, "");
	/* an option file: only the server's sections */
	dbp_mariadb_conf_init(&c);
	dbp_mariadb_conf_parse(&c,
		"[client]\ninnodb_fast_shutdown = 3\n"
		"[mysqld]\n# innodb_fast_shutdown = 2\ninnodb_buffer_pool_size = 512M  # half\n"
		"log_error = \"/var/log/mysql/error.log\"\n"
		"[mariadb-10.11]\ninnodb-fast-shutdown=0\n"
		"[mysqldump]\ninnodb_fast_shutdown = 1\n", "/etc/mysql/my.cnf", NULL, NULL);
	assert_int_equal(c.fast_shutdown, 0);
	assert_string_equal(c.fast_from, "/etc/mysql/my.cnf");
	assert_true(c.buffer_pool == 512LL * 1024 * 1024);
	assert_string_equal(c.log_error, "/var/log/mysql/error.log");
	/* out of range, or no number: not taken */
	dbp_mariadb_conf_apply(&c, "innodb_fast_shutdown", "4", "x");
	dbp_mariadb_conf_apply(&c, "innodb_fast_shutdown", NULL, "x");
	assert_int_equal(c.fast_shutdown, 0);
}

/* A /proc entry whose root is ft_root's rootfs, not "/": the option files
 * at their default paths are the fixture's */
static void proc_in_rootfs(int pid, const char *cwd, const char *fd2)
{
	char link[600], target[600];

	snprintf(link, sizeof(link), "mkdir -p '%s/proc/%d/fd' '%s/rootfs'", ft_root, pid, ft_root);
	assert_int_equal(system(link), 0);
	snprintf(link, sizeof(link), "%s/proc/%d/cwd", ft_root, pid);
	snprintf(target, sizeof(target), "%s/rootfs%s", ft_root, cwd);
	assert_int_equal(symlink(target, link), 0);
	snprintf(link, sizeof(link), "%s/proc/%d/root", ft_root, pid);
	snprintf(target, sizeof(target), "%s/rootfs", ft_root);
	assert_int_equal(symlink(target, link), 0);
	snprintf(link, sizeof(link), "%s/proc/%d/fd/2", ft_root, pid);
	assert_int_equal(symlink(fd2, link), 0);
}

static void test_evidence_from_standard_error(void **state)
{
	char *argv[] = { "/usr/sbin/mariadbd", "--innodb-fast-shutdown=1", NULL };
	char procfs[512], log[512];
	struct dbp_mariadb_evidence ev;
	struct dbp_proc srv;

	(void)state;
	ft_put("/rootfs/etc/mysql/my.cnf", "[mysqld]\ninnodb_fast_shutdown = 0\n"
	       "!includedir /etc/mysql/conf.d/\n");
	ft_put("/rootfs/etc/mysql/conf.d/50-server.cnf", "[server]\ninnodb_buffer_pool_size=256M\n");
	ft_put("/rootfs/etc/mysql/conf.d/readme.txt", "[server]\ninnodb_buffer_pool_size=1M\n");
	ft_put("/var/log/mariadb.err", REAL_LOG);
	snprintf(log, sizeof(log), "%s/var/log/mariadb.err", ft_root);
	proc_in_rootfs(6001, "/var/lib/mysql", log);
	memset(&srv, 0, sizeof(srv));
	srv.pid = 6001;
	srv.argv = argv;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_mariadb_evidence_init(&ev);
	assert_int_equal(dbp_mariadb_evidence_read(procfs, &srv, &ev), 0);
	/* the command line overrides the file */
	assert_int_equal(ev.conf.fast_shutdown, 1);
	assert_true(ev.conf.buffer_pool == 256LL * 1024 * 1024);
	assert_string_equal(ev.conf_read, "/etc/mysql/my.cnf, /etc/mysql/conf.d/50-server.cnf");
	assert_true(ev.log_read);
	assert_string_equal(ev.log_where, "its standard error");
	assert_int_equal(ev.log.nshut, 2);
	dbp_mariadb_evidence_free(&ev);
}

static void test_evidence_from_log_error(void **state)
{
	char *argv[] = { "/usr/sbin/mariadbd", "--log-error=m.err", "--datadir=/data", NULL };
	char link[600];
	char *argv2[] = { "/usr/sbin/mariadbd", NULL };
	char procfs[512];
	struct dbp_mariadb_evidence ev;
	struct dbp_proc srv;

	(void)state;
	/* an absolute link is resolved inside the server's root */
	ft_put("/rootfs/logs/m.err", KILLED_LOG);
	ft_put("/rootfs/data/.keep", "");
	snprintf(link, sizeof(link), "%s/rootfs/data/m.err", ft_root);
	assert_int_equal(symlink("/logs/m.err", link), 0);
	proc_in_rootfs(6002, "/data", "/dev/null");
	memset(&srv, 0, sizeof(srv));
	srv.pid = 6002;
	srv.argv = argv;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_mariadb_evidence_init(&ev);
	assert_int_equal(dbp_mariadb_evidence_read(procfs, &srv, &ev), 0);
	assert_true(ev.log_read);
	assert_string_equal(ev.log_path, "/data/m.err");
	assert_string_equal(ev.log_where, "the log_error of its configuration");
	assert_int_equal(ev.log.unfinished, 1);
	dbp_mariadb_evidence_free(&ev);
	/* nothing: standard error is /dev/null, no log_error */
	srv.argv = argv2;
	dbp_mariadb_evidence_init(&ev);
	assert_int_equal(dbp_mariadb_evidence_read(procfs, &srv, &ev), 0);
	assert_false(ev.log_read);
	assert_int_equal(ev.log_err, 0);
	assert_non_null(strstr(ev.log_missing, "no log_error is configured"));
	dbp_mariadb_evidence_free(&ev);
}

/* Node mode: standard error a pipe, the runtime's keeping of it read
 * instead; a log missing for another reason is not replaced */
static void test_evidence_from_the_runtime(void **state)
{
	struct dbp_runtime_output rt;
	struct dbp_mariadb_evidence ev;

	(void)state;
	memset(&rt, 0, sizeof(rt));
	rt.text = REAL_LOG;
	snprintf(rt.path, sizeof(rt.path), "/var/lib/docker/containers/c0/c0-json.log");
	snprintf(rt.where, sizeof(rt.where), "the runtime's log, docker json-file");
	dbp_mariadb_evidence_init(&ev);
	ev.log_missing = "it logs to its standard error, a pipe";
	ev.stderr_pipe = 1;
	assert_int_equal(dbp_mariadb_evidence_runtime(&ev, &rt), 0);
	assert_true(ev.log_read && rt.wanted && rt.used);
	assert_null(ev.log_missing);
	assert_string_equal(ev.log_path, "/var/lib/docker/containers/c0/c0-json.log");
	assert_string_equal(ev.log_where, "the runtime's log, docker json-file");
	assert_int_equal(ev.log.nshut, 2);
	dbp_mariadb_evidence_free(&ev);
	/* log_error without a name: not the runtime's to tell */
	memset(&rt, 0, sizeof(rt));
	rt.text = REAL_LOG;
	dbp_mariadb_evidence_init(&ev);
	ev.log_missing = "log_error is set without a file name";
	assert_int_equal(dbp_mariadb_evidence_runtime(&ev, &rt), 0);
	assert_false(ev.log_read || rt.wanted);
	/* inside a container: none */
	ev.stderr_pipe = 1;
	assert_int_equal(dbp_mariadb_evidence_runtime(&ev, NULL), 0);
	assert_false(ev.log_read);
	dbp_mariadb_evidence_free(&ev);
}

static void mariadb_evidence(struct dbp_mariadb_evidence *ev, const char *text)
{
	dbp_mariadb_evidence_init(ev);
	assert_true(dbp_mariadblog_parse(&ev->log, text) >= 0);
	ev->log_read = 1;
	snprintf(ev->log_path, sizeof(ev->log_path), "/var/log/mysql/error.log");
	ev->log_where = "its standard error";
}

static void test_budget_is_the_longest_recent_shutdown(void **state)
{
	struct dbp_mariadb_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	mariadb_evidence(&ev, REAL_LOG);
	dbp_mariadb_stop_budget(&ev, 3, &b);
	assert_true(b.judged && b.mariadb && b.have_estimate && b.over);
	assert_true(b.seconds == 9);
	assert_int_equal(b.timed, 2);
	assert_int_equal(b.fast_shutdown, 1);
	assert_non_null(strstr(b.basis, "innodb_fast_shutdown=1 (the default)"));
	assert_non_null(strstr(b.basis, "the longest of the last 2 shutdowns the server's error "
				"log timed"));
	assert_non_null(strstr(b.basis, "took 9 s, the one that ended at 2026-12-07 13:40:20 "
				"(log line 22)"));
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_true(b.have_estimate && !b.over);
	/* a slow shutdown, said */
	ev.conf.fast_shutdown = 0;
	snprintf(ev.conf.fast_from, sizeof(ev.conf.fast_from), "its command line");
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_int_equal(b.fast_shutdown, 0);
	assert_non_null(strstr(b.basis, "innodb_fast_shutdown=0 (its command line): a slow "
				"shutdown"));
	ev.conf.fast_shutdown = 2;
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_non_null(strstr(b.basis, "writes no dirty page"));
	dbp_mariadb_evidence_free(&ev);
	/* the last shutdown within a second, after one cut short */
	mariadb_evidence(&ev, KILLED_LOG);
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_true(b.have_estimate && b.seconds == 0.5);
	assert_non_null(strstr(b.basis, "; the one shutdown the server's error log timed"));
	assert_non_null(strstr(b.basis, "took under a second"));
	assert_non_null(strstr(b.basis, "1 shutdown cut short"));
	dbp_mariadb_evidence_free(&ev);
}

static void test_budget_without_a_timed_shutdown(void **state)
{
	struct dbp_mariadb_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	dbp_mariadb_stop_budget(NULL, 30, &b);
	assert_true(b.judged && !b.have_estimate);
	assert_non_null(strstr(b.basis, "not read"));
	mariadb_evidence(&ev, "2026-12-07 13:42:07 0 [Note] /usr/sbin/mariadbd: ready for "
			 "connections.\n");
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "times no shutdown"));
	dbp_mariadb_evidence_free(&ev);
	mariadb_evidence(&ev, "not a log\n");
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_non_null(strstr(b.basis, "holds no line of MariaDB's error log"));
	dbp_mariadb_evidence_free(&ev);
	dbp_mariadb_evidence_init(&ev);
	ev.log_missing = "it logs to its standard error, a pipe";
	dbp_mariadb_stop_budget(&ev, 30, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "was not found: it logs to its standard error, a pipe"));
	dbp_mariadb_evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_prefix_and_time),
		cmocka_unit_test(test_shutdowns_are_timed),
		cmocka_unit_test(test_killed_mid_shutdown),
		cmocka_unit_test(test_mysql8_and_older_lines),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_evidence_from_standard_error),
		cmocka_unit_test(test_evidence_from_log_error),
		cmocka_unit_test(test_evidence_from_the_runtime),
		cmocka_unit_test(test_budget_is_the_longest_recent_shutdown),
		cmocka_unit_test(test_budget_without_a_timed_shutdown),
	};

	return cmocka_run_group_tests(tests, ft_setup, ft_teardown);
}
