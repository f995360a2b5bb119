/* lib/rules_pid1.c on hand-built tables. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules_pid1.h"
#include "stopread.h"
#include "tablebuild.h"

struct run {
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pid1_facts f;
	struct dbp_pid1_input in;
};

static void judge(struct run *x)
{
	dbp_table_sort(&x->t);
	if (!x->in.stop_signal)
		x->in.stop_signal = SIGTERM;
	x->in.stop_signal_given = 1;	/* one signal; judging both is tested apart */
	dbp_report_init(&x->r, "pid1check");
	dbp_rules_pid1(&x->t, &x->in, &x->r, &x->f);
}

static void done(struct run *x)
{
	dbp_report_free(&x->r);
	dbp_table_free(&x->t);
}

static void postgres_as_pid1(struct run *x)
{
	tb_init(&x->t);
	tb_postmaster_masks(tb_add(&x->t, 1, 0, 999, "postgres",
				   "/usr/lib/postgresql/15/bin/postgres -D /data", 5));
	tb_pg_child(&x->t, 7, 1, "postgres: checkpointer ");
	tb_pg_child(&x->t, 8, 1, "postgres: walwriter ");
	tb_pg_child(&x->t, 40, 1, "postgres: app db 10.0.0.1(5000) idle");
}

static void test_postmaster_pid1_is_critical_and_children_are_its_own(void **state)
{
	struct run x = { 0 };

	(void)state;
	postgres_as_pid1(&x);
	judge(&x);
	assert_non_null(tb_find(&x.r, "DBP101"));
	assert_int_equal(tb_find(&x.r, "DBP101")->severity, DBP_CRITICAL);
	assert_null(tb_find(&x.r, "DBP105"));
	assert_null(tb_find(&x.r, "DBP103"));	/* it catches SIGTERM */
	assert_int_equal(x.f.chain_len, 1);
	assert_int_equal(x.f.adopted, 0);
	assert_int_equal(dbp_report_status(&x.r), DBP_CRITICAL);
	done(&x);
}

static void test_root_psql_adopted_by_postmaster_is_named(void **state)
{
	struct run x = { 0 };

	(void)state;
	postgres_as_pid1(&x);
	tb_add(&x.t, 84799, 1, 0, "psql", "/usr/lib/postgresql/15/bin/psql -U postgres -c SELECT", 20);
	judge(&x);
	assert_int_equal(tb_count(&x.r, "DBP105"), 1);
	assert_int_equal(tb_find(&x.r, "DBP105")->pid, 84799);
	assert_int_equal(tb_find(&x.r, "DBP105")->severity, DBP_CRITICAL);
	assert_non_null(strstr(tb_find(&x.r, "DBP105")->message, "user root"));
	assert_int_equal(x.f.adopted, 1);
	done(&x);
}

