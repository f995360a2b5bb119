/* lib/rules_oomscore.c: QoS mapping, kill order and the rules, on
 * hand-built tables and memory pictures. */
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
#include "rules_oomscore.h"

static struct dbp_proc *add(struct dbp_table *t, pid_t pid, pid_t ppid, const char *comm,
			    const char *arg0, int score, int adj, unsigned long rss)
{
	struct dbp_proc *p = dbp_table_add(t);
	const char *argv[] = { arg0, NULL };

	assert_non_null(p);
	p->pid = pid;
	p->ppid = ppid;
	p->state = 'S';
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	assert_int_equal(dbp_proc_set_argv(p, argv), 0);
	p->oom_score = score;
	p->oom_adj = adj;
	p->rss_kb = rss;
	p->have = DBP_HAVE_OOM | DBP_HAVE_CMDLINE | DBP_HAVE_STATUS;
	return p;
}

/* A postmaster (PID 1) with adj pm_adj and two children with child_adj. */
static void pg_table(struct dbp_table *t, int pm_adj, int child_adj)
{
	dbp_table_init(t);
	add(t, 1, 0, "postgres", "/usr/lib/postgresql/15/bin/postgres", 600, pm_adj, 30000);
	add(t, 20, 1, "postgres", "postgres: checkpointer", 610, child_adj, 9000);
	add(t, 21, 1, "postgres", "postgres: walwriter", 605, child_adj, 7000);
	dbp_table_sort(t);
}

static void init_in(struct dbp_oom_input *in, const struct dbp_cgroup_mem *cg)
{
	memset(in, 0, sizeof(*in));
	in->cg = cg;
	in->warn_pct = 80;
	in->crit_pct = 90;
}

static const struct dbp_finding *find(const struct dbp_report *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].id, id))
			return &r->items[i];
	return NULL;
}

static void test_qos_from_adj(void **state)
{
	(void)state;
	assert_int_equal(dbp_qos_from_adj(-997), DBP_QOS_GUARANTEED);
	assert_int_equal(dbp_qos_from_adj(-998), DBP_QOS_GUARANTEED);
	assert_int_equal(dbp_qos_from_adj(1000), DBP_QOS_BESTEFFORT);
	assert_int_equal(dbp_qos_from_adj(2), DBP_QOS_BURSTABLE);
	assert_int_equal(dbp_qos_from_adj(999), DBP_QOS_BURSTABLE);
	assert_int_equal(dbp_qos_from_adj(-999), DBP_QOS_NODE);
	assert_int_equal(dbp_qos_from_adj(-1000), DBP_QOS_NEVER);
	assert_int_equal(dbp_qos_from_adj(0), DBP_QOS_NONE);
	assert_int_equal(dbp_qos_from_adj(1), DBP_QOS_NONE);
	assert_string_equal(dbp_qos_name(DBP_QOS_BURSTABLE), "Burstable");
}

static void test_burstable_request_is_share_of_node(void **state)
{
	(void)state;
	/* adj 900: a request of 10% of the node */
	assert_true(dbp_qos_request(900, 16000000000ULL) == 1600000000ULL);
	assert_true(dbp_qos_request(500, 1000) == 500);
	assert_true(dbp_qos_request(-997, 1000) == 0);
	assert_true(dbp_qos_request(900, 0) == 0);
}

static void test_kill_order_by_score_then_rss(void **state)
{
	struct dbp_table t;
	size_t idx[8], n;

	(void)state;
	dbp_table_init(&t);
	add(&t, 1, 0, "init", "init", 0, 0, 100);
	add(&t, 2, 1, "a", "a", 700, 0, 100);
	add(&t, 3, 1, "b", "b", 700, 0, 500);
	add(&t, 4, 1, "c", "c", 900, 0, 1)->kthread = 0;
	add(&t, 5, 1, "z", "z", 999, 0, 1)->state = 'Z';
	add(&t, 6, 2, "kworker", "kworker", 999, 0, 1)->kthread = 1;
	dbp_table_sort(&t);
	n = dbp_oom_order(&t, idx, 8);
	assert_int_equal((int)n, 4);	/* no zombie, no kernel thread */
	assert_int_equal(t.procs[idx[0]].pid, 4);
	assert_int_equal(t.procs[idx[1]].pid, 3);	/* same score, more RSS */
	assert_int_equal(t.procs[idx[2]].pid, 2);
	assert_int_equal(t.procs[idx[3]].pid, 1);
	dbp_table_free(&t);
}

