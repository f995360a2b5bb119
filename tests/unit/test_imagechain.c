/* lib/lint/imagechain.c: an image's command as the process chain it will run,
 * judged by dbp_stop_path as a live table would be. The expected outcomes
 * are the real stops of the same setups (tests/truth/observed.table). */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lint/imagechain.h"
#include "rules_signals.h"

struct run {
	struct dbp_chain c;
	struct dbp_pid1_facts f;
	struct dbp_stop_path sp;
};

/* Build argv (NULL-terminated) with files, judge it with sig (0: both
 * SIGTERM and SIGINT; sp is the first) and a 10 s grace. */
static void judge(struct run *x, char *const *argv, const struct dbp_image_files *files,
		  const char *init, int sig)
{
	struct dbp_chain_in in = { argv, init, files, 0, 0 };
	struct dbp_signals_input si;

	memset(x, 0, sizeof(*x));
	assert_int_equal(dbp_chain_build(&in, &x->c), 0);
	dbp_chain_signals_input(&x->c, sig, 10, 0, &si);
	dbp_pid1_examine(&x->c.t, &si.pid1, &x->f);
	dbp_stop_path(&x->c.t, &si, &x->f, x->f.stop_signals[0], &x->sp);
}

static void done(struct run *x)
{
	dbp_chain_free(&x->c);
}

#define PG "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/data"

static void test_bash_exec_makes_the_server_pid1(void **state)
{
	char *argv[] = { "bash", "-c", "exec setpriv --reuid=postgres " PG, NULL };
	struct run x;

	(void)state;
	judge(&x, argv, NULL, NULL, SIGTERM);
	assert_int_equal(x.c.t.n, 1);
	assert_true(x.c.t.predicted);
	assert_string_equal(x.c.t.procs[0].comm, "postgres");
	assert_int_equal(x.c.db, DBP_DB_POSTGRES);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_string_equal(x.sp.action, "smart shutdown");
	done(&x);
	/* SIGQUIT is an immediate shutdown: crash recovery */
	judge(&x, argv, NULL, NULL, SIGQUIT);
	assert_int_equal(x.sp.outcome, DBP_OUT_CRASH);
	done(&x);
}

static void test_shell_without_exec_stays(void **state)
{
	char *bash[] = { "bash", "-c", PG "; true", NULL };
	char *dash[] = { "dash", "-c", PG, NULL };
	struct run x;

	(void)state;
	judge(&x, bash, NULL, NULL, SIGTERM);
	assert_int_equal(x.c.t.n, 2);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);	/* PID 1 drops it */
	assert_int_equal(x.sp.when, DBP_WHEN_GRACE);
	assert_true(x.sp.dropped_by_pid1);
	done(&x);
	judge(&x, bash, NULL, NULL, SIGINT);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);	/* deferred, passed to nobody */
	done(&x);
	/* dash does not exec even a lone command */
	judge(&x, dash, NULL, NULL, SIGINT);
	assert_int_equal(x.c.t.n, 2);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	done(&x);
}

