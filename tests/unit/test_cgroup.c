/* lib/cgroup.c: /proc/self/cgroup, and the v1/v2 memory files. */
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

#include "fixturetree.h"

#include "cgroupread.h"

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s/proc %s/sys", ft_root, ft_root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_parse_v2_only(void **state)
{
	char v2[64], v1[64];

	(void)state;
	assert_int_equal(dbp_cgroup_parse_self("0::/kubepods/pod1/ctr\n", v2, sizeof(v2),
					       v1, sizeof(v1)), 0);
	assert_string_equal(v2, "/kubepods/pod1/ctr");
	assert_string_equal(v1, "");
}

static void test_parse_v1_memory_among_controllers(void **state)
{
	char v2[64], v1[64];

	(void)state;
	assert_int_equal(dbp_cgroup_parse_self(
		"12:cpu,cpuacct:/a\n4:memory:/docker/abc\n1:name=systemd:/b\n0::/c\n",
		v2, sizeof(v2), v1, sizeof(v1)), 0);
	assert_string_equal(v1, "/docker/abc");
	assert_string_equal(v2, "/c");
	/* "memory" must be a whole controller name */
	assert_int_equal(dbp_cgroup_parse_self("3:memoryx,net_cls:/x\n", v2, sizeof(v2),
					       v1, sizeof(v1)), 0);
	assert_string_equal(v1, "");
	assert_int_equal(dbp_cgroup_parse_self("5:blkio,memory:/y", v2, sizeof(v2),
					       v1, sizeof(v1)), 0);
	assert_string_equal(v1, "/y");
}

static void test_parse_garbage_is_einval(void **state)
{
	char v2[64], v1[64];

	(void)state;
	assert_int_equal(dbp_cgroup_parse_self("hello world\n", v2, sizeof(v2), v1, sizeof(v1)),
			 -EINVAL);
	assert_int_equal(dbp_cgroup_parse_self("", v2, sizeof(v2), v1, sizeof(v1)), -EINVAL);
}

static void test_v1_page_counter_max_is_unlimited(void **state)
{
	(void)state;
	assert_true(dbp_cgroup_v1_limit(UINT64_C(9223372036854771712)) == DBP_CG_UNLIMITED);
	assert_true(dbp_cgroup_v1_limit(67108864) == 67108864);
}

static void test_working_set_subtracts_inactive_file(void **state)
{
	struct dbp_cgroup_mem m = { 0 };

	(void)state;
	m.usage = 1000;
	assert_true(dbp_cgroup_working_set(&m) == 1000);	/* inactive unknown */
	m.inactive_file = 300;
	m.have = DBP_CG_INACTIVE;
	assert_true(dbp_cgroup_working_set(&m) == 700);
	m.inactive_file = 2000;
	assert_true(dbp_cgroup_working_set(&m) == 0);		/* never below 0 */
}

static void test_bytes_for_a_person(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(dbp_cgroup_bytes(DBP_CG_UNLIMITED, b, sizeof(b)), "max (no limit)");
	assert_string_equal(dbp_cgroup_bytes(UINT64_C(536870912), b, sizeof(b)), "512.0 MiB");
	assert_string_equal(dbp_cgroup_bytes(UINT64_C(3) << 29, b, sizeof(b)), "1.5 GiB");
}

static void test_v2_reads_lowest_ancestor_limit_and_events(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	ft_put("/proc/self/cgroup", "0::/pod/ctr\n");
	ft_put("/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
	ft_put("/sys/fs/cgroup/pod/memory.max", "1048576\n");
	ft_put("/sys/fs/cgroup/pod/ctr/memory.max", "max\n");
	ft_put("/sys/fs/cgroup/pod/ctr/memory.current", "524288\n");
	ft_put("/sys/fs/cgroup/pod/ctr/memory.stat", "anon 1\ninactive_file 4096\n");
	ft_put("/sys/fs/cgroup/pod/ctr/memory.oom.group", "1\n");
	ft_put("/sys/fs/cgroup/pod/ctr/memory.events", "low 0\nmax 2\noom 4\noom_kill 3\n");
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), 0);
	assert_int_equal(m.version, 2);
	assert_string_equal(m.dir, "/sys/fs/cgroup/pod/ctr");
	assert_int_equal(m.fallback, 0);
	assert_true(m.limit == 1048576);
	assert_true(m.usage == 524288 && m.inactive_file == 4096);
	assert_int_equal(m.oom_group, 1);
	assert_true(m.oom == 4 && m.oom_kill == 3);
	/* no oom_group_kill (before 5.19), no swap file: absent, not errors */
	assert_false(m.have & DBP_CG_GROUP_KILL);
	assert_false(m.have & DBP_CG_SWAP);
	assert_int_equal((int)m.nerrors, 0);
}

