/* lib/reaper.c: who reaps dbpod, now and once its parent is gone. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reaper.h"
#include "tablebuild.h"

#define PG "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/data"

/* The official image: the postmaster is PID 1, with its children. */
static void official_image(struct dbp_table *t)
{
	tb_init(t);
	tb_add(t, 1, 0, 999, "postgres", PG, 5);
	tb_pg_child(t, 27, 1, "postgres: checkpointer ");
	tb_pg_child(t, 28, 1, "postgres: walwriter ");
}

static enum dbp_reaper_verdict find(struct dbp_table *t, pid_t self, struct dbp_reaper *r)
{
	dbp_table_sort(t);
	return dbp_reaper_find(t, self, r);
}

/* `sh -c 'dbpod snapshot -o FILE &'` as an exec session starts it: the
 * shell (PID 40) has PPID 0; returns dbpod's PID, 41 */
static pid_t exec_shell_recorder(struct dbp_table *t)
{
	tb_add(t, 40, 0, 0, "sh", "sh -c dbpod snapshot -o /tmp/ps.jsonl &", 600);
	tb_add(t, 41, 40, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	return 41;
}

/* a SAFE verdict for self, for this reason */
static void expect_safe(struct dbp_table *t, pid_t self, enum dbp_reaper_why why)
{
	struct dbp_reaper r;

	assert_int_equal(find(t, self, &r), DBP_REAPER_SAFE);
	assert_int_equal(r.why, why);
	assert_null(r.server);
}

/* `kubectl exec pg-0 -- sh -c 'dbpod snapshot -o FILE &'`: the shell has
 * PPID 0 and exits at once; the postmaster adopts dbpod */
static void test_background_of_an_exec_shell_would_be_adopted(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	official_image(&t);
	assert_int_equal(find(&t, exec_shell_recorder(&t), &r), DBP_REAPER_ORPHAN);
	assert_int_equal(r.server->pid, 1);
	assert_int_equal(r.parent->pid, 40);
	assert_int_equal(r.top->pid, 40);
	assert_int_equal(r.self->pid, 41);
	dbp_table_free(&t);
}

/* a shell below the exec'd shell: the outer one's exit orphans them all */
static void test_nested_shells_name_the_one_entered_from_outside(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	official_image(&t);
	tb_add(&t, 40, 0, 0, "bash", "bash", 600);
	tb_add(&t, 45, 40, 0, "sh", "sh ./record.sh", 600);
	tb_add(&t, 46, 45, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	assert_int_equal(find(&t, 46, &r), DBP_REAPER_ORPHAN);
	assert_int_equal(r.parent->pid, 45);
	assert_int_equal(r.top->pid, 40);
	dbp_table_free(&t);
}

/* the shell is gone already: dbpod's parent is the postmaster */
static void test_adopted_by_the_postmaster_is_its_child(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	official_image(&t);
	tb_add(&t, 41, 1, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	assert_int_equal(find(&t, 41, &r), DBP_REAPER_CHILD);
	assert_ptr_equal(r.server, r.parent);
	assert_int_equal(r.server->pid, 1);
	dbp_table_free(&t);
}

/* `kubectl exec pg-0 -- dbpod snapshot -o FILE`, or `exec dbpod` from the
 * exec shell: PPID 0, the runtime's */
static void test_the_exec_d_command_itself_is_safe(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	official_image(&t);
	tb_add(&t, 41, 0, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	expect_safe(&t, 41, DBP_REAPER_OUTSIDE);
	find(&t, 41, &r);
	assert_null(r.parent);
	dbp_table_free(&t);
}

/* tini as PID 1 adopts the orphan and shrugs at its death */
static void test_init_as_pid1_adopts(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "tini", "tini -- docker-entrypoint.sh postgres", 5);
	tb_add(&t, 7, 1, 999, "postgres", PG, 5);
	tb_pg_child(&t, 27, 7, "postgres: checkpointer ");
	expect_safe(&t, exec_shell_recorder(&t), DBP_REAPER_PID1_OK);
	dbp_table_free(&t);
}

/* shareProcessNamespace: true: pause is PID 1; the sidecar and the
 * database are the runtime's (PPID 0), and an exec shell's orphan goes to
 * pause */
static void test_pod_with_a_shared_namespace(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 65535, "pause", "/pause", 5);
	tb_add(&t, 7, 0, 999, "postgres", PG, 6);
	tb_add(&t, 8, 0, 65534, "dbpod", "dbpod snapshot -o /var/log/dbpod/ps.jsonl", 6);
	expect_safe(&t, 8, DBP_REAPER_OUTSIDE);
	expect_safe(&t, exec_shell_recorder(&t), DBP_REAPER_PID1_OK);
	dbp_table_free(&t);
}

/* an init between the exec shell and dbpod is no shield: it exits when
 * dbpod does, with its status, and the shell's exit leaves the init
 * itself to the postmaster */
static void test_init_in_between_is_no_shield(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	official_image(&t);
	tb_add(&t, 40, 0, 0, "sh", "sh", 600);
	tb_add(&t, 41, 40, 0, "tini", "tini -s -- dbpod snapshot -o /tmp/ps.jsonl", 600);
	tb_add(&t, 42, 41, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	assert_int_equal(find(&t, 42, &r), DBP_REAPER_ORPHAN);
	assert_int_equal(r.parent->pid, 41);
	assert_int_equal(r.top->pid, 40);
	dbp_table_free(&t);

	/* the shell gone, tini is the postmaster's: a server above dbpod */
	official_image(&t);
	tb_add(&t, 41, 1, 0, "tini", "tini -s -- dbpod snapshot -o /tmp/ps.jsonl", 600);
	tb_add(&t, 42, 41, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	assert_int_equal(find(&t, 42, &r), DBP_REAPER_CHILD);
	assert_int_equal(r.server->pid, 1);
	assert_int_equal(r.parent->pid, 41);
	dbp_table_free(&t);
}

/* on a host: started by a server process (archive_command): below the
 * database's own tree, whatever is above */
static void test_below_a_server_process_on_a_host(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "systemd", "/sbin/init", 1);
	tb_add(&t, 800, 1, 999, "postgres", PG, 5);
	tb_pg_child(&t, 805, 800, "postgres: archiver ");
	tb_add(&t, 900, 805, 999, "sh", "sh -c dbpod snapshot -o /tmp/x", 600);
	tb_add(&t, 901, 900, 999, "dbpod", "dbpod snapshot -o /tmp/x", 600);
	assert_int_equal(find(&t, 901, &r), DBP_REAPER_CHILD);
	assert_int_equal(r.server->pid, 805);
	assert_int_equal(r.parent->pid, 900);
	dbp_table_free(&t);
}

/* a DBA's shell on a node, and node mode's DaemonSet under its shim */
static void test_host_shells_and_shims_are_safe(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "systemd", "/sbin/init", 1);
	tb_add(&t, 300, 1, 0, "sshd", "sshd: dba [priv]", 100);
	tb_add(&t, 310, 300, 1000, "bash", "-bash", 100);
	tb_add(&t, 320, 310, 0, "sudo", "sudo dbpod doctor --all-containers --every 60", 100);
	tb_add(&t, 321, 320, 0, "dbpod", "dbpod doctor --all-containers --every 60", 100);
	tb_add(&t, 500, 1, 0, "containerd-shim", "/usr/bin/containerd-shim-runc-v2 -id x", 200);
	tb_add(&t, 510, 500, 0, "dbpod", "dbpod doctor --all-containers --every 60", 200);
	expect_safe(&t, 321, DBP_REAPER_PID1_OK);	/* systemd */
	expect_safe(&t, 510, DBP_REAPER_PID1_OK);
	dbp_table_free(&t);
}

/* a shell wrapper as PID 1 (no exec) reaps what it adopts */
static void test_shell_pid1_is_no_server(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "bash", "bash /entrypoint.sh", 5);
	tb_add(&t, 7, 1, 999, "postgres", PG, 5);
	expect_safe(&t, exec_shell_recorder(&t), DBP_REAPER_PID1_OK);
	dbp_table_free(&t);
}

/* every database server classify.c knows, not PostgreSQL alone */
static void test_other_servers_as_pid1(void **state)
{
	static const char *const comm[] = { "mysqld", "mariadbd", "redis-server", "mongod" };

	(void)state;
	for (size_t i = 0; i < sizeof(comm) / sizeof(comm[0]); i++) {
		struct dbp_table t;
		struct dbp_reaper r;

		tb_init(&t);
		tb_add(&t, 1, 0, 999, comm[i], comm[i], 5);
		assert_int_equal(find(&t, exec_shell_recorder(&t), &r), DBP_REAPER_ORPHAN);
		assert_string_equal(r.server->comm, comm[i]);
		dbp_table_free(&t);
	}
}

static void test_dbpod_as_pid1(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "dbpod", "dbpod snapshot -o /rec/ps.jsonl", 5);
	expect_safe(&t, 1, DBP_REAPER_IS_PID1);
	dbp_table_free(&t);
}

