/* lib/node/runtimeconf.c: the daemons' command lines (as docker 20.10's pflag
 * and containerd 1.6's Go flag package take them), daemon.json's
 * data-root, and the TOML keys of containerd's config.toml and
 * containers-storage.conf. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "node/runtimeconf.h"

static void dockerd(const char *const *argv, struct dbp_daemon_args *a)
{
	assert_int_equal(dbp_dockerd_args_parse((char *const *)argv, a), 0);
}

static void test_dockerd_data_root_spellings(void **state)
{
	struct dbp_daemon_args a;
	const char *sep[] = { "dockerd", "--iptables=false", "--data-root", "/srv/docker", NULL };
	const char *eq[] = { "dockerd", "--data-root=/srv/d2", "--bridge=none", NULL };
	const char *g[] = { "/usr/sbin/dockerd", "-g", "/srv/g", NULL };
	const char *gjoined[] = { "dockerd", "-g/srv/gj", NULL };
	const char *graph[] = { "dockerd", "--graph=/srv/old", NULL };
	const char *last[] = { "dockerd", "--data-root", "/a", "--data-root=/b", NULL };
	const char *cfg[] = { "dockerd", "--config-file", "/etc/d.json", NULL };
	const char *none[] = { "dockerd", "-H", "unix:///run/docker.sock", NULL };

	(void)state;
	dockerd(sep, &a);
	assert_string_equal(a.data_root, "/srv/docker");
	assert_string_equal(a.config, "");
	dockerd(eq, &a);
	assert_string_equal(a.data_root, "/srv/d2");
	dockerd(g, &a);
	assert_string_equal(a.data_root, "/srv/g");
	dockerd(gjoined, &a);
	assert_string_equal(a.data_root, "/srv/gj");
	dockerd(graph, &a);
	assert_string_equal(a.data_root, "/srv/old");
	/* pflag keeps the last one given */
	dockerd(last, &a);
	assert_string_equal(a.data_root, "/b");
	dockerd(cfg, &a);
	assert_string_equal(a.config, "/etc/d.json");
	assert_string_equal(a.data_root, "");
	dockerd(none, &a);
	assert_string_equal(a.data_root, "");
}

static void test_dockerd_odd_command_lines(void **state)
{
	struct dbp_daemon_args a;
	const char *dangling[] = { "dockerd", "--data-root", NULL };
	const char *after_dashes[] = { "dockerd", "--", "--data-root=/x", NULL };
	const char *prefix[] = { "dockerd", "--data-rootless=/x", "--gx", NULL };
	const char *empty[] = { NULL };
	char longpath[600];
	const char *toolong[] = { "dockerd", "--data-root", longpath, NULL };

	(void)state;
	dockerd(dangling, &a);
	assert_string_equal(a.data_root, "");
	dockerd(after_dashes, &a);
	assert_string_equal(a.data_root, "");
	/* a longer option that starts like one is not it */
	dockerd(prefix, &a);
	assert_string_equal(a.data_root, "");
	dockerd(empty, &a);
	assert_int_equal(dbp_dockerd_args_parse(NULL, &a), 0);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(dbp_dockerd_args_parse((char *const *)toolong, &a), -ENAMETOOLONG);
	assert_string_equal(a.data_root, "");
}

static void test_containerd_options(void **state)
{
	struct dbp_daemon_args a;
	const char *argv[] = { "containerd", "--config", "/tmp/c.toml", "-root=/srv/root",
			       "--state", "/run/x", NULL };
	const char *shortc[] = { "containerd", "-c", "/etc/c2.toml", NULL };
	const char *shortjoined[] = { "containerd", "-c=/etc/c3.toml", NULL };

	(void)state;
	assert_int_equal(dbp_containerd_args_parse((char *const *)argv, &a), 0);
	assert_string_equal(a.config, "/tmp/c.toml");
	assert_string_equal(a.root, "/srv/root");
	assert_string_equal(a.state, "/run/x");
	assert_int_equal(dbp_containerd_args_parse((char *const *)shortc, &a), 0);
	assert_string_equal(a.config, "/etc/c2.toml");
	assert_string_equal(a.root, "");
	assert_int_equal(dbp_containerd_args_parse((char *const *)shortjoined, &a), 0);
	assert_string_equal(a.config, "/etc/c3.toml");
}

