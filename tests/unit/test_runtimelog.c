/* lib/node/runtimelog.c and runtimelogread.c: a container's output as
 * docker's json-file and podman's k8s-file drivers keep it (real logs in
 * tests/fixtures/container/logs, their SOURCE), turned back into the lines
 * PostgreSQL wrote and parsed by pglog.c; the runtimes' files found from
 * their state (tests/fixtures/container/runtimes' real bolt_state.db, and
 * trees built here), and refused where they are not the runtime's. */
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
#include <zlib.h>

#include "fixturetree.h"

#include "node/runtimelog.h"
#include "node/runtimelogread.h"
#include "pglog.h"
#include "pglogread.h"
#include "redislog.h"
#include "redisread.h"
#include "slurp.h"
#include "stopinput.h"

#define ID "9a3334e4e0806d6758a7ed809251b10825739bd2506a40a245f5daaa07898b0a"
/* tests/fixtures/container/runtimes: podman 4.3.1's own record of it */
#define PODMAN_PG "dd091b366062572f3feb71cd098646035d333e8740327cdb75b1cab312b2508a"
#define POD_UID "0b1c3e3a-4a4f-4f7e-9d55-1f1d1a2b3c4d"

static char logs[4096], runtimes[4096];

static int group_setup(void **state)
{
	const char *top = getenv("top_srcdir");

	snprintf(logs, sizeof(logs), "%s/tests/fixtures/container/logs", top ? top : ".");
	snprintf(runtimes, sizeof(runtimes), "%s/tests/fixtures/container/runtimes",
		 top ? top : ".");
	return ft_setup(state);
}

static int clean(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s/var", ft_root);
	return system(cmd) == 0 ? 0 : -1;
}

static char *fixture(const char *name, size_t *len)
{
	char path[4200], *buf;

	snprintf(path, sizeof(path), "%s/%s", logs, name);
	assert_int_equal(dbp_slurp(path, &buf, len), 0);
	return buf;
}

static void parse(enum dbp_runtime_log_format f, const char *in, size_t max,
		  struct dbp_runtime_log_text *t)
{
	assert_int_equal(dbp_runtime_log_parse(f, in, strlen(in), max, t), 0);
	assert_non_null(t->text);
	assert_int_equal(strlen(t->text), t->len);
}

static void test_docker_json_file(void **state)
{
	struct dbp_runtime_log_text t;
	struct dbp_pglog log;
	size_t len;
	char *in = fixture("docker-json-file", &len), *stmt, *nl;

	(void)state;
	parse(DBP_RUNTIME_LOG_JSON_FILE, in, 1 << 20, &t);
	assert_int_equal(t.entries, 10);
	assert_int_equal(t.skipped, 0);
	assert_int_equal(t.cut, 0);
	/* the JSON is gone, the escapes undone */
	assert_null(strstr(t.text, "\"stream\""));
	assert_non_null(strstr(t.text, "\n2026-12-07 13:40:30.784 UTC [1] LOG:  listening on Unix "
				   "socket \"/var/run/postgresql/.s.PGSQL.5432\"\n"));
	/* the 20034-byte STATEMENT line docker cut after 16384 bytes is whole */
	stmt = strstr(t.text, "STATEMENT:  SELECT 1/0, 'a");
	assert_non_null(stmt);
	nl = strchr(stmt, '\n');
	assert_non_null(nl);
	assert_int_equal(nl - stmt, 25 + 20000 + 1);
	assert_int_equal(strspn(stmt + 25, "a"), 20000);
	assert_string_equal(nl - 1, "'\n");
	/* and PostgreSQL's parser finds the immediate checkpoint in it */
	dbp_pglog_init(&log);
	assert_true(dbp_pglog_parse(&log, t.text) >= 0);
	assert_int_equal(log.nckpt, 1);
	assert_int_equal(log.ckpt[0].buffers, 1353);
	dbp_pglog_free(&log);
	dbp_runtime_log_text_free(&t);
	free(in);
}

