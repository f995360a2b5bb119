/* lib/redislog.c and lib/redisread.c: Redis's log lines that time a save,
 * its configuration's save points, and a running server's evidence. */
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
#include "redislog.h"
#include "redisread.h"

/* Real lines: Redis 7.0.15 on Debian 12, its directory on an ext4 loop
 * file whose writes a blkio cgroup throttled to 16 MB/s, 3000000 keys of
 * DEBUG POPULATE (an RDB file of 79 MB): a BGSAVE, then SIGTERM. */
#define REAL_LOG \
	"24648:C 07 Dec 2026 10:48:20.765 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n" \
	"24648:C 07 Dec 2026 10:48:20.765 # Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=24648, just started\n" \
	"24648:M 07 Dec 2026 10:48:20.766 * The server is now ready to accept connections at /tmp/rexp/slow/d/s.sock\n" \
	"24648:M 07 Dec 2026 10:48:23.883 * Background saving started by pid 25137\n" \
	"25137:C 07 Dec 2026 10:48:29.403 * DB saved on disk\n" \
	"25137:C 07 Dec 2026 10:48:29.420 * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB\n" \
	"24648:M 07 Dec 2026 10:48:29.528 * Background saving terminated with success\n" \
	"24648:signal-handler (1796640509) Received SIGTERM scheduling shutdown...\n" \
	"24648:M 07 Dec 2026 10:48:29.629 # User requested shutdown...\n" \
	"24648:M 07 Dec 2026 10:48:29.629 * Saving the final RDB snapshot before exiting.\n" \
	"24648:M 07 Dec 2026 10:48:34.438 * DB saved on disk\n" \
	"24648:M 07 Dec 2026 10:48:34.438 * Removing the unix socket file.\n" \
	"24648:M 07 Dec 2026 10:48:34.438 # Redis is now ready to exit, bye bye...\n"

static void near(double a, double b, double tol)
{
	assert_true(a - b < tol && b - a < tol);
}

static void test_line_prefix_pid_role_and_time(void **state)
{
	const char *l = "25137:C 07 Dec 2026 10:48:29.403 * DB saved on disk", *msg;
	double when;
	long pid;
	char role;

	(void)state;
	assert_int_equal(dbp_redislog_line(l, strlen(l), &pid, &role, &when, &msg), 1);
	assert_int_equal(pid, 25137);
	assert_int_equal(role, 'C');
	near(when, 1796640509.403, 0.0005);	/* the local time, taken as UTC */
	assert_string_equal(msg, "DB saved on disk");
	/* not Redis's: the signal handler's line, PostgreSQL's, a cut line */
	l = "24648:signal-handler (1796640509) Received SIGTERM scheduling shutdown...";
	assert_int_equal(dbp_redislog_line(l, strlen(l), &pid, &role, &when, &msg), 0);
	l = "2026-12-07 07:36:42.608 UTC [14346] LOG:  checkpoint starting: immediate";
	assert_int_equal(dbp_redislog_line(l, strlen(l), &pid, &role, &when, &msg), 0);
	l = "25137:C 07 Dec 2026 10:48:29.403 *";
	assert_int_equal(dbp_redislog_line(l, strlen(l), &pid, &role, &when, &msg), 0);
	l = "25137:C 07 Foo 2026 10:48:29.403 * DB saved on disk";
	assert_int_equal(dbp_redislog_line(l, strlen(l), &pid, &role, &when, &msg), 0);
	l = "25137:C 07 Dec 2026 25:48:29.403 * DB saved on disk";
	assert_int_equal(dbp_redislog_line(l, strlen(l), &pid, &role, &when, &msg), 0);
}

/* The BGSAVE is timed from the parent's start line to its child's "DB
 * saved on disk" (5.52 s), the stop's save from "Saving the final RDB
 * snapshot" to the server's own (4.81 s) */
