/* lib/node/containermeta.c, containerdmeta.c and runtimeread.c: names, images,
 * stop signals and grace periods from containers/storage, podman, docker
 * and containerd, on tests/fixtures/container/meta (a real podman store,
 * trimmed), tests/fixtures/container/runtimes (real docker, containerd and
 * podman state at configured places) and on hostile trees built here. */
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
#include "tablebuild.h"

#include "node/containerdmeta.h"
#include "node/containermeta.h"
#include "node/runtimeread.h"

#define PG "547e452585c9bdffc41f25e150f478ddeee117d4a06a302ad563cc07d640135a"
#define INFRA "54c1acd45717f63fc48aaae9cb7ba2c3110ed809dc0d24960b7eeba07ba675fa"
#define INPOD "4ffcb9891d052483ca88d700c8e51c65be062f3f28b72c01cedfb18f27dcc6e3"
#define RM "caa070e920c149ac3c552b4fae2220ef015e299de367aea68699f125240f0f18"
#define DOCKER "7951fb549ab99e0722a949b6c121634e1f3a36b5bacbe5392991e3b12251e6b8"
#define ABSENT "0000000000000000000000000000000000000000000000000000000000000000"

/* tests/fixtures/container/runtimes: captured from docker.io 20.10.24,
 * containerd 1.6.20 and podman 4.3.1 (its README) */
#define DOCKER_PG "a66a3b7003ecfa84860a4902641496a7cfb54aa016275d02b5d305345da02dc5"
#define DOCKER_PLAIN "fee78aab600247c8ddfa54f1aa78440ed7655e990e45ce29e11fcc0675c52135"
#define CTRD_K8S "aed6ad10d24c97edd294a02fff1e55dd63010817a04603746ef6e16abb20c252"
#define CTRD_PLAIN "cfe97e2680a8a3558b0a604e41c71b4b9b78bf2289a9e8c16abb35f9dfb4a882"
#define PODMAN_PG "dd091b366062572f3feb71cd098646035d333e8740327cdb75b1cab312b2508a"
#define PODMAN_PLAIN "8067ff6692afdb8a68086f4d19fbc54a0fcb9a4d7806e89f962de9c7c6e56f3b"

static char fixture_root[4096], runtimes_root[4096];

