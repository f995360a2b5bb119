/* The lint readers and rules: lib/lint/yamldoc.c, compose.c, k8s.c,
 * lintread.c, lintignore.c, lintconfig.c, lintunit.c and rules_lint.c. */
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

#include "lint/lintconfig.h"
#include "lint/lintread.h"
#include "lint/rules_lint.h"
#include "rules_oomscore.h"
#include "lint/yamldoc.h"

static const struct dbp_lint_opts defaults = { DBP_DB_NONE, 0, DBP_LINT_MIN_GRACE, 0, -1 };

static int lint_read(const char *text, struct dbp_lintfile *lf, enum dbp_lint_kind *kind)
{
	return dbp_lint_read("x.yaml", text, strlen(text), NULL, DBP_LINT_AUTO, lf, kind);
}

/* "ID:severity:line" of every finding, in order, into buf */
static const char *judge(const char *text, const struct dbp_lint_opts *o, char *buf, size_t size)
{
	struct dbp_lintfile lf;
	struct dbp_report r;
	enum dbp_lint_kind kind;
	size_t at = 0;

	assert_int_equal(lint_read(text, &lf, &kind), 0);
	dbp_report_init(&r, "lint");
	for (size_t i = 0; i < lf.units.n; i++)
		dbp_rules_lint(&lf.units.items[i], o, "x.yaml", &r, NULL);
	dbp_ignores_apply(&r, 0, &lf.ignores, "x.yaml", 1);
	buf[0] = '\0';
	for (size_t i = 0; i < r.n; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s:%s:%d", i ? "," : "", r.items[i].id,
				       dbp_severity_name(r.items[i].severity), r.items[i].line);
	dbp_report_free(&r);
	dbp_lintfile_free(&lf);
	return buf;
}

static void test_quantities_sizes_durations(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(dbp_parse_quantity("2Gi", 0, &v), 0);
	assert_true(v == 2147483648LL);
	assert_int_equal(dbp_parse_quantity("500m", 1, &v), 0);
	assert_true(v == 500);
	assert_int_equal(dbp_parse_quantity("1", 1, &v), 0);
	assert_true(v == 1000);
	assert_int_equal(dbp_parse_quantity("1e3", 0, &v), 0);
	assert_true(v == 1000);
	assert_int_equal(dbp_parse_quantity("2Gb", 0, &v), -EINVAL);
	assert_int_equal(dbp_parse_quantity("-1", 0, &v), -EINVAL);
	assert_int_equal(dbp_parse_bytes("512m", &v), 0);
	assert_true(v == 536870912LL);
	assert_int_equal(dbp_parse_bytes("1gb", &v), 0);
	assert_true(v == 1073741824LL);
	assert_int_equal(dbp_parse_bytes("lots", &v), -EINVAL);
	assert_int_equal(dbp_parse_duration("1m30s", &v), 0);
	assert_true(v == 90);
	assert_int_equal(dbp_parse_duration("1h", &v), 0);
	assert_true(v == 3600);
	assert_int_equal(dbp_parse_duration("500ms", &v), 0);
	assert_true(v == 0);
	assert_int_equal(dbp_parse_duration("10", &v), -EINVAL);
	assert_int_equal(dbp_parse_duration("soon", &v), -EINVAL);
}

static void test_kind_detection(void **state)
{
	struct dbp_lintfile lf;
	enum dbp_lint_kind k;

	(void)state;
	assert_int_equal(lint_read("services:\n  db:\n    image: postgres\n", &lf, &k), 0);
	assert_int_equal(k, DBP_LINT_COMPOSE);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read("---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n",
				   &lf, &k), 0);
	assert_int_equal(k, DBP_LINT_K8S);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read("# c\nfrom postgres:16\n", &lf, &k), 0);
	assert_int_equal(k, DBP_LINT_DOCKERFILE);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read(" [{\"Config\":{}}]", &lf, &k), 0);
	assert_int_equal(k, DBP_LINT_INSPECT);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read("a: [1\n", &lf, &k), -EINVAL);
	assert_true(lf.err_line > 0);
	assert_int_equal(lint_read("just: text\n", &lf, &k), -EINVAL);
	assert_non_null(strstr(lf.why, "neither"));
	assert_int_equal(dbp_lint_read("Dockerfile.prod", "RUN x\n", 6, NULL, DBP_LINT_AUTO, &lf, &k), -EINVAL);
	assert_int_equal(k, DBP_LINT_DOCKERFILE);
}

