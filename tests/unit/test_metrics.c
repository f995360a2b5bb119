/* lib/metrics.c: the Prometheus exposition. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgroup.h"
#include "metrics.h"
#include "report.h"

static char *render(const struct dbp_metrics *m)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	assert_int_equal(dbp_metrics_render(f, m), 0);
	fclose(f);
	return s;
}

static void test_families_grouped_with_one_help(void **state)
{
	struct dbp_metrics m;
	char *s;

	(void)state;
	dbp_metrics_init(&m);
	dbp_metric(&m, "a_total", "counter", "A.", 1, "k", "x", NULL);
	dbp_metric(&m, "b", "gauge", "B.", 2.5, NULL);
	dbp_metric(&m, "a_total", "counter", "A.", 3, "k", "y", NULL);
	s = render(&m);
	assert_string_equal(s,
		"# HELP a_total A.\n# TYPE a_total counter\n"
		"a_total{k=\"x\"} 1\na_total{k=\"y\"} 3\n"
		"# HELP b B.\n# TYPE b gauge\nb 2.5\n");
	free(s);
	dbp_metrics_free(&m);
}

static void test_label_values_are_escaped(void **state)
{
	struct dbp_metrics m;
	char *s;

	(void)state;
	dbp_metrics_init(&m);
	dbp_metric(&m, "x", "gauge", "X.", 0, "v", "a\"b\\c\nd", NULL);
	s = render(&m);
	assert_non_null(strstr(s, "x{v=\"a\\\"b\\\\c\\nd\"} 0\n"));
	free(s);
	dbp_metrics_free(&m);
}

static void test_merge_keeps_families_together(void **state)
{
	struct dbp_metrics a, b;
	char *s;

	(void)state;
	dbp_metrics_init(&a);
	dbp_metrics_init(&b);
	dbp_metric(&a, "s", "gauge", "S.", 1, "check", "one", NULL);
	dbp_metric(&b, "s", "gauge", "S.", 2, "check", "two", NULL);
	dbp_metric(&b, "t", "gauge", "T.", 3, NULL);
	assert_int_equal(dbp_metrics_merge(&a, &b), 0);
	s = render(&a);
	assert_string_equal(s, "# HELP s S.\n# TYPE s gauge\ns{check=\"one\"} 1\n"
			       "s{check=\"two\"} 2\n# HELP t T.\n# TYPE t gauge\nt 3\n");
	free(s);
	dbp_metrics_free(&a);
	dbp_metrics_free(&b);
}

/* a sum of tenths carries float noise past the 15th digit: not printed */
static void test_float_noise_not_printed(void **state)
{
	struct dbp_metrics m;
	char *s;

	(void)state;
	dbp_metrics_init(&m);
	dbp_metric(&m, "a", "gauge", "A.", 59.999999999999993, NULL);
	dbp_metric(&m, "c", "gauge", "C.", 0.1 + 0.2, NULL);
	dbp_metric(&m, "d", "gauge", "D.", 2.5, NULL);
	s = render(&m);
	assert_string_equal(s, "# HELP a A.\n# TYPE a gauge\na 60\n"
			       "# HELP c C.\n# TYPE c gauge\nc 0.3\n"
			       "# HELP d D.\n# TYPE d gauge\nd 2.5\n");
	free(s);
	dbp_metrics_free(&m);
}

/* Prometheus rejects a scrape that holds one series twice: doctor's two
 * DBP103 findings (one per stop signal judged) must make one sample. */
