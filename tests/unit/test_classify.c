/* lib/classify.c: program kinds and how inits forward. */
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

#include "classify.h"
#include "tablebuild.h"

static struct dbp_class kind_of(const char *comm, const char *args)
{
	struct dbp_table t;
	struct dbp_class c;

	tb_init(&t);
	dbp_classify(tb_add(&t, 1, 0, 0, comm, args, 1), &c);
	dbp_table_free(&t);
	return c;
}

static void test_database_servers(void **state)
{
	(void)state;
	assert_int_equal(kind_of("postgres", "/usr/lib/postgresql/15/bin/postgres -D /d").db, DBP_DB_POSTGRES);
	assert_int_equal(kind_of("mysqld", "mysqld").db, DBP_DB_MYSQL);
	assert_int_equal(kind_of("mariadbd", "mariadbd --user=mysql").db, DBP_DB_MYSQL);
	assert_int_equal(kind_of("mongod", "mongod --bind_ip_all").db, DBP_DB_MONGODB);
	/* redis retitles argv[0]: comm decides */
	assert_int_equal(kind_of("redis-server", "redis-server *:6379").db, DBP_DB_REDIS);
}

static void test_postgres_child_title(void **state)
{
	struct dbp_table t;
	struct dbp_class c;
	const char *argv[] = { "postgres: walwriter ", NULL };
	struct dbp_proc *pm, *kid;

	(void)state;
	tb_init(&t);
	pm = tb_add(&t, 1, 0, 999, "postgres", "postgres -D /d", 1);
	kid = tb_add(&t, 5, 1, 999, "postgres", "", 1);
	dbp_proc_set_argv(kid, argv);
	dbp_classify(kid, &c);
	assert_int_equal(c.db, DBP_DB_POSTGRES);
	dbp_table_sort(&t);
	assert_true(dbp_is_postmaster(&t, dbp_table_find(&t, 1)));
	assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, 5)));
	(void)pm;
	dbp_table_free(&t);
}

static void test_postmaster_by_what_it_is(void **state)
{
	struct dbp_table t;
	size_t n = 0;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "tini", "tini -- postgres", 1);
	/* the official image's postmaster: no -D (PGDATA), known by its children */
	tb_add(&t, 7, 1, 999, "postgres", "postgres", 2);
	tb_pg_child(&t, 8, 7, "postgres: checkpointer ");
	tb_pg_child(&t, 9, 7, "postgres: walwriter ");
	tb_pg_child(&t, 10, 7, "postgres: app app [local] idle");
	/* children of a dead postmaster, adopted by tini: no postmasters */
	tb_pg_child(&t, 20, 1, "postgres: checkpointer ");
	tb_pg_child(&t, 21, 1, "postgres: background writer ");
	/* named postgres without being one: exec -a postgres sleep, a script */
	tb_add(&t, 30, 1, 999, "sleep", "postgres 1000", 3);
	tb_add(&t, 31, 1, 999, "postgres", "/bin/sh /usr/local/bin/postgres", 3);
	/* a standalone backend is not a postmaster */
	tb_add(&t, 40, 1, 999, "postgres", "postgres --single -D /d2 template1", 4);
	/* a second server that names its data directory, no children yet */
	tb_add(&t, 50, 1, 999, "postgres", "/usr/lib/postgresql/15/bin/postgres -D /d3", 5);
	dbp_table_sort(&t);

	assert_true(dbp_is_postmaster(&t, dbp_table_find(&t, 7)));
	assert_true(dbp_is_postmaster(&t, dbp_table_find(&t, 50)));
	for (pid_t pid = 8; pid <= 10; pid++)
		assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, pid)));
	assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, 20)));
	assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, 21)));
	assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, 30)));
	assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, 31)));
	assert_false(dbp_is_postmaster(&t, dbp_table_find(&t, 40)));
	assert_true(dbp_pg_standalone(dbp_table_find(&t, 40)));
	assert_false(dbp_pg_standalone(dbp_table_find(&t, 7)));

	/* two, not seven: the busiest first, the ancestor of a PID asked for */
	assert_int_equal(dbp_postmaster_find(&t, 0, &n)->pid, 7);
	assert_int_equal(n, 2);
	assert_int_equal(dbp_postmaster_find(&t, 10, NULL)->pid, 7);
	assert_int_equal(dbp_postmaster_find(&t, 50, NULL)->pid, 50);
	assert_int_equal(dbp_postmaster_find(&t, 20, NULL)->pid, 7);

	/* a zombie postmaster is none */
	((struct dbp_proc *)dbp_table_find(&t, 50))->state = 'Z';
	dbp_postmaster_find(&t, 0, &n);
	assert_int_equal(n, 1);
	dbp_table_free(&t);
}

static void test_inits_shells_switchers(void **state)
{
	(void)state;
	assert_int_equal(kind_of("tini", "tini -- x").kind, DBP_KIND_INIT);
	assert_int_equal(kind_of("docker-init", "/sbin/docker-init -- x").kind, DBP_KIND_INIT);
	assert_int_equal(kind_of("pause", "/pause").kind, DBP_KIND_INIT);
	assert_int_equal(kind_of("supervisord", "/usr/bin/python3 /usr/bin/supervisord").kind, DBP_KIND_INIT);
	/* a script: comm is the script's name, argv[0] the interpreter */
	assert_int_equal(kind_of("docker-entrypoi", "/bin/bash /usr/local/bin/docker-entrypoint.sh postgres").kind,
			 DBP_KIND_SHELL);
	assert_int_equal(kind_of("su", "su postgres -c x").kind, DBP_KIND_SWITCHER);
	assert_int_equal(kind_of("sleep", "sleep 1").kind, DBP_KIND_OTHER);
}