static void test_helm_templates_and_operator_resources(void **state)
{
	struct dbp_lintfile lf;
	enum dbp_lint_kind k;

	(void)state;
	/* a template from its first byte is Kubernetes YAML to be rendered,
	 * not inspect JSON; the document without actions is read */
	assert_int_equal(lint_read("{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\n"
				   "metadata: {name: a}\n{{- end }}\n---\napiVersion: v1\nkind: Pod\n"
				   "metadata: {name: b}\nspec: {containers: [{name: c, image: x}]}\n",
				   &lf, &k), 0);
	assert_int_equal(k, DBP_LINT_K8S);
	assert_int_equal(lf.template_docs, 1);
	assert_int_equal(lf.template_at.line, 1);
	assert_int_equal(lf.units.n, 1);
	assert_int_equal(lf.units.items[0].at.line, 10);	/* lines kept */
	dbp_lintfile_free(&lf);
	/* {{ in a quoted string or a block scalar, or in JSON, is data */
	assert_int_equal(lint_read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"{{x}}\"\n"
				   "data:\n  t: |\n    {{ .Labels.a }}\n", &lf, &k), 0);
	assert_int_equal(lf.template_docs, 0);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read("[{\"Config\": {\"Labels\": {\"f\": \"{{.Name}}\"}, "
				   "\"Cmd\": [\"postgres\"]}}]", &lf, &k), 0);
	assert_int_equal(k, DBP_LINT_INSPECT);
	assert_int_equal(lf.template_docs, 0);
	dbp_lintfile_free(&lf);
	/* an operator's custom resource is recorded, not a unit */
	assert_int_equal(lint_read("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n"
				   "metadata: {name: pg}\nspec: {instances: 3}\n", &lf, &k), 0);
	assert_int_equal(lf.units.n, 0);
	assert_int_equal(lf.ncrs, 1);
	assert_string_equal(lf.crs[0].name, "pg");
	assert_int_equal(lf.crs[0].at.line, 2);
	dbp_lintfile_free(&lf);
}

static void test_compose_service(void **state)
{
	struct dbp_lintfile lf;
	enum dbp_lint_kind k;
	const struct dbp_unit *u;

	(void)state;
	assert_int_equal(lint_read("x-d: &d\n  image: postgres:16\n  stop_grace_period: 1m30s\n"
				   "services:\n  db:\n    <<: *d\n    init: true\n    command: postgres -c 'a=b c'\n"
				   "    environment: [\"PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj\"]\n"
				   "    deploy: {resources: {limits: {memory: 1g}}}\n    pid: \"service:x\"\n", &lf, &k), 0);
	assert_int_equal(lf.units.n, 1);
	u = &lf.units.items[0];
	assert_string_equal(u->img.name, "service db");
	assert_int_equal(u->at.line, 5);
	assert_int_equal(u->img.init, 1);
	assert_true(u->grace == 90);
	assert_int_equal(u->grace_at.line, 3);
	assert_string_equal(u->img.cmd[2], "a=b c");	/* split as a shell would, not run by one */
	assert_null(u->img.cmd[3]);
	assert_int_equal(u->img.db, DBP_DB_POSTGRES);
	assert_true(u->mem_limit == 1073741824LL);
	assert_int_equal(u->pg_oom_file, 1);
	assert_int_equal(u->share_pid, 2);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read("services:\n  db:\n    image: x\n    command: \"a 'b\"\n", &lf, &k), -EINVAL);
	assert_non_null(strstr(lf.why, "services.db.command"));
	assert_int_equal(lf.err_line, 4);
}

