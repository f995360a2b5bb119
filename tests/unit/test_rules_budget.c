/* lib/rules_budget.c: how long a PostgreSQL shutdown takes, from the
 * checkpoint lines of its log, against the grace period. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_immediate_checkpoint_measures_the_disk),
		cmocka_unit_test(test_largest_recent_checkpoint_sets_the_dirty_buffers),
		cmocka_unit_test(test_spread_checkpoints_do_not_measure_the_disk),
		cmocka_unit_test(test_tiny_checkpoint_measures_nothing),
		cmocka_unit_test(test_no_log_no_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