static void test_v2_missing_path_falls_back_to_mount_root(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	ft_put("/proc/self/cgroup", "0::/system.slice/docker-1.scope\n");
	ft_put("/sys/fs/cgroup/cgroup.controllers", "memory\n");
	ft_put("/sys/fs/cgroup/memory.max", "2097152\n");
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), 0);
	assert_int_equal(m.fallback, 1);
	assert_string_equal(m.dir, "/sys/fs/cgroup");
	assert_true(m.limit == 2097152);
}

static void test_v2_garbage_is_an_error_not_a_value(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	ft_put("/proc/self/cgroup", "0::/\n");
	ft_put("/sys/fs/cgroup/cgroup.controllers", "memory\n");
	ft_put("/sys/fs/cgroup/memory.max", "lots\n");
	ft_put("/sys/fs/cgroup/memory.current", "12\n");
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), 0);
	assert_false(m.have & DBP_CG_LIMIT);
	assert_true(m.have & DBP_CG_USAGE);
	assert_int_equal((int)m.nerrors, 1);
	assert_string_equal(m.errors[0].file, "memory.max");
	assert_int_equal(m.errors[0].err, -EINVAL);
}

static void test_v2_without_memory_controller_is_version_0(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	ft_put("/proc/self/cgroup", "0::/\n");
	ft_put("/sys/fs/cgroup/cgroup.controllers", "cpu io\n");
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), 0);
	assert_int_equal(m.version, 0);
}

static void test_v1_hierarchical_limit_and_oom_control(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	ft_put("/proc/self/cgroup", "4:memory:/db\n0::/\n");
	ft_put("/sys/fs/cgroup/memory/db/memory.limit_in_bytes", "9223372036854771712\n");
	ft_put("/sys/fs/cgroup/memory/db/memory.usage_in_bytes", "8192\n");
	ft_put("/sys/fs/cgroup/memory/db/memory.stat",
	    "cache 0\nhierarchical_memory_limit 67108864\ntotal_inactive_file 4096\n");
	ft_put("/sys/fs/cgroup/memory/db/memory.oom_control",
	    "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
	ft_put("/sys/fs/cgroup/memory/db/memory.failcnt", "109\n");
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), 0);
	assert_int_equal(m.version, 1);
	assert_string_equal(m.path, "/db");
	assert_true(m.limit == 67108864);	/* the parent's, through the hierarchy */
	assert_true(m.inactive_file == 4096);
	assert_true(m.oom_kill == 1 && m.failcnt == 109);
	assert_int_equal((int)m.nerrors, 0);
}

static void test_unreadable_self_cgroup_is_an_error(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), -ENOENT);
}

/* Node mode on cgroup v2: a container with its own cgroup namespace (as
 * containerd gives every pod) sees its cgroup at the root of its mount;
 * from the node, /proc/PID/cgroup names the full path, which is not under
 * the container's mount, and the reader falls back to the mount's root
 * exactly as dbpod inside the container does. */