static void test_tini_in_front_of_postgres_is_ok(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p1;

	(void)state;
	tb_init(&x.t);
	p1 = tb_add(&x.t, 1, 0, 0, "tini", "tini -- postgres -D /data", 1);
	p1->sig.blocked = ~0ULL & ~(tb_sig(SIGKILL) | tb_sig(SIGSTOP));
	tb_postmaster_masks(tb_add(&x.t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	tb_pg_child(&x.t, 8, 7, "postgres: checkpointer ");
	judge(&x);
	assert_int_equal(x.f.stop, DBP_DISP_BLOCKED);
	assert_int_equal(x.f.forward, DBP_FWD_CHILD);
	assert_int_equal(x.f.chain_len, 2);
	assert_int_equal(x.f.chain[1]->pid, 7);
	assert_int_equal(x.f.service->pid, 7);
	assert_int_equal(dbp_report_status(&x.r), DBP_OK);
	done(&x);
}

static void test_tini_waiting_in_sigtimedwait_receives(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p1;

	(void)state;
	tb_init(&x.t);
	p1 = tb_add(&x.t, 1, 0, 0, "tini", "tini -- sleep 1", 1);
	p1->sig.waiting = 2;
	p1->sig.waited = tb_sig(SIGTERM) | tb_sig(SIGINT);
	tb_add(&x.t, 2, 1, 0, "sleep", "sleep 1", 1);
	judge(&x);
	assert_int_equal(x.f.stop, DBP_DISP_BLOCKED);
	assert_null(tb_find(&x.r, "DBP103"));
	done(&x);
	/* a set that could not be read: taken as received */
	memset(&x, 0, sizeof(x));
	tb_init(&x.t);
	p1 = tb_add(&x.t, 1, 0, 0, "tini", "tini -- sleep 1", 1);
	p1->sig.waiting = 1;
	judge(&x);
	assert_int_equal(x.f.stop, DBP_DISP_WAITING);
	assert_null(tb_find(&x.r, "DBP103"));
	done(&x);
}

static void test_bash_pid1_without_exec_drops_and_keeps_the_shell(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash -c postgres -D /data; echo stopped", 1);
	tb_postmaster_masks(tb_add(&x.t, 6, 1, 999, "postgres", "postgres -D /data", 2));
	judge(&x);
	assert_non_null(tb_find(&x.r, "DBP102"));
	assert_int_equal(tb_find(&x.r, "DBP102")->pid, 1);
	assert_int_equal(tb_find(&x.r, "DBP102")->severity, DBP_CRITICAL);
	assert_non_null(strstr(tb_find(&x.r, "DBP102")->message, "runs postgres (PID 6)"));
	assert_non_null(tb_find(&x.r, "DBP103"));
	assert_int_equal(tb_find(&x.r, "DBP103")->severity, DBP_CRITICAL);
	assert_int_equal(x.f.service->pid, 6);
	done(&x);
}

/* the host's initial PID namespace: its init is no container's entrypoint,
 * and a bash PID 1 there is not told to exec */
static void test_host_is_not_judged_as_a_container(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash -c postgres -D /data; echo stopped", 1);
	tb_postmaster_masks(tb_add(&x.t, 6, 1, 999, "postgres", "postgres -D /data", 2));
	x.in.host = 1;
	judge(&x);
	assert_int_equal((int)x.r.n, 1);
	assert_int_equal(x.r.items[0].severity, DBP_INFO);
	assert_string_equal(x.r.items[0].id, "DBP110");
	assert_null(tb_find(&x.r, "DBP103"));
	done(&x);
}

/* A wrapper whose trap passes the stop on and waits (`pg_ctl stop -m
 * fast; wait $pid`) does not lose it: no DBP102 (measured: a clean
 * stop in 0.3 s). One that only echoes still does. */
static void test_bash_pid1_with_forwarding_trap_is_no_lost_signal(void **state)
{
	struct run x = { 0 };
	struct dbp_shell_script sc;

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "/bin/bash /start.sh", 1)->sig.caught =
		tb_sig(SIGINT) | tb_sig(SIGTERM) | tb_sig(SIGCHLD);
	tb_postmaster_masks(tb_add(&x.t, 6, 1, 999, "postgres", "postgres -D /data", 2));
	memset(&sc, 0, sizeof(sc));
	sc.pid = 1;
	assert_int_equal(dbp_shell_script_text("trap 'pg_ctl stop -m fast; wait $pid' TERM INT\n"
					       "postgres -D /data &\npid=$!\nwait $pid", &sc), 0);
	x.in.scripts = &sc;
	x.in.nscripts = 1;
	judge(&x);
	assert_null(tb_find(&x.r, "DBP102"));
	done(&x);
	memset(&x, 0, sizeof(x));
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "/bin/bash /start.sh", 1)->sig.caught =
		tb_sig(SIGINT) | tb_sig(SIGTERM) | tb_sig(SIGCHLD);
	tb_postmaster_masks(tb_add(&x.t, 6, 1, 999, "postgres", "postgres -D /data", 2));
	assert_int_equal(dbp_shell_script_text("trap 'echo bye' TERM INT\npostgres &\nwait", &sc), 0);
	x.in.scripts = &sc;
	x.in.nscripts = 1;
	judge(&x);
	assert_non_null(tb_find(&x.r, "DBP102"));
	done(&x);
}