static void test_podman_k8s_file(void **state)
{
	struct dbp_runtime_log_text t;
	struct dbp_pglog log;
	size_t len;
	char *in = fixture("podman-k8s-file", &len);

	(void)state;
	parse(DBP_RUNTIME_LOG_CRI, in, 1 << 20, &t);
	assert_int_equal(t.entries, 69);
	assert_int_equal(t.skipped, 0);
	/* initdb's "creating subdirectories ... " came as P, then "ok" as F */
	assert_non_null(strstr(t.text, "\ncreating subdirectories ... ok\n"));
	assert_null(strstr(t.text, " stdout F "));
	assert_null(strstr(t.text, "+00:00 "));
	/* both streams: the temporary server's shutdown checkpoint on stdout,
	 * the CHECKPOINT's on stderr */
	dbp_pglog_init(&log);
	assert_true(dbp_pglog_parse(&log, t.text) >= 0);
	assert_int_equal(log.nckpt, 2);
	assert_int_equal(log.ckpt[0].buffers, 3);
	assert_int_equal(log.ckpt[1].buffers, 1353);
	dbp_pglog_free(&log);
	dbp_runtime_log_text_free(&t);
	free(in);
}

/* partial lines join within their stream, whatever the other does */
static void test_partial_lines_per_stream(void **state)
{
	struct dbp_runtime_log_text t;

	(void)state;
	parse(DBP_RUNTIME_LOG_CRI,
	      "2026-12-07T13:39:53.916653356+00:00 stdout P one-\n"
	      "2026-12-07T13:39:53.916653357+00:00 stderr F other\n"
	      "2026-12-07T13:39:53.916653358+00:00 stdout P two-\n"
	      "2026-12-07T13:39:53.916653359+00:00 stdout F three\n"
	      "2026-12-07T13:39:53.916653360+00:00 stdout F\n"
	      "2026-12-07T13:39:53.916653361+00:00 stderr F:x tagged\n"
	      "not a line of the format\n"
	      "2026-12-07T13:39:53.916653362+00:00 stdin F no such stream\n"
	      "2026-12-07T13:39:53.916653363+00:00 stderr P the line written now\n", 1 << 20, &t);
	assert_string_equal(t.text, "other\none-two-three\n\ntagged\nthe line written now\n");
	assert_int_equal(t.entries, 7);
	assert_int_equal(t.skipped, 2);
	dbp_runtime_log_text_free(&t);
	parse(DBP_RUNTIME_LOG_JSON_FILE,
	      "{\"log\":\"a \\u00e9 \",\"stream\":\"stderr\",\"time\":\"x\"}\r\n"
	      "{\"log\":\"out\\n\",\"stream\":\"stdout\",\"time\":\"x\"}\n"
	      "{\"log\":\"nul\\u0000 end\\n\",\"stream\":\"stderr\",\"time\":\"x\"}\n"
	      "{\"log\":\"x\\n\",\"stream\":\"stdin\"}\n"
	      "{\"log\":1,\"stream\":\"stdout\"}\n"
	      "{\"log\":\"torn", 1 << 20, &t);
	assert_string_equal(t.text, "out\na \xc3\xa9 nul end\n");
	assert_int_equal(t.entries, 3);
	assert_int_equal(t.skipped, 3);
	dbp_runtime_log_text_free(&t);
}

/* the last max bytes of the text, from a line's start */
static void test_cap(void **state)
{
	struct dbp_runtime_log_text t;

	(void)state;
	parse(DBP_RUNTIME_LOG_JSON_FILE,
	      "{\"log\":\"first line\\n\",\"stream\":\"stderr\"}\n"
	      "{\"log\":\"second\\n\",\"stream\":\"stderr\"}\n"
	      "{\"log\":\"third\\n\",\"stream\":\"stderr\"}\n", 10, &t);
	assert_string_equal(t.text, "third\n");
	assert_int_equal(t.cut, 1);
	dbp_runtime_log_text_free(&t);
	parse(DBP_RUNTIME_LOG_CRI, "", 10, &t);
	assert_string_equal(t.text, "");
	assert_int_equal(t.cut, 0);
	dbp_runtime_log_text_free(&t);
	/* the last 13 bytes start with a line: it is kept */
	parse(DBP_RUNTIME_LOG_JSON_FILE,
	      "{\"log\":\"first line\\n\",\"stream\":\"stderr\"}\n"
	      "{\"log\":\"second\\n\",\"stream\":\"stderr\"}\n"
	      "{\"log\":\"third\\n\",\"stream\":\"stderr\"}\n", 13, &t);
	assert_string_equal(t.text, "second\nthird\n");
	dbp_runtime_log_text_free(&t);
}

