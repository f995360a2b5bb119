/* lib/containermeta.c: names and images from containers/storage and
 * docker, on tests/fixtures/container/meta (a real podman store, trimmed)
 * and on hostile trees built here. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
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

#include "containermeta.h"

#define PG "547e452585c9bdffc41f25e150f478ddeee117d4a06a302ad563cc07d640135a"
#define INFRA "54c1acd45717f63fc48aaae9cb7ba2c3110ed809dc0d24960b7eeba07ba675fa"
#define INPOD "4ffcb9891d052483ca88d700c8e51c65be062f3f28b72c01cedfb18f27dcc6e3"
#define RM "caa070e920c149ac3c552b4fae2220ef015e299de367aea68699f125240f0f18"
#define DOCKER "7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8"
#define ABSENT "0000000000000000000000000000000000000000000000000000000000000000"

static char fixture_root[4096];

static int group_setup(void **state)
{
	const char *top = getenv("top_srcdir");

	snprintf(fixture_root, sizeof(fixture_root), "%s/tests/fixtures/container/meta",
		 top ? top : ".");
	return ft_setup(state);
}

/* each hostile test starts from an empty tree */
static int clean(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s/var %s/run", ft_root, ft_root);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_real_podman_store(void **state)
{
	struct dbp_meta *s = dbp_meta_open(fixture_root, NULL);
	struct dbp_container_meta m;

	(void)state;
	assert_non_null(s);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 1);
	assert_string_equal(m.source, "containers-storage");
	assert_string_equal(m.name, "dbpod-node-capture");
	assert_string_equal(m.image, "localhost/dbpod-test/postgres:15");
	assert_int_equal(m.err, 0);
	/* its OCI spec: the image's STOPSIGNAL SIGINT, as podman stop sends it */
	assert_int_equal(m.stop_signal, SIGINT);
	assert_int_equal(dbp_meta_lookup(s, INFRA, &m), 1);
	assert_string_equal(m.name, "33347eddd1e0-infra");
	assert_string_equal(m.image, "localhost/podman-pause:4.3.1-0");
	assert_int_equal(dbp_meta_lookup(s, INPOD, &m), 1);
	assert_string_equal(m.name, "dbpod-node-inpod");
	assert_string_equal(m.image, "localhost/debian:12");
	assert_int_equal(m.stop_signal, 0);	/* no userdata/config.json: unknown */
	dbp_meta_close(s);
}

static void test_volatile_list_and_image_from_images_json(void **state)
{
	struct dbp_meta *s = dbp_meta_open(fixture_root, NULL);
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_meta_lookup(s, RM, &m), 1);
	assert_string_equal(m.name, "dbpod-node-rm");
	assert_string_equal(m.image, "localhost/debian:12");
	dbp_meta_close(s);
}

static void test_docker_config(void **state)
{
	struct dbp_meta *s = dbp_meta_open(fixture_root, NULL);
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_meta_lookup(s, DOCKER, &m), 1);
	assert_string_equal(m.source, "docker");
	assert_string_equal(m.name, "pg-docker");
	assert_string_equal(m.image, "postgres:15");
	assert_int_equal(m.stop_signal, SIGINT);
	dbp_meta_close(s);
}

static void test_unknown_id_and_bad_ids(void **state)
{
	struct dbp_meta *s = dbp_meta_open(fixture_root, NULL);
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_meta_lookup(s, ABSENT, &m), 0);
	assert_string_equal(m.source, "");
	assert_string_equal(m.name, "");
	assert_int_equal(m.err, 0);
	/* an ID goes into docker's path: nothing but 64 hex digits */
	assert_int_equal(dbp_meta_lookup(s, "../../../../etc/passwd", &m), -EINVAL);
	assert_int_equal(dbp_meta_lookup(s, "547e452585c9", &m), -EINVAL);
	assert_int_equal(dbp_meta_lookup(s, NULL, &m), -EINVAL);
	assert_int_equal(dbp_meta_lookup(s, "547E452585C9BDFFC41F25E150F478DDEEE117D4A06A302AD563CC07D640135A",
					 &m), -EINVAL);
	dbp_meta_close(s);
}