static int group_setup(void **state)
{
	const char *top = getenv("top_srcdir");

	snprintf(fixture_root, sizeof(fixture_root), "%s/tests/fixtures/container/meta",
		 top ? top : ".");
	snprintf(runtimes_root, sizeof(runtimes_root), "%s/tests/fixtures/container/runtimes",
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
	struct dbp_runtime_dirs p;
	struct dbp_meta *s;
	struct dbp_container_meta m;
	char cmd[256];

	(void)state;
	dbp_runtime_dirs_default(&p);
	snprintf(p.graphroot, sizeof(p.graphroot), "/srv/storage");
	snprintf(p.driver, sizeof(p.driver), "vfs");
	p.ndocker = 0;
	assert_int_equal(dbp_runtime_dirs_add_docker(&p, "/data/docker", "test"), 1);
	/* once only, and only absolute paths */
	assert_int_equal(dbp_runtime_dirs_add_docker(&p, "/data/docker", "again"), 0);
	assert_int_equal(dbp_runtime_dirs_add_docker(&p, "data/docker", "relative"), 0);
	assert_int_equal(p.ndocker, 1);
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


/* ---- the runtimes as configured: tests/fixtures/container/runtimes ---- */

/* No daemon in sight: the configuration files name the directories. */
static void test_dirs_from_the_configuration_files(void **state)
{
	struct dbp_runtime_dirs d;

	(void)state;
	assert_int_equal(dbp_runtime_dirs_read(runtimes_root, NULL, &d), 0);
	assert_int_equal(d.err, 0);
	assert_int_equal(d.ndocker, 1);
	assert_string_equal(d.docker[0].path, "/var/lib/dbpod-test-docker");
	assert_non_null(strstr(d.docker[0].from, "/etc/docker/daemon.json data-root"));
	assert_int_equal(d.ncontainerd, 1);
	/* the top-level keys, not the plugin table's "state" */
	assert_string_equal(d.containerd[0].path, "/run/dbpod-test-containerd");
	assert_string_equal(d.containerd[0].root, "/var/lib/dbpod-test-containerd");
	assert_string_equal(d.graphroot, "/var/lib/dbpod-test-podman");
	assert_string_equal(d.runroot, "/run/dbpod-test-podman");
	assert_string_equal(d.driver, "overlay");
	assert_string_equal(d.storage_from, "/etc/containers/storage.conf");
	/* nothing configured: the runtimes' defaults */
	assert_int_equal(dbp_runtime_dirs_read(ft_root, NULL, &d), 0);
	assert_string_equal(d.docker[0].path, "/var/lib/docker");
	assert_string_equal(d.docker[0].from, "default (no dockerd seen)");
	assert_string_equal(d.containerd[0].path, "/run/containerd");
	assert_string_equal(d.containerd[0].root, "/var/lib/containerd");
	assert_string_equal(d.graphroot, "/var/lib/containers/storage");
}

/* The daemons' command lines over their files; each daemon once. */
static void test_dirs_from_the_daemons_command_lines(void **state)
{
	struct dbp_runtime_dirs d;
	struct dbp_table t;
	char cwd[200], args[300];

	(void)state;
	tb_init(&t);
	tb_add(&t, 100, 1, 0, "dockerd", "/usr/sbin/dockerd --data-root /srv/docker -H fd://", 1);
	/* a second dockerd with only a configuration file: the fixture's */
	tb_add(&t, 101, 1, 0, "dockerd", "dockerd --config-file /etc/docker/daemon.json", 1);
	tb_add(&t, 200, 1, 0, "containerd", "containerd --state /run/s2", 1);
	/* not daemons: a shim, and a process that calls itself dockerd
	 * with another program */
	tb_add(&t, 300, 1, 0, "containerd-shim", "/usr/bin/containerd-shim-runc-v2 -namespace moby", 1);
	tb_add(&t, 301, 1, 0, "dockerd", "/bin/sleep --data-root /evil", 1);
	/* nor a dockerd another user runs: its data root would name the
	 * files dbpod opens as root */
	tb_add(&t, 302, 1, 4242, "dockerd", "/usr/bin/dockerd --data-root /home/mallory/d", 1);
	dbp_table_sort(&t);
	assert_int_equal(dbp_runtime_dirs_read(runtimes_root, &t, &d), 0);
	assert_int_equal(d.ndocker, 2);
	assert_string_equal(d.docker[0].path, "/srv/docker");
	assert_string_equal(d.docker[0].from, "dockerd --data-root (PID 100)");
	assert_string_equal(d.docker[1].path, "/var/lib/dbpod-test-docker");
	assert_non_null(strstr(d.docker[1].from, "dockerd PID 101"));
	assert_int_equal(d.ncontainerd, 1);
	/* --state from the command line, root from the default file */
	assert_string_equal(d.containerd[0].path, "/run/s2");
	assert_string_equal(d.containerd[0].root, "/var/lib/dbpod-test-containerd");
	assert_non_null(strstr(d.containerd[0].from, "state from --state"));
	assert_non_null(strstr(d.containerd[0].from, "root from /etc/containerd/config.toml"));
	dbp_table_free(&t);

	/* a relative --config is the daemon's working directory's: this
	 * process's, here */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	tb_init(&t);
	snprintf(args, sizeof(args), "containerd --config sub/relative.toml");
	tb_add(&t, getpid(), 1, 0, "containerd", args, 1);
	dbp_table_sort(&t);
	{
		char rel[300];

		snprintf(rel, sizeof(rel), "%s/sub/relative.toml", cwd);
		ft_put(rel, "state = \"/run/from-relative\"\nroot = \"/var/lib/from-relative\"\n");
	}
	assert_int_equal(dbp_runtime_dirs_read(ft_root, &t, &d), 0);
	assert_string_equal(d.containerd[0].path, "/run/from-relative");
	assert_string_equal(d.containerd[0].root, "/var/lib/from-relative");
	dbp_table_free(&t);

	/* a --config-file that is not there: dockerd would not start, the
	 * defaults stand in and the file is named */
	tb_init(&t);
	tb_add(&t, 100, 1, 0, "dockerd", "dockerd --config-file /etc/missing.json", 1);
	dbp_table_sort(&t);
	assert_int_equal(dbp_runtime_dirs_read(ft_root, &t, &d), 0);
	assert_string_equal(d.docker[0].path, "/var/lib/docker");
	assert_int_equal(d.err, -ENOENT);
	assert_string_equal(d.err_file, "/etc/missing.json");
	dbp_table_free(&t);
}

static struct dbp_meta *runtimes_meta(void)
{
	struct dbp_runtime_dirs d;
	struct dbp_meta *s;

	assert_int_equal(dbp_runtime_dirs_read(runtimes_root, NULL, &d), 0);
	s = dbp_meta_open(runtimes_root, &d);
	assert_non_null(s);
	return s;
}

static void test_real_docker_at_its_data_root(void **state)
{
	struct dbp_meta *s = runtimes_meta();
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_meta_lookup(s, DOCKER_PG, &m), 1);
	assert_string_equal(m.source, "docker");
	assert_string_equal(m.runtime, "docker");
	assert_string_equal(m.name, "pgdock");
	assert_string_equal(m.image, "dbpod-test/pg:15");
	assert_int_equal(m.stop_signal, SIGQUIT);
	assert_string_equal(m.stop_source, "config.v2.json Config.StopSignal");
	assert_int_equal(m.grace, 7);
	assert_string_equal(m.grace_source, "config.v2.json Config.StopTimeout");
	/* an image without STOPSIGNAL, no --stop-timeout: docker's SIGTERM,
	 * and no grace recorded (its 10 s is the caller's to assume) */
	assert_int_equal(dbp_meta_lookup(s, DOCKER_PLAIN, &m), 1);
	assert_string_equal(m.name, "plain-docker");
	assert_int_equal(m.stop_signal, SIGTERM);
	assert_non_null(strstr(m.stop_source, "docker's default"));
	assert_int_equal(m.grace, -1);
	dbp_meta_close(s);
}

static void test_real_containerd_bundle_and_metadata(void **state)
{
	struct dbp_meta *s = runtimes_meta();
	struct dbp_container_meta m;

	(void)state;
	/* ctr run in k8s.io with the CRI annotations: the spec names it,
	 * meta.db's label is what `ctr task kill` sends */
	assert_int_equal(dbp_meta_lookup(s, CTRD_K8S, &m), 1);
	assert_string_equal(m.source, "containerd");
	assert_string_equal(m.runtime, "containerd");
	assert_string_equal(m.ctr_namespace, "k8s.io");
	assert_string_equal(m.name, "postgres");
	assert_string_equal(m.image, "docker.io/dbpod-test/pg:15");
	assert_string_equal(m.pod_name, "pg-0");
	assert_string_equal(m.pod_namespace, "db");
	assert_int_equal(m.stop_signal, SIGQUIT);
	assert_string_equal(m.stop_source, "meta.db label io.containerd.image.config.stop-signal");
	assert_int_equal(m.grace, -1);
	assert_int_equal(m.err, 0);
	/* ctr run --rootfs: no image, no label: the signal is the client's */
	assert_int_equal(dbp_meta_lookup(s, CTRD_PLAIN, &m), 1);
	assert_string_equal(m.runtime, "containerd");
	assert_string_equal(m.ctr_namespace, "default");
	assert_string_equal(m.name, "");
	assert_string_equal(m.image, "");
	assert_int_equal(m.stop_signal, 0);
	assert_non_null(strstr(m.stop_unknown, "records no stop signal"));
	dbp_meta_close(s);
}

/* docker's container seen through containerd only (dockerd's data root
 * not known): docker's, with its signal unknown and the reason given */
static void test_moby_namespace_is_docker(void **state)
{
	struct dbp_runtime_dirs d;
	struct dbp_meta *s;
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_runtime_dirs_read(runtimes_root, NULL, &d), 0);
	d.ndocker = 0;
	assert_int_equal(dbp_runtime_dirs_add_docker(&d, "/var/lib/docker", "default"), 1);
	s = dbp_meta_open(runtimes_root, &d);
	assert_int_equal(dbp_meta_lookup(s, DOCKER_PG, &m), 1);
	assert_string_equal(m.runtime, "docker");
	assert_string_equal(m.ctr_namespace, "moby");
	assert_int_equal(m.stop_signal, 0);
	assert_non_null(strstr(m.stop_unknown, "none of the data roots"));
	assert_non_null(strstr(m.stop_unknown, "/var/lib/docker"));
	dbp_meta_close(s);
}

