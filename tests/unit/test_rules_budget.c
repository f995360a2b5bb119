/* lib/rules_budget.c: how long a PostgreSQL shutdown takes, from the
 * checkpoint lines of its log, and a Redis shutdown, from its saves,
 * against the grace period. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>

#include "rules_budget.h"

/* Real lines: PostgreSQL 15 on Debian 12, the data directory on an ext4
 * loop file whose writes a blkio cgroup throttled to 8 MB/s,
 * shared_buffers=256MB: a CHECKPOINT after an INSERT, then an UPDATE and
 * a fast shutdown, which took 23.4 s from the signal to the exit. */
#define IMMEDIATE \
	"2026-12-07 07:36:42.608 UTC [14346] LOG:  checkpoint starting: immediate force wait\n" \
	"2026-12-07 07:36:54.260 UTC [14346] LOG:  checkpoint complete: wrote 11800 buffers (36.0%); " \
	"0 WAL file(s) added, 0 removed, 6 recycled; write=7.013 s, sync=4.600 s, total=11.652 s; " \
	"sync files=29, longest=4.508 s, average=0.159 s; distance=103549 kB, estimate=103549 kB\n"
#define SHUTDOWN \
	"2026-12-07 07:37:38.120 UTC [14346] LOG:  checkpoint starting: shutdown immediate\n" \
	"2026-12-07 07:38:01.288 UTC [14346] LOG:  checkpoint complete: wrote 23535 buffers (71.8%); " \
	"0 WAL file(s) added, 0 removed, 14 recycled; write=0.306 s, sync=22.657 s, total=23.195 s; " \
	"sync files=3, longest=22.646 s, average=7.553 s; distance=227597 kB, estimate=227597 kB\n"
/* A spread checkpoint of the same size: throttled on purpose, its 27 s
 * say nothing of the disk (constructed from the lines above). */
#define SPREAD \
	"2026-12-07 07:45:00.000 UTC [14346] LOG:  checkpoint starting: time\n" \
	"2026-12-07 07:45:27.000 UTC [14346] LOG:  checkpoint complete: wrote 11800 buffers (36.0%); " \
	"0 WAL file(s) added, 0 removed, 6 recycled; write=26.900 s, sync=0.050 s, total=27.000 s; " \
	"sync files=29, longest=0.010 s, average=0.002 s; distance=103549 kB, estimate=103549 kB\n"

static void near(double a, double b, double tol)
{
	assert_true(a - b < tol && b - a < tol);
}

static void evidence(struct dbp_pg_evidence *ev, const char *text)
{
	dbp_evidence_init(ev);
	assert_true(dbp_pglog_parse(&ev->log, text) >= 0);
	ev->log_read = 1;
	snprintf(ev->log_path, sizeof(ev->log_path), "/var/lib/postgresql/data/log/postgresql.log");
}

/* The CHECKPOINT measured the disk (11800 buffers in 11.652 s, 1013 a
 * second); the estimate of the next stop from it alone is that
 * checkpoint's size at that speed: 11.65 s. */
static void test_immediate_checkpoint_measures_the_disk(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	evidence(&ev, IMMEDIATE);
	dbp_pg_stop_budget(&ev, 10, &b);
	assert_true(b.judged);
	assert_true(b.have_estimate);
	near(b.rate, 11800 / 11.652, 0.01);
	assert_int_equal(b.buffers, 11800);
	near(b.seconds, 11.652, 0.001);
	assert_true(b.over);			/* 11.7 s > 10 s */
	/* shared_buffers from the line's 36.0 %: 32778 (256 MB is 32768) */
	assert_true(b.nbuffers > 32700 && b.nbuffers < 32850);
	near(b.worst_seconds, 32.4, 0.1);
	assert_true(b.worst_over);
	assert_non_null(strstr(b.basis, "the immediate checkpoint at 2026-12-07 07:36:54 UTC "
				     "wrote 11800 buffers in 11.652 s"));
	dbp_pg_stop_budget(&ev, 30, &b);
	assert_false(b.over);
	assert_true(b.worst_over);		/* 32.4 s > 30 s */
	dbp_evidence_free(&ev);
}

/* After the shutdown: the larger of the two sets the dirty buffers
 * (23535), measured at the speed of the larger unthrottled one -- which
 * is the shutdown's own, so the estimate is its measured 23.2 s, against
 * 23.4 s from signal to exit in reality. */