static void test_no_store_at_all_is_unknown(void **state)
{
	struct dbp_meta *s = dbp_meta_open(ft_root, NULL);
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, 0);
	dbp_meta_close(s);
}

static void test_paths_move_the_stores(void **state)
{
	struct dbp_meta_paths p = {
		.storage_graphroot = "/srv/storage",
		.storage_driver = "vfs",
		.docker_root = "/data/docker",
	};
	struct dbp_meta *s;
	struct dbp_container_meta m;
	char cmd[256];

	(void)state;
	ft_put("/srv/storage/vfs-containers/containers.json",
	       "[{\"id\":\"" PG "\",\"names\":[\"moved\"],\"metadata\":\"{\\\"image-name\\\":\\\"img:1\\\"}\"}]\n");
	ft_put("/data/docker/containers/" DOCKER "/config.v2.json",
	       "{\"Name\":\"/moved-docker\",\"Config\":{\"Image\":\"pg:16\"}}");
	s = dbp_meta_open(ft_root, &p);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 1);
	assert_string_equal(m.name, "moved");
	assert_string_equal(m.image, "img:1");
	assert_int_equal(dbp_meta_lookup(s, DOCKER, &m), 1);
	assert_string_equal(m.name, "moved-docker");
	assert_string_equal(m.image, "pg:16");
	dbp_meta_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s/srv %s/data", ft_root, ft_root);
	assert_int_equal(system(cmd), 0);
}

#define LIST "/var/lib/containers/storage/overlay-containers/containers.json"

static void test_garbage_stores_are_unknown_with_a_reason(void **state)
{
	struct dbp_meta *s;
	struct dbp_container_meta m;

	(void)state;
	/* not JSON */
	ft_put(LIST, "[{\"id\": \"" PG "\", \"names\": [\"x\"]");
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EINVAL);
	assert_non_null(strstr(m.err_file, "containers.json"));
	dbp_meta_close(s);
	/* JSON, but not a list */
	ft_put(LIST, "{\"id\": \"" PG "\"}");
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EINVAL);
	dbp_meta_close(s);
	/* a value and then more */
	ft_put(LIST, "[] []");
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EINVAL);
	dbp_meta_close(s);
	/* a value and then NUL bytes, which are not whitespace */
	{
		static const char v[] = "[{\"id\":\"" PG "\",\"names\":[\"pg\"]}]\0\0\0";
		char p[512];
		FILE *f;

		ft_put(LIST, "");
		snprintf(p, sizeof(p), "%s%s", ft_root, LIST);
		f = fopen(p, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(v, 1, sizeof(v) - 1, f), sizeof(v) - 1);
		fclose(f);
		s = dbp_meta_open(ft_root, NULL);
		assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
		assert_int_equal(m.err, -EINVAL);
		dbp_meta_close(s);
	}
	/* entries of every wrong type, then the right one */
	ft_put(LIST, "[1, \"x\", null, {\"id\": 5}, {\"id\": \"" PG "\", \"names\": [7],"
	       " \"metadata\": \"not json\", \"image\": \"" ABSENT "\"}]\n\n");
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 1);
	assert_string_equal(m.name, "");
	assert_string_equal(m.image, "");
	assert_int_equal(m.err, 0);
	dbp_meta_close(s);
}

