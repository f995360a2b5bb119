/* lib/rules_lockfile.c on hand-built process tables and lock files. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "rules_lockfile.h"
#include "safeopen.h"

#define BOOT 1763870000		/* boot time of the hand-built machine */
#define HZ 100
#define FILE_START 1763879000	/* line 3 of the lock files below */
#define PG_UID 999

struct fixture {
	struct dbp_table t;
	struct dbp_pidfile pf;
	struct dbp_lockfile_input in;
	struct dbp_report r;
	struct dbp_lock_judgement main;
};

/* a process started at `start` (epoch seconds) */
static void add(struct dbp_table *t, pid_t pid, pid_t ppid, uid_t uid, const char *comm,
		time_t start, const char *const *argv)
{
	struct dbp_proc *p = dbp_table_add(t);

	assert_non_null(p);
	p->pid = pid;
	p->ppid = ppid;
	p->uid = uid;
	snprintf(p->user, sizeof(p->user), "%s", uid == PG_UID ? "postgres" : "root");
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	p->state = 'S';
	p->start_ticks = (unsigned long long)(start - BOOT) * HZ;
	if (argv) {
		assert_int_equal(dbp_proc_set_argv(p, argv), 0);
		p->have |= DBP_HAVE_CMDLINE;
	}
	p->have |= DBP_HAVE_STATUS;
}

static const char *const pm_argv[] = { "postgres", "-D", "/data", NULL };
static const char *const sleep_argv[] = { "sleep", "300", NULL };

static void setup(struct fixture *f, pid_t pid, int alive)
{
	memset(f, 0, sizeof(*f));
	dbp_table_init(&f->t);
	f->t.hz = HZ;
	f->t.boot_time = BOOT;
	f->t.now = FILE_START + 600;
	f->pf.pid = f->pf.pg_pid = pid;
	f->pf.nlines = 8;
	f->pf.final_newline = 1;
	snprintf(f->pf.datadir, sizeof(f->pf.datadir), "/data");
	f->pf.start_time = FILE_START;
	f->pf.have_start_time = 1;
	f->pf.port = 5432;
	f->pf.shm_key = 5432001;
	f->pf.shm_id = 7;
	snprintf(f->pf.status, sizeof(f->pf.status), "ready");
	f->in.main.path = "/data/postmaster.pid";
	f->in.main.owner = PG_UID;
	f->in.main.pf = &f->pf;
	f->in.main.alive = alive;
	f->in.datadir = "/data";
	f->in.datadir_real = "/data";
	f->in.tolerance = DBP_LOCK_TOLERANCE;
	f->in.shm_err = -ENOENT;
	dbp_report_init(&f->r, "lockfile");
}

/* shmctl(IPC_STAT) found the segment of line 7 with this key */
static void set_segment(struct fixture *f, unsigned long key, unsigned long nattch)
{
	f->in.shm_err = 0;
	f->in.shm.key = key;
	f->in.shm.nattch = nattch;
}

static void run(struct fixture *f)
{
	dbp_table_sort(&f->t);
	dbp_rules_lockfile(&f->t, &f->in, &f->r, &f->main, NULL);
}

static void teardown(struct fixture *f)
{
	dbp_report_free(&f->r);
	dbp_table_free(&f->t);
}

static const struct dbp_finding *find(const struct dbp_report *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].id, id))
			return &r->items[i];
	return NULL;
}

static void test_running_postmaster_is_in_use(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START, pm_argv);
	add(&f.t, 30, 1, PG_UID, "postgres", FILE_START + 1, NULL);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	assert_non_null(find(&f.r, "DBL502"));
	assert_null(find(&f.r, "DBL505"));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&f.r)), 0);
	teardown(&f);
}

static void test_start_within_tolerance_is_same_server(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START - DBP_LOCK_TOLERANCE, pm_argv);
	run(&f);
	assert_int_equal(f.main.skew, -DBP_LOCK_TOLERANCE);
	assert_null(find(&f.r, "DBL505"));
	teardown(&f);
}

static void test_start_time_disagreeing_is_warned(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START + 60, pm_argv);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	assert_int_equal(f.main.skew, 60);
	assert_non_null(find(&f.r, "DBL505"));
	assert_int_equal(dbp_report_status(&f.r), DBP_WARNING);
	teardown(&f);
}