/* the entry the runtime is writing as dbpod reads (no newline yet) is
 * not taken: its text may stop anywhere, "total=1" of "total=12.3" */
static void test_entry_being_written(void **state)
{
	struct dbp_runtime_log_text t;

	(void)state;
	parse(DBP_RUNTIME_LOG_CRI,
	      "2026-12-07T13:40:31.188Z stderr F checkpoint starting\n"
	      "2026-12-07T13:40:31.202Z stderr F checkpoint complete: total=1", 1 << 20, &t);
	assert_string_equal(t.text, "checkpoint starting\n");
	assert_int_equal(t.entries, 1);
	assert_int_equal(t.skipped, 1);
	dbp_runtime_log_text_free(&t);
}

static void copy_fixture(const char *name, const char *rel)
{
	char cmd[9000];

	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s%s')\" && cp '%s/%s' '%s%s'", ft_root,
		 rel, logs, name, ft_root, rel);
	assert_int_equal(system(cmd), 0);
}

/* docker: config.v2.json's LogPath, read below the root */
static void test_docker_log_found(void **state)
{
	struct dbp_runtime_dirs d;
	struct dbp_container c = { .runtime = "docker", .id = ID };
	struct dbp_container_meta m = { .source = "docker", .runtime = "docker" };
	struct dbp_runtime_output out;

	(void)state;
	dbp_runtime_dirs_default(&d);
	ft_put("/var/lib/docker/containers/" ID "/config.v2.json",
	       "{\"ID\":\"" ID "\",\"LogPath\":\"/var/lib/docker/containers/" ID "/moved.log\"}");
	ft_put("/var/lib/docker/containers/" ID "/hostconfig.json",
	       "{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{}}}");
	copy_fixture("docker-json-file", "/var/lib/docker/containers/" ID "/moved.log");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 1 << 20, &out), 0);
	assert_non_null(out.text);
	assert_string_equal(out.path, "/var/lib/docker/containers/" ID "/moved.log");
	assert_string_equal(out.where, "the runtime's log, docker json-file");
	assert_string_equal(out.missing, "");
	assert_non_null(strstr(out.text, "checkpoint complete: wrote 1353 buffers"));
	dbp_runtime_output_release(&out);
	assert_null(out.text);

	/* another driver keeps no file dbpod reads: said */
	ft_put("/var/lib/docker/containers/" ID "/hostconfig.json",
	       "{\"LogConfig\":{\"Type\":\"journald\",\"Config\":{}}}");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 1 << 20, &out), 0);
	assert_null(out.text);
	assert_non_null(strstr(out.missing, "journald driver"));

	/* a link where the log is: not followed */
	ft_put("/var/lib/docker/containers/" ID "/hostconfig.json", "{}");
	ft_put("/secret", "{\"log\":\"secret\\n\",\"stream\":\"stderr\"}\n");
	{
		char link[600];

		snprintf(link, sizeof(link), "%s/var/lib/docker/containers/" ID "/moved.log", ft_root);
		assert_int_equal(unlink(link), 0);
		assert_int_equal(symlink("/secret", link), 0);
	}
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 1 << 20, &out), 0);
	assert_null(out.text);
	assert_non_null(strstr(out.missing, "could not be read: not a regular file"));
}

/* docker's max-file: the file rotated to <log>.1 holds the lines before
 * the current one's, read first where the current one leaves room */
