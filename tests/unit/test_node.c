/* The node model: processes grouped by PID namespace and renumbered as
 * they see themselves. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "node/node.h"
#include "node/noderead.h"
#include "procstatus.h"
#include "userread.h"
#include "tablebuild.h"

enum { SELF = 100, PG = 200, TINI = 300 };

/*
 * Host view: dbpod's own namespace (1, 40 conmon), a postgres container
 * (host 500 = its PID 1, 501 a child, 502 a psql entered with exec whose
 * parent 40 is outside), and a tini container (600 tini, 601 postgres
 * under it, in a process group led by 601).
 */
static void build(struct dbp_table *t, struct dbp_nsinfo *info)
{
	static const struct {
		pid_t host, ppid;
		const char *comm, *args;
		struct dbp_nsinfo ns;
	} rows[] = {
		{ 1, 0, "systemd", "/sbin/init", { SELF, 1, 1, 1 } },
		{ 40, 1, "conmon", "conmon", { SELF, 40, 40, 40 } },
		{ 500, 40, "postgres", "postgres -D /data", { PG, 1, 1, 1 } },
		{ 501, 500, "postgres", "postgres: checkpointer", { PG, 27, 1, 1 } },
		{ 502, 40, "psql", "psql", { PG, 88, 88, 88 } },
		{ 600, 40, "tini", "tini -- postgres", { TINI, 1, 1, 1 } },
		{ 601, 600, "postgres", "postgres -D /data", { TINI, 7, 7, 7 } },
		{ 700, 1, "vanished", "x", { 0, 0, 0, 0 } },
	};

	tb_init(t);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct dbp_proc *p = tb_add(t, rows[i].host, rows[i].ppid, 0, rows[i].comm,
					    rows[i].args, 10);

		p->pgrp = p->sid = rows[i].host;
		info[i] = rows[i].ns;
	}
	dbp_table_sort(t);
}

static void test_group_and_renumber(void **state)
{
	struct dbp_table t;
	struct dbp_nsinfo info[8];
	struct dbp_node node;
	const struct dbp_pidns *pg, *tini;
	const struct dbp_proc *p;

	(void)state;
	build(&t, info);
	assert_int_equal(dbp_node_group(&node, &t, info, SELF), 0);
	assert_int_equal(node.n, 2);
	assert_int_equal(node.self_procs, 2);
	assert_int_equal(node.unreadable, 1);
	/* ordered by the host PID of their PID 1 */
	assert_int_equal(node.ns[0].ino, PG);
	pg = dbp_node_find(&node, PG);
	tini = dbp_node_find(&node, TINI);
	assert_non_null(pg);
	assert_non_null(tini);
	assert_int_equal(pg->init_host_pid, 500);
	assert_int_equal(pg->table.n, 3);

	p = dbp_table_find(&pg->table, 1);
	assert_non_null(p);
	assert_int_equal(p->host_pid, 500);
	assert_int_equal(dbp_proc_fspid(p), 500);
	assert_int_equal(p->ppid, 0);		/* conmon is outside */
	assert_string_equal(p->argv[1], "-D");	/* argv moved, not lost */
	p = dbp_table_find(&pg->table, 27);
	assert_non_null(p);
	assert_int_equal(p->ppid, 1);		/* host 500 is its PID 1 */
	p = dbp_table_find(&pg->table, 88);
	assert_non_null(p);
	assert_int_equal(p->ppid, 0);		/* entered from outside */

	p = dbp_table_find(&tini->table, 7);
	assert_non_null(p);
	assert_int_equal(p->ppid, 1);
	assert_int_equal(p->pgrp, 7);		/* NSpgid, not the host's 601 */
	assert_int_equal(tini->table.self, 0);

	/* the host keeps its own processes and the unknown one */
	assert_int_equal(t.n, 3);
	assert_non_null(dbp_table_find(&t, 40));
	assert_null(dbp_table_find(&t, 500));
	dbp_node_free(&node);
	dbp_table_free(&t);
}