/* The official image: the entrypoint (PID 1) runs initdb and a temporary
 * server, then execs postgres, which writes the file seconds or minutes
 * after PID 1 started. That is the writer, not a disagreement. */
static void test_exec_after_initdb_started_long_before_file_is_fine(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START - 600, pm_argv);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	assert_int_equal(f.main.skew, -600);
	assert_null(find(&f.r, "DBL505"));
	assert_int_equal(dbp_report_status(&f.r), DBP_OK);
	teardown(&f);
}

static void test_dead_pid_is_stale_harmless(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4242, 0);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	x = find(&f.r, "DBL503");
	assert_non_null(x);
	assert_int_equal(x->severity, DBP_WARNING);
	assert_non_null(strstr(x->advice, "safe"));
	assert_null(find(&f.r, "DBL504"));
	teardown(&f);
}

/* The reader found the PID to be dbpod's own: free once it exits */
static void test_pid_of_dbpod_itself_is_stale_harmless(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4242, 0);
	f.in.main.self = 1;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	x = find(&f.r, "DBL503");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "PID 4242 is dbpod's own"));
	assert_null(strstr(x->message, "no process has"));
	assert_null(find(&f.r, "DBL504"));
	teardown(&f);
}

static void test_pid_reused_by_same_user_blocks(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 7, 1);
	add(&f.t, 1, 0, 0, "tini", FILE_START + 100, NULL);
	add(&f.t, 7, 1, PG_UID, "sleep", FILE_START + 120, sleep_argv);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_BLOCKING);
	assert_int_equal(f.main.holder->pid, 7);
	assert_false(f.main.launcher);
	x = find(&f.r, "DBL504");
	assert_non_null(x);
	assert_int_equal(x->severity, DBP_CRITICAL);
	assert_int_equal(x->pid, 7);
	assert_non_null(strstr(x->message, "PID 7 is now sleep (user postgres: sleep 300), started "));
	assert_non_null(strstr(x->message, "after the server"));
	assert_non_null(strstr(x->message, "already exists"));
	/* no segment attached: removing is safe, and the advice says why */
	assert_non_null(strstr(x->advice, "is safe"));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&f.r)), 2);
	teardown(&f);
}

static void test_pid_reused_by_entrypoint_shell_is_only_warned(void **state)
{
	struct fixture f;
	static const char *const sh[] = { "bash", "/docker-entrypoint.sh", "postgres", NULL };
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "docker-entrypoi", FILE_START + 100, sh);
	run(&f);
	/* it may exec postgres, which then has PID 1: its own PID */
	assert_int_equal(f.main.state, DBP_LOCK_BLOCKING);
	assert_true(f.main.launcher);
	x = find(&f.r, "DBL504");
	assert_int_equal(x->severity, DBP_WARNING);
	assert_non_null(strstr(x->message, "may well be that"));
	teardown(&f);
}

static void test_pid_reused_by_other_user_is_harmless(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 7, 1);
	add(&f.t, 7, 0, 0, "sleep", FILE_START + 120, sleep_argv);
	run(&f);
	/* PostgreSQL's kill(7, 0) fails with EPERM: not a competitor */
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	assert_null(find(&f.r, "DBL504"));
	assert_non_null(find(&f.r, "DBL503"));
	teardown(&f);
}

static void test_postmaster_of_other_datadir_blocks(void **state)
{
	struct fixture f;
	static const char *const other[] = { "postgres", "-D", "/other", NULL };

	(void)state;
	setup(&f, 9, 1);
	add(&f.t, 9, 0, PG_UID, "postgres", FILE_START, other);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_BLOCKING);
	assert_non_null(strstr(find(&f.r, "DBL504")->message, "another data directory"));
	teardown(&f);
}

static void test_cwd_decides_the_data_directory(void **state)
{
	struct fixture f;
	static const char *const nodash[] = { "postgres", NULL };

	(void)state;
	setup(&f, 9, 1);
	add(&f.t, 9, 0, PG_UID, "postgres", FILE_START, nodash);
	f.in.main.cwd = "/elsewhere";
	run(&f);
	assert_int_equal(f.main.dir_match, 0);
	assert_int_equal(f.main.state, DBP_LOCK_BLOCKING);
	teardown(&f);

	setup(&f, 9, 1);
	add(&f.t, 9, 0, PG_UID, "postgres", FILE_START, nodash);
	f.in.main.cwd = "/data";
	run(&f);
	assert_int_equal(f.main.dir_match, 1);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	teardown(&f);
}