static void test_servers_started_by_scripts(void **state)
{
	char *daemon[] = { "sh", "-c", "pg_ctl -D /d -l /d/log start && tail -f /dev/null", NULL };
	char *safe[] = { "bash", "-c", "mysqld_safe & tail -f /var/log/x", NULL };
	char *var[] = { "sh", "-c", "exec ${SBIN}/mariadbd --user=mysql", NULL };
	char *dumb[] = { "dumb-init", "-c", "--rewrite", "1:0", "--", "postgres", NULL };
	struct run x;

	(void)state;
	/* pg_ctl start: the postmaster is PID 1's adopted child in a session
	 * of its own, and the shell, waiting on tail, keeps the signal */
	judge(&x, daemon, NULL, NULL, SIGINT);
	assert_int_equal(x.c.db, DBP_DB_POSTGRES);
	assert_int_equal(x.c.start.how, 1);
	assert_string_equal(x.c.start.what, "pg_ctl start");
	assert_string_equal(x.f.service->comm, "postgres");
	assert_int_equal(x.f.service->ppid, 1);
	assert_int_equal(x.f.service->sid, x.f.service->pid);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	done(&x);
	/* mysqld_safe stays as mysqld's parent, in the background and never
	 * waited for */
	judge(&x, safe, NULL, NULL, SIGTERM);
	assert_int_equal(x.c.db, DBP_DB_MYSQL);
	assert_int_equal(x.c.start.how, 2);
	assert_string_equal(x.c.start.what, "mysqld_safe &");
	assert_string_equal(x.c.t.procs[2].comm, "mysqld");
	assert_true(x.c.t.procs[1].sig.ignored & (1ULL << (SIGTERM - 1)));
	done(&x);
	/* a known program in a directory known only at run time */
	judge(&x, var, NULL, NULL, SIGTERM);
	assert_int_equal(x.c.db, DBP_DB_MYSQL);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	/* dumb-init's --rewrite takes a value */
	judge(&x, dumb, NULL, NULL, SIGINT);
	assert_int_equal(x.c.t.n, 2);
	assert_string_equal(x.c.t.procs[1].comm, "postgres");
	done(&x);
}

static void test_inits_and_groups(void **state)
{
	char *tini_bash[] = { "tini", "--", "bash", "-c", PG "; true", NULL };
	char *tini_g_bash[] = { "tini", "-g", "--", "bash", "-c", PG "; true", NULL };
	char *dumb[] = { "dumb-init", "bash", "-c", "exec " PG, NULL };
	char *ignored[] = { "bash", "-c", "trap '' TERM INT; exec tini -- " PG, NULL };
	struct run x;

	(void)state;
	judge(&x, tini_bash, NULL, NULL, SIGTERM);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_AT_ONCE);
	done(&x);
	judge(&x, tini_g_bash, NULL, NULL, SIGINT);
	assert_int_equal(x.f.forward, DBP_FWD_GROUP);
	assert_int_equal(x.c.t.procs[2].pgrp, x.c.t.procs[1].pid);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	judge(&x, dumb, NULL, NULL, SIGTERM);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	/* ignored dispositions survive exec; tini blocks and reads them */
	judge(&x, ignored, NULL, NULL, SIGTERM);
	assert_true(x.c.t.procs[0].sig.ignored & (1ULL << (SIGTERM - 1)));
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	/* docker run --init puts docker-init in front */
	{
		char *pg[] = { "postgres", NULL };

		judge(&x, pg, NULL, "docker-init", SIGINT);
		assert_string_equal(x.c.t.procs[0].comm, "docker-init");
		assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
		done(&x);
	}
}

static void test_switchers(void **state)
{
	char *su[] = { "su", "postgres", "-s", "/bin/bash", "-c", "exec " PG, NULL };
	char *runuser[] = { "bash", "-c", "exec runuser -u postgres -- " PG, NULL };
	struct run x;

	(void)state;
	judge(&x, su, NULL, NULL, SIGINT);
	assert_int_equal(x.sp.outcome, DBP_OUT_RISKY);
	assert_int_equal(x.sp.when_seconds, 2);
	done(&x);
	judge(&x, runuser, NULL, NULL, SIGINT);	/* runuser blocks SIGINT */
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	done(&x);
}

/* A MariaDB image whose base sets PGDATA: the script it copies execs
 * mariadbd, and that is the database */