static void test_names_that_no_runtime_writes_are_left_out(void **state)
{
	struct dbp_meta *s;
	struct dbp_container_meta m;
	char big[2048];
	char list[4096];

	(void)state;
	/* a control character, a space, non-ASCII */
	ft_put(LIST, "[{\"id\":\"" PG "\",\"names\":[\"a\\nb\"],"
	       "\"metadata\":\"{\\\"name\\\":\\\"x y\\\",\\\"image-name\\\":\\\"caf\\u00e9\\\"}\"}]");
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 1);
	assert_string_equal(m.name, "");
	assert_string_equal(m.image, "");
	dbp_meta_close(s);
	/* too long to keep whole: left out, not cut */
	memset(big, 'n', 1000);
	big[1000] = '\0';
	snprintf(list, sizeof(list), "[{\"id\":\"" PG "\",\"names\":[\"%s\"]}]", big);
	ft_put(LIST, list);
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 1);
	assert_string_equal(m.name, "");
	dbp_meta_close(s);
	/* the name from metadata when names is empty */
	ft_put(LIST, "[{\"id\":\"" PG "\",\"names\":[],"
	       "\"metadata\":\"{\\\"name\\\":\\\"from-meta\\\"}\"}]");
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 1);
	assert_string_equal(m.name, "from-meta");
	dbp_meta_close(s);
}

static void test_a_link_a_fifo_and_a_huge_file(void **state)
{
	struct dbp_meta *s;
	struct dbp_container_meta m;
	char p[512], target[512];
	FILE *f;

	(void)state;
	/* a link where the list should be is not followed */
	ft_put("/elsewhere.json", "[{\"id\":\"" PG "\",\"names\":[\"linked\"]}]");
	ft_put(LIST, "");
	snprintf(p, sizeof(p), "%s%s", ft_root, LIST);
	unlink(p);
	snprintf(target, sizeof(target), "%s/elsewhere.json", ft_root);
	assert_int_equal(symlink(target, p), 0);
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EINVAL);
	dbp_meta_close(s);
	/* a FIFO: no wait for a writer */
	unlink(p);
	assert_int_equal(mkfifo(p, 0600), 0);
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EINVAL);
	dbp_meta_close(s);
	/* past the cap: not read */
	unlink(p);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)DBP_META_MAX_STORE + 1, SEEK_SET), 0);
	fputc(']', f);
	fclose(f);
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EFBIG);
	dbp_meta_close(s);
	unlink(target);
}

static void test_unreadable_store_is_unknown(void **state)
{
	struct dbp_meta *s;
	struct dbp_container_meta m;
	char p[512];

	(void)state;
	if (geteuid() == 0) {
		/* root reads a mode 0000 file (CAP_DAC_OVERRIDE), so the
		 * store that is there but cannot be read is a directory where
		 * docker's file should be: unknown, with the file named */
		snprintf(p, sizeof(p), "%s/var/lib/docker/containers/" DOCKER "/config.v2.json",
			 ft_root);
		ft_put("/var/lib/docker/containers/" DOCKER "/x", "");
		assert_int_equal(mkdir(p, 0700), 0);
		s = dbp_meta_open(ft_root, NULL);
		assert_int_equal(dbp_meta_lookup(s, DOCKER, &m), 0);
		assert_int_equal(m.err, -EINVAL);
		assert_non_null(strstr(m.err_file, "config.v2.json"));
		dbp_meta_close(s);
		return;
	}
	ft_put(LIST, "[]");
	snprintf(p, sizeof(p), "%s%s", ft_root, LIST);
	assert_int_equal(chmod(p, 0), 0);
	s = dbp_meta_open(ft_root, NULL);
	assert_int_equal(dbp_meta_lookup(s, PG, &m), 0);
	assert_int_equal(m.err, -EACCES);
	dbp_meta_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_podman_store),
		cmocka_unit_test(test_volatile_list_and_image_from_images_json),
		cmocka_unit_test(test_docker_config),
		cmocka_unit_test(test_unknown_id_and_bad_ids),
		cmocka_unit_test_setup(test_no_store_at_all_is_unknown, clean),
		cmocka_unit_test_setup(test_paths_move_the_stores, clean),
		cmocka_unit_test_setup(test_garbage_stores_are_unknown_with_a_reason, clean),
		cmocka_unit_test_setup(test_names_that_no_runtime_writes_are_left_out, clean),
		cmocka_unit_test_setup(test_a_link_a_fifo_and_a_huge_file, clean),
		cmocka_unit_test_setup(test_unreadable_store_is_unknown, clean),
	};

	return cmocka_run_group_tests(tests, group_setup, ft_teardown);
}