static void test_real_podman_state_has_the_grace(void **state)
{
	struct dbp_meta *s = runtimes_meta();
	struct dbp_container_meta m;

	(void)state;
	assert_int_equal(dbp_meta_lookup(s, PODMAN_PG, &m), 1);
	assert_string_equal(m.source, "containers-storage");
	assert_string_equal(m.name, "pg-podman");
	assert_string_equal(m.image, "localhost/dbpod-test/base:1");
	assert_int_equal(m.grace, 7);
	/* created, never started: no OCI spec yet, podman's own record */
	assert_int_equal(m.stop_signal, SIGINT);
	assert_string_equal(m.stop_source, "bolt_state.db config stopSignal");
	assert_int_equal(dbp_meta_lookup(s, PODMAN_PLAIN, &m), 1);
	assert_int_equal(m.grace, 10);
	assert_int_equal(m.stop_signal, SIGTERM);
	dbp_meta_close(s);
}

/* Put the captured containerd tree below ft_root, to damage it. */
static void copy_containerd(void)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "cp -a %.2000s/run %.2000s/var %s/", runtimes_root, runtimes_root,
		 ft_root);
	assert_int_equal(system(cmd), 0);
}

static struct dbp_meta *ft_meta(void)
{
	struct dbp_runtime_dirs d;

