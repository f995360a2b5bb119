/* lib/procstatus.c: /proc/PID/status text into the model. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "procstatus.h"
#include "sigset.h"

/* A real status file of a PostgreSQL checkpointer (kernel 6.x), cut. */
static const char checkpointer[] =
	"Name:\tpostgres\n"
	"Umask:\t0077\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t3\n"
	"Ngid:\t0\n"
	"Pid:\t3\n"
	"PPid:\t1\n"
	"TracerPid:\t0\n"
	"Uid:\t101\t102\t103\t104\n"
	"Gid:\t104\t104\t104\t104\n"
	"VmRSS:\t    6012 kB\n"
	"SigQ:\t0/96365\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000004000\n"
	"SigBlk:\t0000000000400000\n"
	"SigIgn:\t0000000001707000\n"
	"SigCgt:\t0000000020000a07\n"
	"CapInh:\t0000000000000000\n";

static void test_parses_fields_and_masks(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_status_parse(checkpointer, &p), 0);
	assert_string_equal(p.comm, "postgres");
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.ppid, 1);
	assert_int_equal(p.uid, 102);	/* effective, the second field */
	assert_int_equal(p.rss_kb, 6012);
	assert_true(p.have & DBP_HAVE_STATUS);
	assert_true(dbp_sigmask_has(p.sig.ignored, 13));	/* SIGPIPE */
	assert_true(dbp_sigmask_has(p.sig.ignored, 15));	/* SIGTERM */
	assert_true(dbp_sigmask_has(p.sig.shpending, 15));
	assert_true(dbp_sigmask_has(p.sig.blocked, 23));	/* SIGURG */
	assert_true(dbp_sigmask_has(p.sig.caught, 30));	/* SIGPWR */
	assert_false(dbp_sigmask_has(p.sig.caught, 15));
}

static void test_missing_mask_leaves_status_unknown(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_status_parse("Name:\tx\nState:\tR (running)\nSigBlk:\t0\n", &p), 0);
	assert_false(p.have & DBP_HAVE_STATUS);
}

static void test_garbage_mask_is_not_taken(void **state)
{
	struct dbp_proc p;
	char text[sizeof(checkpointer) + 8];

	(void)state;
	memset(&p, 0, sizeof(p));
	strcpy(text, checkpointer);
	memcpy(strstr(text, "SigCgt:\t") + 8, "zz", 2);
	assert_int_equal(dbp_status_parse(text, &p), 0);
	assert_false(p.have & DBP_HAVE_STATUS);
}

static void test_name_with_spaces_and_parens(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_status_parse("Name:\ta) b (c\nState:\tZ (zombie)\n", &p), 0);
	assert_string_equal(p.comm, "a) b (c");
	assert_int_equal(p.state, 'Z');
}

static void test_no_name_is_einval(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_status_parse("State:\tS\n", &p), -EINVAL);
	assert_int_equal(dbp_status_parse("", &p), -EINVAL);
}

static void test_reads_own_status(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_status_read(NULL, getpid(), &p), 0);
	assert_int_equal(p.pid, getpid());
	assert_int_equal(p.ppid, getppid());
	assert_true(p.have & DBP_HAVE_STATUS);
}

static void test_absent_process_is_esrch(void **state)
{
	struct dbp_proc p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_status_read(NULL, 0x3ffffff, &p), -ESRCH);
}

/* the second reading of signals' pending check: the processes still
 * there, sorted; the gone ones left out */
static void test_reads_some_pids(void **state)
{
	struct dbp_table t;
	pid_t pids[] = { getpid(), 0x3ffffff, getppid() };

	(void)state;
	dbp_table_init(&t);
	assert_int_equal(dbp_status_read_pids(NULL, pids, 3, &t), 2);
	assert_int_equal(t.n, 2);
	assert_true(t.procs[0].pid < t.procs[1].pid);
	assert_non_null(dbp_table_find(&t, getpid()));
	assert_true(dbp_table_find(&t, getppid())->have & DBP_HAVE_STATUS);
	dbp_table_free(&t);
}

/* Tgid: a process's own PID, a thread's process; absent or garbled: -1 */
static void test_status_tgid(void **state)
{
	(void)state;
	assert_int_equal(dbp_status_tgid("Name:\tpostgres\nTgid:\t4242\nPid:\t4242\n"), 4242);
	assert_int_equal(dbp_status_tgid("Name:\tjava\nTgid:\t100\nPid:\t107\n"), 100);
	assert_int_equal(dbp_status_tgid("Name:\tx\nPid:\t7\n"), -1);
	assert_int_equal(dbp_status_tgid("Name:\tx\nTgid:\tabc\n"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_tgid),
		cmocka_unit_test(test_parses_fields_and_masks),
		cmocka_unit_test(test_missing_mask_leaves_status_unknown),
		cmocka_unit_test(test_garbage_mask_is_not_taken),
		cmocka_unit_test(test_name_with_spaces_and_parens),
		cmocka_unit_test(test_no_name_is_einval),
		cmocka_unit_test(test_reads_own_status),
		cmocka_unit_test(test_absent_process_is_esrch),
		cmocka_unit_test(test_reads_some_pids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