static void test_daemon_json_data_root(void **state)
{
	char out[256];

	(void)state;
#define DR(text) dbp_docker_config_data_root(text, strlen(text), out, sizeof(out))
	assert_int_equal(DR("{\"data-root\": \"/srv/docker\", \"iptables\": false}"), 0);
	assert_string_equal(out, "/srv/docker");
	/* the old name */
	assert_int_equal(DR("{\"graph\": \"/old\"}"), 0);
	assert_string_equal(out, "/old");
	/* data-root wins over graph */
	assert_int_equal(DR("{\"graph\": \"/old\", \"data-root\": \"/new\"}"), 0);
	assert_string_equal(out, "/new");
	assert_int_equal(DR("{\"log-driver\": \"json-file\"}"), -ENOENT);
	assert_int_equal(DR("{}"), -ENOENT);
	/* what dockerd would refuse, or what is not a path */
	assert_int_equal(DR("{\"data-root\": \"relative\"}"), -EINVAL);
	assert_int_equal(DR("{\"data-root\": 5}"), -EINVAL);
	assert_int_equal(DR("{\"data-root\": \"/a\\nb\"}"), -EINVAL);
	assert_int_equal(DR("[\"data-root\"]"), -EINVAL);
	assert_int_equal(DR("{\"data-root\": \"/x\""), -EINVAL);
	assert_int_equal(DR("{\"data-root\": \"/x\"} {}"), -EINVAL);
	assert_int_equal(DR(""), -EINVAL);
	assert_string_equal(out, "");
#undef DR
}

static int toml(const char *text, const char *table, const char *key, char *out)
{
	return dbp_toml_string(text, strlen(text), table, key, out, 256);
}

static void test_toml_top_level_and_tables(void **state)
{
	static const char conf[] =
		"# containerd\n"
		"version = 2\n"
		"root = \"/var/lib/c\"   # a comment\n"
		"state='/run/c'\n"
		"disabled_plugins = [\n"
		"  \"io.containerd.grpc.v1.cri\", # root = \"/no\"\n"
		"  \"x]y\",\n"
		"]\n"
		"[grpc]\n"
		"  address = \"/run/c/containerd.sock\"\n"
		"[plugins.\"io.containerd.runtime.v1.linux\"]\n"
		"  state = \"/elsewhere\"\n"
		"[[plugins.list]]\n"
		"  root = \"/array-table\"\n";
	static const char storage[] =
		"[storage]\r\n"
		"driver = \"overlay\"\r\n"
		"graphroot = \"/srv/storage\"\r\n"
		"[storage.options]\r\n"
		"mount_program = \"/usr/bin/fuse-overlayfs\"\r\n";
	char out[256];

	(void)state;
	assert_int_equal(toml(conf, "", "root", out), 0);
	assert_string_equal(out, "/var/lib/c");
	assert_int_equal(toml(conf, "", "state", out), 0);
	assert_string_equal(out, "/run/c");
	assert_int_equal(toml(conf, "grpc", "address", out), 0);
	assert_string_equal(out, "/run/c/containerd.sock");
	assert_int_equal(toml(conf, "plugins.\"io.containerd.runtime.v1.linux\"", "state", out), 0);
	assert_string_equal(out, "/elsewhere");
	assert_int_equal(toml(conf, "plugins.list", "root", out), 0);
	assert_string_equal(out, "/array-table");
	assert_int_equal(toml(conf, "", "address", out), -ENOENT);
	/* a number is no string */
	assert_int_equal(toml(conf, "", "version", out), -EINVAL);
	assert_int_equal(toml(storage, "storage", "graphroot", out), 0);
	assert_string_equal(out, "/srv/storage");
	assert_int_equal(toml(storage, "storage", "driver", out), 0);
	assert_string_equal(out, "overlay");
	assert_int_equal(toml(storage, "", "graphroot", out), -ENOENT);
}