static void wrapper_under_tini(struct run *x, const char *tini_args)
{
	struct dbp_proc *p1;

	tb_init(&x->t);
	p1 = tb_add(&x->t, 1, 0, 0, "tini", tini_args, 1);
	p1->sig.blocked = ~0ULL;
	tb_add(&x->t, 2, 1, 0, "docker-entrypoi", "/bin/bash /usr/local/bin/docker-entrypoint.sh", 1);
	tb_postmaster_masks(tb_add(&x->t, 3, 2, 999, "postgres", "postgres -D /data", 2));
}

static void test_shell_under_tini_without_g_is_critical(void **state)
{
	struct run x = { 0 };

	(void)state;
	wrapper_under_tini(&x, "tini -- docker-entrypoint.sh postgres");
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBP102")->pid, 2);
	assert_int_equal(tb_find(&x.r, "DBP102")->severity, DBP_CRITICAL);
	/* tini -g does not save it: measured, the shell dies of SIGTERM
	 * first and takes the namespace down */
	assert_null(strstr(tb_find(&x.r, "DBP102")->advice, "tini with -g"));
	done(&x);
}

static void test_shell_under_tini_with_g_races_and_loses(void **state)
{
	struct run x = { 0 };

	(void)state;
	wrapper_under_tini(&x, "tini -e 143 -g -- docker-entrypoint.sh postgres");
	judge(&x);
	assert_int_equal(x.f.forward, DBP_FWD_GROUP);
	/* the shell has no SIGTERM handler: it dies first in the race */
	assert_int_equal(tb_find(&x.r, "DBP102")->severity, DBP_CRITICAL);
	assert_non_null(strstr(tb_find(&x.r, "DBP102")->message, "race"));
	done(&x);
	/* a shell that survives SIGTERM (a trap): the server decides; a warning */
	memset(&x, 0, sizeof(x));
	wrapper_under_tini(&x, "tini -g -- docker-entrypoint.sh postgres");
	x.t.procs[1].sig.caught = tb_sig(SIGTERM);
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBP102")->severity, DBP_WARNING);
	done(&x);
	/* TINI_KILL_PROCESS_GROUP set, even empty, does the same */
	memset(&x, 0, sizeof(x));
	wrapper_under_tini(&x, "tini -- docker-entrypoint.sh postgres");
	x.in.tini_kill_group = "";
	judge(&x);
	assert_int_equal(x.f.forward, DBP_FWD_GROUP);
	done(&x);
}

static void test_without_stop_signal_both_are_judged(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p1;

	(void)state;
	tb_init(&x.t);
	p1 = tb_add(&x.t, 1, 0, 0, "bash", "bash -c sleep 1000; true", 1);
	p1->sig.caught = tb_sig(SIGINT) | tb_sig(SIGCHLD);
	tb_add(&x.t, 7, 1, 0, "sleep", "sleep 1000", 1);
	dbp_table_sort(&x.t);
	dbp_report_init(&x.r, "pid1check");
	dbp_rules_pid1(&x.t, &x.in, &x.r, &x.f);
	assert_int_equal(x.f.nstops, 2);
	assert_int_equal(x.f.stops[0], DBP_DISP_DEFAULT);	/* SIGTERM: dropped */
	assert_int_equal(x.f.stops[1], DBP_DISP_CAUGHT);	/* SIGINT: deferred */
	assert_non_null(strstr(tb_find(&x.r, "DBP103")->message, "SIGTERM"));
	done(&x);
}

