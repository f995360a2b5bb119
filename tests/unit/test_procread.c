/* The live reader reads what it is asked for and no more. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "classify.h"
#include "procread.h"

static const struct dbp_proc *self(const struct dbp_table *t)
{
	const struct dbp_proc *p = dbp_table_find(t, getpid());

	assert_non_null(p);
	return p;
}

static void test_base_reading_has_no_status(void **state)
{
	struct dbp_table t;
	const struct dbp_proc *p;

	(void)state;
	dbp_table_init(&t);
	assert_int_equal(dbp_table_read_live(&t, 0), 0);
	p = self(&t);
	assert_int_equal(p->have & (DBP_HAVE_STATUS | DBP_HAVE_OOM), 0);
	assert_true(p->have & DBP_HAVE_CMDLINE);
	assert_int_equal(p->uid, geteuid());
	assert_int_equal(p->ppid, getppid());
	assert_true(p->rss_kb > 0);
	assert_true(p->cls.valid);
	dbp_table_free(&t);
}

static void test_status_and_oom_when_wanted(void **state)
{
	struct dbp_table t;
	const struct dbp_proc *p;
	FILE *f = fopen("/proc/self/oom_score_adj", "r");
	int adj = 12345;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &adj), 1);
	fclose(f);
	signal(SIGUSR2, SIG_IGN);
	dbp_table_init(&t);
	assert_int_equal(dbp_table_read_live(&t, DBP_HAVE_STATUS | DBP_WANT_STATUS_ALL |
					      DBP_HAVE_OOM), 0);
	p = self(&t);
	assert_true(p->have & DBP_HAVE_STATUS);
	assert_true(p->have & DBP_HAVE_OOM);
	assert_true(p->sig.ignored & (UINT64_C(1) << (SIGUSR2 - 1)));
	assert_int_equal(p->oom_adj, adj);
	signal(SIGUSR2, SIG_DFL);
	dbp_table_free(&t);
}

/* Without DBP_WANT_STATUS_ALL, status is read for the processes a stop
 * may reach and for no other; their masks are what status says. */
static void test_status_of_stop_candidates_only(void **state)
{
	struct dbp_table t;
	unsigned char *mark;
	size_t with = 0;

	(void)state;
	dbp_table_init(&t);
	assert_int_equal(dbp_table_read_live(&t, DBP_HAVE_STATUS), 0);
	mark = malloc(t.n ? t.n : 1);
	assert_non_null(mark);
	assert_true(dbp_table_stop_candidates(&t, mark) >= 0);
	for (size_t i = 0; i < t.n; i++) {
		const struct dbp_proc *p = &t.procs[i];

		if (p->have & DBP_HAVE_STATUS) {
			assert_true(mark[i]);
			with++;
		}
		if (p->pid == getpid() && !mark[i])
			assert_false(p->have & DBP_HAVE_STATUS);
	}
	/* PID 1 is always a candidate; root reads its status */
	if (dbp_table_find(&t, 1) && geteuid() == 0)
		assert_true(dbp_table_find(&t, 1)->have & DBP_HAVE_STATUS);
	assert_true(with < t.n);
	free(mark);
	dbp_table_free(&t);
}

/* /proc here is this namespace's: /proc/self is getpid() */
static void test_self_pid_is_getpid(void **state)
{
	(void)state;
	assert_int_equal(dbp_proc_self_pid(), getpid());
}

/* a child that holds a file open for writing is found; read-only is not
 * writing, and this process itself does not count */
static void test_file_writer(void **state)
{
	char path[] = "/tmp/dbpod-test-writer.XXXXXX";
	int fd = mkstemp(path), go[2], ready[2];
	char c;
	pid_t kid;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(dbp_proc_file_writer(path), 0);	/* only this process has it */
	close(fd);
	for (int mode = 0; mode < 2; mode++) {
		assert_int_equal(pipe(go), 0);
		assert_int_equal(pipe(ready), 0);
		kid = fork();
		assert_true(kid >= 0);
		if (kid == 0) {
			int f = open(path, mode ? O_WRONLY | O_APPEND : O_RDONLY);

			(void)!write(ready[1], "r", 1);
			(void)!read(go[0], &c, 1);
			_exit(f < 0);
		}
		assert_int_equal(read(ready[0], &c, 1), 1);
		assert_int_equal(dbp_proc_file_writer(path), mode ? kid : 0);
		(void)!write(go[1], "g", 1);
		assert_int_equal(waitpid(kid, NULL, 0), kid);
		close(go[0]); close(go[1]); close(ready[0]); close(ready[1]);
	}
	unlink(path);
	assert_int_equal(dbp_proc_file_writer(path), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_reading_has_no_status),
		cmocka_unit_test(test_status_and_oom_when_wanted),
		cmocka_unit_test(test_status_of_stop_candidates_only),
		cmocka_unit_test(test_self_pid_is_getpid),
		cmocka_unit_test(test_file_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
