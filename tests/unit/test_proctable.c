/* lib/proctable.c: storage, lookup, relations, names. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proctable.h"
#include "tablebuild.h"

static void test_find_sorted_and_unsorted(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	for (pid_t p = 300; p > 0; p -= 3)
		tb_add(&t, p, 1, 0, "x", "x", 1);
	assert_int_equal(dbp_table_find(&t, 150)->pid, 150);
	assert_null(dbp_table_find(&t, 151));
	dbp_table_sort(&t);
	assert_true(t.procs[0].pid < t.procs[1].pid);
	assert_int_equal(dbp_table_find(&t, 150)->pid, 150);
	assert_null(dbp_table_find(&t, 151));
	dbp_table_free(&t);

	/* empty and sorted: nothing to bisect (procs is NULL) */
	tb_init(&t);
	dbp_table_sort(&t);
	assert_null(dbp_table_find(&t, 1));
	dbp_table_free(&t);
}

/* doctor judges one reading with every check: each gets its own deep copy */
static void test_copy_is_deep_and_whole(void **state)
{
	struct dbp_table t, c;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "tini", "tini -- postgres -D /data", 1)->sig.blocked = ~0ULL;
	tb_add(&t, 2, 1, 999, "postgres", "postgres -D /data", 2);
	tb_add(&t, 3, 1, 0, "sleep", "", 3);
	dbp_table_sort(&t);
	t.self = 3;
	assert_int_equal(dbp_table_copy(&c, &t), 0);
	assert_int_equal(c.n, 3);
	assert_true(c.sorted);
	assert_int_equal(c.now, t.now);
	assert_int_equal(c.boot_time, t.boot_time);
	assert_int_equal(c.self, 3);
	assert_int_equal(dbp_table_find(&c, 1)->sig.blocked, ~0ULL);
	assert_string_equal(dbp_table_find(&c, 2)->argv[2], "/data");
	assert_ptr_not_equal(dbp_table_find(&c, 2)->argv, dbp_table_find(&t, 2)->argv);
	assert_null(dbp_table_find(&c, 3)->argv);
	/* the copy outlives the original */
	dbp_table_free(&t);
	assert_string_equal(dbp_table_find(&c, 1)->argv[0], "tini");
	dbp_table_free(&c);
}

static void test_pid_selected(void **state)
{
	const pid_t only[] = { 7, 1 };

	(void)state;
	assert_true(dbp_pid_selected(NULL, 0, 42));	/* none asked: all */
	assert_true(dbp_pid_selected(only, 0, 42));
	assert_true(dbp_pid_selected(only, 2, 1));
	assert_true(dbp_pid_selected(only, 2, 7));
	assert_false(dbp_pid_selected(only, 2, 42));
	assert_false(dbp_pid_selected(only, 1, 1));	/* only the first n count */
}

static void test_children_oldest_first_without_zombies(void **state)
{
	struct dbp_table t;
	const struct dbp_proc *kids[4];

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "init", "init", 1);
	tb_add(&t, 9, 1, 0, "b", "b", 30);
	tb_add(&t, 5, 1, 0, "a", "a", 20);
	tb_add(&t, 7, 1, 0, "z", "", 10)->state = 'Z';
	tb_add(&t, 8, 5, 0, "c", "c", 5);
	assert_int_equal(dbp_table_children(&t, 1, kids, 4), 2);
	assert_int_equal(kids[0]->pid, 5);
	assert_int_equal(kids[1]->pid, 9);
	dbp_table_free(&t);
}

static void test_ancestry_survives_a_cycle(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "init", "init", 1);
	tb_add(&t, 2, 1, 0, "a", "a", 1);
	tb_add(&t, 3, 2, 0, "b", "b", 1);
	tb_add(&t, 10, 11, 0, "x", "x", 1);	/* a torn reading: 10 <-> 11 */
	tb_add(&t, 11, 10, 0, "y", "y", 1);
	dbp_table_sort(&t);
	assert_true(dbp_table_is_ancestor(&t, 1, 3));
	assert_true(dbp_table_is_ancestor(&t, 3, 3));
	assert_false(dbp_table_is_ancestor(&t, 3, 1));
	assert_false(dbp_table_is_ancestor(&t, 1, 10));
	dbp_table_free(&t);
}