static void test_docker_rotated(void **state)
{
	struct dbp_runtime_dirs d;
	struct dbp_container c = { .runtime = "docker", .id = ID };
	struct dbp_container_meta m = { .source = "docker", .runtime = "docker" };
	struct dbp_runtime_output out;
#define DOCKER_LOG "/var/lib/docker/containers/" ID "/" ID "-json.log"
	const char *dir = DOCKER_LOG;

	(void)state;
	dbp_runtime_dirs_default(&d);
	ft_put("/var/lib/docker/containers/" ID "/config.v2.json", "{\"ID\":\"" ID "\"}");
	ft_put(dir, "{\"log\":\"after the rotation\\n\",\"stream\":\"stderr\","
	       "\"time\":\"2026-12-07T13:40:31.2Z\"}\n");
	/* no .1: the current file alone */
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 1 << 20, &out), 0);
	assert_string_equal(out.text, "after the rotation\n");
	assert_string_equal(out.rotated, "");
	assert_string_equal(out.where, "the runtime's log, docker json-file");
	dbp_runtime_output_release(&out);
	ft_put(DOCKER_LOG ".1", "{\"log\":\"checkpoint complete: wrote 1353 buffers\\n\",\"stream\":"
	       "\"stderr\",\"time\":\"2026-12-07T13:40:30.2Z\"}\n");
	ft_put(DOCKER_LOG ".2", "{\"log\":\"older still\\n\",\"stream\":\"stderr\","
	       "\"time\":\"2026-12-07T13:40:29.2Z\"}\n");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 1 << 20, &out), 0);
	assert_string_equal(out.text, "checkpoint complete: wrote 1353 buffers\nafter the rotation\n");
	assert_string_equal(out.path, dir);
	assert_string_equal(out.rotated, "/var/lib/docker/containers/" ID "/" ID "-json.log.1");
	assert_string_equal(out.where, "the runtime's log, docker json-file, and the file rotated "
			    "before it");
	dbp_runtime_output_release(&out);
	/* room for part of it: its last lines, whole (2 * 40 bytes of the
	 * file read: the last entry, 40 bytes, and part of the one before) */
	ft_put(DOCKER_LOG ".1",
	       "{\"log\":\"a first line\\n\",\"stream\":\"stderr\"}\n"
	       "{\"log\":\"a second\\n\",\"stream\":\"stderr\"}\n");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 19 + 40, &out), 0);
	assert_string_equal(out.text, "a second\nafter the rotation\n");
	assert_int_equal(out.cut, 1);
	dbp_runtime_output_release(&out);
	/* compress=true: docker gzips the file it rotates to <log>.1.gz */
	{
		char p[600];
		gzFile g;
		static const char line[] = "{\"log\":\"checkpoint complete: wrote 77 buffers\\n\","
			"\"stream\":\"stderr\",\"time\":\"2026-12-07T13:40:30.2Z\"}\n";

		snprintf(p, sizeof(p), "%s" DOCKER_LOG ".1", ft_root);
		assert_int_equal(unlink(p), 0);
		snprintf(p, sizeof(p), "%s" DOCKER_LOG ".1.gz", ft_root);
		g = gzopen(p, "wb");
		assert_non_null(g);
		assert_int_equal(gzwrite(g, line, sizeof(line) - 1), (int)sizeof(line) - 1);
		assert_int_equal(gzclose(g), Z_OK);
	}
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 1 << 20, &out), 0);
	assert_string_equal(out.text, "checkpoint complete: wrote 77 buffers\nafter the rotation\n");
	assert_string_equal(out.rotated, "/var/lib/docker/containers/" ID "/" ID "-json.log.1.gz");
	assert_int_equal(out.cut, 0);
	dbp_runtime_output_release(&out);
	/* the current file's text more than the budget: the rotated one
	 * would leave a gap, and is not read (210 bytes, read whole; 120 of
	 * text, of which the last 105 are kept: the last two lines) */