static void test_one_series_stored_once(void **state)
{
	struct dbp_metrics a, b;
	char *s;

	(void)state;
	dbp_metrics_init(&a);
	dbp_metrics_init(&b);
	dbp_metric(&a, "f", "gauge", "F.", 1, "id", "DBP103", "pid", "1", NULL);
	dbp_metric(&a, "f", "gauge", "F.", 1, "id", "DBP103", "pid", "1", NULL);
	dbp_metric(&a, "f", "gauge", "F.", 1, "id", "DBP103", "pid", "7", NULL);
	/* the same labels in another family are another series */
	dbp_metric(&a, "g", "gauge", "G.", 2, "id", "DBP103", "pid", "1", NULL);
	dbp_metric(&b, "f", "gauge", "F.", 5, "id", "DBP103", "pid", "1", NULL);
	assert_int_equal(dbp_metrics_merge(&a, &b), 0);
	assert_int_equal(a.nsamples, 3);
	s = render(&a);
	assert_string_equal(s, "# HELP f F.\n# TYPE f gauge\n"
			       "f{id=\"DBP103\",pid=\"1\"} 1\nf{id=\"DBP103\",pid=\"7\"} 1\n"
			       "# HELP g G.\n# TYPE g gauge\ng{id=\"DBP103\",pid=\"1\"} 2\n");
	free(s);
	dbp_metrics_free(&a);
	dbp_metrics_free(&b);
}

/* every check's own samples: its status and one per finding */
static void test_report_samples(void **state)
{
	struct dbp_metrics m;
	struct dbp_report r;
	char *s;

	(void)state;
	dbp_metrics_init(&m);
	dbp_report_init(&r, "pid1check");
	dbp_report_add(&r, "DBP103", DBP_CRITICAL, 1, "drops SIGTERM");
	dbp_report_add(&r, "DBP103", DBP_CRITICAL, 1, "drops SIGINT");
	dbp_report_add(&r, "DBP104", DBP_INFO, 0, "zombies");
	/* the same finding about two processes: one series (no PID in a
	 * finding's identity: it changes with every restart), the PIDs in the
	 * info metric */
	dbp_report_add(&r, "DBP106", DBP_WARNING, 4711, "adopted");
	dbp_report_add(&r, "DBP106", DBP_WARNING, 4712, "adopted");
	assert_int_equal(dbp_report_metrics(&r, &m), 0);
	s = render(&m);
	assert_string_equal(s,
		"# HELP dbpod_check_status Status of a dbpod check: 0 OK, 1 WARNING, "
		"2 CRITICAL, 3 UNKNOWN.\n# TYPE dbpod_check_status gauge\n"
		"dbpod_check_status{check=\"pid1check\"} 2\n"
		"# HELP dbpod_finding A finding of a dbpod check, 1 while it holds.\n"
		"# TYPE dbpod_finding gauge\n"
		"dbpod_finding{check=\"pid1check\",id=\"DBP103\",severity=\"critical\"} 1\n"
		"dbpod_finding{check=\"pid1check\",id=\"DBP104\",severity=\"info\"} 1\n"
		"dbpod_finding{check=\"pid1check\",id=\"DBP106\",severity=\"warning\"} 1\n"
		"# HELP dbpod_finding_process_info The process a finding of a dbpod check is "
		"about (PID in this PID namespace), 1 while it holds.\n"
		"# TYPE dbpod_finding_process_info gauge\n"
		"dbpod_finding_process_info{check=\"pid1check\",id=\"DBP103\",pid=\"1\"} 1\n"
		"dbpod_finding_process_info{check=\"pid1check\",id=\"DBP106\",pid=\"4711\"} 1\n"
		"dbpod_finding_process_info{check=\"pid1check\",id=\"DBP106\",pid=\"4712\"} 1\n");
	free(s);
	dbp_report_free(&r);
	dbp_metrics_free(&m);
}

