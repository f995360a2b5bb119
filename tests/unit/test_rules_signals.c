/* lib/rules_signals.c: the stop path and the DBS findings on hand-built
 * tables. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules_signals.h"
#include "stopread.h"
#include "tablebuild.h"

struct run {
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pid1_facts f;
	struct dbp_stop_path sp;	/* the first path, for the tests of one signal */
	struct dbp_stop_path sps[DBP_STOP_MAX];
	size_t nsp;
	struct dbp_signals_input in;
};

/* What the live reader reads status for (dbp_table_stop_candidates)
 * must hold every process the rules look at the masks of: the chain, the
 * processes DBS202 and DBS204 judge, and the children of a PostgreSQL
 * PID 1 (DBS201). Checked on every table this file judges. */
static void assert_candidates_cover(const struct run *x)
{
	unsigned char mark[256];

	assert_true(x->t.n <= sizeof(mark));
	assert_true(dbp_table_stop_candidates(&x->t, mark) >= 0);
	for (size_t k = 0; k < x->f.chain_len; k++)
		assert_true(mark[x->f.chain[k] - x->t.procs]);
	if (x->f.service)
		assert_true(mark[x->f.service - x->t.procs]);
	for (size_t i = 0; i < x->t.n; i++) {
		const struct dbp_proc *p = &x->t.procs[i];

		if (dbp_signals_judged(&x->t, &x->f, p))
			assert_true(mark[i]);
		if (p->ppid == 1 && x->f.pid1_class.kind == DBP_KIND_DATABASE)
			assert_true(mark[i]);
	}
}

static void judge_only(struct run *x, const pid_t *only, size_t n)
{
	dbp_table_sort(&x->t);
	if (!x->in.pid1.stop_signal)
		x->in.pid1.stop_signal = SIGTERM;
	x->in.pid1.stop_signal_given = 1;	/* one signal; both are tested apart */
	if (!x->in.grace)
		x->in.grace = 30;
	dbp_report_init(&x->r, "signals");
	dbp_rules_signals(&x->t, &x->in, &x->r, &x->f, x->sps, &x->nsp, only, n);
	x->sp = x->sps[0];
	assert_candidates_cover(x);
}

static void judge(struct run *x)
{
	judge_only(x, NULL, 0);
}

static void done(struct run *x)
{
	dbp_report_free(&x->r);
	dbp_table_free(&x->t);
}

static void tini_postgres(struct run *x, int clients)
{
	struct dbp_proc *p1;

	tb_init(&x->t);
	p1 = tb_add(&x->t, 1, 0, 0, "tini", "tini -- postgres -D /data", 1);
	p1->sig.blocked = ~0ULL;
	tb_postmaster_masks(tb_add(&x->t, 2, 1, 999, "postgres", "postgres -D /data", 2));
	tb_pg_child(&x->t, 3, 2, "postgres: checkpointer ");
	tb_pg_child(&x->t, 4, 2, "postgres: main: autovacuum launcher ");
	tb_pg_child(&x->t, 5, 2, "postgres: logical replication launcher ");
	for (int i = 0; i < clients; i++)
		tb_pg_child(&x->t, 100 + i, 2, "postgres: app appdb 10.0.0.12(38600) idle");
}

static void test_tini_forwards_to_postmaster_smart_shutdown_graceful(void **state)
{
	struct run x = { 0 };

	(void)state;
	tini_postgres(&x, 0);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_string_equal(x.sp.action, "smart shutdown");
	assert_int_equal(x.sp.receiver->pid, 2);
	assert_non_null(strstr(x.sp.steps[1], "a blocked signal is never discarded"));
	assert_string_equal(x.sp.steps[2], "tini forwards it to its child, PID 2 (postgres)");
	assert_int_equal(x.sp.clients, 0);
	assert_int_equal(x.r.n, 0);
	done(&x);
}

static void test_smart_shutdown_with_clients_ends_in_sigkill(void **state)
{
	struct run x = { 0 };

	(void)state;
	tini_postgres(&x, 2);
	judge(&x);
	assert_int_equal(x.sp.clients, 2);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	assert_int_equal(x.sp.when_seconds, 30);
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	assert_non_null(strstr(tb_find(&x.r, "DBS205")->advice, "STOPSIGNAL SIGINT"));
	/* the reason (the clients a smart shutdown waits for),
	 * and the SIGKILL said once */
	assert_string_equal(tb_find(&x.r, "DBS205")->message,
		"On stop with SIGTERM PostgreSQL makes a smart shutdown, which waits for every "
		"client session to end, and 2 are connected now: unless they disconnect first, "
		"the runtime SIGKILLs every process when the 30 s grace period ends, the "
		"database without a shutdown checkpoint.");
	done(&x);
}

static void test_sigint_is_fast_and_sigquit_immediate(void **state)
{
	struct run x = { 0 };

	(void)state;
	tini_postgres(&x, 2);
	x.in.pid1.stop_signal = SIGINT;
	judge(&x);
	assert_string_equal(x.sp.action, "fast shutdown");
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_null(tb_find(&x.r, "DBS205"));
	done(&x);
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGQUIT;
	judge(&x);
	assert_string_equal(x.sp.action, "immediate shutdown");
	/* measured: ends within a second, always crash recovery */
	assert_int_equal(x.sp.outcome, DBP_OUT_CRASH);
	assert_int_equal(x.sp.when, DBP_WHEN_AT_ONCE);
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	done(&x);
}

static void test_sighup_is_not_a_shutdown(void **state)
{
	struct run x = { 0 };

	(void)state;
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGHUP;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	done(&x);
}

static void test_bash_pid1_drops_term(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash -c sleep 1000; true", 1)->sig.caught = tb_sig(SIGINT);
	tb_add(&x.t, 7, 1, 0, "sleep", "sleep 1000", 1);
	judge(&x);
	assert_true(x.sp.dropped_by_pid1);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(tb_find(&x.r, "DBS203")->severity, DBP_CRITICAL);
	assert_null(tb_find(&x.r, "DBS205"));	/* one finding for one cause */
	done(&x);
}