static void test_attached_segment_of_dead_server_blocks(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4242, 0);
	set_segment(&f, 5432001, 3);
	/* the orphaned backends, seen working on the data directory */
	add(&f.t, 4300, 1, PG_UID, "postgres", FILE_START + 5, NULL);
	f.in.workers.n = 1;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_BLOCKING);
	x = find(&f.r, "DBL506");
	assert_non_null(x);
	assert_int_equal(x->severity, DBP_CRITICAL);
	assert_non_null(strstr(x->message, "still in use"));
	assert_non_null(strstr(x->advice, "do not remove"));
	assert_null(find(&f.r, "DBL503"));
	teardown(&f);
}

static void test_unattached_segment_survives_harmlessly(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4242, 0);
	set_segment(&f, 5432001, 0);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	x = find(&f.r, "DBL506");
	assert_int_equal(x->severity, DBP_INFO);
	assert_non_null(strstr(x->message, "survives"));
	teardown(&f);
}

static void test_segment_id_reused_by_other_key_is_not_in_use(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 4242, 0);
	set_segment(&f, 1234, 5);
	run(&f);
	assert_int_equal(dbp_lock_shm_in_use(&f.in), 0);
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	teardown(&f);
}

static void test_unreadable_segment_is_unknown(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 4242, 0);
	f.in.shm_err = -EACCES;
	run(&f);
	assert_int_equal(dbp_lock_shm_in_use(&f.in), -EACCES);
	assert_int_equal(find(&f.r, "DBL506")->severity, DBP_UNKNOWN);
	/* the stale verdict still stands, and outranks unknown */
	assert_int_equal(dbp_report_status(&f.r), DBP_WARNING);
	teardown(&f);
}

/* With its server running, an unreadable segment (another IPC namespace,
 * another user) decides nothing: info, and the check stays OK */
static void test_unreadable_segment_of_a_running_server_is_info(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START, pm_argv);
	set_segment(&f, 5432001, 6);
	f.in.shm_err = -EACCES;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	assert_int_equal(find(&f.r, "DBL506")->severity, DBP_INFO);
	assert_non_null(strstr(find(&f.r, "DBL506")->message, "changes nothing"));
	assert_true(dbp_report_status(&f.r) <= DBP_INFO);
	teardown(&f);
}

static void test_in_use_segment_reports_attach_count(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START, pm_argv);
	set_segment(&f, 5432001, 6);
	run(&f);
	assert_non_null(strstr(find(&f.r, "DBL506")->message, "has 6 processes attached"));
	teardown(&f);
}

static void test_empty_file_is_malformed_critical(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 0, 0);
	assert_int_equal(dbp_pidfile_parse("", 0, &f.pf), -EINVAL);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_MALFORMED);
	assert_int_equal(find(&f.r, "DBL507")->severity, DBP_CRITICAL);
	assert_non_null(strstr(find(&f.r, "DBL507")->message, "is empty"));
	teardown(&f);
}

static void test_truncated_file_is_warned_and_judged(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 0, 0);
	assert_int_equal(dbp_pidfile_parse("4242\n/data\n", 11, &f.pf), -EINVAL);
	run(&f);
	assert_int_equal(find(&f.r, "DBL507")->severity, DBP_WARNING);
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	assert_non_null(find(&f.r, "DBL503"));
	teardown(&f);
}

/* a line that is not a number was never a short write: the advice says
 * so, and does not blame a full disk */
static void test_bad_line_is_not_blamed_on_a_full_disk(void **state)
{
	struct fixture f;
	const char *wrapped = "4294972114\n/data\n1733580000\n5432\n/tmp\n";

	(void)state;
	setup(&f, 0, 0);
	dbp_pidfile_parse(wrapped, strlen(wrapped), &f.pf);
	run(&f);
	assert_int_equal(f.pf.pg_pid, 4818);
	assert_int_equal(find(&f.r, "DBL507")->severity, DBP_WARNING);
	assert_null(strstr(find(&f.r, "DBL507")->advice, "full disk"));
	assert_non_null(strstr(find(&f.r, "DBL507")->advice, "edited by hand or written by another"));
	teardown(&f);
	/* a short file still is */
	setup(&f, 0, 0);
	dbp_pidfile_parse("4242\n/data\n", 11, &f.pf);
	run(&f);
	assert_non_null(strstr(find(&f.r, "DBL507")->advice, "full disk"));
	teardown(&f);
}