static void test_largest_recent_checkpoint_sets_the_dirty_buffers(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	evidence(&ev, IMMEDIATE SHUTDOWN);
	dbp_pg_stop_budget(&ev, 30, &b);
	assert_int_equal(b.buffers, 23535);
	near(b.seconds, 23.195, 0.001);
	assert_true(b.seconds > 23.4 / 2 && b.seconds < 23.4 * 2);
	assert_false(b.over);
	/* the command line's shared_buffers is exact, and wins over the log's */
	ev.shared_buffers_kb = 256 * 1024;
	dbp_pg_stop_budget(&ev, 30, &b);
	assert_int_equal(b.nbuffers, 32768);
	dbp_evidence_free(&ev);
}

/* A spread checkpoint counts for the dirty buffers, never for the
 * disk's speed: with no unthrottled one there is no estimate, and the
 * basis says what was assumed. */
static void test_spread_checkpoints_do_not_measure_the_disk(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	evidence(&ev, SPREAD);
	dbp_pg_stop_budget(&ev, 5, &b);
	assert_true(b.judged);
	assert_false(b.have_estimate);
	assert_false(b.over);
	assert_non_null(strstr(b.basis, "no estimate"));
	assert_non_null(strstr(b.basis, "dbpod assumed the shutdown checkpoint fits the 5 s"));
	dbp_evidence_free(&ev);
	/* with the CHECKPOINT before it: the spread one's size, the
	 * CHECKPOINT's speed */
	evidence(&ev, IMMEDIATE SPREAD);
	dbp_pg_stop_budget(&ev, 5, &b);
	assert_true(b.have_estimate);
	near(b.seconds, 11.652, 0.001);
	dbp_evidence_free(&ev);
}

/* A tiny unthrottled checkpoint (an idle server's shutdown) is all fixed
 * cost: it measures nothing; one done within 50 ms (a fast disk's page
 * cache) is timed as 50 ms, so that the estimate errs long */
static void test_tiny_checkpoint_measures_nothing(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	evidence(&ev, IMMEDIATE
		 "LOG:  checkpoint starting: shutdown immediate\n"
		 "LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, "
		 "0 recycled; write=0.001 s, sync=0.001 s, total=0.004 s; sync files=2, "
		 "longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB\n");
	dbp_pg_stop_budget(&ev, 30, &b);
	near(b.rate, 11800 / 11.652, 0.01);
	dbp_evidence_free(&ev);
	evidence(&ev, "LOG:  checkpoint starting: shutdown immediate\n"
		 "LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, "
		 "0 recycled; write=0.001 s, sync=0.001 s, total=0.004 s; sync files=2, "
		 "longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB\n");
	dbp_pg_stop_budget(&ev, 30, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "with 64 buffers or more"));
	dbp_evidence_free(&ev);
	/* real line: PostgreSQL 15 on this machine's unthrottled disk */
	evidence(&ev, "2026-12-07 07:57:20.006 UTC [2] LOG:  checkpoint starting: immediate force wait\n"
		 "2026-12-07 07:57:20.033 UTC [2] LOG:  checkpoint complete: wrote 596 buffers (14.6%); "
		 "1 WAL file(s) added, 0 removed, 0 recycled; write=0.006 s, sync=0.006 s, "
		 "total=0.028 s; sync files=7, longest=0.005 s, average=0.001 s; distance=5173 kB, "
		 "estimate=5173 kB\n");
	dbp_pg_stop_budget(&ev, 30, &b);
	assert_true(b.have_estimate);
	near(b.rate, 596 / 0.05, 0.01);
	near(b.seconds, 0.05, 0.0001);
	dbp_evidence_free(&ev);
}

/* No log: no verdict, and the basis says why and what was assumed */
static void test_no_log_no_verdict(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	dbp_evidence_init(&ev);
	ev.log_missing = "its standard error is a pipe: the runtime keeps that log";
	dbp_pg_stop_budget(&ev, 30, &b);
	assert_true(b.judged);
	assert_false(b.have_estimate);
	assert_false(b.over);
	assert_non_null(strstr(b.basis, "was not found: its standard error is a pipe"));
	assert_non_null(strstr(b.basis, "assumed it fits the 30 s grace period"));
	dbp_pg_stop_budget(NULL, 30, &b);
	assert_non_null(strstr(b.basis, "was not read"));
	dbp_evidence_free(&ev);
}

/* Real lines: PostgreSQL 15 SIGKILLed after an INSERT and restarted:
 * 56.7 MB of WAL replayed, 1.049 s from "interrupted" to "ready" */