static void test_pid1_ignoring_term_is_critical(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p1;

	(void)state;
	tb_init(&x.t);
	p1 = tb_add(&x.t, 1, 0, 0, "sleep", "sleep 1000", 1);
	p1->sig.ignored = tb_sig(SIGTERM);
	judge(&x);
	assert_int_equal(x.f.stop, DBP_DISP_IGNORED);
	assert_non_null(strstr(tb_find(&x.r, "DBP103")->message, "ignores SIGTERM"));
	done(&x);
}

static void test_stop_signal_sigint_caught_by_postgres(void **state)
{
	struct run x = { 0 };

	(void)state;
	postgres_as_pid1(&x);
	x.in.stop_signal = SIGINT;
	judge(&x);
	assert_int_equal(x.f.stop, DBP_DISP_CAUGHT);
	assert_null(tb_find(&x.r, "DBP103"));
	done(&x);
}

static void zombies_under(struct run *x, const char *pid1, const char *args)
{
	tb_init(&x->t);
	tb_add(&x->t, 1, 0, 0, pid1, args, 1)->sig.blocked = ~0ULL;
	for (pid_t z = 10; z < 13; z++) {
		struct dbp_proc *p = tb_add(&x->t, z, 1, 0, "sh", "", 100 + (unsigned)z);

		p->state = 'Z';
	}
}

static void test_zombies_counted_warning_under_a_non_init(void **state)
{
	struct run x = { 0 };

	(void)state;
	zombies_under(&x, "myapp", "myapp --serve");
	judge(&x);
	assert_int_equal(x.f.zombies, 3);
	assert_int_equal(x.f.oldest_zombie->pid, 10);
	assert_int_equal(tb_find(&x.r, "DBP104")->severity, DBP_WARNING);
	assert_non_null(strstr(tb_find(&x.r, "DBP104")->message, "3 zombie processes"));
	done(&x);
}

static void test_zombies_under_an_init_are_info(void **state)
{
	struct run x = { 0 };

	(void)state;
	zombies_under(&x, "tini", "tini -- app");
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBP104")->severity, DBP_INFO);
	done(&x);
}

static void test_no_pid1_is_unknown(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 55, 0, 0, "bash", "bash", 1);
	x.in.hidepid = 1;
	judge(&x);
	assert_non_null(tb_find(&x.r, "DBP100"));
	assert_non_null(strstr(tb_find(&x.r, "DBP100")->message, "hidepid"));
	assert_int_equal(dbp_report_status(&x.r), DBP_UNKNOWN);
	assert_null(x.f.pid1);
	done(&x);
}

static void test_unreadable_masks_are_unknown(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "myapp", "myapp", 1)->have = DBP_HAVE_CMDLINE;
	judge(&x);
	assert_non_null(tb_find(&x.r, "DBP108"));
	assert_null(tb_find(&x.r, "DBP103"));
	done(&x);
}

static void test_su_resident_in_chain(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "dumb-init", "dumb-init su postgres -c postgres", 1)->sig.caught = ~0ULL;
	tb_add(&x.t, 2, 1, 0, "su", "su postgres -c postgres", 1)->sig.caught = tb_sig(SIGTERM);
	tb_postmaster_masks(tb_add(&x.t, 3, 2, 999, "postgres", "postgres -D /data", 2));
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBP107")->pid, 2);
	assert_int_equal(x.f.chain_len, 3);
	done(&x);
}

static void test_exec_sessions_from_outside(void **state)
{
	struct run x = { 0 };

	(void)state;
	postgres_as_pid1(&x);
	tb_add(&x.t, 90, 0, 0, "bash", "bash", 50);		/* dbpod's own session */
	tb_add(&x.t, 95, 90, 0, "dbpod", "dbpod pid1check", 60);
	tb_add(&x.t, 70, 0, 0, "sh", "sh -c backup", 40);	/* another session */
	tb_add(&x.t, 2, 0, 0, "kthreadd", "", 0)->kthread = 1;
	x.t.self = 95;
	judge(&x);
	assert_int_equal(x.f.outside, 2);
	for (size_t i = 0; i < x.r.n; i++) {
		if (strcmp(x.r.items[i].id, "DBP106"))
			continue;
		if (x.r.items[i].pid == 90)
			assert_int_equal(x.r.items[i].severity, DBP_INFO);
		else
			assert_int_equal(x.r.items[i].severity, DBP_WARNING);
	}
	assert_int_equal(tb_count(&x.r, "DBP106"), 2);
	done(&x);
}