static void test_postmaster_is_found(void **state)
{
	struct dbp_table t;

	(void)state;
	pg_table(&t, 0, 0);
	assert_int_equal(dbp_postmaster_find(&t, 0, NULL)->pid, 1);
	dbp_table_free(&t);
	dbp_table_init(&t);
	add(&t, 1, 0, "sleep", "sleep", 0, 0, 1);
	dbp_table_sort(&t);
	assert_null(dbp_postmaster_find(&t, 0, NULL));
	dbp_table_free(&t);
}

static void test_postmaster_as_exposed_as_children_is_dbo305(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;

	(void)state;
	pg_table(&t, 900, 900);
	init_in(&in, NULL);
	in.postmaster = 1;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_non_null(find(&r, "DBO305"));
	assert_int_equal(find(&r, "DBO305")->severity, DBP_WARNING);
	assert_int_equal(find(&r, "DBO305")->pid, 1);
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_protected_postmaster_passes(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;
	struct dbp_pg_oom_env env = { .rc = 0, .file_set = 1, .value_set = 1,
				      .file = "/proc/self/oom_score_adj", .value = "0" };

	(void)state;
	pg_table(&t, -1000, 0);
	init_in(&in, NULL);
	in.postmaster = 1;
	in.pg_env = &env;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_null(find(&r, "DBO305"));
	assert_null(find(&r, "DBO306"));
	assert_null(find(&r, "DBO307"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_negative_adj_inherited_without_env_is_dbo306(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;
	struct dbp_pg_oom_env env = { .rc = 0 };

	(void)state;
	pg_table(&t, -997, -997);
	init_in(&in, NULL);
	in.postmaster = 1;
	in.pg_env = &env;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_non_null(find(&r, "DBO306"));
	assert_non_null(strstr(find(&r, "DBO306")->message, "PG_OOM_ADJUST_FILE is not set"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_negative_adj_reset_in_children_is_fine(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;

	(void)state;
	pg_table(&t, -997, 0);
	init_in(&in, NULL);
	in.postmaster = 1;	/* environ not readable: the children decide */
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_null(find(&r, "DBO306"));
	assert_null(find(&r, "DBO305"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_besteffort_database_is_critical_burstable_high_warning(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;

	(void)state;
	pg_table(&t, 1000, 1000);
	init_in(&in, NULL);
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_int_equal(find(&r, "DBO307")->severity, DBP_CRITICAL);
	/* the server only, not each child */
	assert_int_equal((int)dbp_report_count(&r, DBP_CRITICAL), 1);
	dbp_report_free(&r);
	dbp_table_free(&t);

	pg_table(&t, 900, 900);
	in.mem_total = 16ULL << 30;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_int_equal(find(&r, "DBO307")->severity, DBP_WARNING);
	assert_non_null(strstr(find(&r, "DBO307")->message, "about 10.0%"));
	dbp_report_free(&r);
	dbp_table_free(&t);

	pg_table(&t, 300, 300);		/* a large request: no finding */
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_null(find(&r, "DBO307"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_only_pids_limits_process_findings(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;
	pid_t only[] = { 20 };

	(void)state;
	pg_table(&t, 1000, 1000);
	init_in(&in, NULL);
	in.postmaster = 1;
	in.only = only;
	in.nonly = 1;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_null(find(&r, "DBO307"));
	assert_null(find(&r, "DBO305"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_hidden_processes_are_unknown_not_ok(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_oom_input in;
	pid_t only[] = { 1 };

	(void)state;
	/* what nobody sees under hidepid=2: itself */
	dbp_table_init(&t);
	add(&t, 77, 0, "dbpod", "dbpod", 0, 0, 1000);
	dbp_table_sort(&t);
	init_in(&in, NULL);
	in.partial = 1;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_int_equal(find(&r, "DBO310")->severity, DBP_UNKNOWN);
	assert_non_null(strstr(find(&r, "DBO310")->message, "Only 1 process of"));
	assert_int_equal(dbp_severity_exit(dbp_report_status(&r)), 3);
	dbp_report_free(&r);

	/* a PID asked for is hidden, not gone */
	in.only = only;
	in.nonly = 1;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_null(find(&r, "DBO310"));
	assert_int_equal(find(&r, "DBO300")->severity, DBP_UNKNOWN);
	assert_non_null(strstr(find(&r, "DBO300")->message, "not visible"));
	assert_null(strstr(find(&r, "DBO300")->message, "exited"));
	dbp_report_free(&r);

	/* without hidepid it is gone */
	in.partial = 0;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_non_null(strstr(find(&r, "DBO300")->message, "exited"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void judge_cg(const struct dbp_cgroup_mem *cg, struct dbp_report *r,
		     double warn, double crit)
{
	struct dbp_oom_input in;

	init_in(&in, cg);
	in.warn_pct = warn;
	in.crit_pct = crit;
	dbp_report_init(r, "oomscore");
	dbp_rules_oomscore(NULL, &in, r);
}

static void test_recorded_kills_are_critical(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 1, .have = DBP_CG_OOM_KILL | DBP_CG_LIMIT,
				     .limit = DBP_CG_UNLIMITED, .oom_kill = 1 };
	struct dbp_report r;

	(void)state;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO302")->severity, DBP_CRITICAL);
	assert_non_null(find(&r, "DBO309"));	/* and no limit, as a fact */
	dbp_report_free(&r);

	cg.version = 2;
	cg.oom_kill = 0;
	cg.have |= DBP_CG_GROUP_KILL | DBP_CG_OOM;
	cg.oom_group_kill = 1;
	judge_cg(&cg, &r, 80, 90);
	assert_non_null(strstr(find(&r, "DBO302")->message, "oom_group_kill 1"));
	dbp_report_free(&r);
}

static void test_limit_hit_without_kill(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2, .have = DBP_CG_OOM | DBP_CG_OOM_KILL, .oom = 2 };
	struct dbp_report r;

	(void)state;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO303")->severity, DBP_WARNING);
	assert_null(find(&r, "DBO302"));
	dbp_report_free(&r);

	memset(&cg, 0, sizeof(cg));
	cg.version = 1;
	cg.have = DBP_CG_FAILCNT;
	cg.failcnt = 5;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO303")->severity, DBP_INFO);
	dbp_report_free(&r);
}

static void test_working_set_thresholds(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2, .have = DBP_CG_LIMIT | DBP_CG_USAGE | DBP_CG_INACTIVE,
				     .limit = 1000, .usage = 900, .inactive_file = 50 };
	struct dbp_report r;

	(void)state;
	assert_true(dbp_oom_working_pct(&cg) > 84.9 && dbp_oom_working_pct(&cg) < 85.1);
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO304")->severity, DBP_WARNING);
	dbp_report_free(&r);
	judge_cg(&cg, &r, 50, 85);
	assert_int_equal(find(&r, "DBO304")->severity, DBP_CRITICAL);
	dbp_report_free(&r);
	judge_cg(&cg, &r, 86, 95);
	assert_null(find(&r, "DBO304"));
	dbp_report_free(&r);
	cg.limit = DBP_CG_UNLIMITED;	/* no limit: no percentage */
	assert_true(dbp_oom_working_pct(&cg) < 0);
}

static void test_oom_group_is_warning(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2, .have = DBP_CG_OOM_GROUP, .oom_group = 1 };
	struct dbp_report r;

	(void)state;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO308")->severity, DBP_WARNING);
	dbp_report_free(&r);
	cg.oom_group = 0;
	judge_cg(&cg, &r, 80, 90);
	assert_null(find(&r, "DBO308"));
	dbp_report_free(&r);
}

static void test_unreadable_parts_are_info(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2, .nerrors = 1,
				     .errors = { { "memory.max", -EINVAL } } };
	struct dbp_report r;
	struct dbp_oom_input in;

	(void)state;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO301")->severity, DBP_INFO);
	assert_int_equal(dbp_severity_exit(dbp_report_status(&r)), 0);	/* exit 0, not 3 */
	dbp_report_free(&r);

	init_in(&in, NULL);
	in.cg_err = -ENOENT;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(NULL, &in, &r);
	assert_non_null(find(&r, "DBO301"));
	dbp_report_free(&r);
}

static void test_no_memory_controller_is_a_fact(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 0 };
	struct dbp_report r;

	(void)state;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO309")->severity, DBP_INFO);
	assert_int_equal((int)r.n, 1);
	dbp_report_free(&r);
	/* in a cgroup whose hierarchy is not mounted here: unknown, not "no limit" */
	cg.unmounted = 1;
	judge_cg(&cg, &r, 80, 90);
	assert_int_equal(find(&r, "DBO309")->severity, DBP_UNKNOWN);
	assert_null(strstr(find(&r, "DBO309")->message, "no container memory limit applies"));
	dbp_report_free(&r);
}

/* whose adj tells the QoS: the postmaster, else the first database
 * process that is not a zombie, else PID 1 */
static void test_qos_source(void **state)
{
	struct dbp_table t;
	struct dbp_qos_reading q;
	struct dbp_proc *p;

	(void)state;
	dbp_table_init(&t);
	add(&t, 1, 0, "tini", "tini", 0, -997, 100);
	add(&t, 7, 1, "postgres", "postgres", 600, 900, 30000);
	add(&t, 8, 7, "postgres", "postgres: checkpointer", 610, 0, 9000);
	dbp_table_sort(&t);
	dbp_oom_qos_source(&t, 7, &q);
	assert_int_equal(q.pid, 7);
	assert_int_equal(q.adj, 900);
	assert_int_equal(q.qos, DBP_QOS_BURSTABLE);
	/* no postmaster found: the first database process */
	dbp_oom_qos_source(&t, 0, &q);
	assert_int_equal(q.pid, 7);
	dbp_table_free(&t);

	/* a zombie server is not the container's: PID 1 is */
	dbp_table_init(&t);
	add(&t, 1, 0, "tini", "tini", 0, -997, 100);
	p = add(&t, 7, 1, "mysqld", "mysqld", 600, 1000, 30000);
	p->state = 'Z';
	dbp_table_sort(&t);
	dbp_oom_qos_source(&t, 0, &q);
	assert_int_equal(q.pid, 1);
	assert_int_equal(q.qos, DBP_QOS_GUARANTEED);
	/* PID 1's OOM values not readable: no reading at all */
	t.procs[0].have &= ~DBP_HAVE_OOM;
	dbp_oom_qos_source(&t, 0, &q);
	assert_int_equal(q.pid, 0);
	assert_int_equal(q.qos, DBP_QOS_NONE);
	dbp_table_free(&t);
}

/* neither the table nor the cgroup: one unknown finding, nothing else */
static void test_nothing_readable_is_unknown(void **state)
{
	struct dbp_oom_input in;
	struct dbp_report r;
	pid_t only[] = { 5 };

	(void)state;
	init_in(&in, NULL);
	in.cg_err = -ENOENT;
	in.only = only;
	in.nonly = 1;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(NULL, &in, &r);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.items[0].id, "DBO301");
	assert_int_equal(r.items[0].severity, DBP_UNKNOWN);
	assert_string_equal(r.items[0].message, "Neither the process table nor the cgroup "
			    "could be read: nothing to judge.");
	dbp_report_free(&r);
}

/* PIDs asked for: gone is info while something is judged; when none is
 * there and there is no cgroup, nothing is judged and each is unknown */
static void test_asked_pids_gone(void **state)
{
	struct dbp_cgroup_mem cg = { .version = 2, .have = DBP_CG_LIMIT, .limit = DBP_CG_UNLIMITED };
	struct dbp_oom_input in;
	struct dbp_report r;
	struct dbp_table t;
	pid_t gone[] = { 5, 6 }, mixed[] = { 5, 20 };

	(void)state;
	pg_table(&t, 0, 0);
	t.procs[2].state = 'Z';		/* PID 21, a zombie */
	init_in(&in, NULL);
	in.only = gone;
	in.nonly = 2;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_int_equal(r.items[0].severity, DBP_UNKNOWN);
	assert_int_equal(r.items[1].severity, DBP_UNKNOWN);
	dbp_report_free(&r);
	/* one of them is there */
	in.only = mixed;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_int_equal(find(&r, "DBO300")->severity, DBP_INFO);
	dbp_report_free(&r);
	/* none is there, but the cgroup is judged */
	init_in(&in, &cg);
	in.only = gone;
	in.nonly = 2;
	dbp_report_init(&r, "oomscore");
	dbp_rules_oomscore(&t, &in, &r);
	assert_int_equal(find(&r, "DBO300")->severity, DBP_INFO);
	dbp_report_free(&r);
	dbp_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qos_from_adj),
		cmocka_unit_test(test_burstable_request_is_share_of_node),
		cmocka_unit_test(test_kill_order_by_score_then_rss),
		cmocka_unit_test(test_postmaster_is_found),
		cmocka_unit_test(test_postmaster_as_exposed_as_children_is_dbo305),
		cmocka_unit_test(test_protected_postmaster_passes),
		cmocka_unit_test(test_negative_adj_inherited_without_env_is_dbo306),
		cmocka_unit_test(test_negative_adj_reset_in_children_is_fine),
		cmocka_unit_test(test_besteffort_database_is_critical_burstable_high_warning),
		cmocka_unit_test(test_only_pids_limits_process_findings),
		cmocka_unit_test(test_hidden_processes_are_unknown_not_ok),
		cmocka_unit_test(test_recorded_kills_are_critical),
		cmocka_unit_test(test_limit_hit_without_kill),
		cmocka_unit_test(test_working_set_thresholds),
		cmocka_unit_test(test_oom_group_is_warning),
		cmocka_unit_test(test_unreadable_parts_are_info),
		cmocka_unit_test(test_no_memory_controller_is_a_fact),
		cmocka_unit_test(test_qos_source),
		cmocka_unit_test(test_nothing_readable_is_unknown),
		cmocka_unit_test(test_asked_pids_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