#define L40(c) "{\"log\":\"" c c c c c c c c c c c c c "\\n\",\"stream\":\"stderr\"}\n"
	ft_put(DOCKER_LOG, L40("xxx") L40("yyy") L40("zzz"));
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "docker", 105, &out), 0);
	assert_int_equal(strlen(out.text), 80);
	assert_int_equal(out.text[0], 'y');
	assert_string_equal(out.rotated, "");
	assert_int_equal(out.cut, 1);
	dbp_runtime_output_release(&out);
#undef L40
#undef DOCKER_LOG
}

/* podman: the logPath of its record in the real bolt_state.db */
static void test_podman_record(void **state)
{
	struct dbp_runtime_dirs d;
	struct dbp_container c = { .runtime = "podman", .id = PODMAN_PG };
	struct dbp_container_meta m = { .source = "containers-storage", .runtime = "" };
	struct dbp_runtime_output out;
	char cmd[9000];

	(void)state;
	dbp_runtime_dirs_default(&d);
	snprintf(d.graphroot, sizeof(d.graphroot), "/var/lib/dbpod-test-podman");
	/* the record names a log that is not there any more */
	assert_int_equal(dbp_runtime_output_read(runtimes, &d, &c, &m, "podman", 1 << 20, &out), 0);
	assert_null(out.text);
	assert_string_equal(out.path, "/var/lib/dbpod-test-explore/podman/overlay-containers/"
			    PODMAN_PG "/userdata/ctr.log");
	assert_non_null(strstr(out.missing, "(podman k8s-file) could not be read: No such file"));
	/* and read where it is */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/var/lib/dbpod-test-podman/libpod && cp "
		 "%s/var/lib/dbpod-test-podman/libpod/bolt_state.db %s/var/lib/dbpod-test-podman/libpod/",
		 ft_root, runtimes, ft_root);
	assert_int_equal(system(cmd), 0);
	copy_fixture("podman-k8s-file", "/var/lib/dbpod-test-explore/podman/overlay-containers/"
		     PODMAN_PG "/userdata/ctr.log");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "podman", 1 << 20, &out), 0);
	assert_non_null(out.text);
	assert_string_equal(out.where, "the runtime's log, podman k8s-file");
	assert_non_null(strstr(out.text, "\ncreating subdirectories ... ok\n"));
	dbp_runtime_output_release(&out);
}

/* the kubelet's /var/log/pods: the newest restart's file; a pod found by
 * its UID alone; names that would climb out refused */
static void test_kubelet_logs(void **state)
{
	struct dbp_runtime_dirs d;
	struct dbp_container c = { .runtime = "", .id = ID, .pod_uid = POD_UID };
	struct dbp_container_meta m = { .source = "containerd", .runtime = "containerd",
					.name = "postgres", .pod_name = "pg-0",
					.pod_namespace = "db" };
	struct dbp_runtime_output out;

	(void)state;
	dbp_runtime_dirs_default(&d);
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/0.log",
	       "2026-12-07T13:39:53.916653356+00:00 stderr F restart 0\n");
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/10.log",
	       "2026-12-07T13:39:53.916653356+00:00 stderr F restart 10\n");
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/9.log",
	       "2026-12-07T13:39:53.916653356+00:00 stderr F restart 9\n");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "containerd", 1 << 20, &out), 0);
	assert_string_equal(out.text, "restart 10\n");
	assert_string_equal(out.path, "/var/log/pods/db_pg-0_" POD_UID "/postgres/10.log");
	assert_string_equal(out.where, "the runtime's log, the kubelet's CRI log");
	assert_string_equal(out.rotated, "");
	dbp_runtime_output_release(&out);
	/* the kubelet's rotation: <N>.log.<time>, the newest uncompressed,
	 * the older ones gzipped; another restart's are not this one's */
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/10.log.20261207-120000",
	       "2026-12-07T12:00:00.0+00:00 stderr F older\n");
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/10.log.20261207-130000",
	       "2026-12-07T13:00:00.0+00:00 stderr F rotated\n");
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/10.log.20261207-140000.gz", "gz");
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/10.log.20261207-140000.tmp", "tmp");
	ft_put("/var/log/pods/db_pg-0_" POD_UID "/postgres/9.log.20261207-150000",
	       "2026-12-07T15:00:00.0+00:00 stderr F restart 9 rotated\n");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "containerd", 1 << 20, &out), 0);
	assert_string_equal(out.text, "rotated\nrestart 10\n");
	assert_string_equal(out.rotated, "/var/log/pods/db_pg-0_" POD_UID
			    "/postgres/10.log.20261207-130000");
	dbp_runtime_output_release(&out);
	/* CRI-O: the pod's name not known, its UID is */
	m.pod_name[0] = m.pod_namespace[0] = '\0';
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "cri-o", 1 << 20, &out), 0);
	assert_string_equal(out.text, "rotated\nrestart 10\n");
	dbp_runtime_output_release(&out);
	strcpy(m.name, "..");
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "cri-o", 1 << 20, &out), 0);
	assert_null(out.text);
	assert_non_null(strstr(out.missing, "the kubelet's log of it was not found"));
	/* containerd outside a pod keeps no file */
	c.pod_uid[0] = '\0';
	m.pod_name[0] = '\0';
	assert_int_equal(dbp_runtime_output_read(ft_root, &d, &c, &m, "containerd", 1 << 20, &out), 0);
	assert_null(out.text);
	assert_non_null(strstr(out.missing, "keeps no log file"));
	assert_non_null(strstr(out.missing, "ctr run"));
}