static void test_k8s_pod_qos_grace_prestop(void **state)
{
	struct dbp_lintfile lf;
	enum dbp_lint_kind k;

	(void)state;
	assert_int_equal(lint_read(
		"apiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1\n  kind: CronJob\n"
		"  metadata: {name: c}\n  spec:\n    jobTemplate:\n      spec:\n        template:\n"
		"          spec:\n            terminationGracePeriodSeconds: 120\n            containers:\n"
		"            - name: a\n              image: redis:7\n              resources:\n"
		"                requests: {cpu: 100m, memory: 1Gi}\n                limits: {cpu: \"0.1\", memory: 1Gi}\n"
		"              lifecycle: {preStop: {exec: {command: [pg_ctl, stop, -D, /d]}}, stopSignal: SIGINT}\n"
		"            - name: b\n              image: busybox\n              command: [sh, -c]\n"
		"              args: [\"sleep 1\"]\n              resources: {limits: {cpu: 1, memory: 1Mi}}\n",
		&lf, &k), 0);
	assert_int_equal(lf.units.n, 2);
	assert_string_equal(lf.units.items[0].img.name, "CronJob c, container a");
	assert_true(lf.units.items[0].grace == 120);
	assert_int_equal(lf.units.items[0].qos, DBP_QOS_GUARANTEED);
	assert_int_equal(lf.units.items[0].prestop, 2);
	assert_string_equal(lf.units.items[0].img.stop_signal, "SIGINT");
	assert_int_equal(lf.units.items[0].img.db, DBP_DB_REDIS);
	assert_int_equal(lf.units.items[1].img.db, DBP_DB_NONE);
	assert_string_equal(lf.units.items[1].img.cmd[0], "sleep 1");
	dbp_lintfile_free(&lf);
	/* a request below the limit: Burstable; none anywhere: BestEffort */
	assert_int_equal(lint_read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
				   "  - {name: a, image: x, resources: {requests: {memory: 1Gi}, limits: {memory: 2Gi}}}\n",
				   &lf, &k), 0);
	assert_int_equal(lf.units.items[0].qos, DBP_QOS_BURSTABLE);
	dbp_lintfile_free(&lf);
	assert_int_equal(lint_read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
				   "  terminationGracePeriodSeconds: soon\n  containers: []\n", &lf, &k), -EINVAL);
	assert_int_equal(lf.err_line, 5);
}

static void test_rules_kubernetes_postgres(void **state)
{
	char buf[1024];
	struct dbp_lint_opts o = defaults;

	(void)state;
	/* defaults everywhere */
	assert_string_equal(judge("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
				  "  - name: pg\n    image: postgres:16\n", &defaults, buf, sizeof(buf)),
			    "DBI603:warning:6,DBK701:warning:6,DBK702:info:6,DBO309:warning:6,DBO307:critical:6");
	/* all set: nothing to say */
	assert_string_equal(judge("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
				  "  terminationGracePeriodSeconds: 120\n  shareProcessNamespace: false\n"
				  "  containers:\n  - name: pg\n    image: postgres:16\n    lifecycle: {stopSignal: SIGINT}\n"
				  "    env: [{name: PG_OOM_ADJUST_FILE, value: /proc/self/oom_score_adj}]\n"
				  "    command: [tini, --, docker-entrypoint.sh, postgres]\n"
				  "    resources: {limits: {cpu: 2, memory: 4Gi}}\n", &defaults, buf, sizeof(buf)), "");
	/* Guaranteed without PG_OOM_ADJUST_FILE; a grace of 0, SIGKILL right
	 * after the signal whatever the image runs; shared PID namespace */
	assert_string_equal(judge("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
				  "  terminationGracePeriodSeconds: 0\n  shareProcessNamespace: true\n"
				  "  containers:\n  - name: pg\n    image: postgres:16\n"
				  "    lifecycle: {preStop: {exec: {command: [sh, -c, \"kill -INT 1\"]}}}\n"
				  "    resources: {limits: {cpu: 2, memory: 4Gi}}\n", &defaults, buf, sizeof(buf)),
			    "DBI613:critical:8,DBK701:critical:5,DBK703:info:6,DBO306:warning:8");
	/* the profile and the minimum grace period */
	o.generic = 1;
	assert_string_equal(judge("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
				  "  - name: pg\n    image: postgres:16\n", &o, buf, sizeof(buf)), "");
	o.generic = 0;
	o.min_grace = 10;
	assert_string_equal(judge("services:\n  r:\n    image: redis\n    init: true\n    mem_limit: 1g\n",
				  &o, buf, sizeof(buf)), "");
	o.min_grace = 11;
	assert_string_equal(judge("services:\n  r:\n    image: redis\n    init: true\n    mem_limit: 1g\n",
				  &o, buf, sizeof(buf)), "DBK701:warning:2");
}