#define CRASH_RECOVERY \
	"2026-12-07 10:50:09.151 UTC [12749] LOG:  database system was interrupted; last known up at 2026-12-07 10:49:58 UTC\n" \
	"2026-12-07 10:50:09.870 UTC [12749] LOG:  database system was not properly shut down; automatic recovery in progress\n" \
	"2026-12-07 10:50:09.871 UTC [12749] LOG:  redo starts at 0/4168640\n" \
	"2026-12-07 10:50:10.085 UTC [12749] LOG:  redo done at 0/7A212C8 system usage: CPU: user: 0.08 s, system: 0.03 s, elapsed: 0.21 s\n" \
	"2026-12-07 10:50:10.100 UTC [12747] LOG:  checkpoint starting: end-of-recovery immediate wait\n" \
	"2026-12-07 10:50:10.187 UTC [12747] LOG:  checkpoint complete: wrote 6612 buffers (40.4%); 0 WAL file(s) added, 0 removed, 3 recycled; write=0.059 s, sync=0.003 s, total=0.092 s; sync files=4, longest=0.002 s, average=0.001 s; distance=58083 kB, estimate=58083 kB\n" \
	"2026-12-07 10:50:10.200 UTC [12734] LOG:  database system is ready to accept connections\n"

/* pg_control's redo pointer 0/4168640; pg_wal's newest segment starts at
 * newest and WAL ends in it */
static void data_directory(struct dbp_pg_evidence *ev, uint64_t newest)
{
	struct dbp_pg_recovery_input *in = &ev->recovery;

	ev->recovery_read = 1;
	memset(in, 0, sizeof(*in));
	snprintf(in->datadir, sizeof(in->datadir), "/var/lib/postgresql/data");
	in->control_read = 1;
	in->control.version = 1300;
	in->control.state = DBP_PG_IN_PRODUCTION;
	in->control.time = 1796640598;
	in->control.redo = 0x4168640;
	in->control.xlog_seg_size = 16u * 1024 * 1024;
	in->wal_read = 1;
	snprintf(in->wal_newest, sizeof(in->wal_newest), "0000000100000000000000%02X",
		 (unsigned)(newest >> 24));
	in->wal_newest_start = newest;
	in->wal_end_min = newest;
	in->wal_end_max = newest + 16u * 1024 * 1024;
}

/* The last recovery replayed 59477128 bytes in 0.21 s of redo and 0.092 s
 * of end-of-recovery checkpoint (187.8 MB/s), and spent 0.747 s besides
 * (1.049 s from "interrupted" to "ready"): the WAL up to the end of pg_wal's
 * newest segment, 206.6 MB, takes 0.747 + 1.100 = 1.847 s; at least 1.762
 * s to its start */
static void test_recovery_from_the_last_one(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_recovery_budget b;

	(void)state;
	evidence(&ev, CRASH_RECOVERY);
	data_directory(&ev, 0x10000000);
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_true(b.judged);
	assert_true(b.have_estimate);
	assert_true(b.have_wal);
	assert_true(b.wal_high == 0x11000000 - 0x4168640);
	assert_true(b.wal_low == 0x10000000 - 0x4168640);
	near(b.rate, 59477128 / 0.302, 1000);
	near(b.fixed_seconds, 0.747, 0.001);
	near(b.seconds, 1.847, 0.001);
	near(b.seconds_low, 1.762, 0.001);
	assert_false(b.over);
	assert_int_equal(b.allowed, 30);
	assert_non_null(strstr(b.basis, "redo pointer 0/4168640 (/var/lib/postgresql/data/global/"
				"pg_control, written 2026-12-07 10:49:58 UTC, the server in production)"));
	assert_non_null(strstr(b.basis, "between 190.6 and 206.6 MB"));
	assert_non_null(strstr(b.basis, "replayed 56.7 MB in 0.21 s and its end-of-recovery "
				"checkpoint wrote 6612 buffers in 0.092 s, 187.8 MB/s; of its 1.05 s from "
				"\"database system was interrupted\" to \"ready to accept connections\", "
				"the 0.75 s besides (the fsync of the data directory before redo) are "
				"taken as they were"));
	/* 8 GB behind: 44.1 s, over the 30 s */
	data_directory(&ev, 0x200000000);
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	near(b.seconds, 44.10, 0.01);
	assert_true(b.over);
	/* without timestamps the fsync before redo is not known: redo and
	 * the checkpoint alone, and said */
	dbp_evidence_free(&ev);
	evidence(&ev, "LOG:  redo starts at 0/4168640\n"
		 "LOG:  redo done at 0/7A212C8 system usage: CPU: user: 0.08 s, system: 0.03 s, elapsed: 0.21 s\n"
		 "LOG:  database system is ready to accept connections\n");
	data_directory(&ev, 0x10000000);
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_true(b.fixed_seconds == 0);
	near(b.seconds, 216628672 * 0.21 / 59477128, 0.001);
	assert_non_null(strstr(b.basis, "(no end-of-recovery checkpoint after it was logged), "));
	assert_non_null(strstr(b.basis, "its log lines carry no time, so the fsync"));
	/* a broken build that takes the checkpoint record's position for
	 * the redo pointer, or the newest name for the end, is caught by
	 * the truth table (809); here: a recovery too small to measure */
	dbp_evidence_free(&ev);
	evidence(&ev, "LOG:  redo starts at 0/4168640\n"
		 "LOG:  redo done at 0/4169000 system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.00 s\n");
	data_directory(&ev, 0x10000000);
	dbp_pg_recovery_budget(&ev, 30, "the probes allow", &b);
	assert_false(b.have_estimate);
	assert_true(b.have_wal);
	assert_false(b.over);
	assert_non_null(strstr(b.basis, "no estimate: crash recovery replays"));
	assert_non_null(strstr(b.basis, "holds no crash recovery that replayed 1 MB or more"));
	/* 206.6 MB in 30 s */
	assert_non_null(strstr(b.basis, "fits the 30 s the probes allow, which holds at 6.9 MB/s "
				"or faster"));
	dbp_evidence_free(&ev);
}