static void test_absent_file_is_plain_fact(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 0, 0);
	f.in.main.err = -ENOENT;
	f.in.main.pf = NULL;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_ABSENT);
	assert_int_equal(find(&f.r, "DBL501")->severity, DBP_INFO);
	assert_int_equal(f.r.n, 1);
	assert_int_equal(dbp_severity_exit(dbp_report_status(&f.r)), 0);
	teardown(&f);
}

static void test_unreadable_file_is_unknown(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 0, 0);
	f.in.main.err = -EACCES;
	f.in.main.pf = NULL;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_UNKNOWN);
	assert_non_null(strstr(find(&f.r, "DBL500")->message, "Permission denied"));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&f.r)), 3);
	teardown(&f);
}

static void test_link_or_fifo_is_named_not_blamed_on_permissions(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 0, 0);
	f.in.main.err = -DBP_ENOTREG;
	f.in.main.what = "a symbolic link to '/etc/passwd'";
	f.in.main.pf = NULL;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_UNKNOWN);
	x = find(&f.r, "DBL500");
	assert_non_null(strstr(x->message, "is a symbolic link to '/etc/passwd', not a regular file"));
	assert_non_null(strstr(x->message, "does not follow links"));
	/* not the advice for a permission problem, nor ELOOP's words */
	assert_null(strstr(x->advice, "database's user"));
	assert_null(strstr(x->message, "Too many levels"));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&f.r)), 3);
	teardown(&f);
}

static void test_live_pid_not_in_proc_is_unknown(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 55, 1);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_UNKNOWN);
	assert_non_null(strstr(find(&f.r, "DBL500")->message, "hidepid"));
	teardown(&f);
}

static void test_standalone_backend_is_noted(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 4242, 0);
	f.pf.standalone = 1;
	run(&f);
	assert_non_null(find(&f.r, "DBL509"));
	teardown(&f);
}

static void test_socket_lock_missing_while_running(void **state)
{
	struct fixture f;
	struct dbp_lock_file sock = { .path = "/run/.s.PGSQL.5432.lock", .err = -ENOENT };

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START, pm_argv);
	f.in.socks = &sock;
	f.in.nsocks = 1;
	run(&f);
	assert_int_equal(find(&f.r, "DBL508")->severity, DBP_WARNING);
	assert_non_null(strstr(find(&f.r, "DBL508")->message, "missing"));
	teardown(&f);
}

static void test_socket_lock_reused_pid_blocks(void **state)
{
	struct fixture f;
	struct dbp_pidfile spf;
	struct dbp_lock_file sock = { .path = "/run/.s.PGSQL.5432.lock", .owner = PG_UID,
				      .pf = &spf, .alive = 1 };
	struct dbp_lock_judgement sj;

	(void)state;
	setup(&f, 4242, 0);
	spf = f.pf;
	spf.pid = spf.pg_pid = 7;
	add(&f.t, 7, 0, PG_UID, "sleep", FILE_START + 5, sleep_argv);
	f.in.socks = &sock;
	f.in.nsocks = 1;
	dbp_table_sort(&f.t);
	dbp_rules_lockfile(&f.t, &f.in, &f.r, &f.main, &sj);
	assert_int_equal(sj.state, DBP_LOCK_BLOCKING);
	assert_int_equal(find(&f.r, "DBL508")->severity, DBP_CRITICAL);
	teardown(&f);
}

/* An entrypoint that checks with dbpod and then execs the server: the
 * socket's lock file holds its PID as postmaster.pid does, and
 * PostgreSQL exempts it the same way (it started, in a real run) */
static void test_socket_lock_reused_by_entrypoint_shell_is_only_warned(void **state)
{
	struct fixture f;
	static const char *const sh[] = { "sh", "-c", "dbpod lockfile; exec postgres", NULL };
	struct dbp_pidfile spf;
	struct dbp_lock_file sock = { .path = "/run/.s.PGSQL.5432.lock", .owner = PG_UID,
				      .pf = &spf, .alive = 1 };
	struct dbp_lock_judgement sj;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4, 1);
	spf = f.pf;
	add(&f.t, 4, 0, PG_UID, "sh", FILE_START + 100, sh);
	f.in.socks = &sock;
	f.in.nsocks = 1;
	dbp_table_sort(&f.t);
	dbp_rules_lockfile(&f.t, &f.in, &f.r, &f.main, &sj);
	assert_int_equal(sj.state, DBP_LOCK_BLOCKING);
	assert_true(sj.launcher);
	x = find(&f.r, "DBL508");
	assert_int_equal(x->severity, DBP_WARNING);
	assert_non_null(strstr(x->message, "may well be that"));
	assert_int_equal(find(&f.r, "DBL504")->severity, DBP_WARNING);
	assert_int_equal(dbp_severity_exit(dbp_report_status(&f.r)), 1);
	teardown(&f);
}

