/* lib/lint/imageconfig.c and lib/lint/rules_image.c: inspect JSON into the model,
 * and the imagecheck rules on it. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lint/imageconfig.h"
#include "lint/rules_image.h"

static int parse(const char *text, struct dbp_images *imgs, char *why)
{
	return dbp_images_parse(text, strlen(text), imgs, why, 256);
}

static int has(const struct dbp_report *r, const char *id, enum dbp_severity sev)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].id, id) && r->items[i].severity == sev)
			return 1;
	return 0;
}

/* Parse one JSON text and run the rules on its first object. */
static void judge(const char *json, struct dbp_images *imgs, struct dbp_report *r,
		  struct dbp_image_facts *f)
{
	char why[256];

	assert_int_equal(parse(json, imgs, why), 0);
	dbp_report_init(r, "imagecheck");
	dbp_rules_image(&imgs->items[0], NULL, r, f);
}

static void done(struct dbp_images *imgs, struct dbp_report *r, struct dbp_image_facts *f)
{
	dbp_image_facts_free(f);
	dbp_report_free(r);
	dbp_images_free(imgs);
}

static void test_object_and_array_both_parse(void **state)
{
	struct dbp_images imgs;
	char why[256];

	(void)state;
	assert_int_equal(parse("{\"Config\":{\"Cmd\":[\"x\"]}}", &imgs, why), 0);
	assert_int_equal(imgs.n, 1);
	assert_string_equal(imgs.items[0].name, "image 1");
	dbp_images_free(&imgs);
	assert_int_equal(parse("[{\"RepoTags\":[\"a:1\"],\"Config\":{}},"
					  "{\"Name\":\"/b\",\"Config\":{},\"HostConfig\":{\"Init\":true}}]",
					  &imgs, why), 0);
	assert_int_equal(imgs.n, 2);
	assert_string_equal(imgs.items[0].name, "a:1");
	assert_int_equal(imgs.items[0].source, DBP_SRC_IMAGE);
	assert_int_equal(imgs.items[1].source, DBP_SRC_CONTAINER);
	assert_int_equal(imgs.items[1].init, 1);
	assert_int_equal(imgs.items[0].init, -1);
	dbp_images_free(&imgs);
}