static void test_yaml_comment_and_annotation_ignores(void **state)
{
	char buf[1024];

	(void)state;
	/* the comment covers the service below it, not the next one */
	assert_string_equal(judge("services:\n  # dbpod ignore=DBO309,DBK701 reason: a cache\n  a:\n"
				  "    image: redis\n    init: true\n  b:\n    image: redis\n    init: true\n",
				  &defaults, buf, sizeof(buf)), "DBK701:warning:6,DBO309:warning:6");
	assert_string_equal(judge("services:\n  # dbpod ignore=DBO309\n  a:\n    image: redis\n    init: true\n"
				  "    stop_grace_period: 1m\n", &defaults, buf, sizeof(buf)),
			    "DBO309:warning:3,DBI690:warning:2");
	assert_string_equal(judge("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
				  "    dbpod.io/ignore: \"DBI603, DBO307: a CI database\"\nspec:\n  shareProcessNamespace: true\n"
				  "  terminationGracePeriodSeconds: 60\n  containers:\n  - {name: m, image: mysql}\n",
				  &defaults, buf, sizeof(buf)), "DBK703:info:8,DBO309:warning:11");
}

static void test_ignore_parse(void **state)
{
	struct dbp_ignore ig;

	(void)state;
	assert_int_equal(dbp_ignore_parse(" dbpod ignore=dbi601 reason:  why not ", 38, 0, &ig), 1);
	assert_string_equal(ig.ids, "DBI601");
	assert_string_equal(ig.reason, "why not");
	free(ig.reason);
	assert_int_equal(dbp_ignore_parse(" just a comment", 15, 0, &ig), 0);
	assert_int_equal(dbp_ignore_parse(" dbpod ignore=", 14, 0, &ig), 0);
	assert_int_equal(dbp_ignore_parse("DBI601", 6, 1, &ig), 1);
	assert_string_equal(ig.reason, "");
	free(ig.reason);
}