static void test_background_and_final_saves_are_timed(void **state)
{
	struct dbp_redislog log;

	(void)state;
	dbp_redislog_init(&log);
	assert_int_equal(dbp_redislog_parse(&log, REAL_LOG), 2);
	assert_int_equal(log.lines, 13);
	assert_int_equal(log.entries, 12);
	assert_int_equal(log.saved, 2);
	assert_int_equal(log.save[0].kind, DBP_REDIS_SAVE_BACKGROUND);
	near(log.save[0].end - log.save[0].start, 5.520, 0.0005);
	assert_int_equal(log.save[0].line, 5);
	assert_int_equal(log.save[1].kind, DBP_REDIS_SAVE_SHUTDOWN);
	near(log.save[1].end - log.save[1].start, 4.809, 0.0005);
	assert_true(log.last_save_timed);
	assert_int_equal(log.unfinished, 0);
	dbp_redislog_free(&log);
}

/* A SAVE command logs no start: the last save is then not timed; a stop
 * whose final snapshot never ended (the next start follows) was killed
 * mid-save; a failed background save times nothing */
static void test_untimed_failed_and_killed_saves(void **state)
{
	struct dbp_redislog log;

	(void)state;
	dbp_redislog_init(&log);
	assert_int_equal(dbp_redislog_parse(&log,
		"7:M 07 Dec 2026 10:00:00.000 * Background saving started by pid 9\n"
		"7:M 07 Dec 2026 10:00:01.000 # Background saving error\n"
		"9:C 07 Dec 2026 10:00:02.000 * DB saved on disk\n"
		"7:M 07 Dec 2026 10:00:03.000 * Saving the final RDB snapshot before exiting.\n"
		"1:C 07 Dec 2026 10:00:05.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n"
		"1:M 07 Dec 2026 10:00:06.000 * Background saving started by pid 20\n"
		"20:C 07 Dec 2026 10:00:08.500 * DB saved on disk\r\n"
		"1:M 07 Dec 2026 10:00:09.000 * DB saved on disk\n"), 1);
	assert_int_equal(log.unfinished, 1);
	assert_int_equal(log.saved, 3);
	near(log.save[0].end - log.save[0].start, 2.5, 0.0005);
	assert_false(log.last_save_timed);
	dbp_redislog_free(&log);
}

/* appendonly yes with the save points set: the stop fsyncs the AOF and
 * then writes the snapshot all the same (real lines, Redis 7.0.15; with
 * save "" the AOF's fsync alone) */
static void test_appendonly_stop_saves_too(void **state)
{
	struct dbp_redislog log;

	(void)state;
	dbp_redislog_init(&log);
	assert_int_equal(dbp_redislog_parse(&log,
		"960:signal-handler (1796641638) Received SIGTERM scheduling shutdown...\n"
		"960:M 07 Dec 2026 11:07:18.538 # User requested shutdown...\n"
		"960:M 07 Dec 2026 11:07:18.538 * Calling fsync() on the AOF file.\n"
		"960:M 07 Dec 2026 11:07:18.539 * Saving the final RDB snapshot before exiting.\n"
		"960:M 07 Dec 2026 11:07:18.539 * DB saved on disk\n"
		"960:M 07 Dec 2026 11:07:18.540 # Redis is now ready to exit, bye bye...\n"), 1);
	assert_int_equal(log.save[0].kind, DBP_REDIS_SAVE_SHUTDOWN);
	assert_true(log.last_save_timed);
	dbp_redislog_free(&log);
}

/* redis.conf: the first save replaces the defaults, later ones add,
 * save "" removes them all; quotes as sdssplitargs reads them */
static void test_config_save_points_and_files(void **state)
{
	struct dbp_redis_conf c;

	(void)state;
	dbp_redis_conf_init(&c);
	dbp_redis_conf_parse(&c, "# save 1 1\n"
				 "save 900 1\n"
				 "  SAVE 300 10   \n"
				 "appendonly yes\n"
				 "dbfilename \"my dump.rdb\"\n"
				 "dir /data\n"
				 "logfile ''\n"
				 "include /etc/redis/more.conf\n"
				 "save \"unbalanced\n");
	assert_int_equal(c.nsave, 2);
	assert_string_equal(c.save, "900 1 300 10");
	assert_int_equal(c.appendonly, 1);
	assert_string_equal(c.dbfilename, "my dump.rdb");
	assert_string_equal(c.dir, "/data");
	assert_true(c.logfile_set);
	assert_string_equal(c.logfile, "");
	assert_true(c.include);

	dbp_redis_conf_init(&c);
	dbp_redis_conf_parse(&c, "save 900 1\nsave \"\"\n");
	assert_int_equal(c.nsave, 0);
	dbp_redis_conf_init(&c);
	dbp_redis_conf_parse(&c, "port 6379\n");
	assert_int_equal(c.nsave, -1);
	assert_int_equal(c.appendonly, -1);
}