/* the evidence takes the runtime's text only where the server logs to a
 * pipe; a log of its own is left as it is */
static void test_evidence_takes_it_for_a_pipe(void **state)
{
	struct dbp_runtime_output rt = { .text = "2026-12-07 13:40:31.188 UTC [6] LOG:  checkpoint "
		"starting: immediate force wait\n2026-12-07 13:40:31.202 UTC [6] LOG:  checkpoint "
		"complete: wrote 1353 buffers (8.3%); 0 WAL file(s) added, 0 removed, 1 recycled; "
		"write=0.010 s, sync=0.002 s, total=0.014 s; sync files=21, longest=0.001 s, "
		"average=0.001 s; distance=18893 kB, estimate=18893 kB\n",
		.path = "/var/lib/docker/containers/x/x-json.log",
		.where = "the runtime's log, docker json-file" };
	struct dbp_pg_evidence ev;
	struct dbp_redis_evidence rev;

	(void)state;
	dbp_evidence_init(&ev);
	ev.log_missing = "its standard error is a pipe";
	ev.log_pipe = 1;
	assert_int_equal(dbp_pg_evidence_runtime(&ev, NULL), 0);
	assert_int_equal(ev.log_read, 0);
	assert_int_equal(rt.wanted, 0);
	assert_int_equal(dbp_pg_evidence_runtime(&ev, &rt), 0);
	assert_int_equal(ev.log_read, 1);
	assert_null(ev.log_missing);
	assert_int_equal(rt.wanted, 1);
	assert_int_equal(rt.used, 1);
	assert_int_equal(ev.log.nckpt, 1);
	assert_string_equal(ev.log_path, rt.path);
	assert_string_equal(ev.log_where, rt.where);
	dbp_evidence_free(&ev);
	/* a log read from a file stays */
	dbp_evidence_init(&ev);
	ev.log_read = 1;
	snprintf(ev.log_path, sizeof(ev.log_path), "/var/log/postgresql.log");
	rt.wanted = rt.used = 0;
	assert_int_equal(dbp_pg_evidence_runtime(&ev, &rt), 0);
	assert_int_equal(rt.wanted, 0);
	assert_string_equal(ev.log_path, "/var/log/postgresql.log");
	assert_int_equal(ev.log.nckpt, 0);
	dbp_evidence_free(&ev);
	/* standard error /dev/null, a terminal: not the runtime's pipe, so
	 * not the runtime's log either */
	dbp_evidence_init(&ev);
	ev.log_missing = "its standard error is not a file, and logging_collector is off";
	assert_int_equal(dbp_pg_evidence_runtime(&ev, &rt), 0);
	assert_int_equal(rt.wanted, 0);
	assert_int_equal(ev.log_read, 0);
	assert_int_equal(ev.log.nckpt, 0);
	dbp_evidence_free(&ev);
	/* no text: why, instead of the pipe alone */
	dbp_evidence_init(&ev);
	ev.log_missing = "its standard error is a pipe";
	ev.log_pipe = 1;
	rt.text = NULL;
	snprintf(rt.missing, sizeof(rt.missing), "docker's journald driver");
	assert_int_equal(dbp_pg_evidence_runtime(&ev, &rt), 0);
	assert_int_equal(ev.log_read, 0);
	assert_string_equal(ev.log_missing, "docker's journald driver");
	assert_int_equal(rt.wanted, 1);
	assert_int_equal(rt.used, 0);
	dbp_evidence_free(&ev);
	/* Redis the same */
	dbp_redis_evidence_init(&rev);
	rev.log_missing = "it logs to its standard output, a pipe";
	rev.log_pipe = 1;
	rt.text = "1:M 07 Dec 2026 13:40:31.202 * DB saved on disk\n";
	assert_int_equal(dbp_redis_evidence_runtime(&rev, &rt), 0);
	assert_int_equal(rev.log_read, 1);
	assert_true(rev.log.saved > 0);
	assert_string_equal(rev.log_path, rt.path);
	dbp_redis_evidence_free(&rev);
}

