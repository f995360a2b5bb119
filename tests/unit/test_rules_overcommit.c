/* lib/rules_overcommit.c: the profiles' rules on hand-built settings. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules_overcommit.h"

static struct dbp_meminfo mi;
static struct dbp_vm vm;
static struct dbp_overcommit_input in;
static struct dbp_report r;

/* A 16 GiB node without swap, mode given, ratio 100, THP madvise. */
static void node(enum dbp_profile p, int mode)
{
	memset(&mi, 0, sizeof(mi));
	memset(&vm, 0, sizeof(vm));
	mi.have = DBP_MI_MEMTOTAL | DBP_MI_COMMITTED | DBP_MI_SWAPTOTAL;
	mi.mem_total = 16 * 1024 * 1024;
	mi.committed_as = 1024 * 1024;
	vm.have = DBP_VM_OVERCOMMIT | DBP_VM_RATIO | DBP_VM_KBYTES | DBP_VM_SWAPPINESS |
		  DBP_VM_PANIC | DBP_VM_THP;
	vm.overcommit_memory = mode;
	vm.overcommit_ratio = 100;
	vm.swappiness = 60;
	snprintf(vm.thp_enabled, sizeof(vm.thp_enabled), "madvise");
	memset(&in, 0, sizeof(in));
	in.profile = p;
	in.mi = &mi;
	in.vm = &vm;
}

static const struct dbp_finding *judge(const char *id)
{
	dbp_report_free(&r);
	dbp_report_init(&r, "overcommit");
	dbp_rules_overcommit(&in, &r);
	for (size_t i = 0; i < r.n; i++)
		if (!strcmp(r.items[i].id, id))
			return &r.items[i];
	return NULL;
}

static int setup(void **state)
{
	(void)state;
	dbp_report_init(&r, "overcommit");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dbp_report_free(&r);
	return 0;
}

static void test_profile_names_round_trip(void **state)
{
	(void)state;
	assert_int_equal(dbp_profile_parse("postgres"), DBP_PROFILE_POSTGRES);
	assert_int_equal(dbp_profile_parse("mongodb"), DBP_PROFILE_MONGODB);
	assert_int_equal(dbp_profile_parse("oracle"), -EINVAL);
	assert_string_equal(dbp_profile_name(DBP_PROFILE_REDIS), "redis");
}

static void test_profile_detected_from_processes(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	const char *argv[] = { "redis-server", NULL };
	pid_t pid;

	(void)state;
	dbp_table_init(&t);
	p = dbp_table_add(&t);
	p->pid = 7;
	p->state = 'S';
	snprintf(p->comm, sizeof(p->comm), "redis-server");
	dbp_proc_set_argv(p, argv);
	p->have = DBP_HAVE_CMDLINE;
	dbp_table_sort(&t);
	assert_int_equal(dbp_profile_detect(&t, &pid), DBP_PROFILE_REDIS);
	assert_int_equal(pid, 7);
	p->state = 'Z';
	assert_int_equal(dbp_profile_detect(&t, &pid), DBP_PROFILE_GENERIC);
	assert_int_equal(pid, 0);
	dbp_table_free(&t);
}

static void test_hidden_database_is_unknown_not_generic_ok(void **state)
{
	(void)state;
	node(DBP_PROFILE_GENERIC, 0);
	assert_null(judge("DBC408"));
	in.profile_unseen = 1;
	assert_int_equal(judge("DBC408")->severity, DBP_UNKNOWN);
	assert_non_null(strstr(judge("DBC408")->message, "hidepid"));
	assert_int_not_equal(dbp_severity_exit(dbp_report_status(&r)), 0);
}

static void test_postgres_wants_mode_2(void **state)
{
	(void)state;
	node(DBP_PROFILE_POSTGRES, 1);
	assert_int_equal(judge("DBC401")->severity, DBP_WARNING);
	node(DBP_PROFILE_POSTGRES, 0);
	assert_non_null(judge("DBC401"));
	node(DBP_PROFILE_POSTGRES, 2);
	assert_null(judge("DBC401"));
}

/* On a Kubernetes node 1 is the kubelet's, and mode 2 is not to
 * be had: an info with what a DBA can do, never the fix the kubelet
 * undoes */
static void test_postgres_on_a_kubelet_node_is_told_what_it_can_do(void **state)
{
	(void)state;
	node(DBP_PROFILE_POSTGRES, 1);
	in.kubelet = 1;
	assert_int_equal(judge("DBC401")->severity, DBP_INFO);
	assert_non_null(strstr(judge("DBC401")->advice, "requests equal to limits"));
	assert_null(strstr(judge("DBC401")->advice, "overcommit_memory=2"));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&r)), 0);
	/* 0 on such a node is no kubelet's doing: still the warning */
	node(DBP_PROFILE_POSTGRES, 0);
	in.kubelet = 1;
	assert_int_equal(judge("DBC401")->severity, DBP_WARNING);
}

static void test_redis_wants_mode_1(void **state)
{
	(void)state;
	node(DBP_PROFILE_REDIS, 2);
	assert_non_null(judge("DBC401"));
	node(DBP_PROFILE_REDIS, 1);
	assert_null(judge("DBC401"));
	node(DBP_PROFILE_GENERIC, 1);
	assert_null(judge("DBC401"));
}