/* The command line's options after the configuration file, as
 * loadServerConfig joins them: "--save '60 10'" is two values, an empty
 * one stays one */
static void test_command_line_options(void **state)
{
	char *a1[] = { "/etc/redis.conf", "--save", "60 10", "--save", "300", "1", "--port", "0",
		       "--appendonly", "no", "--logfile", "/var/log/redis.log", NULL };
	char *a2[] = { "--save", "", "--dbfilename", "x.rdb", NULL };
	struct dbp_redis_conf c;

	(void)state;
	dbp_redis_conf_init(&c);
	dbp_redis_conf_args(&c, a1);
	assert_int_equal(c.nsave, 2);
	assert_string_equal(c.save, "60 10 300 1");
	assert_int_equal(c.appendonly, 0);
	assert_string_equal(c.logfile, "/var/log/redis.log");
	dbp_redis_conf_init(&c);
	dbp_redis_conf_parse(&c, "save 900 1\n");
	dbp_redis_conf_args(&c, a2);
	assert_int_equal(c.nsave, 0);
	assert_string_equal(c.dbfilename, "x.rdb");
}

/* The command line intact: its configuration file (relative to the
 * working directory), its options, the dbfilename and logfile they name */
static void test_evidence_from_the_configuration(void **state)
{
	char conf[512], *argv[] = { "redis-server", conf, "--save", "60", "10", NULL };
	char procfs[512], dir[512];
	struct dbp_redis_evidence ev;
	struct dbp_proc srv;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/etc/redis.conf", ft_root);
	ft_put("/etc/redis.conf", "save 900 1\ndbfilename snap.rdb\nlogfile redis.log\nappendonly yes\n");
	ft_put("/data1/snap.rdb", "REDIS0010 and the rest");
	ft_put("/data1/redis.log", REAL_LOG);
	snprintf(dir, sizeof(dir), "%s/data1", ft_root);
	ft_proc(5001, dir, 1, "/dev/null");
	memset(&srv, 0, sizeof(srv));
	srv.pid = 5001;
	srv.argv = argv;
	srv.rss_kb = 4096;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redis_evidence_read(procfs, &srv, &ev), 0);
	assert_false(ev.title);
	assert_int_equal(ev.conf_err, 0);
	/* the options are loaded as more lines of the file: they add (as
	 * Redis 7.0.15 does: CONFIG GET save said "900 1 60 10") */
	assert_string_equal(ev.conf.save, "900 1 60 10");
	assert_int_equal(ev.conf.appendonly, 1);
	assert_int_equal(ev.rdb_err, 0);
	assert_int_equal(ev.rdb_bytes, 22);
	assert_non_null(strstr(ev.rdb_path, "/data1/snap.rdb"));
	assert_true(ev.log_read);
	assert_string_equal(ev.log_where, "the logfile of its configuration");
	assert_int_equal(ev.log.nsave, 2);
	assert_int_equal(ev.rss_kb, 4096);
	dbp_redis_evidence_free(&ev);
}

/* The process title in place of the command line: dump.rdb in the
 * working directory, the log on standard output; a pipe there is the
 * runtime's log, said so; no RDB file yet */
