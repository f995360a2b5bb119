/* lib/meminfo.c: /proc/meminfo, THP files, the vm sysctls and CommitLimit. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "meminforead.h"

static const char meminfo[] =
	"MemTotal:       24684096 kB\n"
	"MemFree:        24174588 kB\n"
	"SwapTotal:       1048576 kB\n"
	"CommitLimit:    13390624 kB\n"
	"Committed_AS:     727332 kB\n"
	"HugePages_Total:     512\n"
	"Hugepagesize:       2048 kB\n"
	"Hugetlb:         1048576 kB\n";

static void test_meminfo_fields(void **state)
{
	struct dbp_meminfo m;

	(void)state;
	assert_int_equal(dbp_meminfo_parse(meminfo, &m), 0);
	assert_true(m.mem_total == 24684096 && m.swap_total == 1048576);
	assert_true(m.commit_limit == 13390624 && m.committed_as == 727332);
	assert_true(m.hugepages_total == 512 && m.hugepage_size == 2048);
	assert_true(dbp_meminfo_hugetlb_kb(&m) == 1048576);
}

static void test_meminfo_without_hugetlb_line_multiplies(void **state)
{
	struct dbp_meminfo m;

	(void)state;
	assert_int_equal(dbp_meminfo_parse("MemTotal: 1000 kB\nHugePages_Total: 3\n"
					   "Hugepagesize: 2048 kB\n", &m), 0);
	assert_true(dbp_meminfo_hugetlb_kb(&m) == 6144);
}

static void test_meminfo_without_memtotal_is_einval(void **state)
{
	struct dbp_meminfo m;

	(void)state;
	assert_int_equal(dbp_meminfo_parse("SwapTotal: 1 kB\n", &m), -EINVAL);
	assert_int_equal(dbp_meminfo_parse("MemTotal: lots\n", &m), -EINVAL);
}

static void test_thp_selected_word(void **state)
{
	char w[16];

	(void)state;
	assert_int_equal(dbp_thp_parse("always [madvise] never", w, sizeof(w)), 0);
	assert_string_equal(w, "madvise");
	assert_int_equal(dbp_thp_parse("[always] madvise never", w, sizeof(w)), 0);
	assert_string_equal(w, "always");
	assert_int_equal(dbp_thp_parse("always madvise never", w, sizeof(w)), -EINVAL);
}

/* The kernel's numbers on this kind of machine: ratio 50, no swap, no huge
 * pages gives half of MemTotal (what /proc/meminfo shows). */
static void test_commit_limit_ratio_swap_huge_pages(void **state)
{
	struct dbp_meminfo m = { .have = DBP_MI_MEMTOTAL, .mem_total = 24684096 };
	struct dbp_vm v = { .overcommit_ratio = 50 };

	(void)state;
	if (sysconf(_SC_PAGESIZE) != 4096)
		skip();
	assert_true(dbp_commit_limit_kb(&m, &v) == 12342048);
	m.swap_total = 1048576;
	assert_true(dbp_commit_limit_kb(&m, &v) == 12342048 + 1048576);
	/* huge pages are taken out of RAM before the ratio */
	m.have |= DBP_MI_HUGETLB;
	m.hugetlb = 2097152;
	assert_true(dbp_commit_limit_kb(&m, &v) == (24684096 - 2097152) / 2 + 1048576);
	v.overcommit_ratio = 100;
	m.swap_total = 0;
	m.hugetlb = 0;
	assert_true(dbp_commit_limit_kb(&m, &v) == 24684096);
}

static void test_commit_limit_kbytes_replaces_ratio(void **state)
{
	struct dbp_meminfo m = { .have = DBP_MI_MEMTOTAL, .mem_total = 24684096, .swap_total = 4096 };
	struct dbp_vm v = { .overcommit_ratio = 50, .overcommit_kbytes = 8000000 };

	(void)state;
	if (sysconf(_SC_PAGESIZE) != 4096)
		skip();
	assert_true(dbp_commit_limit_kb(&m, &v) == 8000000 + 4096);
}

/* One headroom for every view: from the computed CommitLimit, not the
 * kernel's line (which a bind-mounted sysctl or a fixture can contradict) */
static void test_commit_headroom(void **state)
{
	struct dbp_meminfo m = { .have = DBP_MI_MEMTOTAL | DBP_MI_COMMITLIM | DBP_MI_COMMITTED,
				 .mem_total = 16777216, .commit_limit = 1, .committed_as = 4194304 };
	struct dbp_vm v = { .have = DBP_VM_RATIO | DBP_VM_KBYTES, .overcommit_kbytes = 4718592 };
	int64_t kb = 0;

	(void)state;
	if (sysconf(_SC_PAGESIZE) != 4096)
		skip();
	assert_int_equal(dbp_commit_headroom_kb(&m, &v, &kb), 0);
	assert_true(kb == 4718592 - 4194304);
	m.committed_as = 5000000;
	assert_int_equal(dbp_commit_headroom_kb(&m, &v, &kb), 0);
	assert_true(kb == (int64_t)4718592 - 5000000);
	/* not computable: the settings or Committed_AS not read */
	m.have &= ~DBP_MI_COMMITTED;
	assert_int_equal(dbp_commit_headroom_kb(&m, &v, &kb), -ENODATA);
	m.have |= DBP_MI_COMMITTED;
	v.have = 0;
	assert_int_equal(dbp_commit_headroom_kb(&m, &v, &kb), -ENODATA);
	assert_int_equal(dbp_commit_headroom_kb(NULL, &v, &kb), -ENODATA);
}

static void test_vm_read_from_tree(void **state)
{
	char root[] = "/tmp/dbpod-vm.XXXXXX", cmd[256], p[256];
	struct dbp_vm v;
	static const char *const files[][2] = {
		{ "/proc/sys/vm/overcommit_memory", "2\n" },
		{ "/proc/sys/vm/overcommit_ratio", "80\n" },
		{ "/proc/sys/vm/overcommit_kbytes", "0\n" },
		{ "/proc/sys/vm/swappiness", "1\n" },
		{ "/proc/sys/vm/panic_on_oom", "7\n" },	/* out of range: an error */
		{ "/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n" },
	};

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/proc/sys/vm %s/sys/kernel/mm/transparent_hugepage",
		 root, root);
	assert_int_equal(system(cmd), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;

		snprintf(p, sizeof(p), "%s%s", root, files[i][0]);
		f = fopen(p, "w");
		assert_non_null(f);
		fputs(files[i][1], f);
		fclose(f);
	}
	assert_int_equal(dbp_vm_read(root, &v), 0);
	assert_int_equal(v.overcommit_memory, 2);
	assert_true(v.overcommit_ratio == 80);
	assert_int_equal(v.swappiness, 1);
	assert_string_equal(v.thp_enabled, "always");
	assert_false(v.have & DBP_VM_PANIC);
	assert_false(v.have & DBP_VM_DEFRAG);	/* absent: not an error */
	assert_int_equal((int)v.nerrors, 1);
	assert_string_equal(v.errors[0].file, "/proc/sys/vm/panic_on_oom");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_fields),
		cmocka_unit_test(test_meminfo_without_hugetlb_line_multiplies),
		cmocka_unit_test(test_meminfo_without_memtotal_is_einval),
		cmocka_unit_test(test_thp_selected_word),
		cmocka_unit_test(test_commit_limit_ratio_swap_huge_pages),
		cmocka_unit_test(test_commit_limit_kbytes_replaces_ratio),
		cmocka_unit_test(test_commit_headroom),
		cmocka_unit_test(test_vm_read_from_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