/* A namespace whose PID 1 was not seen (it exited during the read) */
static void test_namespace_without_init(void **state)
{
	struct dbp_table t;
	struct dbp_nsinfo info[1] = { { PG, 5, 5, 5 } };
	struct dbp_node node;

	(void)state;
	tb_init(&t);
	tb_add(&t, 900, 40, 0, "postgres", "postgres: walwriter", 10);
	dbp_table_sort(&t);
	assert_int_equal(dbp_node_group(&node, &t, info, SELF), 0);
	assert_int_equal(node.n, 1);
	assert_int_equal(node.ns[0].init_host_pid, 0);
	dbp_node_free(&node);
	dbp_table_free(&t);
}

static void test_status_nsids(void **state)
{
	struct dbp_nsinfo ns;

	(void)state;
	assert_int_equal(dbp_status_nsids("Name:\tpostgres\nNStgid:\t4242\t7\nNSpid:\t4242\t7\n"
					  "NSpgid:\t4200\t1\nNSsid:\t4200\t1\n", &ns), 0);
	assert_int_equal(ns.pid, 7);
	assert_int_equal(ns.pgrp, 1);
	assert_int_equal(ns.sid, 1);
	/* the host's own: one number */
	assert_int_equal(dbp_status_nsids("NSpid:\t31\nNSpgid:\t31\nNSsid:\t1\n", &ns), 0);
	assert_int_equal(ns.pid, 31);
	/* no NSpid (kernels before 4.1), garbage, overflow */
	assert_int_equal(dbp_status_nsids("Name:\tx\n", &ns), -EINVAL);
	assert_int_equal(dbp_status_nsids("NSpid:\tabc\n", &ns), -EINVAL);
	assert_int_equal(dbp_status_nsids("NSpid:\t99999999999999999999\n", &ns), -EINVAL);
	assert_int_equal(dbp_status_nsids("NSpid:", &ns), -EINVAL);
}

static void test_passwd_name(void **state)
{
	char name[33];
	const char *pw = "root:x:0:0:root:/root:/bin/bash\n"
			 "broken line\n"
			 ":x:5:5::/:/bin/false\n"
			 "postgres:x:999:999::/var/lib/postgresql:/bin/bash\n"
			 "long-name-that-is-longer-than-thirty-two-bytes:x:1000:1000::/:/bin/sh";

	(void)state;
	assert_int_equal(dbp_passwd_name(pw, 999, name, sizeof(name)), 0);
	assert_string_equal(name, "postgres");
	assert_int_equal(dbp_passwd_name(pw, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "root");
	assert_int_equal(dbp_passwd_name(pw, 5, name, sizeof(name)), -ENOENT);	/* no name */
	assert_int_equal(dbp_passwd_name(pw, 1000, name, sizeof(name)), 0);
	assert_int_equal(strlen(name), 32);	/* cut, never overrun */
	assert_int_equal(dbp_passwd_name(pw, 4242, name, sizeof(name)), -ENOENT);
	assert_int_equal(dbp_passwd_name("", 0, name, sizeof(name)), -ENOENT);
}

/* names come from the judged root's passwd file, numbers where it has
 * none: never from NSS, which a static binary cannot load safely */
static void test_table_user_names_from_root(void **state)
{
	char root[] = "/tmp/dbpod-users.XXXXXX", path[128];
	struct dbp_table t;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/etc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/passwd", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("root:x:0:0:root:/root:/bin/bash\npostgres:x:999:999::/:/bin/sh\n", f);
	fclose(f);
	dbp_table_init(&t);
	dbp_table_add(&t)->uid = 999;
	dbp_table_add(&t)->uid = 4242;
	dbp_table_add(&t)->uid = 0;
	dbp_table_user_names(&t, root);
	assert_string_equal(t.procs[0].user, "postgres");
	assert_string_equal(t.procs[1].user, "4242");
	assert_string_equal(t.procs[2].user, "root");
	/* no passwd at all: numbers */
	dbp_table_user_names(&t, "/nonexistent");
	assert_string_equal(t.procs[0].user, "999");
	dbp_table_free(&t);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc", root);
	rmdir(path);
	rmdir(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_and_renumber),
		cmocka_unit_test(test_table_user_names_from_root),
		cmocka_unit_test(test_namespace_without_init),
		cmocka_unit_test(test_status_nsids),
		cmocka_unit_test(test_passwd_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