static void test_bad_input_is_einval_with_reason(void **state)
{
	struct dbp_images imgs;
	char why[256];

	(void)state;
	assert_int_equal(parse("[{\"Config\":", &imgs, why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(parse("{\"x\":1}", &imgs, why), -EINVAL);
	assert_non_null(strstr(why, "not an inspect object"));
	assert_int_equal(parse("[]", &imgs, why), -EINVAL);
	assert_int_equal(parse("[1,2]", &imgs, why), -EINVAL);
	assert_int_equal(parse("{} {}", &imgs, why), -EINVAL);
	assert_int_equal(imgs.n, 0);
}

static void test_database_from_env_name_never_value(void **state)
{
	struct dbp_images imgs;
	char why[256];

	(void)state;
	assert_int_equal(parse("{\"Config\":{\"Cmd\":[\"run\"],\"Env\":"
					  "[\"POSTGRES_PASSWORD=hunter2\"]}}", &imgs, why), 0);
	assert_int_equal(imgs.items[0].db, DBP_DB_POSTGRES);
	assert_string_equal(imgs.items[0].db_hint, "Env POSTGRES_PASSWORD");
	assert_null(strstr(imgs.items[0].db_hint, "hunter2"));
	dbp_images_free(&imgs);
}

static void test_database_from_command_words_and_labels(void **state)
{
	struct dbp_images imgs;
	char why[256];

	(void)state;
	assert_int_equal(parse("{\"Config\":{\"Entrypoint\":[\"gosu\",\"redis\","
					  "\"/usr/local/bin/redis-server\"]}}", &imgs, why), 0);
	assert_int_equal(imgs.items[0].db, DBP_DB_REDIS);
	dbp_images_free(&imgs);
	assert_int_equal(parse("{\"config\":{\"Cmd\":[\"run\"],\"Labels\":"
					  "{\"org.opencontainers.image.title\":\"mariadb\"}}}",
					  &imgs, why), 0);
	assert_int_equal(imgs.items[0].source, DBP_SRC_OCI);
	assert_int_equal(imgs.items[0].db, DBP_DB_MYSQL);
	dbp_images_free(&imgs);
}

static void test_database_from_a_word_of_the_image_name(void **state)
{
	static const struct {
		const char *ref;
		enum dbp_db db;
	} cases[] = {
		{ "postgres:16", DBP_DB_POSTGRES },
		{ "docker.io/bitnami/postgresql-repmgr:16", DBP_DB_POSTGRES },
		{ "redislabs/redismod", DBP_DB_REDIS },
		{ "registry.opensource.zalan.do/acid/spilo-16:3.2", DBP_DB_POSTGRES },
		{ "timescale/timescaledb-ha:pg16", DBP_DB_POSTGRES },
		{ "percona/percona-server-mongodb:7.0", DBP_DB_MONGODB },
		{ "ghcr.io/zalando/postgres-operator:v1.12.0", DBP_DB_NONE },
		{ "mongo-express:1.0", DBP_DB_NONE },
		{ "quay.io/prometheus/mysqld-exporter", DBP_DB_NONE },
		{ "rediscommander/redis-commander", DBP_DB_NONE },
		{ "nginx:1.27", DBP_DB_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dbp_image img;

		memset(&img, 0, sizeof(img));
		dbp_image_db_from_ref(&img, cases[i].ref);
		assert_int_equal(img.db, cases[i].db);
	}
	{
		struct dbp_image img;

		memset(&img, 0, sizeof(img));
		assert_int_equal(dbp_image_db_from_ref(&img, "acid/spilo-16:3.2"), 1);
		assert_string_equal(img.image_init, "dumb-init");
		assert_true(img.image_stop_fast);
	}
}

static void test_shell_form_database_is_critical(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"postgres -D /d\"]}}", &imgs, &r, &f);
	assert_true(f.shell_form);
	assert_string_equal(f.pid1, "sh");
	assert_true(has(&r, "DBI601", DBP_CRITICAL));
	/* no StopSignal: SIGTERM, which sh, PID 1, drops: another stop
	 * signal would not reach the server either (no DBI604), and the
	 * server is not PID 1 (no DBI603) */
	assert_false(has(&r, "DBI604", DBP_WARNING));
	assert_false(has(&r, "DBI603", DBP_WARNING));
	done(&imgs, &r, &f);
}

static void test_daemonising_start_in_a_shell_string(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	/* pg_ctl start forks the postmaster off: sh stays PID 1 on tail */
	judge("{\"Config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"pg_ctl -D /d start && "
	      "tail -f /dev/null\"]}}", &imgs, &r, &f);
	assert_int_equal(f.db, DBP_DB_POSTGRES);
	assert_true(has(&r, "DBI614", DBP_CRITICAL));
	assert_true(has(&r, "DBI601", DBP_CRITICAL));
	assert_false(has(&r, "DBI603", DBP_WARNING));
	done(&imgs, &r, &f);
}

static void test_shell_form_passed_to_entrypoint_script(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Entrypoint\":[\"docker-entrypoint.sh\"],"
	      "\"Cmd\":[\"/bin/sh\",\"-c\",\"redis-server --port 1\"]}}", &imgs, &r, &f);
	assert_true(f.shell_form);
	assert_true(has(&r, "DBI601", DBP_CRITICAL));
	done(&imgs, &r, &f);
}

static void test_exec_in_shell_string_is_not_shell_form(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"exec app --x\"]}}", &imgs, &r, &f);
	assert_false(f.shell_form);
	assert_false(has(&r, "DBI601", DBP_WARNING));
	done(&imgs, &r, &f);
}

static void test_tini_in_front_is_ok(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Entrypoint\":[\"/sbin/tini\",\"--\",\"docker-entrypoint.sh\"],"
	      "\"Cmd\":[\"postgres\"],\"StopSignal\":\"SIGINT\"}}", &imgs, &r, &f);
	assert_true(f.init);
	assert_int_equal(r.n, 0);
	done(&imgs, &r, &f);
}

/* No init is the orphans' risk, a warning; the stop itself is graceful
 * (postgres PID 1, SIGINT), so nothing about it is critical. */
static void test_postgres_container_without_init_is_a_warning(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Cmd\":[\"postgres\"],\"StopSignal\":\"2\"},"
	      "\"HostConfig\":{\"Init\":false}}", &imgs, &r, &f);
	assert_true(has(&r, "DBI603", DBP_WARNING));
	assert_int_equal(f.nsp, 1);
	assert_int_equal(f.sp[0].outcome, DBP_OUT_GRACEFUL);
	assert_false(has(&r, "DBI613", DBP_CRITICAL) || has(&r, "DBI613", DBP_WARNING));
	assert_int_equal(f.stop_signal, 2);
	assert_false(has(&r, "DBI604", DBP_WARNING));	/* "2" is SIGINT */
	done(&imgs, &r, &f);
}