/* The PID is the grandparent of dbpod's (a Python entrypoint that runs
 * a check through a shell): whatever program it is, it runs programs,
 * and may start the server */
static void test_pid_of_what_ran_dbpod_is_only_warned(void **state)
{
	struct fixture f;
	static const char *const py[] = { "python3", "/entrypoint.py", NULL };
	static const char *const sh[] = { "sh", "-c", "dbpod lockfile", NULL };
	static const char *const me[] = { "dbpod", "lockfile", NULL };
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 7, 1);
	add(&f.t, 7, 0, PG_UID, "python3", FILE_START + 100, py);
	add(&f.t, 8, 7, PG_UID, "sh", FILE_START + 101, sh);
	add(&f.t, 9, 8, PG_UID, "dbpod", FILE_START + 101, me);
	f.t.self = 9;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_BLOCKING);
	assert_true(f.main.ran_dbpod);
	x = find(&f.r, "DBL504");
	assert_int_equal(x->severity, DBP_WARNING);
	assert_non_null(strstr(x->message, "it ran dbpod"));
	teardown(&f);
}

static void test_datadir_arg_forms(void **state)
{
	struct dbp_proc p;
	static const char *const joined[] = { "postgres", "-D/data", NULL };
	static const char *const none[] = { "postgres", "-c", "port=5433", NULL };

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(dbp_proc_set_argv(&p, pm_argv), 0);
	assert_string_equal(dbp_pg_datadir_arg(&p), "/data");
	dbp_proc_set_argv(&p, joined);
	assert_string_equal(dbp_pg_datadir_arg(&p), "/data");
	dbp_proc_set_argv(&p, none);
	assert_null(dbp_pg_datadir_arg(&p));
	dbp_proc_set_argv(&p, NULL);
	assert_null(dbp_pg_datadir_arg(&p));
}

static void test_relative_datadir_arg_leaves_directory_unknown(void **state)
{
	struct fixture f;
	static const char *const rel[] = { "postgres", "-D", "data", NULL };

	(void)state;
	setup(&f, 1, 1);
	add(&f.t, 1, 0, PG_UID, "postgres", FILE_START, rel);
	run(&f);
	assert_int_equal(f.main.dir_match, -1);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	assert_non_null(strstr(find(&f.r, "DBL505")->message, "cannot be confirmed"));
	/* the start time agrees: information, not a warning */
	assert_int_equal(find(&f.r, "DBL505")->severity, DBP_INFO);
	teardown(&f);
}

/* no DATADIR, no PGDATA: why the running postmaster's cannot be told */
static void test_datadir_not_found(void **state)
{
	struct dbp_datadir_guess g;
	struct dbp_report r;

	(void)state;
	memset(&g, 0, sizeof(g));
	/* none runs: the check does not apply, nothing to say */
	dbp_report_init(&r, "lockfile");
	dbp_rules_lockfile_datadir(&g, &r);
	assert_int_equal(r.n, 0);
	/* none visible under hidepid */
	g.hidden = 1;
	dbp_rules_lockfile_datadir(&g, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].id, "DBL500");
	assert_int_equal(r.items[0].severity, DBP_UNKNOWN);
	assert_non_null(strstr(r.items[0].message, "hidepid="));
	assert_string_equal(r.items[0].advice, "give the data directory (DATADIR or $PGDATA), "
			    "or run dbpod as root or as the server's user.");
	dbp_report_free(&r);
	/* several */
	dbp_report_init(&r, "lockfile");
	g.npostmasters = 2;
	g.pid = 40;
	dbp_rules_lockfile_datadir(&g, &r);
	assert_string_equal(r.items[0].message, "2 PostgreSQL postmasters run here (the "
			    "busiest is PID 40): which data directory to judge is not clear.");
	/* and how to name one */
	assert_string_equal(r.items[0].advice, "name the one to judge: `dbpod lockfile "
			    "DATADIR`, or PGDATA=DATADIR for doctor; a postmaster's data directory "
			    "is its -D (`ps -o pid,args -C postgres`) or its working directory "
			    "(`readlink /proc/40/cwd`).");
	dbp_report_free(&r);
	/* one, without an absolute -D and its cwd unreadable */
	dbp_report_init(&r, "lockfile");
	g.npostmasters = 1;
	g.cwd_err = -EACCES;
	dbp_rules_lockfile_datadir(&g, &r);
	assert_int_equal(r.items[0].pid, 40);
	assert_non_null(strstr(r.items[0].message, "'/proc/40/cwd' (Permission denied;"));
	dbp_report_free(&r);
}