static void test_mode_2_with_ratio_50_leaves_too_little(void **state)
{
	(void)state;
	node(DBP_PROFILE_POSTGRES, 2);
	vm.overcommit_ratio = 50;
	assert_int_equal(judge("DBC402")->severity, DBP_WARNING);
	vm.overcommit_ratio = 100;
	assert_null(judge("DBC402"));
	vm.overcommit_ratio = 50;	/* swap makes up for it */
	mi.swap_total = 8 * 1024 * 1024;
	assert_null(judge("DBC402"));
}

static void test_committed_near_limit_only_in_mode_2(void **state)
{
	(void)state;
	node(DBP_PROFILE_POSTGRES, 2);
	mi.committed_as = mi.mem_total / 100 * 85;
	assert_int_equal(judge("DBC403")->severity, DBP_WARNING);
	mi.committed_as = mi.mem_total / 100 * 95;
	assert_int_equal(judge("DBC403")->severity, DBP_CRITICAL);
	vm.overcommit_memory = 1;
	assert_null(judge("DBC403"));
}

static void test_cgroup_limit_below_commit_limit(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2, .have = DBP_CG_LIMIT,
				     .limit = UINT64_C(2) << 30 };

	(void)state;
	node(DBP_PROFILE_POSTGRES, 2);
	in.cg = &cg;
	assert_int_equal(judge("DBC404")->severity, DBP_WARNING);
	node(DBP_PROFILE_POSTGRES, 1);
	in.cg = &cg;
	assert_int_equal(judge("DBC404")->severity, DBP_INFO);
	cg.limit = DBP_CG_UNLIMITED;
	assert_null(judge("DBC404"));
}

static void test_thp_always_by_profile(void **state)
{
	(void)state;
	node(DBP_PROFILE_REDIS, 1);
	snprintf(vm.thp_enabled, sizeof(vm.thp_enabled), "always");
	assert_int_equal(judge("DBC405")->severity, DBP_WARNING);
	in.profile = DBP_PROFILE_POSTGRES;
	assert_int_equal(judge("DBC405")->severity, DBP_WARNING);
	in.profile = DBP_PROFILE_MONGODB;
	assert_int_equal(judge("DBC405")->severity, DBP_INFO);
	in.profile = DBP_PROFILE_GENERIC;
	assert_null(judge("DBC405"));
	in.profile = DBP_PROFILE_POSTGRES;
	snprintf(vm.thp_enabled, sizeof(vm.thp_enabled), "never");
	assert_null(judge("DBC405"));
}

static void test_mongodb_swappiness_and_panic(void **state)
{
	(void)state;
	node(DBP_PROFILE_MONGODB, 0);
	assert_int_equal(judge("DBC406")->severity, DBP_WARNING);
	vm.swappiness = 1;
	assert_null(judge("DBC406"));
	vm.panic_on_oom = 2;
	assert_non_null(strstr(judge("DBC407")->message, "a cgroup's included"));
}

static void test_unreadable_settings_are_info(void **state)
{
	(void)state;
	node(DBP_PROFILE_POSTGRES, 2);
	vm.have &= ~(unsigned)DBP_VM_OVERCOMMIT;
	vm.nerrors = 1;
	snprintf(vm.errors[0].file, sizeof(vm.errors[0].file), "/proc/sys/vm/overcommit_memory");
	vm.errors[0].err = -13;
	in.mi = NULL;
	assert_int_equal(judge("DBC400")->severity, DBP_INFO);
	assert_null(judge("DBC401"));
	assert_int_equal((int)dbp_report_count(&r, DBP_INFO), 2);
}

/* neither meminfo nor any setting: one unknown finding, nothing else */
static void test_nothing_read_is_unknown(void **state)
{
	const struct dbp_finding *f;

	(void)state;
	node(DBP_PROFILE_POSTGRES, 2);
	in.mi = NULL;
	vm.have = 0;
	f = judge("DBC400");
	assert_non_null(f);
	assert_int_equal(r.n, 1);
	assert_int_equal(f->severity, DBP_UNKNOWN);
	assert_string_equal(f->message, "Neither /proc/meminfo nor /proc/sys/vm could be "
			    "read: nothing to judge.");
	/* one of them is enough to judge the rest */
	vm.have = DBP_VM_OVERCOMMIT;
	f = judge("DBC400");
	assert_int_equal(f->severity, DBP_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_names_round_trip),
		cmocka_unit_test(test_profile_detected_from_processes),
		cmocka_unit_test(test_hidden_database_is_unknown_not_generic_ok),
		cmocka_unit_test(test_postgres_wants_mode_2),
		cmocka_unit_test(test_postgres_on_a_kubelet_node_is_told_what_it_can_do),
		cmocka_unit_test(test_redis_wants_mode_1),
		cmocka_unit_test(test_mode_2_with_ratio_50_leaves_too_little),
		cmocka_unit_test(test_committed_near_limit_only_in_mode_2),
		cmocka_unit_test(test_cgroup_limit_below_commit_limit),
		cmocka_unit_test(test_nothing_read_is_unknown),
		cmocka_unit_test(test_thp_always_by_profile),
		cmocka_unit_test(test_mongodb_swappiness_and_panic),
		cmocka_unit_test(test_unreadable_settings_are_info),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
