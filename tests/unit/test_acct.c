/* lib/acct.c and lib/acctread.c: BSD process accounting version 3
 * records and the spool. */
#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/acct.h>

#include "acct.h"
#include "acctread.h"

static struct acct_v3 record(unsigned flag, unsigned exitcode, const char *comm)
{
	struct acct_v3 a;

	memset(&a, 0, sizeof(a));
	a.ac_flag = (char)flag;
	a.ac_version = 3;
	a.ac_exitcode = exitcode;
	a.ac_uid = 999;
	a.ac_gid = 999;
	a.ac_pid = 12;
	a.ac_ppid = 1;
	a.ac_btime = 1795416001;
	a.ac_etime = 5.0f;	/* ticks of AHZ: 50 ms */
	memcpy(a.ac_comm, comm, strnlen(comm, sizeof(a.ac_comm)));
	return a;
}

static void test_killed_by_a_signal(void **state)
{
	struct acct_v3 a = record(AXSIG, 13, "psql");
	struct dbp_acct_rec r;

	(void)state;
	assert_int_equal(dbp_acct_parse(&a, sizeof(a), &r), 0);
	assert_int_equal(r.pid, 12);
	assert_int_equal(r.ppid, 1);
	assert_int_equal(r.uid, 999);
	assert_string_equal(r.comm, "psql");
	assert_int_equal(r.signal, 13);
	assert_int_equal(r.exit_code, -1);
	assert_false(r.core);
	assert_true(r.start == 1795416001.0);
	assert_true(r.elapsed > 0.0499 && r.elapsed < 0.0501);
}

static void test_exit_code_and_core(void **state)
{
	struct acct_v3 a = record(0, 3 << 8, "sh");
	struct acct_v3 c = record(AXSIG | ACORE, 0x80 | 11, "postgres");
	struct dbp_acct_rec r;

	(void)state;
	assert_int_equal(dbp_acct_parse(&a, sizeof(a), &r), 0);
	assert_int_equal(r.exit_code, 3);
	assert_int_equal(r.signal, 0);
	assert_int_equal(dbp_acct_parse(&c, sizeof(c), &r), 0);
	assert_int_equal(r.signal, 11);
	assert_true(r.core);
}

static void test_comm_of_16_bytes_and_other_versions(void **state)
{
	struct acct_v3 a = record(0, 0, "0123456789abcdefXYZ");
	struct dbp_acct_rec r;

	(void)state;
	assert_int_equal(dbp_acct_parse(&a, sizeof(a), &r), 0);
	assert_string_equal(r.comm, "0123456789abcdef");
	a.ac_version = 2;
	assert_int_equal(dbp_acct_parse(&a, sizeof(a), &r), -EINVAL);
	assert_int_equal(dbp_acct_parse(&a, 10, &r), -EINVAL);
}

/* The spool for real, in a PID namespace of its own (accounting is one
 * file per namespace: the test must not take over the one it runs in).
 * Returns 0 when the child's exit was read, 77 when not permitted. */
static int spool_in_namespace(void)
{
	char path[] = "/tmp/dbpod-test-acct.XXXXXX";
	struct dbp_acct_spool sp;
	struct dbp_acct_rec recs[64];
	int fd = mkstemp(path), found = 0, n, rc;
	pid_t child;

	if (fd < 0)
		return 1;
	close(fd);
	rc = dbp_acct_spool_start(&sp, path);
	if (rc < 0) {
		unlink(path);
		return rc == -EPERM || rc == -ENOSYS || rc == -EACCES ? 77 : 2;
	}
	child = fork();
	if (!child)
		_exit(7);
	waitpid(child, NULL, 0);
	for (int i = 0; i < 100 && !found; i++) {
		n = dbp_acct_spool_read(&sp, recs, 64);
		for (int k = 0; k < n; k++)
			found |= recs[k].pid == child && recs[k].ppid == 1 && recs[k].exit_code == 7;
		if (!found)
			usleep(10000);
	}
	dbp_acct_spool_stop(&sp);
	if (access(path, F_OK) == 0)
		return 3;
	return found ? 0 : 4;
}

static void test_spool_reads_a_real_exit(void **state)
{
	pid_t outer;
	int status = 0;

	(void)state;
	outer = fork();
	assert_true(outer >= 0);
	if (!outer) {
		pid_t init;
		int st = 0;

		if (unshare(CLONE_NEWPID) < 0)
			_exit(77);
		init = fork();		/* PID 1 of the new namespace */
		if (!init)
			_exit(spool_in_namespace());
		waitpid(init, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 5);
	}
	waitpid(outer, &status, 0);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_by_a_signal),
		cmocka_unit_test(test_exit_code_and_core),
		cmocka_unit_test(test_comm_of_16_bytes_and_other_versions),
		cmocka_unit_test(test_spool_reads_a_real_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