/* node mode's loader: called once, and only for a server whose log is
 * a pipe -- a server with a file of its own costs no read */
static int loads;
static int load_text(struct dbp_runtime_output *rt, void *arg)
{
	loads++;
	rt->text = strdup(arg);
	snprintf(rt->path, sizeof(rt->path), "/var/log/pods/db_pg-0_u/postgres/0.log");
	snprintf(rt->where, sizeof(rt->where), "the runtime's log, Kubernetes");
	return rt->text ? 0 : -ENOMEM;
}

static void test_loaded_only_when_wanted(void **state)
{
	static char text[] = "2026-12-07 13:40:31.202 UTC [6] LOG:  checkpoint complete: wrote "
		"1353 buffers (8.3%); 0 WAL file(s) added, 0 removed, 1 recycled; write=0.010 s, "
		"sync=0.002 s, total=0.014 s; sync files=21, longest=0.001 s, average=0.001 s; "
		"distance=18893 kB, estimate=18893 kB\n";
	struct dbp_runtime_output rt = { .load = load_text, .load_arg = text };
	struct dbp_pg_evidence ev;

	(void)state;
	loads = 0;
	dbp_evidence_init(&ev);
	ev.log_read = 1;	/* its own log file */
	assert_int_equal(dbp_pg_evidence_runtime(&ev, &rt), 0);
	assert_int_equal(loads, 0);
	dbp_evidence_free(&ev);
	dbp_evidence_init(&ev);
	ev.log_missing = "its standard error is a pipe";
	ev.log_pipe = 1;
	assert_int_equal(dbp_pg_evidence_runtime(&ev, &rt), 0);
	assert_int_equal(loads, 1);
	assert_int_equal(ev.log_read, 1);
	assert_int_equal(ev.log.nckpt, 1);
	assert_string_equal(ev.log_path, "/var/log/pods/db_pg-0_u/postgres/0.log");
	assert_null(rt.load);
	dbp_evidence_free(&ev);
	free((char *)rt.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_json_file),
		cmocka_unit_test(test_podman_k8s_file),
		cmocka_unit_test(test_partial_lines_per_stream),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_entry_being_written),
		cmocka_unit_test_setup(test_docker_log_found, clean),
		cmocka_unit_test_setup(test_docker_rotated, clean),
		cmocka_unit_test_setup(test_podman_record, clean),
		cmocka_unit_test_setup(test_kubelet_logs, clean),
		cmocka_unit_test(test_evidence_takes_it_for_a_pipe),
		cmocka_unit_test(test_loaded_only_when_wanted),
	};

	return cmocka_run_group_tests(tests, group_setup, ft_teardown);
}