static void test_scripts_are_followed(void **state)
{
	struct dbp_image_files files = { 0 };
	char *argv[] = { "/usr/local/bin/entrypoint.sh", NULL };
	char *official[] = { "docker-entrypoint.sh", "postgres", NULL };
	char *unread[] = { "start.sh", NULL };
	struct run x;

	(void)state;
	assert_int_equal(dbp_image_files_add(&files, "/usr/local/bin/entrypoint.sh",
		"#!/usr/bin/env bash\nset -e\nmariadb-install-db || true\n"
		"exec gosu mysql mariadbd --user=mysql\n", "the build context's entrypoint.sh"), 0);
	judge(&x, argv, &files, NULL, SIGTERM);
	assert_int_equal(x.c.db, DBP_DB_MYSQL);
	assert_string_equal(x.c.db_hint, "runs mariadbd");
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	judge(&x, argv, &files, NULL, SIGINT);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);	/* mariadbd never waits for INT */
	done(&x);
	/* the official images' entrypoint, not in the files: it execs "$@" */
	judge(&x, official, NULL, NULL, SIGINT);
	assert_int_equal(x.c.db, DBP_DB_POSTGRES);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	done(&x);
	/* any other script not read: the stop cannot be told */
	judge(&x, unread, &files, NULL, SIGTERM);
	assert_string_equal(x.c.unread, "the entrypoint script");
	assert_int_equal(x.sp.outcome, DBP_OUT_UNKNOWN);
	assert_non_null(strstr(x.sp.steps[1], "was not read"));
	done(&x);
	dbp_image_files_free(&files);
}

static void test_supervisord_from_its_configuration(void **state)
{
	struct dbp_image_files files = { 0 };
	char *argv[] = { "supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf", NULL };
	struct run x;

	(void)state;
	judge(&x, argv, &files, NULL, SIGTERM);
	assert_string_equal(x.c.unread, "the supervisor's configuration");
	assert_int_equal(x.sp.outcome, DBP_OUT_UNCERTAIN);
	done(&x);
	assert_int_equal(dbp_image_files_add(&files, "/etc/supervisor/supervisord.conf",
		"[supervisord]\nnodaemon=true\n[program:pg]\ncommand=" PG "\nstopsignal=INT\n",
		"the build context's supervisord.conf"), 0);
	judge(&x, argv, &files, NULL, SIGTERM);
	assert_true(x.c.have_supervisor);
	assert_int_equal(x.sp.outcome, DBP_OUT_GRACEFUL);
	assert_string_equal(x.sp.action, "fast shutdown");
	done(&x);
	dbp_image_files_free(&files);
	/* the configuration is the package's, not copied: the program file
	 * copied into conf.d is taken as included, its database program
	 * chosen among two, its quoted command split as shlex does; su
	 * passes SIGTERM to its shell, which dies of it */
	assert_int_equal(dbp_image_files_add(&files, "/etc/supervisor/conf.d/db.conf",
		"[program:cron]\ncommand=cron -f\n[program:pg]\n"
		"command=su -c '" PG "' postgres\n", "the build context's db.conf"), 0);
	judge(&x, argv, &files, NULL, SIGTERM);
	assert_string_equal(x.c.supervisor.program, "pg");
	assert_string_equal(x.c.t.procs[1].comm, "su");
	assert_int_equal(x.c.db, DBP_DB_POSTGRES);
	assert_int_equal(x.sp.outcome, DBP_OUT_SIGKILL);
	assert_int_equal(x.sp.when, DBP_WHEN_AT_ONCE);
	done(&x);
	dbp_image_files_free(&files);
}

static void test_unknown_program_and_variables(void **state)
{
	char *app[] = { "/app/server", "--port", "80", NULL };
	char *var[] = { "sh", "-c", "exec $CMD", NULL };
	struct run x;

	(void)state;
	judge(&x, app, NULL, NULL, SIGTERM);
	assert_int_equal(x.c.t.n, 1);
	assert_int_equal(x.sp.outcome, DBP_OUT_UNKNOWN);
	assert_non_null(strstr(x.sp.steps[1], "not known to dbpod"));
	done(&x);
	judge(&x, var, NULL, NULL, SIGTERM);
	assert_string_equal(x.c.unread, "the program the entrypoint runs");
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bash_exec_makes_the_server_pid1),
		cmocka_unit_test(test_shell_without_exec_stays),
		cmocka_unit_test(test_inits_and_groups),
		cmocka_unit_test(test_switchers),
		cmocka_unit_test(test_servers_started_by_scripts),
		cmocka_unit_test(test_scripts_are_followed),
		cmocka_unit_test(test_supervisord_from_its_configuration),
		cmocka_unit_test(test_unknown_program_and_variables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