/* a data directory that cannot be examined is DBL500 alone, whatever the
 * rest of the input says */
static void test_datadir_unexaminable(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f, 7, 1);
	f.in.datadir_err = -ENOENT;
	f.in.fsroot = "/proc/7/root";
	f.in.server = 7;
	f.in.root_err = -EPERM;
	run(&f);
	assert_int_equal(f.r.n, 1);
	assert_int_equal(f.main.state, DBP_LOCK_UNKNOWN);
	assert_string_equal(f.r.items[0].message, "The data directory '/data' cannot be "
			    "examined: No such file or directory, through /proc/7/root.");
	assert_non_null(strstr(f.r.items[0].advice, "needs CAP_SYS_PTRACE (Operation not "
			       "permitted)"));
	teardown(&f);
	setup(&f, 7, 1);
	f.in.datadir_err = -ENOTDIR;
	run(&f);
	assert_string_equal(f.r.items[0].message, "The data directory '/data' cannot be "
			    "examined: Not a directory.");
	assert_string_equal(f.r.items[0].advice, "give the data directory (the server's -D, "
			    "$PGDATA) as seen inside the database's container.");
	teardown(&f);
}

/* dbpod on the host, the server in a container: the file says PID 4,
 * which here is a kernel thread; the reader found the postmaster by its
 * working directory (PID 5214 here, 4 in its namespace) and looked PID 4
 * up there */
static void test_server_of_another_pid_namespace_is_in_use(void **state)
{
	static const char *const kt_argv[] = { NULL };
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4, 1);
	add(&f.t, 4, 2, 0, "kworker/R-rcu_g", BOOT + 1, kt_argv);
	f.t.procs[f.t.n - 1].kthread = 1;
	add(&f.t, 5214, 5200, PG_UID, "postgres", FILE_START, pm_argv);
	add(&f.t, 5220, 5214, PG_UID, "postgres", FILE_START + 1, NULL);
	set_segment(&f, 5432001, 6);
	dbp_table_sort(&f.t);
	f.in.workers.n = 2;
	f.in.workers.server = dbp_table_find(&f.t, 5214);
	f.in.workers.server_nspid = 4;
	f.in.workers.other_ns = 1;
	f.in.main.other_ns = 1;
	f.in.main.table_pid = 5214;
	f.in.main.cwd_is_datadir = 1;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_IN_USE);
	x = find(&f.r, "DBL502");
	assert_non_null(x);
	assert_int_equal(x->pid, 5214);
	assert_non_null(strstr(x->message, "In use by PID 5214 (PID 4 in its container)"));
	assert_int_equal(find(&f.r, "DBL506")->severity, DBP_INFO);
	assert_int_equal(dbp_report_status(&f.r), DBP_OK);
	teardown(&f);

	/* the same server, gone: no process has PID 4 in its namespace, and
	 * the kernel thread that has it here is not asked */
	setup(&f, 4, 0);
	add(&f.t, 4, 2, 0, "kworker/R-rcu_g", BOOT + 1, kt_argv);
	f.in.main.other_ns = 1;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_STALE);
	assert_non_null(strstr(find(&f.r, "DBL503")->message, "no process has PID 4 in the PID "
			       "namespace of the processes that work on the data directory"));
	teardown(&f);
}

/* attached processes that dbpod does not see working on the directory are
 * no proof the server is gone: never "stop them" */
