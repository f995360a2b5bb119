/* lib/lockread.c: the lock file, the data directory and where it is. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "classify.h"
#include "lockread.h"
#include "safeopen.h"
#include "fixturetree.h"

/* a lock file of a PID that is alive (this test's own) */
static void test_slot_read(void **state)
{
	struct dbp_lock_slot s;
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "%d\n/data\n1763879000\n5432\n/tmp\n*\n  5432001         7\nready   \n",
		 (int)getpid());
	ft_put("/data/postmaster.pid", text);
	memset(&s, 0, sizeof(s));
	snprintf(s.path, sizeof(s.path), "/data/postmaster.pid");
	dbp_lock_slot_read(ft_root, NULL, NULL, &s);
	assert_int_equal(s.lf.err, 0);
	assert_ptr_equal(s.lf.pf, &s.pf);
	assert_int_equal(s.pf.pg_pid, getpid());
	assert_int_equal(s.pf.port, 5432);
	assert_int_equal(s.lf.alive, 1);
	assert_non_null(s.lf.cwd);	/* our own cwd is readable */
	assert_int_equal(s.lf.owner, getuid());

	/* no file: -ENOENT, nothing parsed */
	memset(&s, 0, sizeof(s));
	snprintf(s.path, sizeof(s.path), "/none/postmaster.pid");
	dbp_lock_slot_read(ft_root, NULL, NULL, &s);
	assert_int_equal(s.lf.err, -ENOENT);
	assert_null(s.lf.pf);
}

static void test_slot_read_not_regular(void **state)
{
	struct dbp_lock_slot s;
	char target[600], link[600];

	(void)state;
	ft_put("/link/target", "1\n");
	snprintf(target, sizeof(target), "%s/link/target", ft_root);
	snprintf(link, sizeof(link), "%s/link/postmaster.pid", ft_root);
	assert_int_equal(symlink(target, link), 0);
	memset(&s, 0, sizeof(s));
	snprintf(s.path, sizeof(s.path), "/link/postmaster.pid");
	dbp_lock_slot_read(ft_root, NULL, NULL, &s);
	assert_int_equal(s.lf.err, -DBP_ENOTREG);
	assert_non_null(s.lf.what);
	assert_non_null(strstr(s.lf.what, "symbolic link"));
}

/* longer than PostgreSQL ever writes: judged on what it would read */
static void test_slot_read_too_long(void **state)
{
	static char big[DBP_LOCKFILE_MAX + 100];
	struct dbp_lock_slot s;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "4194000\n", 8);
	ft_put("/big/postmaster.pid", big);
	memset(&s, 0, sizeof(s));
	snprintf(s.path, sizeof(s.path), "/big/postmaster.pid");
	dbp_lock_slot_read(ft_root, NULL, NULL, &s);
	assert_int_equal(s.lf.err, 0);
	assert_int_equal(s.pf.pg_pid, 4194000);
}

static void test_datadir_examine(void **state)
{
	(void)state;
	ft_put("/pgdata/PG_VERSION", "15\n");
	assert_int_equal(dbp_datadir_examine(ft_root, "/pgdata"), 0);
	assert_int_equal(dbp_datadir_examine(ft_root, "/pgdata/PG_VERSION"), -ENOTDIR);
	assert_int_equal(dbp_datadir_examine(ft_root, "/nothing"), -ENOENT);
}

/* lockfile DATADIR of another kind (/etc): neither PG_VERSION nor a lock
 * file, which a data directory without a running server still has one of */
/* /proc/PID/root/REST: the root and the path as that process names it */
static void test_path_proc_root(void **state)
{
	char root[32];
	const char *rest;

	(void)state;
	assert_int_equal(dbp_path_proc_root("/proc/4242/root/var/lib/postgresql/data", root,
					    sizeof(root), &rest), 1);
	assert_string_equal(root, "/proc/4242/root");
	assert_string_equal(rest, "/var/lib/postgresql/data");
	assert_int_equal(dbp_path_proc_root("/proc/self/root/data", root, sizeof(root), &rest), 0);
	assert_int_equal(dbp_path_proc_root("/proc/4242/cwd/data", root, sizeof(root), &rest), 0);
	assert_int_equal(dbp_path_proc_root("/proc/4242/root", root, sizeof(root), &rest), 0);
	assert_int_equal(dbp_path_proc_root("/proc/0/root/d", root, sizeof(root), &rest), 0);
	assert_int_equal(dbp_path_proc_root("/proc/99999999999/root/d", root, sizeof(root), &rest), 0);
	assert_int_equal(dbp_path_proc_root("/var/lib/postgresql/data", root, sizeof(root), &rest), 0);
	assert_int_equal(dbp_path_proc_root("/proc/4242/root/d", root, 8, &rest), 0);
}

static void test_datadir_is_pg(void **state)
{
	(void)state;
	ft_put("/pgdata2/PG_VERSION", "15\n");
	assert_int_equal(dbp_datadir_is_pg(ft_root, "/pgdata2"), 1);
	ft_put("/locked/postmaster.pid", "1\n");
	assert_int_equal(dbp_datadir_is_pg(ft_root, "/locked"), 1);
	ft_put("/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	assert_int_equal(dbp_datadir_is_pg(ft_root, "/etc"), 0);
}

static struct dbp_proc *add(struct dbp_table *t, pid_t pid, const char *const *argv)
{
	struct dbp_proc *p = dbp_table_add(t);

	assert_non_null(p);
	p->pid = pid;
	p->ppid = 1;
	p->uid = 999;
	p->state = 'S';
	snprintf(p->comm, sizeof(p->comm), "postgres");
	assert_int_equal(dbp_proc_set_argv(p, argv), 0);
	p->have = DBP_HAVE_CMDLINE | DBP_HAVE_STATUS;
	return p;
}

/* the running postmaster's -D; none; several */
static void test_datadir_find(void **state)
{
	static const char *const pm[] = { "/usr/lib/postgresql/15/bin/postgres", "-D",
					  "/var/lib/postgresql/data", NULL };
	static const char *const other[] = { "postgres", "-D", "/srv/two", NULL };
	struct dbp_datadir_guess g;
	struct dbp_table t;

	(void)state;
	dbp_table_init(&t);
	dbp_table_sort(&t);
	assert_int_equal(dbp_datadir_find(&t, &g), -ENOENT);
	assert_int_equal(g.npostmasters, 0);
	add(&t, 10, pm);
	dbp_table_sort(&t);
	assert_int_equal(dbp_datadir_find(&t, &g), 0);
	assert_int_equal(g.pid, 10);
	assert_string_equal(g.dir, "/var/lib/postgresql/data");
	add(&t, 20, other);
	dbp_table_sort(&t);
	assert_int_equal(dbp_datadir_find(&t, &g), -EIO);
	assert_int_equal(g.npostmasters, 2);
	dbp_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slot_read),
		cmocka_unit_test(test_slot_read_not_regular),
		cmocka_unit_test(test_slot_read_too_long),
		cmocka_unit_test(test_datadir_examine),
		cmocka_unit_test(test_datadir_is_pg),
		cmocka_unit_test(test_path_proc_root),
		cmocka_unit_test(test_datadir_find),
	};

	return cmocka_run_group_tests(tests, ft_setup, ft_teardown);
}