static void test_stop_signal_quit_and_garbage(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Cmd\":[\"postgres\"],\"StopSignal\":\"SIGQUIT\"}}", &imgs, &r, &f);
	assert_true(has(&r, "DBI604", DBP_WARNING));
	assert_non_null(strstr(r.items[r.n - 1].message, "immediate shutdown"));
	done(&imgs, &r, &f);
	judge("{\"Config\":{\"Cmd\":[\"postgres\"],\"StopSignal\":\"SIGNOPE\"}}", &imgs, &r, &f);
	assert_int_equal(f.stop_signal, -1);
	assert_true(has(&r, "DBI604", DBP_WARNING));
	done(&imgs, &r, &f);
}

static void test_su_in_shell_string(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"su app -c run\"]}}", &imgs, &r, &f);
	assert_true(has(&r, "DBI605", DBP_WARNING));
	done(&imgs, &r, &f);
	/* su-exec execs: not su */
	judge("{\"Config\":{\"Entrypoint\":[\"su-exec\",\"app\",\"run\"]}}", &imgs, &r, &f);
	assert_false(has(&r, "DBI605", DBP_WARNING));
	done(&imgs, &r, &f);
}

static void test_no_command_is_unknown(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Entrypoint\":null,\"Cmd\":null}}", &imgs, &r, &f);
	assert_true(has(&r, "DBI606", DBP_UNKNOWN));
	done(&imgs, &r, &f);
}


static void test_strict_json_rejects_what_json_c_lets_through(void **state)
{
	static const char *const bad[] = {
		"{\"Config\":{}} garbage", "{\"Config\":{}} x", "{'Config':{}}",
		"/* c */ {\"Config\":{}}", "{\"Config\":{\"Cmd\":[\"a\",]}}",
		"{\"Config\":{\"StopSignal\":NaN}}", "{\"Config\":{\"User\":Infinity}}",
		"{\"Config\":{},}", "{\"Config\":{\"User\":\"a\tb\"}}", "{\"Config\":{\"x\":01}}",
		"", "   ",
	};
	struct dbp_images imgs;
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(parse(bad[i], &imgs, why), -EINVAL);
		assert_true(why[0] != '\0');
		assert_int_equal(imgs.n, 0);
	}
	assert_int_equal(parse("{\"Config\":{}} garbage", &imgs, why), -EINVAL);
	assert_non_null(strstr(why, "byte 15"));
	/* a NUL inside the input is not the end of it */
	assert_int_equal(dbp_images_parse("{\"Config\":{}}\0{", 16, &imgs, why, sizeof(why)), -EINVAL);
}

static void test_concatenated_values_are_all_judged(void **state)
{
	struct dbp_images imgs;
	char why[256];

	(void)state;
	assert_int_equal(parse("{\"Name\":\"a\",\"Config\":{\"Cmd\":[\"x\"]}}\n"
			       "[{\"Name\":\"b\",\"Config\":{}},{\"Name\":\"c\",\"Config\":{}}]\n",
			       &imgs, why), 0);
	assert_int_equal(imgs.n, 3);
	assert_string_equal(imgs.items[2].name, "c");
	dbp_images_free(&imgs);
	/* the second value is wrong: named as such, nothing judged */
	assert_int_equal(parse("{\"Config\":{}} {\"Config\":{\"Cmd\":42}}", &imgs, why), -EINVAL);
	assert_string_equal(why, "value 2.Config.Cmd: an array of strings or a string expected, not int");
	assert_int_equal(imgs.n, 0);
}

static void test_wrong_type_names_the_member(void **state)
{
	struct dbp_images imgs;
	char why[256];

	(void)state;
	assert_int_equal(parse("{\"Config\":{\"Entrypoint\":42}}", &imgs, why), -EINVAL);
	assert_string_equal(why, "Config.Entrypoint: an array of strings or a string expected, not int");
	assert_int_equal(parse("[{\"Config\":{}},{\"Config\":{\"Cmd\":[1,null,{}]}}]", &imgs, why), -EINVAL);
	assert_string_equal(why, "[1].Config.Cmd[0]: a string expected, not int");
	assert_int_equal(parse("{\"Config\":{\"StopSignal\":[2]}}", &imgs, why), -EINVAL);
	assert_non_null(strstr(why, "Config.StopSignal"));
	assert_int_equal(parse("{\"Config\":{},\"HostConfig\":{\"Init\":\"yes\"}}", &imgs, why), -EINVAL);
	assert_non_null(strstr(why, "HostConfig.Init"));
	assert_int_equal(parse("{\"Config\":{\"Env\":[\"A=1\",7]}}", &imgs, why), -EINVAL);
	assert_string_equal(why, "Config.Env[1]: a string expected");
	assert_int_equal(parse("{\"Config\":\"x\"}", &imgs, why), -EINVAL);
	assert_non_null(strstr(why, "Config: an object expected"));
	/* a container's Path not a string, after RepoTags: one list held
	 * both and was freed twice (a crash, exit 139, before 0.2.0) */
	assert_int_equal(parse("[{\"RepoTags\":[\"a:1\"],\"Config\":{},\"HostConfig\":{},\"Path\":5}]",
			       &imgs, why), -EINVAL);
	assert_string_equal(why, "[0].Path: a string expected, not int");
}