static void test_config_file(void **state)
{
	struct dbp_lintconfig c;
	char why[256];
	const char *good = "ignore: [DBI602, DBK703]\nseverity:\n  DBI604: critical\n"
			   "failure-threshold: none\nprofile: redis\nmin-grace-period: 2m\n";

	(void)state;
	assert_int_equal(dbp_lintconfig_parse(good, strlen(good), &c, why, sizeof(why)), 0);
	assert_string_equal(c.ignore, "DBI602,DBK703");
	assert_int_equal(c.n_overrides, 1);
	assert_string_equal(c.overrides[0].id, "DBI604");
	assert_int_equal(c.overrides[0].severity, DBP_CRITICAL);
	assert_int_equal(c.threshold, DBP_OK);
	assert_int_equal(c.profile, 2);	/* DBP_PROFILE_REDIS */
	assert_true(c.min_grace == 120);
	dbp_lintconfig_free(&c);
	assert_int_equal(dbp_lintconfig_parse("", 0, &c, why, sizeof(why)), 0);
	assert_int_equal(c.threshold, -1);
	assert_int_equal(dbp_lintconfig_parse("profile: oracle\n", 16, &c, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "line 1: profile: postgres, mysql, mongodb, redis or generic expected");
	assert_int_equal(dbp_lintconfig_parse("- a\n", 4, &c, why, sizeof(why)), -EINVAL);
	assert_int_equal(dbp_lintconfig_parse("a: [\n", 5, &c, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "line 2"));
}

static void test_report_threshold_and_override(void **state)
{
	struct dbp_report r;

	(void)state;
	dbp_report_init(&r, "lint");
	dbp_report_add(&r, "A", DBP_INFO, 0, "a");
	assert_int_equal(dbp_report_exit_threshold(&r, DBP_WARNING), 0);
	assert_int_equal(dbp_report_exit_threshold(&r, DBP_INFO), 1);
	dbp_report_add(&r, "B", DBP_WARNING, 0, "b");
	assert_int_equal(dbp_report_exit_threshold(&r, DBP_CRITICAL), 0);
	assert_int_equal(dbp_report_override(&r, "b", DBP_CRITICAL), 1);
	assert_int_equal(dbp_report_exit_threshold(&r, DBP_CRITICAL), 2);
	assert_int_equal(dbp_report_exit_threshold(&r, DBP_OK), 0);
	dbp_report_add(&r, "C", DBP_UNKNOWN, 0, "c");
	assert_int_equal(dbp_report_exit_threshold(&r, DBP_OK), 3);
	dbp_finding_locate(&r.items[0], "f", 3, 0);
	assert_string_equal(r.items[0].file, "f");
	assert_int_equal(r.items[0].line, 3);
	assert_int_equal(dbp_severity_parse("Warning"), DBP_WARNING);
	assert_int_equal(dbp_severity_parse("fatal"), -EINVAL);
	assert_int_equal(dbp_threshold_parse("none"), DBP_OK);
	dbp_report_free(&r);
}

/* load text, expecting rc; why must contain want when rc < 0 */
static void yaml_expect(const char *text, int rc, const char *want, int line)
{
	struct dbp_yaml y;
	char why[256] = "";
	int l, c;

	assert_int_equal(dbp_yaml_load(text, strlen(text), &y, why, sizeof(why), &l, &c), rc);
	if (rc == 0) {
		dbp_yaml_free(&y);
		return;
	}
	if (!strstr(why, want))
		fail_msg("'%s' does not say '%s'", why, want);
	assert_int_equal(l, line);
}

static char *nested(const char *open, const char *close, int depth)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc((lo + lc) * (size_t)depth + 2), *p = s;

	for (int i = 0; i < depth; i++, p += lo)
		memcpy(p, open, lo);
	*p++ = '1';
	for (int i = 0; i < depth; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

static void test_yaml_limits(void **state)
{
	struct dbp_yaml y;
	char why[256], *s;
	int l, c;

	(void)state;
	/* nesting: 100 collections are read, 101 are not */
	s = nested("[", "]", DBP_YAML_MAX_DEPTH);
	yaml_expect(s, 0, NULL, 0);
	free(s);
	s = nested("{a: ", "}", DBP_YAML_MAX_DEPTH + 1);
	yaml_expect(s, -EINVAL, "nested more than 100 levels deep", 1);
	free(s);
	s = nested("- ", "", DBP_YAML_MAX_DEPTH + 1);
	yaml_expect(s, -EINVAL, "nested more than 100 levels deep", 1);
	free(s);
	/* aliases: each use counts what it names */
	yaml_expect("a: &a [1, 2, 3]\nb: [*a, *a]\n", 0, NULL, 0);
	yaml_expect("a: &a [[[[[[[[[[1]]]]]]]]]]\n"
		    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		    "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
		    -EINVAL, "more than 1000000 nodes", 6);
	yaml_expect("a: &a [1, *a]\n", -EINVAL, "the alias *a is inside the collection it names", 1);
	yaml_expect("a: &a {b: {c: *a}}\n", -EINVAL, "inside the collection", 1);
	yaml_expect("a: *nowhere\n", -EINVAL, "the alias *nowhere has no anchor &nowhere", 1);
	/* anchors of one document are not another's */
	yaml_expect("a: &a 1\n---\nb: *a\n", -EINVAL, "has no anchor", 3);
	/* merges: eight deep are followed, nine are refused */
	yaml_expect("a: &a {x: 1}\nb: &b {<<: *a}\nc: &c {<<: *b}\nd: &d {<<: *c}\n"
		    "e: &e {<<: *d}\nf: &f {<<: *e}\ng: &g {<<: *f}\nh: &h {<<: *g}\n"
		    "i: {<<: [*h, *a]}\n", 0, NULL, 0);
	yaml_expect("a: &a {x: 1}\nb: &b {<<: *a}\nc: &c {<<: *b}\nd: &d {<<: *c}\n"
		    "e: &e {<<: *d}\nf: &f {<<: *e}\ng: &g {<<: *f}\nh: &h {<<: *g}\n"
		    "i: &i {<<: *h}\nj: {<<: [*a, *i]}\n", -EINVAL, "merge keys (<<) nested more than 8 deep", 10);
	/* an anchor named again means its latest node (YAML 1.2) */
	s = "a: &a 1\nb: &a 2\nc: *a\n";
	assert_int_equal(dbp_yaml_load(s, strlen(s), &y, why, sizeof(why), &l, &c), 0);
	assert_string_equal(dbp_yaml_str(dbp_yaml_get(&y.docs[0], dbp_yaml_root(&y, 0), "c")), "2");
	dbp_yaml_free(&y);
	/* the merged keys are found through the composed document */
	s = "x: &x {image: postgres, init: true}\nservices: {db: {<<: *x, init: false}}\n";
	assert_int_equal(dbp_yaml_load(s, strlen(s), &y, why, sizeof(why), &l, &c), 0);
	{
		yaml_document_t *d = &y.docs[0];
		yaml_node_t *db = dbp_yaml_path(d, dbp_yaml_root(&y, 0), "services", "db", NULL);

		assert_string_equal(dbp_yaml_str(dbp_yaml_get(d, db, "image")), "postgres");
		assert_int_equal(dbp_yaml_bool(dbp_yaml_get(d, db, "init")), 0);
		assert_int_equal(db->start_mark.line, 1);
	}
	dbp_yaml_free(&y);
}

static void test_lint_unit_limit(void **state)
{
	struct dbp_lintfile lf;
	enum dbp_lint_kind kind;
	size_t n = DBP_LINT_MAX_UNITS + 1, at;
	char *s = malloc(n * 8 + 128);

	(void)state;
	at = (size_t)sprintf(s, "apiVersion: v1\nkind: Pod\nspec:\n  containers: [");
	for (size_t i = 0; i < n; i++)
		at += (size_t)sprintf(s + at, "%s{}", i ? "," : "");
	strcpy(s + at, "]\n");
	assert_int_equal(lint_read(s, &lf, &kind), -EINVAL);
	assert_non_null(strstr(lf.why, "more than 10000 containers to judge"));
	assert_int_equal(lf.err_line, 4);
	/* as many as the limit are judged */
	strcpy(s + at - 3, "]\n");
	assert_int_equal(lint_read(s, &lf, &kind), 0);
	assert_int_equal(lf.units.n, DBP_LINT_MAX_UNITS);
	dbp_lintfile_free(&lf);
	free(s);
}

static void touch(const char *dir, const char *name)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
}

static void test_config_find_and_trust(void **state)
{
	char top[] = "/tmp/dbpod-lintcfg.XXXXXX", sub[128], path[256], want[256], why[128];
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(top));
	snprintf(sub, sizeof(sub), "%s/a/b", top);
	snprintf(path, sizeof(path), "%s/a", top);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	/* no .git: the directory itself only */
	touch(top, ".dbpod.yaml");
	assert_int_equal(dbp_lintconfig_find(sub, path, sizeof(path)), 0);
	touch(sub, ".dbpod.yaml");
	assert_int_equal(dbp_lintconfig_find(sub, path, sizeof(path)), 1);
	snprintf(want, sizeof(want), "%s/.dbpod.yaml", sub);
	assert_string_equal(path, want);
	/* a .git (a file, as in a worktree) makes its directory the root */
	snprintf(want, sizeof(want), "%s/.dbpod.yaml", sub);
	unlink(want);
	touch(top, ".git");
	assert_int_equal(dbp_lintconfig_find(sub, path, sizeof(path)), 1);
	snprintf(want, sizeof(want), "%s/.dbpod.yaml", top);
	assert_string_equal(path, want);
	/* whatever stands there is found, for the caller to refuse */
	unlink(want);
	assert_int_equal(mkdir(want, 0755), 0);
	assert_int_equal(dbp_lintconfig_find(sub, path, sizeof(path)), 1);
	rmdir(want);
	assert_int_equal(dbp_lintconfig_find(sub, path, sizeof(path)), 0);

	/* trust: the caller's or root's, not writable by others */
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFREG | 0644;
	st.st_uid = 1000;
	assert_int_equal(dbp_lintconfig_trusted(&st, 1000, why, sizeof(why)), 1);
	st.st_uid = 0;
	assert_int_equal(dbp_lintconfig_trusted(&st, 1000, why, sizeof(why)), 1);
	st.st_uid = 1001;
	assert_int_equal(dbp_lintconfig_trusted(&st, 1000, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "owned by uid 1001"));
	assert_int_equal(dbp_lintconfig_trusted(&st, 0, why, sizeof(why)), 0);
	st.st_uid = 1000;
	st.st_mode = S_IFREG | 0646;
	assert_int_equal(dbp_lintconfig_trusted(&st, 1000, why, sizeof(why)), 0);
	assert_string_equal(why, "anyone may write it (mode 0646)");
	st.st_mode = S_IFREG | 0664;	/* a user private group's umask */
	assert_int_equal(dbp_lintconfig_trusted(&st, 1000, why, sizeof(why)), 1);
	snprintf(path, sizeof(path), "rm -rf '%s'", top);
	assert_int_equal(system(path), 0);
}