/* What could not be read is said, never guessed */
static void test_recovery_without_the_data_directory(void **state)
{
	struct dbp_pg_evidence ev;
	struct dbp_recovery_budget b;

	(void)state;
	evidence(&ev, CRASH_RECOVERY);
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "no estimate: the server's data directory was not read; "
				"dbpod assumed a crash recovery fits the 30 s the probes"));
	data_directory(&ev, 0x10000000);
	ev.recovery.control_read = 0;
	ev.recovery.control_err = -ENOTSUP;
	snprintf(ev.recovery.control_why, sizeof(ev.recovery.control_why),
		 "pg_control_version 1700, a layout dbpod does not know");
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_false(b.have_estimate);
	assert_false(b.have_wal);
	assert_non_null(strstr(b.basis, "/var/lib/postgresql/data/global/pg_control was not read: "
				"pg_control_version 1700"));
	ev.recovery.control_why[0] = '\0';
	ev.recovery.control_err = -EACCES;
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_non_null(strstr(b.basis, "pg_control could not be read: "));
	/* pg_wal empty: the redo pointer, but no end */
	data_directory(&ev, 0x10000000);
	ev.recovery.wal_read = 0;
	ev.recovery.wal_err = -ENOENT;
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "where WAL ends is not known: pg_wal holds no segment file"));
	/* a cleanly shut down server replays nothing */
	data_directory(&ev, 0x10000000);
	ev.recovery.control.state = DBP_PG_SHUTDOWNED;
	dbp_pg_recovery_budget(&ev, 30, "the probes", &b);
	assert_true(b.have_estimate);
	assert_true(b.seconds == 0);
	assert_non_null(strstr(b.basis, "shut down cleanly"));
	dbp_pg_recovery_budget(NULL, 30, "the probes", &b);
	assert_false(b.have_estimate);
	dbp_evidence_free(&ev);
}

/* ---- Redis ---- */

/* Real lines: Redis 7.0.15, its directory on the loop file throttled to
 * 16 MB/s, 3000000 keys: a BGSAVE that took 5.520 s and left an RDB file
 * of 78777878 bytes; the stop's save of the same dataset then took 4.8 s */
#define REDIS_BGSAVE \
	"24648:M 07 Dec 2026 10:48:23.883 * Background saving started by pid 25137\n" \
	"25137:C 07 Dec 2026 10:48:29.403 * DB saved on disk\n" \
	"24648:M 07 Dec 2026 10:48:29.528 * Background saving terminated with success\n"

static void redis_evidence(struct dbp_redis_evidence *ev, const char *text, long long rdb)
{
	dbp_redis_evidence_init(ev);
	assert_true(dbp_redislog_parse(&ev->log, text) >= 0);
	ev->log_read = 1;
	ev->title = 1;
	ev->rdb_bytes = rdb;
	ev->rss_kb = 317560;
	snprintf(ev->log_path, sizeof(ev->log_path), "/data/redis.log");
	snprintf(ev->rdb_path, sizeof(ev->rdb_path), "/data/dump.rdb");
}

/* The BGSAVE measured the disk: the stop's snapshot is the RDB file it
 * left, at its speed; over a 3 s grace, within 30 s; the resident memory
 * is the worst case */