static void test_evidence_under_the_process_title(void **state)
{
	char *argv[] = { "redis-server *:6379", NULL };
	char procfs[512], dir[512], out[512];
	struct dbp_redis_evidence ev;
	struct dbp_proc srv;

	(void)state;
	ft_put("/data2/dump.rdb", "REDIS0010");
	ft_put("/data2/stdout.log", REAL_LOG);
	snprintf(dir, sizeof(dir), "%s/data2", ft_root);
	snprintf(out, sizeof(out), "%s/data2/stdout.log", ft_root);
	ft_proc(5002, dir, 1, out);
	memset(&srv, 0, sizeof(srv));
	srv.pid = 5002;
	srv.argv = argv;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redis_evidence_read(procfs, &srv, &ev), 0);
	assert_true(ev.title);
	assert_int_equal(ev.conf.nsave, -1);
	assert_int_equal(ev.rdb_bytes, 9);
	assert_true(ev.log_read);
	assert_string_equal(ev.log_path, out);
	assert_string_equal(ev.log_where, "its standard output");
	dbp_redis_evidence_free(&ev);

	snprintf(out, sizeof(out), "%s/stdout.fifo", ft_root);
	assert_int_equal(mkfifo(out, 0600), 0);
	snprintf(dir, sizeof(dir), "%s/empty", ft_root);
	assert_int_equal(mkdir(dir, 0700), 0);
	ft_proc(5003, dir, 1, out);
	srv.pid = 5003;
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redis_evidence_read(procfs, &srv, &ev), 0);
	assert_false(ev.log_read);
	assert_int_equal(ev.log_err, 0);
	assert_non_null(strstr(ev.log_missing, "a pipe"));
	assert_non_null(strstr(ev.log_missing, "process title"));
	assert_int_equal(ev.rdb_err, -ENOENT);
	dbp_redis_evidence_free(&ev);

	/* a title without the address still leaves the old space zeroed */
	{
		char *padded[] = { "redis-server", "", "", "", NULL };

		srv.argv = padded;
		dbp_redis_evidence_init(&ev);
		assert_int_equal(dbp_redis_evidence_read(procfs, &srv, &ev), 0);
		assert_true(ev.title);
		dbp_redis_evidence_free(&ev);
	}
}

/* Under the title, the command line of the init that started it still
 * holds the options: tini -- redis-server CONF --save "" */
static void test_evidence_from_the_launcher(void **state)
{
	char conf[512], *title[] = { "redis-server *:6379", NULL };
	char *tini[] = { "tini", "--", "/usr/local/bin/redis-server", conf, "--appendonly", "yes", NULL };
	char procfs[512], dir[512];
	const struct dbp_proc *chain[2];
	struct dbp_redis_evidence ev;
	struct dbp_proc p1, srv;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/etc/launched.conf", ft_root);
	ft_put("/etc/launched.conf", "save 60 10\n");
	ft_put("/data3/dump.rdb", "REDIS0010");
	snprintf(dir, sizeof(dir), "%s/data3", ft_root);
	ft_proc(5004, dir, 1, "/dev/null");
	memset(&p1, 0, sizeof(p1));
	memset(&srv, 0, sizeof(srv));
	p1.pid = 1;
	p1.argv = tini;
	srv.pid = 5004;
	srv.argv = title;
	chain[0] = &p1;
	chain[1] = &srv;
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redis_evidence_read_chain(procfs, &srv, chain, 2, NULL, &ev), 0);
	assert_true(ev.title);
	assert_string_equal(ev.args_from, "tini (PID 1)");
	assert_string_equal(ev.conf.save, "60 10");
	assert_int_equal(ev.conf.appendonly, 1);
	dbp_redis_evidence_free(&ev);
	/* no launcher holds it: nothing taken */
	p1.argv = (char *[]){ "tini", "--", "bash", "-c", "exec redis-server --save ''", NULL };
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redis_evidence_read_chain(procfs, &srv, chain, 2, NULL, &ev), 0);
	assert_string_equal(ev.args_from, "");
	assert_int_equal(ev.conf.nsave, -1);
	dbp_redis_evidence_free(&ev);
	/* supervisord's program command=, in words */
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redis_evidence_read_chain(procfs, &srv, chain, 2,
		"/usr/bin/redis-server --save \"900 1\" --appendonly no", &ev), 0);
	assert_string_equal(ev.args_from, "supervisord's program");
	assert_string_equal(ev.conf.save, "900 1");
	assert_int_equal(ev.conf.appendonly, 0);
	dbp_redis_evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_prefix_pid_role_and_time),
		cmocka_unit_test(test_background_and_final_saves_are_timed),
		cmocka_unit_test(test_untimed_failed_and_killed_saves),
		cmocka_unit_test(test_appendonly_stop_saves_too),
		cmocka_unit_test(test_config_save_points_and_files),
		cmocka_unit_test(test_command_line_options),
		cmocka_unit_test(test_evidence_from_the_configuration),
		cmocka_unit_test(test_evidence_under_the_process_title),
		cmocka_unit_test(test_evidence_from_the_launcher),
	};

	return cmocka_run_group_tests(tests, ft_setup, ft_teardown);
}