static void test_toml_strings(void **state)
{
	char out[256], small[4];

	(void)state;
	assert_int_equal(toml("root = \"/a\\\\b\\\"c\"\n", "", "root", out), 0);
	assert_string_equal(out, "/a\\b\"c");
	/* a literal string takes backslashes as they are */
	assert_int_equal(toml("root = '/a\\b'\n", "", "root", out), 0);
	assert_string_equal(out, "/a\\b");
	/* escapes that would put a control character in a path */
	assert_int_equal(toml("root = \"/a\\nb\"\n", "", "root", out), -EINVAL);
	assert_int_equal(toml("root = \"/a\\u0000\"\n", "", "root", out), -EINVAL);
	/* a multi-line string is skipped whole when it is another key's... */
	assert_int_equal(toml("x = \"\"\"\nroot = \"/no\"\n\"\"\"\nroot = \"/yes\"\n", "", "root",
			      out), 0);
	assert_string_equal(out, "/yes");
	assert_int_equal(toml("x = '''\n[t]\n'''\nroot = \"/yes\"\n", "", "root", out), 0);
	assert_string_equal(out, "/yes");
	/* ...and not taken when it is the key's */
	assert_int_equal(toml("root = \"\"\"/x\"\"\"\n", "", "root", out), -EINVAL);
	/* unterminated */
	assert_int_equal(toml("root = \"/x\n", "", "root", out), -EINVAL);
	assert_int_equal(toml("x = \"\"\"\nnever closed", "", "root", out), -ENOENT);
	assert_int_equal(toml("root = \"/long\"", "", "root", out), 0);
	assert_int_equal(dbp_toml_string("root = \"/long\"", 14, "", "root", small, sizeof(small)),
			 -ENAMETOOLONG);
	assert_string_equal(small, "");
	assert_int_equal(toml("", "", "root", out), -ENOENT);
	assert_int_equal(dbp_toml_string(NULL, 0, "", "root", out, sizeof(out)), -ENOENT);
	assert_int_equal(toml("[unclosed\nroot = \"/r\"\n", "unclosed", "root", out), 0);
	/* a backslash as the very last byte, in a header and in a value
	 * (found by fuzz_runtimeconf: the escape stepped past the end) */
	assert_int_equal(toml("[t.\"x\\", "t", "root", out), -ENOENT);
	assert_int_equal(toml("x = \"abc\\", "", "root", out), -ENOENT);
	assert_int_equal(toml("x = \"\"\"abc\\", "", "root", out), -ENOENT);
	assert_int_equal(toml("root\n= \"/r\"\n", "", "root", out), -ENOENT);
}

static void test_json_str(void **state)
{
	struct json_object *o = dbp_json_parse_strict("{\"a\":\"x\",\"b\":1}", 15);

	(void)state;
	assert_non_null(o);
	assert_string_equal(dbp_json_str(o, "a"), "x");
	assert_null(dbp_json_str(o, "b"));
	assert_null(dbp_json_str(o, "c"));
	assert_null(dbp_json_str(NULL, "a"));
	json_object_put(o);
	/* json-c's leniencies are not taken */
	assert_null(dbp_json_parse_strict("{'a':1}", 7));
	assert_null(dbp_json_parse_strict("[NaN]", 5));
	assert_null(dbp_json_parse_strict(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dockerd_data_root_spellings),
		cmocka_unit_test(test_dockerd_odd_command_lines),
		cmocka_unit_test(test_containerd_options),
		cmocka_unit_test(test_daemon_json_data_root),
		cmocka_unit_test(test_toml_top_level_and_tables),
		cmocka_unit_test(test_toml_strings),
		cmocka_unit_test(test_json_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
