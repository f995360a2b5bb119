/* lib/rec/acct.c and lib/rec/acctread.c: BSD process accounting version 3
 * records and the spool, which never follows a link planted under its
 * names. */
#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/acct.h>

#include "rec/acct.h"
#include "rec/acctread.h"
#include "safeopen.h"

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

/* A child that exits with code, and its record read from the spool
 * (within a second). 1 when found. */
static int exit_seen(struct dbp_acct_spool *sp, int code)
{
	struct dbp_acct_rec recs[64];
	pid_t child = fork();
	int found = 0, n;

	if (!child)
		_exit(code);
	waitpid(child, NULL, 0);
	for (int i = 0; i < 100 && !found; i++) {
		n = dbp_acct_spool_read(sp, recs, 64);
		for (int k = 0; k < n; k++)
			found |= recs[k].pid == child && recs[k].ppid == 1 && recs[k].exit_code == code;
		if (!found)
			usleep(10000);
	}
	return found;
}

static int same_file(const char *path, int fd)
{
	struct stat a, b;

	return stat(path, &a) == 0 && fstat(fd, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

/* The spool for real, in a PID namespace of its own (accounting is one
 * file per namespace: the test must not take over the one it runs in).
 * A link planted under the spool's name, or under the fresh file's name
 * of a roll, is refused and the file it points at untouched; a roll
 * otherwise moves the name to the fresh file. Returns 0 when all held,
 * 77 when accounting is not permitted here, else which step failed. */
static int spool_in_namespace(void)
{
	char dir[] = "/tmp/dbpod-test-acct.XXXXXX", secret[] = "/tmp/dbpod-test-acct-secret.XXXXXX";
	char spool[64], fresh[80];
	struct dbp_outdir d;
	struct dbp_acct_spool sp;
	const char *name;
	struct stat st;
	int fd, rc, ret = 0;

	if (!mkdtemp(dir) || (fd = mkstemp(secret)) < 0)
		return 1;
	if (write(fd, "secret\n", 7) != 7)
		return 1;
	close(fd);
	snprintf(spool, sizeof(spool), "%s/spool", dir);
	snprintf(fresh, sizeof(fresh), "%s/spool.new", dir);
	if (dbp_outdir_open(&d, spool, &name) < 0)
		return 1;

	/* a link under the spool's name */
	if (symlink(secret, spool) < 0)
		return 1;
	rc = dbp_acct_spool_start(&sp, &d, name);
	if (rc != -DBP_ENOTREG || !strstr(dbp_outdir_strerror(&d, rc), "symbolic link")) {
		ret = rc == -EPERM || rc == -ENOSYS ? 77 : 2;
		goto out;
	}
	unlink(spool);

	/* a spool left by a recorder that was killed: ours, taken over and
	 * emptied */
	if ((fd = open(spool, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 || write(fd, "left over\n", 10) != 10)
		return 1;
	close(fd);
	rc = dbp_acct_spool_start(&sp, &d, name);
	if (rc < 0) {
		ret = rc == -EPERM || rc == -ENOSYS || rc == -EACCES ? 77 : 3;
		goto out;
	}
	if (!same_file(spool, sp.fd) || stat(spool, &st) < 0 || st.st_size % DBP_ACCT_RECORD ||
	    !exit_seen(&sp, 7)) {
		ret = 4;
		goto stop;
	}
	/* a roll whose fresh file's name holds a link: refused, and the
	 * kernel writes on into the spool it had */
	sp.max = 1;
	if (symlink(secret, fresh) < 0 || dbp_acct_spool_roll(&sp) != -DBP_ENOTREG) {
		ret = 5;
		goto stop;
	}
	if (!exit_seen(&sp, 8) || !same_file(spool, sp.fd)) {
		ret = 6;
		goto stop;
	}
	/* and no other try at every sample: it grows */
	if (dbp_acct_spool_roll(&sp) != 0) {
		ret = 7;
		goto stop;
	}
	unlink(fresh);
	/* a roll: the name goes to the fresh file, the records go on */
	sp.max = 1;
	if (dbp_acct_spool_roll(&sp) != 1 || !same_file(spool, sp.fd) || access(fresh, F_OK) == 0 ||
	    !exit_seen(&sp, 9)) {
		ret = 8;
		goto stop;
	}
stop:
	dbp_acct_spool_stop(&sp);
	if (!ret && access(spool, F_OK) == 0)
		ret = 9;
out:
	/* the file behind the links: every byte as it was */
	if (!ret && (stat(secret, &st) < 0 || st.st_size != 7))
		ret = 10;
	unlink(fresh);
	unlink(spool);
	unlink(secret);
	rmdir(dir);
	dbp_outdir_close(&d);
	return ret;
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
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 99);
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
