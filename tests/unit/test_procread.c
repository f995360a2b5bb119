/* The live reader reads what it is asked for and no more. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

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
	assert_int_equal(dbp_table_read_live(&t, DBP_HAVE_STATUS | DBP_HAVE_OOM), 0);
	p = self(&t);
	assert_true(p->have & DBP_HAVE_STATUS);
	assert_true(p->have & DBP_HAVE_OOM);
	assert_true(p->sig.ignored & (UINT64_C(1) << (SIGUSR2 - 1)));
	assert_int_equal(p->oom_adj, adj);
	signal(SIGUSR2, SIG_DFL);
	dbp_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_reading_has_no_status),
		cmocka_unit_test(test_status_and_oom_when_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