static void test_redis_background_save_measures_the_disk(void **state)
{
	struct dbp_redis_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	redis_evidence(&ev, REDIS_BGSAVE, 78777878);
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_true(b.judged);
	assert_true(b.redis);
	assert_true(b.have_estimate);
	near(b.seconds, 5.52, 0.001);
	near(b.byte_rate, 78777878 / 5.52, 1);
	assert_true(b.over);
	near(b.worst_seconds, 317560.0 * 1024 / b.byte_rate, 0.001);
	assert_true(b.worst_over);
	assert_false(b.appendonly);
	assert_non_null(strstr(b.basis, "Redis's default save points (3600 1 300 100 60 10000), "
				       "assumed, as its command line is its process title"));
	assert_non_null(strstr(b.basis, "the last background save took 5.520 s and left 75.1 MB"));
	dbp_redis_stop_budget(&ev, 30, &b);
	assert_false(b.over);
	dbp_redis_evidence_free(&ev);
}

/* save "" : no snapshot at the stop, nothing to time; appendonly is
 * carried to the verdict */
static void test_redis_no_save_points_no_budget(void **state)
{
	struct dbp_redis_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	redis_evidence(&ev, REDIS_BGSAVE, 78777878);
	ev.title = 0;
	ev.conf.nsave = 0;
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_true(b.judged);
	assert_false(b.have_estimate);
	assert_false(b.over);
	assert_non_null(strstr(b.basis, "save \"\" turns the save points off"));
	ev.conf.nsave = 1;
	snprintf(ev.conf.save, sizeof(ev.conf.save), "60 10");
	ev.conf.appendonly = 1;
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_true(b.over);
	assert_true(b.appendonly);
	assert_non_null(strstr(b.basis, "with save 60 10, a stop writes"));
	snprintf(ev.args_from, sizeof(ev.args_from), "tini (PID 1)");
	ev.title = 1;
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_non_null(strstr(b.basis, "with save 60 10 (from the command line of tini (PID 1) "
				       "that started it"));
	dbp_redis_evidence_free(&ev);
}

/* What measures nothing: a SAVE (no start line), a tiny RDB file, no RDB
 * file, no log; each says what was assumed */
static void test_redis_nothing_timed_no_verdict(void **state)
{
	struct dbp_redis_evidence ev;
	struct dbp_stop_budget b;

	(void)state;
	redis_evidence(&ev, REDIS_BGSAVE "1:M 07 Dec 2026 10:49:00.000 * DB saved on disk\n",
		       78777878);
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "no start line to time it from (a SAVE command)"));
	assert_non_null(strstr(b.basis, "assumed it fits the 3 s grace period"));
	dbp_redis_evidence_free(&ev);

	/* standard output read, but Redis logs elsewhere (a hidden --logfile) */
	redis_evidence(&ev, "Starting redis\n", 78777878);
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "holds no line of Redis's log"));
	dbp_redis_evidence_free(&ev);

	redis_evidence(&ev, REDIS_BGSAVE, 1000);
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "wrote too little to time the disk"));
	ev.rdb_err = -2;
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_non_null(strstr(b.basis, "the RDB file could not be read"));
	dbp_redis_evidence_free(&ev);

	redis_evidence(&ev, "", 78777878);
	ev.log_read = 0;
	ev.log_path[0] = '\0';
	ev.log_missing = "it logs to its standard output, a pipe";
	dbp_redis_stop_budget(&ev, 3, &b);
	assert_false(b.have_estimate);
	assert_non_null(strstr(b.basis, "was not found: it logs to its standard output, a pipe"));
	dbp_redis_stop_budget(NULL, 3, &b);
	assert_true(b.judged);
	assert_non_null(strstr(b.basis, "was not read"));
	dbp_redis_evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_immediate_checkpoint_measures_the_disk),
		cmocka_unit_test(test_largest_recent_checkpoint_sets_the_dirty_buffers),
		cmocka_unit_test(test_spread_checkpoints_do_not_measure_the_disk),
		cmocka_unit_test(test_tiny_checkpoint_measures_nothing),
		cmocka_unit_test(test_no_log_no_verdict),
		cmocka_unit_test(test_recovery_from_the_last_one),
		cmocka_unit_test(test_recovery_without_the_data_directory),
		cmocka_unit_test(test_redis_background_save_measures_the_disk),
		cmocka_unit_test(test_redis_no_save_points_no_budget),
		cmocka_unit_test(test_redis_nothing_timed_no_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