	dbp_runtime_dirs_default(&d);
	d.ncontainerd = 0;
	assert_int_equal(dbp_runtime_dirs_add_containerd(&d, "/run/dbpod-test-containerd",
							 "/var/lib/dbpod-test-containerd", "test"), 1);
	return dbp_meta_open(ft_root, &d);
}

static void test_containerd_state_damaged(void **state)
{
	struct dbp_meta *s;
	struct dbp_container_meta m;
	char p[4096];
	FILE *f;

	(void)state;
	copy_containerd();
	/* meta.db that is not a bbolt file: the bundle still names it, the
	 * signal is unknown and the file named */
	snprintf(p, sizeof(p), "%s/var/lib/dbpod-test-containerd/io.containerd.metadata.v1.bolt/meta.db",
		 ft_root);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("not a database", f);
	fclose(f);
	s = ft_meta();
	assert_int_equal(dbp_meta_lookup(s, CTRD_K8S, &m), 1);
	assert_string_equal(m.name, "postgres");
	assert_int_equal(m.stop_signal, 0);
	assert_int_equal(m.err, -EINVAL);
	assert_non_null(strstr(m.err_file, "meta.db"));
	assert_non_null(strstr(m.stop_unknown, "could not be read"));
	dbp_meta_close(s);
	/* no meta.db at all */
	unlink(p);
	s = ft_meta();
	assert_int_equal(dbp_meta_lookup(s, CTRD_K8S, &m), 1);
	assert_int_equal(m.err, 0);
	assert_non_null(strstr(m.stop_unknown, "is not there"));
	dbp_meta_close(s);
	/* a bundle whose spec is garbage: found, named by nothing */
	snprintf(p, sizeof(p), "%s/run/dbpod-test-containerd/io.containerd.runtime.v2.task/k8s.io/"
		 CTRD_K8S "/config.json", ft_root);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("{\"annotations\": [", f);
	fclose(f);
	s = ft_meta();
	assert_int_equal(dbp_meta_lookup(s, CTRD_K8S, &m), 1);
	assert_string_equal(m.runtime, "containerd");
	assert_string_equal(m.name, "");
	assert_int_equal(m.err, -EINVAL);
	dbp_meta_close(s);
	/* a namespace directory containerd would never make is not looked in */
	snprintf(p, sizeof(p), "mkdir -p '%s/run/dbpod-test-containerd/io.containerd.runtime.v2.task/"
		 "-bad/" ABSENT "' && echo '{}' > '%s/run/dbpod-test-containerd/"
		 "io.containerd.runtime.v2.task/-bad/" ABSENT "/config.json'", ft_root, ft_root);
	assert_int_equal(system(p), 0);
	s = ft_meta();
	assert_int_equal(dbp_meta_lookup(s, ABSENT, &m), 0);
	dbp_meta_close(s);
}

/* The CRI plugin's record, built as containerd 1.6 writes it: a
 * protobuf Any (type URL, then the value) holding the versioned JSON of
 * pkg/cri/store/container/metadata.go, with the CRI ContainerConfig's
 * JSON field names (k8s.io/cri-api). Not captured: no kubelet here. */