static void test_shell_under_tini_dies_and_service_is_killed(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "tini", "tini -- start.sh", 1)->sig.blocked = ~0ULL;
	tb_add(&x.t, 2, 1, 0, "start.sh", "/bin/sh /start.sh", 1);
	tb_postmaster_masks(tb_add(&x.t, 3, 2, 999, "postgres", "postgres -D /data", 2));
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.receiver->pid, 2);
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	done(&x);
}

static void test_group_forwarding_reaches_service_in_group(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *svc;

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "dumb-init", "dumb-init /start.sh", 1)->sig.caught = ~0ULL;
	tb_add(&x.t, 2, 1, 0, "start.sh", "/bin/sh /start.sh", 1);
	svc = tb_add(&x.t, 3, 2, 999, "postgres", "postgres -D /data", 2);
	tb_postmaster_masks(svc);
	svc->pgrp = 2;	/* the shell's group */
	judge(&x);
	/* measured (dumb-init, tini -g): the shell has no SIGTERM handler and
	 * dies at once; the init exits with it and the kernel SIGKILLs the
	 * server within 0.4 s */
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_AT_ONCE);
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	done(&x);
}

static void group_shell_sigint(struct run *x, int script_read, uint64_t trapped)
{
	struct dbp_proc *svc, *sh;
	static struct dbp_shell_script sc;

	tb_init(&x->t);
	tb_add(&x->t, 1, 0, 0, "dumb-init", "dumb-init /start.sh", 1)->sig.caught = ~0ULL;
	sh = tb_add(&x->t, 2, 1, 0, "start.sh", "/bin/bash /start.sh", 1);
	sh->sig.caught = tb_sig(SIGINT) | tb_sig(SIGCHLD);	/* bash while it waits */
	svc = tb_add(&x->t, 3, 2, 999, "postgres", "postgres -D /data", 2);
	tb_postmaster_masks(svc);
	svc->pgrp = 2;
	memset(&sc, 0, sizeof(sc));
	sc.pid = 2;
	sc.read = script_read;
	sc.trapped = trapped;
	sc.background = -1;	/* what the script runs is not told */
	snprintf(sc.source, sizeof(sc.source), "/start.sh");
	x->in.pid1.scripts = &sc;
	x->in.pid1.nscripts = 1;
	x->in.pid1.stop_signal = SIGINT;
}

static void test_group_sigint_the_shell_defers_and_server_shuts_down(void **state)
{
	struct run x = { 0 };

	(void)state;
	group_shell_sigint(&x, 1, 0);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_string_equal(x.sp.action, "fast shutdown");
	assert_int_equal(x.sp.receiver->pid, 3);
	assert_null(tb_find(&x.r, "DBS205"));
	done(&x);
	/* a trap on INT in the script: the trap decides */
	memset(&x, 0, sizeof(x));
	group_shell_sigint(&x, 1, tb_sig(SIGINT));
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_UNCERTAIN);
	assert_string_equal(x.sp.unread, "the shell's trap");
	done(&x);
	/* the same trap with the server in the foreground: the shell runs it
	 * only once the server has exited, and the group signal has reached
	 * the server itself */
	memset(&x, 0, sizeof(x));
	group_shell_sigint(&x, 1, tb_sig(SIGINT));
	((struct dbp_shell_script *)x.in.pid1.scripts)->background = 0;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_non_null(strstr(x.sp.steps[2], "only after its foreground child exits"));
	done(&x);
	/* the script could not be read: say so */
	memset(&x, 0, sizeof(x));
	group_shell_sigint(&x, 0, 0);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_UNCERTAIN);
	assert_string_equal(x.sp.unread, "the shell's script");
	assert_non_null(strstr(tb_find(&x.r, "DBS205")->message, "the shell's script"));
	done(&x);
}