static void test_names(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	const char *title[] = { "postgres: checkpointer", NULL };

	(void)state;
	tb_init(&t);
	p = tb_add(&t, 1, 0, 0, "postgres", "/usr/lib/postgresql/15/bin/postgres -D /d", 1);
	assert_string_equal(dbp_proc_name(p), "postgres");
	p = tb_add(&t, 2, 1, 0, "postgres", "", 1);
	assert_string_equal(dbp_proc_name(p), "postgres");	/* no argv: comm */
	dbp_proc_set_argv(p, title);
	assert_string_equal(dbp_proc_name(p), "postgres");	/* a title, not a path */
	dbp_table_free(&t);
}

static void test_cmdline_joined_redacted_cut(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	char b[64], small[24];

	(void)state;
	tb_init(&t);
	p = tb_add(&t, 1, 0, 0, "psql", "psql -h db -c SELECT postgres://u:topsecret@h/d", 1);
	assert_string_equal(dbp_proc_cmdline(p, b, sizeof(b)),
			    "psql -h db -c SELECT postgres://u:***@h/d");
	dbp_proc_cmdline(p, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_string_equal(small + strlen(small) - 3, "...");
	p = tb_add(&t, 2, 1, 0, "app", "app aaaaaaaaaaaaaa postgres://u:topsecret@h/d", 1);
	dbp_proc_cmdline(p, small, sizeof(small));
	assert_null(strstr(small, "topse"));
	p = tb_add(&t, 3, 1, 0, "kworker", "", 1);
	assert_string_equal(dbp_proc_cmdline(p, b, sizeof(b)), "[kworker]");
	assert_string_equal(dbp_proc_cmdline_as(p, 0, b, sizeof(b)), "[kworker]");
	/* redact 0: snapshot --no-redact shows the line as it is */
	p = tb_add(&t, 4, 1, 0, "psql", "psql postgres://u:topsecret@h/d", 1);
	assert_string_equal(dbp_proc_cmdline_as(p, 0, b, sizeof(b)), "psql postgres://u:topsecret@h/d");
	assert_string_equal(dbp_proc_cmdline_as(p, DBP_CMDLINE_REDACT, b, sizeof(b)),
			    "psql postgres://u:***@h/d");
	dbp_table_free(&t);
}

static void test_start_time(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	assert_int_equal(dbp_proc_start_time(&t, tb_add(&t, 1, 0, 0, "a", "a", 90)), TB_BOOT + 90);
	dbp_table_free(&t);
}

/* A borrowed table shows the same processes and frees none of them
 * (the sanitizer build catches a double free). */
static void test_borrow(void **state)
{
	struct dbp_table t, b;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "postgres", "postgres -D /data", 0);
	tb_add(&t, 2, 1, 0, "sleep", "sleep 1", 0);
	dbp_table_sort(&t);
	dbp_table_borrow(&b, &t);
	assert_int_equal(b.n, 2);
	assert_ptr_equal(dbp_table_find(&b, 2), &t.procs[1]);
	dbp_table_free(&b);
	assert_int_equal(b.n, 0);
	assert_string_equal(dbp_table_find(&t, 1)->argv[1], "-D");
	dbp_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_borrow),
		cmocka_unit_test(test_find_sorted_and_unsorted),
		cmocka_unit_test(test_copy_is_deep_and_whole),
		cmocka_unit_test(test_pid_selected),
		cmocka_unit_test(test_children_oldest_first_without_zombies),
		cmocka_unit_test(test_ancestry_survives_a_cycle),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cmdline_joined_redacted_cut),
		cmocka_unit_test(test_start_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