/* dbpod's recorder started by the exec itself (`kubectl exec pg-0 --
 * dbpod snapshot -o FILE`, as dbpod-snapshot(1) recommends) leaves
 * nothing for the postmaster to adopt: an info, never the warning that
 * would keep doctor from OK beside the recommended recorder */
static void test_recorder_from_outside_is_info(void **state)
{
	struct run x = { 0 };
	const struct dbp_finding *d;

	(void)state;
	postgres_as_pid1(&x);
	tb_add(&x.t, 40, 0, 0, "dbpod", "dbpod snapshot -o /var/lib/postgresql/data/ps.jsonl", 50);
	judge(&x);
	d = tb_find(&x.r, "DBP106");
	assert_non_null(d);
	assert_int_equal(d->pid, 40);
	assert_int_equal(d->severity, DBP_INFO);
	assert_non_null(strstr(d->message, "dbpod's recorder"));
	assert_int_equal(x.r.n == 0 ? 0 : (int)tb_count(&x.r, "DBP106"), 1);
	done(&x);
}

static void test_pause_pid1_finds_the_postmaster(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 65535, "pause", "/pause", 1)->sig.caught = tb_sig(SIGTERM) | tb_sig(SIGINT);
	tb_postmaster_masks(tb_add(&x.t, 7, 0, 999, "postgres", "postgres -D /data", 2));
	judge(&x);
	assert_non_null(x.f.service);
	assert_int_equal(x.f.service->pid, 7);
	assert_null(tb_find(&x.r, "DBP101"));
	done(&x);
}

static void test_dbpod_as_pid1_judges_nothing(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "dbpod", "/dbpod doctor", 1);
	x.t.self = 1;
	judge(&x);
	assert_int_equal(x.r.n, 1);
	assert_string_equal(x.r.items[0].id, "DBP109");
	assert_int_equal(dbp_report_status(&x.r), DBP_UNKNOWN);
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postmaster_pid1_is_critical_and_children_are_its_own),
		cmocka_unit_test(test_root_psql_adopted_by_postmaster_is_named),
		cmocka_unit_test(test_tini_in_front_of_postgres_is_ok),
		cmocka_unit_test(test_tini_waiting_in_sigtimedwait_receives),
		cmocka_unit_test(test_bash_pid1_without_exec_drops_and_keeps_the_shell),
		cmocka_unit_test(test_host_is_not_judged_as_a_container),
		cmocka_unit_test(test_bash_pid1_with_forwarding_trap_is_no_lost_signal),
		cmocka_unit_test(test_shell_under_tini_without_g_is_critical),
		cmocka_unit_test(test_shell_under_tini_with_g_races_and_loses),
		cmocka_unit_test(test_pid1_ignoring_term_is_critical),
		cmocka_unit_test(test_stop_signal_sigint_caught_by_postgres),
		cmocka_unit_test(test_without_stop_signal_both_are_judged),
		cmocka_unit_test(test_zombies_counted_warning_under_a_non_init),
		cmocka_unit_test(test_zombies_under_an_init_are_info),
		cmocka_unit_test(test_no_pid1_is_unknown),
		cmocka_unit_test(test_unreadable_masks_are_unknown),
		cmocka_unit_test(test_su_resident_in_chain),
		cmocka_unit_test(test_exec_sessions_from_outside),
		cmocka_unit_test(test_recorder_from_outside_is_info),
		cmocka_unit_test(test_pause_pid1_finds_the_postmaster),
		cmocka_unit_test(test_dbpod_as_pid1_judges_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