/* oomscore's numbers: what was read and means something, nothing else */
static void test_cgroup_samples(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2,
		.have = DBP_CG_LIMIT | DBP_CG_USAGE | DBP_CG_INACTIVE | DBP_CG_OOM_KILL,
		.limit = 1000, .usage = 900, .inactive_file = 150, .oom_kill = 2 };
	struct dbp_metrics m;
	char *s;

	(void)state;
	dbp_metrics_init(&m);
	dbp_cgroup_metrics(&cg, &m);
	s = render(&m);
	assert_non_null(strstr(s, "\ndbpod_cgroup_oom_kills_total 2\n"));
	assert_non_null(strstr(s, "\ndbpod_cgroup_memory_limit_bytes 1000\n"));
	assert_non_null(strstr(s, "\ndbpod_cgroup_working_set_bytes 750\n"));
	assert_non_null(strstr(s, "\ndbpod_cgroup_working_set_ratio 0.75\n"));
	assert_null(strstr(s, "oom_group"));	/* not read */
	free(s);
	dbp_metrics_free(&m);
	/* no limit: neither the limit nor the ratio */
	cg.limit = DBP_CG_UNLIMITED;
	dbp_metrics_init(&m);
	dbp_cgroup_metrics(&cg, &m);
	s = render(&m);
	assert_null(strstr(s, "limit_bytes"));
	assert_null(strstr(s, "ratio"));
	free(s);
	dbp_metrics_free(&m);
	/* no memory controller */
	cg.version = 0;
	dbp_metrics_init(&m);
	dbp_cgroup_metrics(&cg, &m);
	dbp_cgroup_metrics(NULL, &m);
	assert_int_equal(m.nsamples, 0);
	dbp_metrics_free(&m);
}

/* Node mode: a container's identity before each of its series' labels;
 * an empty value left out; two containers' same series kept apart, each
 * family's HELP once. */
static void test_merge_labeled(void **state)
{
	struct dbp_metrics a, c1, c2;
	const char *kv1[] = { "pidns", "4026532870", "container_id", "abc", "pod_uid", "",
			      "container_name", "pg \"0\"", NULL };
	const char *kv2[] = { "pidns", "4026532871", "container_id", NULL, NULL };
	char *l1 = dbp_metrics_labels(kv1), *l2 = dbp_metrics_labels(kv2), *s;

	(void)state;
	assert_string_equal(l1, "pidns=\"4026532870\",container_id=\"abc\",container_name=\"pg \\\"0\\\"\"");
	assert_string_equal(l2, "pidns=\"4026532871\"");
	dbp_metrics_init(&a);
	dbp_metrics_init(&c1);
	dbp_metrics_init(&c2);
	dbp_metric(&c1, "dbpod_stop_path_sigkill", "gauge", "h", 1, "signal", "SIGTERM", NULL);
	dbp_metric(&c1, "dbpod_pid1_zombies", "gauge", "z", 0, NULL);
	dbp_metric(&c2, "dbpod_stop_path_sigkill", "gauge", "h", 0, "signal", "SIGTERM", NULL);
	assert_int_equal(dbp_metrics_merge_labeled(&a, &c1, l1), 0);
	assert_int_equal(dbp_metrics_merge_labeled(&a, &c2, l2), 0);
	s = render(&a);
	assert_string_equal(s,
		"# HELP dbpod_stop_path_sigkill h\n# TYPE dbpod_stop_path_sigkill gauge\n"
		"dbpod_stop_path_sigkill{pidns=\"4026532870\",container_id=\"abc\","
		"container_name=\"pg \\\"0\\\"\",signal=\"SIGTERM\"} 1\n"
		"dbpod_stop_path_sigkill{pidns=\"4026532871\",signal=\"SIGTERM\"} 0\n"
		"# HELP dbpod_pid1_zombies z\n# TYPE dbpod_pid1_zombies gauge\n"
		"dbpod_pid1_zombies{pidns=\"4026532870\",container_id=\"abc\","
		"container_name=\"pg \\\"0\\\"\"} 0\n");
	free(s);
	free(l1);
	free(l2);
	dbp_metrics_free(&a);
	dbp_metrics_free(&c1);
	dbp_metrics_free(&c2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families_grouped_with_one_help),
		cmocka_unit_test(test_label_values_are_escaped),
		cmocka_unit_test(test_float_noise_not_printed),
		cmocka_unit_test(test_merge_keeps_families_together),
		cmocka_unit_test(test_one_series_stored_once),
		cmocka_unit_test(test_merge_labeled),
		cmocka_unit_test(test_report_samples),
		cmocka_unit_test(test_cgroup_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