/* what cannot be seen is not guessed: a hidden parent, a hidden PID 1,
 * dbpod itself missing (a /proc of another namespace), a loop */
static void test_what_cannot_be_seen_is_unknown(void **state)
{
	struct dbp_table t;
	struct dbp_reaper r;

	(void)state;
	tb_init(&t);
	exec_shell_recorder(&t);
	tb_add(&t, 51, 50, 0, "dbpod", "dbpod snapshot -o /tmp/ps.jsonl", 600);
	assert_int_equal(find(&t, 41, &r), DBP_REAPER_UNKNOWN);
	assert_int_equal(r.missing, 1);
	assert_int_equal(find(&t, 51, &r), DBP_REAPER_UNKNOWN);
	assert_int_equal(r.missing, 50);
	assert_int_equal(find(&t, 77, &r), DBP_REAPER_UNKNOWN);
	assert_int_equal(r.missing, 77);
	dbp_table_free(&t);

	tb_init(&t);
	tb_add(&t, 1, 0, 999, "postgres", PG, 5);
	tb_add(&t, 60, 61, 0, "sh", "sh", 600);
	tb_add(&t, 61, 60, 0, "sh", "sh", 600);
	tb_add(&t, 62, 61, 0, "dbpod", "dbpod snapshot", 600);
	assert_int_equal(find(&t, 62, &r), DBP_REAPER_UNKNOWN);
	dbp_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_background_of_an_exec_shell_would_be_adopted),
		cmocka_unit_test(test_nested_shells_name_the_one_entered_from_outside),
		cmocka_unit_test(test_adopted_by_the_postmaster_is_its_child),
		cmocka_unit_test(test_the_exec_d_command_itself_is_safe),
		cmocka_unit_test(test_init_as_pid1_adopts),
		cmocka_unit_test(test_pod_with_a_shared_namespace),
		cmocka_unit_test(test_init_in_between_is_no_shield),
		cmocka_unit_test(test_below_a_server_process_on_a_host),
		cmocka_unit_test(test_host_shells_and_shims_are_safe),
		cmocka_unit_test(test_shell_pid1_is_no_server),
		cmocka_unit_test(test_other_servers_as_pid1),
		cmocka_unit_test(test_dbpod_as_pid1),
		cmocka_unit_test(test_what_cannot_be_seen_is_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