static void test_attached_segment_without_visible_workers_is_unknown(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 4, 1);
	add(&f.t, 4, 2, 0, "kthreadd", BOOT + 1, NULL);
	set_segment(&f, 5432001, 6);
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_UNKNOWN);
	x = find(&f.r, "DBL506");
	assert_int_equal(x->severity, DBP_UNKNOWN);
	assert_null(strstr(x->advice, "stop them"));
	assert_non_null(strstr(x->message, "dbpod sees no PostgreSQL process working on /data"));
	assert_null(find(&f.r, "DBL503"));
	teardown(&f);
}

/* a live server works on the directory but the file names another PID:
 * in use whatever that PID is now; no "removing is safe" */
static void test_server_working_on_directory_is_never_stale(void **state)
{
	struct fixture f;
	const struct dbp_finding *x;

	(void)state;
	setup(&f, 77, 1);
	add(&f.t, 77, 1, PG_UID, "sleep", FILE_START + 30, sleep_argv);
	add(&f.t, 50, 1, PG_UID, "postgres", FILE_START, pm_argv);
	add(&f.t, 51, 50, PG_UID, "postgres", FILE_START + 1, NULL);
	set_segment(&f, 5432001, 5);
	dbp_table_sort(&f.t);
	f.in.workers.n = 2;
	f.in.workers.server = dbp_table_find(&f.t, 50);
	f.in.workers.server_nspid = 50;
	run(&f);
	assert_int_equal(f.main.state, DBP_LOCK_UNKNOWN);
	x = find(&f.r, "DBL500");
	assert_non_null(x);
	assert_int_equal(x->pid, 50);
	assert_non_null(strstr(x->advice, "do not remove"));
	assert_null(find(&f.r, "DBL504"));
	assert_int_equal(find(&f.r, "DBL506")->severity, DBP_INFO);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datadir_not_found),
		cmocka_unit_test(test_datadir_unexaminable),
		cmocka_unit_test(test_running_postmaster_is_in_use),
		cmocka_unit_test(test_start_within_tolerance_is_same_server),
		cmocka_unit_test(test_start_time_disagreeing_is_warned),
		cmocka_unit_test(test_exec_after_initdb_started_long_before_file_is_fine),
		cmocka_unit_test(test_dead_pid_is_stale_harmless),
		cmocka_unit_test(test_pid_of_dbpod_itself_is_stale_harmless),
		cmocka_unit_test(test_pid_reused_by_same_user_blocks),
		cmocka_unit_test(test_pid_reused_by_entrypoint_shell_is_only_warned),
		cmocka_unit_test(test_pid_reused_by_other_user_is_harmless),
		cmocka_unit_test(test_postmaster_of_other_datadir_blocks),
		cmocka_unit_test(test_cwd_decides_the_data_directory),
		cmocka_unit_test(test_attached_segment_of_dead_server_blocks),
		cmocka_unit_test(test_server_of_another_pid_namespace_is_in_use),
		cmocka_unit_test(test_attached_segment_without_visible_workers_is_unknown),
		cmocka_unit_test(test_server_working_on_directory_is_never_stale),
		cmocka_unit_test(test_unattached_segment_survives_harmlessly),
		cmocka_unit_test(test_segment_id_reused_by_other_key_is_not_in_use),
		cmocka_unit_test(test_unreadable_segment_is_unknown),
		cmocka_unit_test(test_in_use_segment_reports_attach_count),
		cmocka_unit_test(test_unreadable_segment_of_a_running_server_is_info),
		cmocka_unit_test(test_empty_file_is_malformed_critical),
		cmocka_unit_test(test_truncated_file_is_warned_and_judged),
		cmocka_unit_test(test_bad_line_is_not_blamed_on_a_full_disk),
		cmocka_unit_test(test_absent_file_is_plain_fact),
		cmocka_unit_test(test_unreadable_file_is_unknown),
		cmocka_unit_test(test_link_or_fifo_is_named_not_blamed_on_permissions),
		cmocka_unit_test(test_live_pid_not_in_proc_is_unknown),
		cmocka_unit_test(test_standalone_backend_is_noted),
		cmocka_unit_test(test_socket_lock_missing_while_running),
		cmocka_unit_test(test_socket_lock_reused_pid_blocks),
		cmocka_unit_test(test_socket_lock_reused_by_entrypoint_shell_is_only_warned),
		cmocka_unit_test(test_pid_of_what_ran_dbpod_is_only_warned),
		cmocka_unit_test(test_datadir_arg_forms),
		cmocka_unit_test(test_relative_datadir_arg_leaves_directory_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