static size_t any(char *out, const char *json)
{
	static const char url[] = "github.com/containerd/containerd/pkg/cri/store/container/Metadata";
	size_t n = 0, jl = strlen(json);

	out[n++] = 0x0a;
	out[n++] = (char)(sizeof(url) - 1);
	memcpy(out + n, url, sizeof(url) - 1);
	n += sizeof(url) - 1;
	out[n++] = 0x12;
	/* the length as a varint */
	for (size_t v = jl; ; v >>= 7) {
		out[n++] = (char)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
		if (v < 0x80)
			break;
	}
	memcpy(out + n, json, jl);
	return n + jl;
}

static void test_cri_record(void **state)
{
	static const char json[] =
		"{\"Version\":\"v1\",\"Metadata\":{\"ID\":\"" CTRD_K8S "\",\"Name\":\"postgres_pg-0_db_uid_0\","
		"\"SandboxID\":\"" ABSENT "\",\"Config\":{\"metadata\":{\"name\":\"postgres\"},"
		"\"image\":{\"image\":\"sha256:023b\"},\"labels\":{\"io.kubernetes.pod.name\":\"pg-0\","
		"\"io.kubernetes.pod.namespace\":\"db\"},\"annotations\":{"
		"\"io.kubernetes.pod.terminationGracePeriod\":\"120\"}},\"ImageRef\":\"sha256:023b\","
		"\"LogPath\":\"/var/log/pods/x.log\",\"StopSignal\":\"SIGINT\",\"ProcessLabel\":\"\"}}";
	char buf[4096];
	struct dbp_cri_record r;
	size_t n = any(buf, json);

	(void)state;
	assert_int_equal(dbp_cri_record_parse(buf, n, &r), 0);
	assert_string_equal(r.name, "postgres");
	assert_string_equal(r.pod_name, "pg-0");
	assert_string_equal(r.pod_namespace, "db");
	assert_string_equal(r.stop_signal, "SIGINT");
	assert_int_equal(r.grace, 120);
	/* no StopSignal (the image set none), no grace annotation */
	n = any(buf, "{\"Version\":\"v1\",\"Metadata\":{\"Name\":\"x\",\"StopSignal\":\"\"}}");
	assert_int_equal(dbp_cri_record_parse(buf, n, &r), 0);
	assert_string_equal(r.stop_signal, "");
	assert_string_equal(r.name, "x");
	assert_int_equal(r.grace, -1);
	/* another version, not JSON, not an Any, cut short */
	n = any(buf, "{\"Version\":\"v2\",\"Metadata\":{}}");
	assert_int_equal(dbp_cri_record_parse(buf, n, &r), -EINVAL);
	n = any(buf, "{\"Version\":\"v1\",");
	assert_int_equal(dbp_cri_record_parse(buf, n, &r), -EINVAL);
	n = any(buf, json);
	assert_int_equal(dbp_cri_record_parse(buf, n - 10, &r), -EINVAL);
	assert_int_equal(dbp_cri_record_parse("\x0b\x00", 2, &r), -EINVAL);
	assert_int_equal(dbp_cri_record_parse("\x12\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11, &r),
			 -EINVAL);
	assert_int_equal(dbp_cri_record_parse(NULL, 0, &r), -EINVAL);
	/* a grace that is not the kubelet's decimal */
	n = any(buf, "{\"Version\":\"v1\",\"Metadata\":{\"Config\":{\"annotations\":{"
		"\"io.kubernetes.pod.terminationGracePeriod\":\"30s\"}}}}");
	assert_int_equal(dbp_cri_record_parse(buf, n, &r), 0);
	assert_int_equal(r.grace, -1);
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
		cmocka_unit_test_setup(test_dirs_from_the_configuration_files, clean),
		cmocka_unit_test_setup(test_dirs_from_the_daemons_command_lines, clean),
		cmocka_unit_test(test_real_docker_at_its_data_root),
		cmocka_unit_test(test_real_containerd_bundle_and_metadata),
		cmocka_unit_test(test_moby_namespace_is_docker),
		cmocka_unit_test(test_real_podman_state_has_the_grace),
		cmocka_unit_test_setup(test_containerd_state_damaged, clean),
		cmocka_unit_test(test_cri_record),
	};

	return cmocka_run_group_tests(tests, group_setup, ft_teardown);
}