static void test_ignore_index(void **state)
{
	static const struct { const char *text; int from, to; } in[] = {
		{ "dbpod ignore=DBI601,dbk701 reason: a", 10, 20 },
		{ "dbpod ignore=DBI601 reason: b", 15, 30 },	/* overlaps the first */
		{ "dbpod ignore=DBI601 reason: c", 40, 40 },
		{ "dbpod ignore=DBO309", 1, 100 },		/* no reason: silences nothing */
	};
	struct dbp_ignores l = { NULL, 0, 0 };
	struct dbp_ignore_index ix;

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct dbp_ignore ig;

		assert_int_equal(dbp_ignore_parse(in[i].text, strlen(in[i].text), 0, &ig), 1);
		ig.from = in[i].from;
		ig.to = in[i].to;
		assert_int_equal(dbp_ignores_add(&l, &ig), 0);
	}
	assert_int_equal(dbp_ignore_index_build(&l, &ix), 0);
	assert_false(dbp_ignore_index_covers(&ix, "DBI601", 9));
	assert_true(dbp_ignore_index_covers(&ix, "DBI601", 10));
	assert_true(dbp_ignore_index_covers(&ix, "dbi601", 25));
	assert_true(dbp_ignore_index_covers(&ix, "DBI601", 30));
	assert_false(dbp_ignore_index_covers(&ix, "DBI601", 31));
	assert_true(dbp_ignore_index_covers(&ix, "DBI601", 40));
	assert_false(dbp_ignore_index_covers(&ix, "DBI601", 41));
	assert_true(dbp_ignore_index_covers(&ix, "DBK701", 20));
	assert_false(dbp_ignore_index_covers(&ix, "DBK701", 21));
	assert_false(dbp_ignore_index_covers(&ix, "DBO309", 50));
	assert_false(dbp_ignore_index_covers(&ix, "DBI60", 15));
	assert_false(dbp_ignore_index_covers(&ix, "DBI6011", 15));
	assert_false(dbp_ignore_index_covers(&ix, "A_VERY_LONG_ID_INDEED", 15));
	dbp_ignore_index_free(&ix);
	dbp_ignores_free(&l);
	/* none at all */
	assert_int_equal(dbp_ignore_index_build(&l, &ix), 0);
	assert_false(dbp_ignore_index_covers(&ix, "DBI601", 1));
	dbp_ignore_index_free(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantities_sizes_durations),
		cmocka_unit_test(test_kind_detection),
		cmocka_unit_test(test_helm_templates_and_operator_resources),
		cmocka_unit_test(test_compose_service),
		cmocka_unit_test(test_k8s_pod_qos_grace_prestop),
		cmocka_unit_test(test_rules_kubernetes_postgres),
		cmocka_unit_test(test_yaml_comment_and_annotation_ignores),
		cmocka_unit_test(test_ignore_parse),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_report_threshold_and_override),
		cmocka_unit_test(test_yaml_limits),
		cmocka_unit_test(test_lint_unit_limit),
		cmocka_unit_test(test_config_find_and_trust),
		cmocka_unit_test(test_ignore_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