static enum dbp_init_forward fwd(const char *comm, const char *args, const char *env)
{
	struct dbp_table t;
	enum dbp_init_forward f;

	tb_init(&t);
	f = dbp_init_forwarding(tb_add(&t, 1, 0, 0, comm, args, 1), env);
	dbp_table_free(&t);
	return f;
}

static void test_init_forwarding(void **state)
{
	(void)state;
	assert_int_equal(fwd("tini", "tini -- cmd", NULL), DBP_FWD_CHILD);
	assert_int_equal(fwd("tini", "tini -g -- cmd", NULL), DBP_FWD_GROUP);
	assert_int_equal(fwd("tini", "tini -sg -- cmd", NULL), DBP_FWD_GROUP);
	assert_int_equal(fwd("tini", "tini -e 143 -g cmd", NULL), DBP_FWD_GROUP);
	assert_int_equal(fwd("tini", "tini -p SIGKILL -g cmd", NULL), DBP_FWD_GROUP);
	assert_int_equal(fwd("tini", "tini -- cmd -g", NULL), DBP_FWD_CHILD);
	assert_int_equal(fwd("tini", "tini -- cmd", ""), DBP_FWD_GROUP);
	assert_int_equal(fwd("dumb-init", "dumb-init cmd", NULL), DBP_FWD_GROUP);
	assert_int_equal(fwd("dumb-init", "dumb-init -c cmd", NULL), DBP_FWD_CHILD);
	assert_int_equal(fwd("dumb-init", "dumb-init -r 15:2 -c cmd", NULL), DBP_FWD_CHILD);
	assert_int_equal(fwd("dumb-init", "dumb-init --single-child cmd", NULL), DBP_FWD_CHILD);
	assert_int_equal(fwd("catatonit", "catatonit -g -- cmd", NULL), DBP_FWD_GROUP);
	assert_int_equal(fwd("pause", "/pause", NULL), DBP_FWD_NONE);
	assert_int_equal(fwd("supervisord", "supervisord -n", NULL), DBP_FWD_SERVICES);
	assert_int_equal(fwd("bash", "bash -c x", NULL), DBP_FWD_NONE);
}

/* What dbp_table_sort remembers is what dbp_classify works out afresh,
 * canonical name included, and it survives a copy of the table (argv
 * moves). A process changed after the sort is worked out afresh. */
static void test_remembered_class_is_the_same(void **state)
{
	struct dbp_table t, c;
	struct dbp_class a, b;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "tini-static", "/sbin/tini-static -g -- run", 0);
	tb_add(&t, 7, 1, 999, "postgres", "postgres: checkpointer", 0);
	tb_add(&t, 8, 1, 0, "entrypoint.sh", "/bin/bash /entrypoint.sh", 0);
	tb_add(&t, 9, 1, 0, "sleep", "sleep 1", 0);
	for (size_t i = 0; i < t.n; i++)
		assert_false(t.procs[i].cls.valid);
	dbp_table_sort(&t);
	assert_int_equal(dbp_table_copy(&c, &t), 0);
	for (size_t i = 0; i < t.n; i++) {
		struct dbp_proc fresh = t.procs[i];

		assert_true(t.procs[i].cls.valid);
		fresh.cls.valid = 0;
		dbp_classify(&fresh, &a);
		dbp_classify(&c.procs[i], &b);
		assert_int_equal(a.kind, b.kind);
		assert_int_equal(a.db, b.db);
		assert_string_equal(a.name, b.name);
	}
	dbp_classify(&c.procs[0], &b);
	assert_string_equal(b.name, "tini-static");
	assert_int_equal(dbp_init_forwarding(&c.procs[0], NULL), DBP_FWD_GROUP);
	dbp_classify(&c.procs[1], &b);
	assert_string_equal(b.name, "postgres");
	/* an exec seen later: argv changes, the class follows */
	assert_int_equal(dbp_proc_set_argv(&c.procs[3], (const char *const[]){ "redis-server", NULL }), 0);
	snprintf(c.procs[3].comm, sizeof(c.procs[3].comm), "redis-server");
	dbp_classify(&c.procs[3], &b);
	assert_int_equal(b.db, DBP_DB_REDIS);
	dbp_table_free(&c);
	dbp_table_free(&t);
}

static void test_names_of_databases(void **state)
{
	struct dbp_class c;

	(void)state;
	assert_string_equal(dbp_db_name(DBP_DB_POSTGRES), "PostgreSQL");
	assert_string_equal(dbp_db_id(DBP_DB_MYSQL), "mysql");
	dbp_classify_name("/usr/local/bin/redis-server", &c);
	assert_int_equal(c.db, DBP_DB_REDIS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_database_servers),
		cmocka_unit_test(test_postgres_child_title),
		cmocka_unit_test(test_postmaster_by_what_it_is),
		cmocka_unit_test(test_inits_shells_switchers),
		cmocka_unit_test(test_init_forwarding),
		cmocka_unit_test(test_names_of_databases),
		cmocka_unit_test(test_remembered_class_is_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