static void test_v2_of_another_namespace(void **state)
{
	struct dbp_cgroup_mem m;
	char procfs[128];

	(void)state;
	ft_put("/proc/4242/cgroup", "0::/kubepods.slice/kubepods-burstable.slice/"
	       "kubepods-burstable-pod0c4a1b2e_1111_2222_3333_444455556666.slice/"
	       "cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n");
	ft_put("/proc/4242/root/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
	ft_put("/proc/4242/root/sys/fs/cgroup/memory.max", "2147483648\n");
	ft_put("/proc/4242/root/sys/fs/cgroup/memory.current", "1073741824\n");
	ft_put("/proc/4242/root/sys/fs/cgroup/memory.stat", "anon 900000000\ninactive_file 73741824\n");
	ft_put("/proc/4242/root/sys/fs/cgroup/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
	/* the node's own hierarchy, which must not be read */
	ft_put("/sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
	ft_put("/sys/fs/cgroup/memory.max", "max\n");
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	assert_int_equal(dbp_cgroup_mem_read_of(procfs, 4242, &m), 0);
	assert_int_equal(m.version, 2);
	assert_true(m.fallback);
	assert_int_equal(m.limit, 2147483648ULL);
	assert_int_equal(m.usage, 1073741824ULL);
	assert_int_equal(m.oom_kill, 1);
	/* a process that is gone */
	assert_true(dbp_cgroup_mem_read_of(procfs, 4343, &m) < 0);
}

/* in a cgroup, but no hierarchy mounted (ctr's default spec): version 0
 * and unmounted -- never "no memory controller" */
static void test_unmounted_hierarchy_is_not_no_limit(void **state)
{
	struct dbp_cgroup_mem m;

	(void)state;
	ft_put("/proc/self/cgroup", "11:memory:/kubepods/burstable/pod1/abc\n0::/\n");
	assert_int_equal(dbp_cgroup_mem_read(ft_root, &m), 0);
	assert_int_equal(m.version, 0);
	assert_true(m.unmounted);
}

/* node mode: the container mounts no hierarchy; the host's has its cgroup
 * at the path /proc/PID/cgroup names */
static void test_unmounted_container_read_from_host(void **state)
{
	struct dbp_cgroup_mem m;
	char procfs[128];

	(void)state;
	ft_put("/proc/4545/cgroup", "11:memory:/kubepods/burstable/pod1/abc\n0::/\n");
	ft_put("/proc/4545/root/etc/hostname", "ctr\n");
	ft_put("/sys/fs/cgroup/memory/kubepods/burstable/pod1/abc/memory.limit_in_bytes",
	       "536870912\n");
	ft_put("/sys/fs/cgroup/memory/kubepods/burstable/pod1/abc/memory.usage_in_bytes",
	       "8192\n");
	ft_put("/sys/fs/cgroup/memory/kubepods/burstable/pod1/abc/memory.stat",
	       "hierarchical_memory_limit 536870912\ntotal_inactive_file 0\n");
	snprintf(procfs, sizeof(procfs), "%s/proc", ft_root);
	assert_int_equal(dbp_cgroup_mem_read_of(procfs, 4545, &m), 0);
	assert_int_equal(m.version, 1);
	assert_true(m.from_host);
	assert_false(m.fallback);
	assert_true(m.limit == 536870912);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unmounted_hierarchy_is_not_no_limit),
		cmocka_unit_test(test_unmounted_container_read_from_host),
		cmocka_unit_test(test_v2_of_another_namespace),
		cmocka_unit_test(test_parse_v2_only),
		cmocka_unit_test(test_parse_v1_memory_among_controllers),
		cmocka_unit_test(test_parse_garbage_is_einval),
		cmocka_unit_test(test_v1_page_counter_max_is_unlimited),
		cmocka_unit_test(test_working_set_subtracts_inactive_file),
		cmocka_unit_test(test_bytes_for_a_person),
		cmocka_unit_test_teardown(test_v2_reads_lowest_ancestor_limit_and_events, teardown),
		cmocka_unit_test_teardown(test_v2_missing_path_falls_back_to_mount_root, teardown),
		cmocka_unit_test_teardown(test_v2_garbage_is_an_error_not_a_value, teardown),
		cmocka_unit_test_teardown(test_v2_without_memory_controller_is_version_0, teardown),
		cmocka_unit_test_teardown(test_v1_hierarchical_limit_and_oom_control, teardown),
		cmocka_unit_test(test_unreadable_self_cgroup_is_an_error),
	};

	return cmocka_run_group_tests(tests, ft_setup, ft_teardown);
}