/* podman 4.3.1's container JSON: Entrypoint a string, StopSignal a
 * number, Init null or true, the argv in Path + Args */
static void test_podman_container_argv_from_path_and_args(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Name\":\"pg\",\"Path\":\"docker-entrypoint.sh\",\"Args\":[\"postgres\"],"
	      "\"Config\":{\"Entrypoint\":\"docker-entrypoint.sh\",\"Cmd\":[\"postgres\"],"
	      "\"StopSignal\":2},\"HostConfig\":{\"Init\":null}}", &imgs, &r, &f);
	assert_int_equal(imgs.items[0].source, DBP_SRC_CONTAINER);
	assert_string_equal(imgs.items[0].entrypoint[0], "docker-entrypoint.sh");
	assert_string_equal(imgs.items[0].stop_signal, "2");
	assert_int_equal(f.stop_signal, SIGINT);
	assert_string_equal(f.pid1, "docker-entrypoint.sh");
	assert_int_equal(f.argc, 2);
	assert_false(has(&r, "DBI604", DBP_WARNING));
	assert_true(has(&r, "DBI603", DBP_WARNING));	/* Init null: no init, as false */
	done(&imgs, &r, &f);

	judge("{\"Name\":\"ic\",\"Path\":\"/run/podman-init\",\"Args\":[\"--\",\"docker-entrypoint.sh\","
	      "\"postgres\"],\"Config\":{\"Entrypoint\":\"docker-entrypoint.sh\",\"StopSignal\":15},"
	      "\"HostConfig\":{\"Init\":true}}", &imgs, &r, &f);
	assert_true(f.init);
	assert_false(has(&r, "DBI603", DBP_CRITICAL) || has(&r, "DBI603", DBP_WARNING));
	assert_true(has(&r, "DBI604", DBP_WARNING));	/* 15 is SIGTERM */
	done(&imgs, &r, &f);
}

static void test_shell_cmd_under_exec_entrypoint(void **state)
{
	struct dbp_images imgs;
	struct dbp_report r;
	struct dbp_image_facts f;

	(void)state;
	judge("{\"Config\":{\"Entrypoint\":[\"tini\",\"--\"],\"Cmd\":[\"/bin/sh\",\"-c\","
	      "\"postgres -D /d\"]}}", &imgs, &r, &f);
	assert_true(has(&r, "DBI607", DBP_CRITICAL));
	assert_false(has(&r, "DBI601", DBP_CRITICAL));
	done(&imgs, &r, &f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_and_array_both_parse),
		cmocka_unit_test(test_bad_input_is_einval_with_reason),
		cmocka_unit_test(test_database_from_env_name_never_value),
		cmocka_unit_test(test_database_from_command_words_and_labels),
		cmocka_unit_test(test_shell_form_database_is_critical),
		cmocka_unit_test(test_shell_form_passed_to_entrypoint_script),
		cmocka_unit_test(test_daemonising_start_in_a_shell_string),
		cmocka_unit_test(test_exec_in_shell_string_is_not_shell_form),
		cmocka_unit_test(test_tini_in_front_is_ok),
		cmocka_unit_test(test_postgres_container_without_init_is_a_warning),
		cmocka_unit_test(test_stop_signal_quit_and_garbage),
		cmocka_unit_test(test_su_in_shell_string),
		cmocka_unit_test(test_no_command_is_unknown),
		cmocka_unit_test(test_strict_json_rejects_what_json_c_lets_through),
		cmocka_unit_test(test_concatenated_values_are_all_judged),
		cmocka_unit_test(test_wrong_type_names_the_member),
		cmocka_unit_test(test_podman_container_argv_from_path_and_args),
		cmocka_unit_test(test_shell_cmd_under_exec_entrypoint),
		cmocka_unit_test(test_database_from_a_word_of_the_image_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