static void test_shell_pid1_sigint_is_deferred_not_trapped(void **state)
{
	struct run x = { 0 };
	struct dbp_shell_script sc = { .pid = 1, .read = 1, .source = "its -c command" };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash -c postgres; true", 1)->sig.caught =
		tb_sig(SIGINT) | tb_sig(SIGCHLD);
	tb_postmaster_masks(tb_add(&x.t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	x.in.pid1.scripts = &sc;
	x.in.pid1.nscripts = 1;
	x.in.pid1.stop_signal = SIGINT;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	assert_non_null(strstr(x.sp.steps[1], "defer it until its child exits"));
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	done(&x);
}

/* The measured wrapper: bash PID 1 with `trap 'kill -INT $p; wait $p'
 * TERM INT`, postgres in the background: a clean stop in 0.07 s. The
 * trap's action is read from the script, so the stop follows it. */
static void trap_wrapper(struct run *x, struct dbp_shell_script *sc, const char *text, int sig)
{
	tb_init(&x->t);
	tb_add(&x->t, 1, 0, 0, "bash", "bash -c trap", 1)->sig.caught =
		tb_sig(SIGINT) | tb_sig(SIGTERM) | tb_sig(SIGCHLD);
	tb_postmaster_masks(tb_add(&x->t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	memset(sc, 0, sizeof(*sc));
	sc->pid = 1;
	snprintf(sc->source, sizeof(sc->source), "its -c command");
	assert_int_equal(dbp_shell_script_text(text, sc), 0);
	x->in.pid1.scripts = sc;
	x->in.pid1.nscripts = 1;
	x->in.pid1.stop_signal = sig;
}

static void test_trap_that_forwards_and_waits_is_graceful(void **state)
{
	struct run x = { 0 };
	struct dbp_shell_script sc;

	(void)state;
	trap_wrapper(&x, &sc, "trap 'kill -INT $p; wait $p' TERM INT; postgres -D /data & p=$!; "
		     "wait $p", SIGTERM);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_string_equal(x.sp.action, "fast shutdown");
	assert_non_null(strstr(x.sp.steps[1], "`kill -INT $p` sends SIGINT to postgres"));
	assert_null(tb_find(&x.r, "DBS205"));
	done(&x);
	/* pg_ctl stop waits by itself; a trap that calls a function */
	memset(&x, 0, sizeof(x));
	trap_wrapper(&x, &sc, "_term() { echo stopping; pg_ctl stop -m fast; }\n"
		     "trap _term TERM\npostgres &\nwait", SIGTERM);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	/* it signals but does not wait: the trap decides */
	memset(&x, 0, sizeof(x));
	trap_wrapper(&x, &sc, "trap 'kill -INT $p' TERM; postgres & p=$!; wait $p", SIGTERM);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_UNCERTAIN);
	done(&x);
	/* postgres in the foreground: the trap runs only when it has exited */
	memset(&x, 0, sizeof(x));
	trap_wrapper(&x, &sc, "trap 'kill -INT $p; wait $p' TERM; postgres -D /data; true", SIGTERM);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	done(&x);
}

static void test_tini_with_ignored_stop_signal_still_forwards(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p1;

	(void)state;
	tini_postgres(&x, 0);
	p1 = &x.t.procs[0];
	p1->sig.ignored = tb_sig(SIGTERM) | tb_sig(SIGINT);	/* inherited SIG_IGN */
	judge(&x);
	assert_int_equal(x.f.stop, DBP_DISP_BLOCKED);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_null(tb_find(&x.r, "DBS203"));
	done(&x);
}

static void test_su_gives_the_server_two_seconds(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *su;

	(void)state;
	tb_init(&x.t);
	su = tb_add(&x.t, 1, 0, 0, "su", "su postgres -c postgres", 1);
	su->sig.caught = tb_sig(SIGTERM) | tb_sig(SIGINT) | tb_sig(SIGQUIT);
	tb_postmaster_masks(tb_add(&x.t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	x.in.pid1.stop_signal = SIGINT;
	judge(&x);
	/* su turns SIGINT into SIGTERM: a smart shutdown with 2 s */
	assert_string_equal(x.sp.action, "smart shutdown");
	assert_int_equal(x.sp.outcome, DBP_OUT_RISKY);
	assert_int_equal(x.sp.when, DBP_WHEN_AFTER);
	assert_int_equal(x.sp.when_seconds, 2);
	done(&x);
}

static void test_runuser_blocks_sigint(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *ru;

	(void)state;
	tb_init(&x.t);
	ru = tb_add(&x.t, 1, 0, 0, "runuser", "runuser -u postgres -- postgres", 1);
	ru->sig.caught = tb_sig(SIGTERM);
	ru->sig.blocked = ~tb_sig(SIGTERM);
	tb_postmaster_masks(tb_add(&x.t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	x.in.pid1.stop_signal = SIGINT;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	done(&x);
}

static void test_mariadb_sigint_stays_pending(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *m;

	(void)state;
	tb_init(&x.t);
	m = tb_add(&x.t, 1, 0, 999, "mariadbd", "mariadbd --datadir=/var/lib/mysql", 1);
	/* read off mariadbd 10.11 */
	m->sig.blocked = 0x87007;
	m->sig.caught = 0x1000066e9ULL;
	m->sig.ignored = 0x1000;
	x.in.pid1.stop_signal = SIGINT;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	done(&x);
	memset(&x, 0, sizeof(x));
	tb_init(&x.t);
	m = tb_add(&x.t, 1, 0, 999, "mariadbd", "mariadbd --datadir=/var/lib/mysql", 1);
	m->sig.blocked = 0x87007;
	m->sig.caught = 0x1000066e9ULL;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
}

static void test_orphan_client_turns_fast_shutdown_into_crash(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_postmaster_masks(tb_add(&x.t, 1, 0, 999, "postgres", "postgres -D /data", 1));
	tb_pg_child(&x.t, 3, 1, "postgres: checkpointer ");
	tb_add(&x.t, 84, 1, 0, "psql", "psql -U postgres -c SELECT", 9)->sig.ignored = tb_sig(SIGPIPE);
	x.in.pid1.stop_signal = SIGINT;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_CRASH);
	assert_non_null(strstr(x.sp.steps[x.sp.nsteps - 1], "exits with code 2"));
	assert_int_equal(tb_find(&x.r, "DBS205")->severity, DBP_CRITICAL);
	done(&x);
}

/* supervisord as PID 1 running a postmaster that has one client */
static void supervisord_postgres(struct run *x, const struct dbp_supervisor *sup)
{
	struct dbp_proc *p1;

	tb_init(&x->t);
	p1 = tb_add(&x->t, 1, 0, 0, "supervisord", "/usr/bin/python3 /usr/bin/supervisord -n", 1);
	p1->sig.caught = tb_sig(SIGTERM) | tb_sig(SIGINT) | tb_sig(SIGHUP) | tb_sig(SIGCHLD);
	tb_postmaster_masks(tb_add(&x->t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	tb_pg_child(&x->t, 8, 7, "postgres: app app [local] idle");
	x->in.supervisor = sup;
}

static void test_supervisord_stops_with_program_stopsignal(void **state)
{
	struct run x = { 0 };
	struct dbp_supervisor sup = { 1, "/etc/supervisor/conf.d/pg.conf", "postgres", "postgres -D /data", SIGINT, 5, 1, 1 };

	(void)state;
	supervisord_postgres(&x, &sup);
	judge(&x);
	assert_string_equal(dbp_proc_name(x.f.pid1), "supervisord");
	assert_string_equal(x.sp.action, "fast shutdown");
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	/* stopsignal TERM with a client: smart, SIGKILLed after stopwaitsecs */
	memset(&x, 0, sizeof(x));
	sup.stopsignal = SIGTERM;
	supervisord_postgres(&x, &sup);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_AFTER);
	assert_int_equal(x.sp.when_seconds, 5);
	done(&x);
	/* no config read: uncertain, naming what was not read */
	memset(&x, 0, sizeof(x));
	supervisord_postgres(&x, NULL);
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_UNCERTAIN);
	assert_string_equal(x.sp.unread, "the supervisor's configuration");
	done(&x);
}

static void test_no_stop_signal_given_judges_term_and_int(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash -c postgres; true", 1)->sig.caught =
		tb_sig(SIGINT) | tb_sig(SIGCHLD);
	tb_postmaster_masks(tb_add(&x.t, 7, 1, 999, "postgres", "postgres -D /data", 2));
	dbp_table_sort(&x.t);
	x.in.grace = 30;
	dbp_report_init(&x.r, "signals");
	dbp_rules_signals(&x.t, &x.in, &x.r, &x.f, x.sps, &x.nsp, NULL, 0);
	assert_int_equal(x.nsp, 2);
	assert_int_equal(x.sps[0].signal, SIGTERM);
	assert_int_equal(x.sps[1].signal, SIGINT);
	assert_true(x.sps[0].dropped_by_pid1);
	assert_int_equal(x.sps[1].outcome, DBP_OUT_UNCERTAIN);	/* no script read */
	assert_non_null(tb_find(&x.r, "DBS203"));
	done(&x);
}

/* Node mode, a container whose runtime is known but whose record of the
 * stop signal could not be read: SIGQUIT is judged beside SIGTERM and
 * SIGINT, and PostgreSQL as PID 1, graceful on the two, is not called
 * graceful: an immediate shutdown is crash recovery on the next start. */
static void test_unread_stop_signal_judges_sigquit_too(void **state)
{
	struct run x = { 0 };
	const struct dbp_finding *f;

	(void)state;
	tb_init(&x.t);
	tb_postmaster_masks(tb_add(&x.t, 1, 0, 999, "postgres", "postgres -D /data", 1));
	tb_pg_child(&x.t, 3, 1, "postgres: checkpointer ");
	dbp_table_sort(&x.t);
	x.in.grace = 30;
	x.in.pid1.stop_signal = SIGTERM;
	x.in.pid1.stop_signal_unread = 1;
	dbp_report_init(&x.r, "signals");
	dbp_rules_signals(&x.t, &x.in, &x.r, &x.f, x.sps, &x.nsp, NULL, 0);
	assert_int_equal(x.nsp, 3);
	assert_int_equal(x.sps[0].signal, SIGTERM);
	assert_int_equal(x.sps[1].signal, SIGINT);
	assert_int_equal(x.sps[2].signal, SIGQUIT);
	assert_int_equal(x.sps[0].outcome, DBP_OUT_GRACEFUL);
	assert_int_equal(x.sps[1].outcome, DBP_OUT_GRACEFUL);
	assert_int_equal(x.sps[2].outcome, DBP_OUT_CRASH);
	f = tb_find(&x.r, "DBS205");
	assert_non_null(f);
	assert_int_equal(f->severity, DBP_CRITICAL);
	assert_non_null(strstr(f->message, "SIGQUIT"));
	done(&x);
	/* given, it is judged alone, unread or not */
	memset(&x, 0, sizeof(x));
	tb_init(&x.t);
	tb_postmaster_masks(tb_add(&x.t, 1, 0, 999, "postgres", "postgres -D /data", 1));
	dbp_table_sort(&x.t);
	x.in.grace = 30;
	x.in.pid1.stop_signal = SIGINT;
	x.in.pid1.stop_signal_given = 1;
	x.in.pid1.stop_signal_unread = 1;
	dbp_report_init(&x.r, "signals");
	dbp_rules_signals(&x.t, &x.in, &x.r, &x.f, x.sps, &x.nsp, NULL, 0);
	assert_int_equal(x.nsp, 1);
	assert_int_equal(x.sps[0].outcome, DBP_OUT_GRACEFUL);
	done(&x);
}

static void test_adopted_psql_without_sigpipe_ignore(void **state)
{
	struct run x = { 0 };

	(void)state;
	tb_init(&x.t);
	tb_postmaster_masks(tb_add(&x.t, 1, 0, 999, "postgres", "postgres -D /data", 1));
	tb_pg_child(&x.t, 3, 1, "postgres: checkpointer ");
	tb_add(&x.t, 84799, 1, 0, "psql", "psql -U postgres -c SELECT", 9);
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBS201")->pid, 84799);
	assert_int_equal(tb_find(&x.r, "DBS201")->severity, DBP_CRITICAL);
	assert_non_null(strstr(tb_find(&x.r, "DBS201")->message, "signal 13"));
	/* the checkpointer ignores SIGTERM by design: not flagged */
	assert_null(tb_find(&x.r, "DBS202"));
	done(&x);
}

static void test_inherited_sig_ign_flagged_but_not_interactive_shells(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p;

	(void)state;
	tini_postgres(&x, 0);
	p = tb_add(&x.t, 50, 1, 0, "cron", "cron -f", 5);
	p->sig.ignored = tb_sig(SIGTERM);
	p = tb_add(&x.t, 60, 0, 0, "bash", "bash", 5);
	p->sig.ignored = tb_sig(SIGTERM);
	p->tty = 34816;
	x.in.judge_all = 1;	/* --all: cron is beside the stop, see below */
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBS202")->pid, 50);
	assert_int_equal(tb_find(&x.r, "DBS202")->severity, DBP_WARNING);
	for (size_t i = 0; i < x.r.n; i++)
		assert_false(x.r.items[i].pid == 60);
	done(&x);
}

/* tini without -g signals its child alone: cron beside postgres never
 * gets the stop signal, and the kernel SIGKILLs it when tini exits, so
 * what it ignores does not matter to the stop. With -g it is in the group
 * only if it shares the child's process group. */
static void test_ignoring_matters_only_where_the_stop_reaches(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p;

	(void)state;
	tini_postgres(&x, 0);
	p = tb_add(&x.t, 50, 1, 0, "cron", "cron -f", 5);
	p->sig.ignored = tb_sig(SIGTERM);
	p->sig.blocked = p->sig.shpending = tb_sig(SIGTERM);
	judge(&x);
	assert_null(tb_find(&x.r, "DBS202"));
	assert_null(tb_find(&x.r, "DBS204"));
	dbp_table_sort(&x.t);
	assert_false(dbp_signals_judged(&x.t, &x.f, dbp_table_find(&x.t, 50)));
	assert_false(dbp_signals_notable(&x.t, &x.f, &x.in, dbp_table_find(&x.t, 50)));
	done(&x);

	/* tini -g: a process in postgres' group is signalled with it */
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	dbp_proc_set_argv(&x.t.procs[0], (const char *const[]){ "tini", "-g", "--", "postgres", NULL });
	x.t.procs[0].cls.valid = 0;
	p = tb_add(&x.t, 50, 2, 0, "archiver.sh", "/bin/sh -c archive", 5);
	p->pgrp = 2;
	p = tb_add(&x.t, 51, 50, 0, "rsync", "rsync a b", 5);
	p->pgrp = 2;
	p->sig.ignored = tb_sig(SIGTERM);
	p = tb_add(&x.t, 52, 1, 0, "cron", "cron -f", 5);	/* its own group */
	p->sig.ignored = tb_sig(SIGTERM);
	judge(&x);
	assert_int_equal(x.f.forward, DBP_FWD_GROUP);
	assert_int_equal(tb_find(&x.r, "DBS202")->pid, 51);
	assert_int_equal(tb_find(&x.r, "DBS202")->severity, DBP_WARNING);
	for (size_t i = 0; i < x.r.n; i++)
		assert_false(x.r.items[i].pid == 52);
	done(&x);

	/* a database server is judged wherever it is: the first fix that
	 * lets the signal reach it would meet this next */
	memset(&x, 0, sizeof(x));
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash /entrypoint.sh", 1);
	p = tb_add(&x.t, 7, 1, 0, "redis-server", "redis-server *:6379", 2);
	p->sig.ignored = tb_sig(SIGTERM);
	p = tb_add(&x.t, 8, 1, 0, "sleep", "sleep 1000", 3);
	p->sig.ignored = tb_sig(SIGTERM);
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBS202")->pid, 7);
	assert_int_equal(tb_find(&x.r, "DBS202")->severity, DBP_CRITICAL);
	for (size_t i = 0; i < x.r.n; i++)
		assert_false(x.r.items[i].pid == 8);
	done(&x);

	/* supervisord stops each of its programs: one beside the database
	 * that ignores the signal holds the stop up until stopwaitsecs */
	memset(&x, 0, sizeof(x));
	{
		static const struct dbp_supervisor sup = {
			1, "/etc/supervisor/conf.d/pg.conf", "postgres", "postgres -D /data", SIGINT, 5, 1, 1
		};

		supervisord_postgres(&x, &sup);
	}
	p = tb_add(&x.t, 20, 1, 0, "cron", "cron -f", 3);
	p->sig.ignored = tb_sig(SIGTERM);
	p = tb_add(&x.t, 21, 20, 0, "backup.sh", "/bin/sh /backup.sh", 4);
	p->sig.ignored = tb_sig(SIGTERM);
	judge(&x);
	assert_int_equal(x.f.forward, DBP_FWD_SERVICES);
	assert_int_equal(tb_find(&x.r, "DBS202")->pid, 20);
	assert_int_equal(tb_find(&x.r, "DBS202")->severity, DBP_WARNING);
	assert_non_null(strstr(tb_find(&x.r, "DBS202")->message, "stopwaitsecs"));
	for (size_t i = 0; i < x.r.n; i++)
		assert_false(x.r.items[i].pid == 21);	/* the program's child: not signalled */
	done(&x);
}

static void test_pending_blocked_needs_the_second_reading(void **state)
{
	struct run x = { 0 };
	struct dbp_table later;
	struct dbp_proc *p, *q;

	(void)state;
	tini_postgres(&x, 0);
	p = tb_add(&x.t, 70, 1, 0, "worker", "worker", 5);
	p->sig.blocked = tb_sig(SIGTERM);
	p->sig.shpending = tb_sig(SIGTERM);
	/* cleared by the second reading: nothing to say */
	tb_init(&later);
	q = tb_add(&later, 70, 1, 0, "worker", "worker", 5);
	q->sig.blocked = tb_sig(SIGTERM);
	dbp_table_sort(&later);
	x.in.recheck = &later;
	x.in.judge_all = 1;
	judge(&x);
	assert_null(tb_find(&x.r, "DBS204"));
	done(&x);
	/* still there: a warning, since it is the stop signal */
	q->sig.shpending = tb_sig(SIGTERM);
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	p = tb_add(&x.t, 70, 1, 0, "worker", "worker", 5);
	p->sig.blocked = tb_sig(SIGTERM);
	p->sig.shpending = tb_sig(SIGTERM);
	x.in.recheck = &later;
	x.in.judge_all = 1;
	judge(&x);
	assert_int_equal(tb_find(&x.r, "DBS204")->severity, DBP_WARNING);
	assert_non_null(strstr(tb_find(&x.r, "DBS204")->message, "SIGTERM pending"));
	done(&x);
	dbp_table_free(&later);
}

/* Which processes get a second reading, and which second readings are of
 * the same process: a status file has no start time, so the parent and
 * the name decide. */
static void test_recheck_picks_and_matches(void **state)
{
	struct dbp_signals_input in = { .pid1 = { .stop_signal = SIGTERM, .stop_signal_given = 1 } };
	struct dbp_table t, later;
	struct dbp_proc *p, *q;
	pid_t pids[8];

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "tini", "tini -- worker", 1);
	p = tb_add(&t, 70, 1, 0, "worker", "worker", 5);
	p->sig.blocked = tb_sig(SIGTERM);
	p->sig.shpending = tb_sig(SIGTERM);
	p = tb_add(&t, 71, 1, 0, "other", "other", 6);
	p->sig.blocked = tb_sig(SIGHUP);
	p->sig.pending = tb_sig(SIGHUP);
	p = tb_add(&t, 72, 1, 0, "zombie", "", 7);	/* a zombie never acts on it */
	p->state = 'Z';
	p->sig.blocked = p->sig.pending = tb_sig(SIGHUP);
	p = tb_add(&t, 73, 1, 0, "blocked", "blocked", 7);	/* blocked, nothing pending */
	p->sig.blocked = tb_sig(SIGHUP);
	dbp_table_sort(&t);
	/* tini forwards to 70 alone: 71 and the rest are beside the stop */
	assert_int_equal(dbp_signals_recheck_pids(&t, &in, NULL, 0, pids, 8), 1);
	assert_int_equal(pids[0], 70);
	in.judge_all = 1;
	assert_int_equal(dbp_signals_recheck_pids(&t, &in, NULL, 0, pids, 8), 2);
	assert_int_equal(pids[0], 70);
	assert_int_equal(pids[1], 71);
	assert_int_equal(dbp_signals_recheck_pids(&t, &in, NULL, 0, pids, 1), 1);
	in.judge_all = 0;
	assert_int_equal(dbp_signals_recheck_pids(&t, &in, (pid_t[]){ 71 }, 1, pids, 8), 1);
	assert_int_equal(pids[0], 71);

	/* 70 again, 71 now another program under another parent (the PID
	 * was reused within the moment), 99 not in the first reading */
	tb_init(&later);
	q = tb_add(&later, 70, 1, 0, "worker", "", 0);
	q = tb_add(&later, 71, 5, 0, "newcomer", "", 0);
	q = tb_add(&later, 99, 1, 0, "worker", "", 0);
	(void)q;
	dbp_table_sort(&later);
	dbp_signals_recheck_match(&t, &later);
	assert_int_equal(later.n, 1);
	assert_int_equal(later.procs[0].pid, 70);
	assert_int_equal(later.procs[0].start_ticks, dbp_table_find(&t, 70)->start_ticks);
	dbp_table_free(&later);
	dbp_table_free(&t);
}

/* DBS200: PIDs asked for that are not there or not readable, PID 1 not
 * visible; the texts the live command has always printed */
static void test_asked_for_pids_not_judged(void **state)
{
	struct dbp_signals_input in;
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_proc *p;
	pid_t only[] = { 50, 60, 70 };

	(void)state;
	memset(&in, 0, sizeof(in));
	tb_init(&t);
	tb_add(&t, 1, 0, 0, "tini", "tini -- x", 1);
	tb_add(&t, 50, 1, 0, "cron", "cron -f", 5);
	p = tb_add(&t, 60, 1, 999, "postgres", "postgres -D /data", 5);
	p->have &= ~DBP_HAVE_STATUS;
	dbp_table_sort(&t);
	dbp_report_init(&r, "signals");
	dbp_rules_signals_asked(&t, &in, only, 3, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.items[0].id, "DBS200");
	assert_int_equal(r.items[0].pid, 60);
	assert_string_equal(r.items[0].message, "The signal masks of PID 60 (postgres) "
			    "cannot be read from /proc/60/status.");
	assert_int_equal(r.items[1].pid, 70);
	assert_string_equal(r.items[1].message, "There is no process 70 in this PID "
			    "namespace: it exited, or it is a PID of another namespace (the "
			    "host's, or another container's).");
	assert_int_equal(r.items[1].severity, DBP_UNKNOWN);
	dbp_report_free(&r);
	dbp_table_free(&t);

	/* no PID 1 under hidepid */
	in.pid1.hidepid = 1;
	tb_init(&t);
	tb_add(&t, 50, 0, 0, "sh", "sh", 5);
	dbp_table_sort(&t);
	dbp_report_init(&r, "signals");
	dbp_rules_signals_asked(&t, &in, NULL, 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.items[0].pid, 1);
	assert_string_equal(r.items[0].message, "PID 1 is not visible (/proc is mounted "
			    "with hidepid), so the stop path cannot be followed.");
	assert_string_equal(r.items[0].advice, "run dbpod as root or as the user of PID 1.");
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_only_selected_pids_are_judged(void **state)
{
	struct run x = { 0 };
	pid_t only[] = { 50 };
	struct dbp_proc *p;

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "sleep", "sleep 1000", 1);	/* drops TERM */
	p = tb_add(&x.t, 50, 1, 0, "cron", "cron -f", 5);
	p->sig.ignored = tb_sig(SIGTERM);
	judge_only(&x, only, 1);
	assert_null(tb_find(&x.r, "DBS203"));
	assert_non_null(tb_find(&x.r, "DBS202"));
	done(&x);
}

static void test_client_backends_ignore_auxiliary_titles(void **state)
{
	struct dbp_table t;

	(void)state;
	tb_init(&t);
	tb_add(&t, 1, 0, 999, "postgres", "postgres -D /d", 1);
	tb_pg_child(&t, 2, 1, "postgres: checkpointer ");
	tb_pg_child(&t, 3, 1, "postgres: background writer ");
	tb_pg_child(&t, 4, 1, "postgres: walsender rep 10.0.0.2(4000) streaming 0/3000000");
	tb_pg_child(&t, 5, 1, "postgres: app db [local] idle");
	tb_pg_child(&t, 6, 1, "postgres: autovacuum worker db");
	dbp_table_sort(&t);
	assert_int_equal(dbp_pg_client_backends(&t, 1), 2);
	dbp_table_free(&t);
}

/* the host: no runtime stop to predict, and none of the stop findings */
static void test_host_predicts_no_stop(void **state)
{
	struct run x = { 0 };
	struct dbp_proc *p;

	(void)state;
	tb_init(&x.t);
	tb_add(&x.t, 1, 0, 0, "bash", "bash -c postgres -D /data; echo stopped", 1);
	p = tb_add(&x.t, 6, 1, 999, "postgres", "postgres -D /data", 2);
	tb_postmaster_masks(p);
	p->sig.ignored |= 1ULL << (SIGTERM - 1);
	x.in.pid1.host = 1;
	judge(&x);
	assert_int_equal((int)x.nsp, 0);
	assert_int_equal((int)x.r.n, 1);
	assert_string_equal(x.r.items[0].id, "DBS206");
	assert_int_equal(x.r.items[0].severity, DBP_INFO);
	done(&x);
}

/* The stop's time budget: a fast shutdown whose checkpoint, timed from
 * the server's log, outlasts the grace is SIGKILLed mid-checkpoint.
 * Real lines (PostgreSQL 15, a loop-file disk throttled to 8 MB/s,
 * shared_buffers=256MB): a CHECKPOINT of 11800 buffers in 11.652 s. */
static void test_shutdown_checkpoint_longer_than_the_grace(void **state)
{
	static const char ckpt[] =
		"2026-12-07 07:36:42.608 UTC [14346] LOG:  checkpoint starting: immediate force wait\n"
		"2026-12-07 07:36:54.260 UTC [14346] LOG:  checkpoint complete: wrote 11800 buffers "
		"(36.0%); 0 WAL file(s) added, 0 removed, 6 recycled; write=7.013 s, sync=4.600 s, "
		"total=11.652 s; sync files=29, longest=4.508 s, average=0.159 s; distance=103549 kB, "
		"estimate=103549 kB\n";
	struct dbp_pg_evidence ev;
	struct run x = { 0 };

	(void)state;
	dbp_evidence_init(&ev);
	assert_int_equal(dbp_pglog_parse(&ev.log, ckpt), 0);
	ev.log_read = 1;
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGINT;
	x.in.grace = 10;
	x.in.pg = &ev;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	assert_int_equal(x.sp.when_seconds, 10);
	assert_true(x.sp.budget.over);
	assert_non_null(strstr(x.sp.steps[x.sp.nsteps - 1], "mid-checkpoint"));
	/* the path is sound: the budget's finding alone, naming both numbers */
	assert_null(tb_find(&x.r, "DBS205"));
	assert_int_equal(tb_find(&x.r, "DBS207")->severity, DBP_WARNING);
	assert_non_null(strstr(tb_find(&x.r, "DBS207")->message, "about 11.7 s, longer than the 10 s"));
	assert_non_null(strstr(tb_find(&x.r, "DBS207")->advice, "terminationGracePeriodSeconds: 24"));
	done(&x);

	/* 30 s: it fits, but shared_buffers all dirty (32.4 s) would not */
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGINT;
	x.in.pg = &ev;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_true(x.sp.budget.have_estimate);
	assert_int_equal(tb_find(&x.r, "DBS207")->severity, DBP_INFO);
	done(&x);

	/* supervisord's stopwaitsecs=5 comes before the 30 s grace */
	{
		struct dbp_supervisor sup = { 1, "/etc/supervisor/conf.d/pg.conf", "postgres",
					      "postgres -D /data", SIGINT, 5, 1, 1 };

		memset(&x, 0, sizeof(x));
		supervisord_postgres(&x, &sup);
		x.in.pg = &ev;
		judge(&x);
		assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
		assert_int_equal(x.sp.when, DBP_WHEN_AFTER);
		assert_int_equal(x.sp.when_seconds, 5);
		assert_non_null(strstr(tb_find(&x.r, "DBS207")->message,
				       "longer than the 5 s supervisord waits (stopwaitsecs)"));
		assert_non_null(strstr(tb_find(&x.r, "DBS207")->advice, "stopwaitsecs=24"));
		done(&x);
	}

	/* 60 s: nothing to say; SIGQUIT has no checkpoint to time */
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGQUIT;
	x.in.grace = 60;
	x.in.pg = &ev;
	judge(&x);
	assert_false(x.sp.budget.judged);
	assert_null(tb_find(&x.r, "DBS207"));
	done(&x);
	dbp_evidence_free(&ev);
}

/* The crash recovery a kill now would cause (DBS208): real lines of a
 * PostgreSQL 15 crash recovery (56.7 MB of WAL: 0.302 s of redo and
 * end-of-recovery checkpoint, 0.747 s besides), and a data directory whose
 * redo pointer lies 8 GB behind pg_wal's newest segment: 44.1 s, over the
 * 30 s dbpod assumes a liveness probe allows; 190 MB behind: 1.8 s, within */
static void test_crash_recovery_budget(void **state)
{
	static const char recovery[] =
		"2026-12-07 10:50:09.151 UTC [12749] LOG:  database system was interrupted; last known up at 2026-12-07 10:49:58 UTC\n"
		"2026-12-07 10:50:09.871 UTC [12749] LOG:  redo starts at 0/4168640\n"
		"2026-12-07 10:50:10.085 UTC [12749] LOG:  redo done at 0/7A212C8 system usage: CPU: user: 0.08 s, system: 0.03 s, elapsed: 0.21 s\n"
		"2026-12-07 10:50:10.100 UTC [12747] LOG:  checkpoint starting: end-of-recovery immediate wait\n"
		"2026-12-07 10:50:10.187 UTC [12747] LOG:  checkpoint complete: wrote 6612 buffers (40.4%); 0 WAL file(s) added, 0 removed, 3 recycled; write=0.059 s, sync=0.003 s, total=0.092 s; sync files=4, longest=0.002 s, average=0.001 s; distance=58083 kB, estimate=58083 kB\n"
		"2026-12-07 10:50:10.200 UTC [12734] LOG:  database system is ready to accept connections\n";
	struct dbp_pg_evidence ev;
	struct run x = { 0 };

	(void)state;
	dbp_evidence_init(&ev);
	assert_int_equal(dbp_pglog_parse(&ev.log, recovery), 0);
	ev.log_read = 1;
	ev.recovery_read = 1;
	ev.recovery.control_read = 1;
	ev.recovery.control.state = DBP_PG_IN_PRODUCTION;
	ev.recovery.control.redo = 0x4168640;
	ev.recovery.control.xlog_seg_size = 16u * 1024 * 1024;
	ev.recovery.wal_read = 1;
	ev.recovery.wal_end_min = 0x200000000;
	ev.recovery.wal_end_max = 0x201000000;
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGQUIT;
	x.in.pg = &ev;
	judge(&x);
	/* an immediate shutdown: the next start recovers, and the path says how long */
	assert_int_equal(x.sp.outcome, DBP_OUT_CRASH);
	assert_true(x.sp.recovery.have_estimate);
	assert_non_null(strstr(x.sp.steps[x.sp.nsteps - 1], "crash recovery, which takes about 44.1 s"));
	assert_int_equal(tb_find(&x.r, "DBS208")->severity, DBP_WARNING);
	assert_non_null(strstr(tb_find(&x.r, "DBS208")->message,
			       "about 44.1 s (at least 44.0 s), longer than the 30 s the probes allow (assumed: "));
	assert_non_null(strstr(tb_find(&x.r, "DBS208")->message, "liveness probe with its defaults, periodSeconds 10 times failureThreshold 3"));
	assert_non_null(strstr(tb_find(&x.r, "DBS208")->advice, "startupProbe"));
	assert_non_null(strstr(tb_find(&x.r, "DBS208")->advice, "(89 s)"));
	done(&x);

	/* within: info, and a graceful stop's path says nothing of recovery */
	ev.recovery.wal_end_min = 0x10000000;
	ev.recovery.wal_end_max = 0x11000000;
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	x.in.pid1.stop_signal = SIGINT;
	x.in.pg = &ev;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_null(strstr(x.sp.steps[x.sp.nsteps - 1], "crash recovery"));
	assert_int_equal(tb_find(&x.r, "DBS208")->severity, DBP_INFO);
	assert_non_null(strstr(tb_find(&x.r, "DBS208")->message, "about 1.8 s"));
	done(&x);

	/* no data directory read: no estimate, no finding */
	ev.recovery_read = 0;
	memset(&x, 0, sizeof(x));
	tini_postgres(&x, 0);
	x.in.pg = &ev;
	judge(&x);
	assert_true(x.sp.recovery.judged);
	assert_false(x.sp.recovery.have_estimate);
	assert_null(tb_find(&x.r, "DBS208"));
	done(&x);
	dbp_evidence_free(&ev);
}

/* Redis as PID 1 saves its RDB snapshot before it exits: a save the
 * log timed at 5.52 s (a real BGSAVE of 3000000 keys on a disk throttled
 * to 16 MB/s) outlasts a 3 s grace, and the previous RDB file stays */
static void test_redis_final_snapshot_longer_than_the_grace(void **state)
{
	static const char bgsave[] =
		"24648:M 07 Dec 2026 10:48:23.883 * Background saving started by pid 25137\n"
		"25137:C 07 Dec 2026 10:48:29.403 * DB saved on disk\n";
	struct dbp_redis_evidence ev;
	struct run x = { 0 };
	struct dbp_proc *p;

	(void)state;
	dbp_redis_evidence_init(&ev);
	assert_int_equal(dbp_redislog_parse(&ev.log, bgsave), 1);
	ev.log_read = 1;
	ev.title = 1;
	ev.rdb_bytes = 78777878;
	for (int grace = 3; grace <= 30; grace += 27) {
		memset(&x, 0, sizeof(x));
		tb_init(&x.t);
		p = tb_add(&x.t, 1, 0, 0, "redis-server", "redis-server *:6379", 1);
		p->sig.caught = tb_sig(SIGTERM) | tb_sig(SIGINT);
		p->sig.ignored = tb_sig(SIGHUP) | tb_sig(SIGPIPE);
		x.in.grace = grace;
		x.in.redis = &ev;
		judge(&x);
		assert_true(x.sp.budget.redis);
		assert_true(x.sp.budget.have_estimate);
		if (grace == 3) {
			assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
			assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
			assert_non_null(strstr(x.sp.steps[x.sp.nsteps - 1], "mid-save"));
			assert_int_equal(tb_find(&x.r, "DBS207")->severity, DBP_WARNING);
			assert_non_null(strstr(tb_find(&x.r, "DBS207")->message,
					       "Redis's final RDB snapshot takes about 5.5 s, longer than "
					       "the 3 s grace period"));
			assert_non_null(strstr(tb_find(&x.r, "DBS207")->message,
					       "every write since the last save is lost"));
			assert_non_null(strstr(tb_find(&x.r, "DBS207")->advice,
					       "terminationGracePeriodSeconds: 12"));
		} else {
			assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
			assert_null(tb_find(&x.r, "DBS207"));	/* no memory size: no worst case */
		}
		done(&x);
	}
	/* appendonly keeps the writes: still a SIGKILL, told as less */
	ev.conf.appendonly = 1;
	memset(&x, 0, sizeof(x));
	tb_init(&x.t);
	p = tb_add(&x.t, 1, 0, 0, "redis-server", "redis-server *:6379", 1);
	p->sig.caught = tb_sig(SIGTERM) | tb_sig(SIGINT);
	x.in.grace = 3;
	x.in.redis = &ev;
	judge(&x);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(tb_find(&x.r, "DBS207")->severity, DBP_INFO);
	assert_non_null(strstr(tb_find(&x.r, "DBS207")->message, "the AOF (appendonly yes) keeps"));
	done(&x);
	dbp_redis_evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_predicts_no_stop),
		cmocka_unit_test(test_tini_forwards_to_postmaster_smart_shutdown_graceful),
		cmocka_unit_test(test_smart_shutdown_with_clients_ends_in_sigkill),
		cmocka_unit_test(test_group_sigint_the_shell_defers_and_server_shuts_down),
		cmocka_unit_test(test_shell_pid1_sigint_is_deferred_not_trapped),
		cmocka_unit_test(test_trap_that_forwards_and_waits_is_graceful),
		cmocka_unit_test(test_tini_with_ignored_stop_signal_still_forwards),
		cmocka_unit_test(test_su_gives_the_server_two_seconds),
		cmocka_unit_test(test_runuser_blocks_sigint),
		cmocka_unit_test(test_mariadb_sigint_stays_pending),
		cmocka_unit_test(test_orphan_client_turns_fast_shutdown_into_crash),
		cmocka_unit_test(test_supervisord_stops_with_program_stopsignal),
		cmocka_unit_test(test_no_stop_signal_given_judges_term_and_int),
		cmocka_unit_test(test_unread_stop_signal_judges_sigquit_too),
		cmocka_unit_test(test_sigint_is_fast_and_sigquit_immediate),
		cmocka_unit_test(test_sighup_is_not_a_shutdown),
		cmocka_unit_test(test_shutdown_checkpoint_longer_than_the_grace),
		cmocka_unit_test(test_crash_recovery_budget),
		cmocka_unit_test(test_redis_final_snapshot_longer_than_the_grace),
		cmocka_unit_test(test_bash_pid1_drops_term),
		cmocka_unit_test(test_shell_under_tini_dies_and_service_is_killed),
		cmocka_unit_test(test_group_forwarding_reaches_service_in_group),
		cmocka_unit_test(test_adopted_psql_without_sigpipe_ignore),
		cmocka_unit_test(test_inherited_sig_ign_flagged_but_not_interactive_shells),
		cmocka_unit_test(test_ignoring_matters_only_where_the_stop_reaches),
		cmocka_unit_test(test_pending_blocked_needs_the_second_reading),
		cmocka_unit_test(test_recheck_picks_and_matches),
		cmocka_unit_test(test_asked_for_pids_not_judged),
		cmocka_unit_test(test_only_selected_pids_are_judged),
		cmocka_unit_test(test_client_backends_ignore_auxiliary_titles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
