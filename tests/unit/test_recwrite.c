/* lib/rec/recwrite.c: the lines of a recording. */
#include "config.h"

#include <fcntl.h>
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

#include "classify.h"
#include "rec/recgz.h"
#include "rec/recwrite.h"

static void test_redacts_each_argument(void **state)
{
	char *argv[] = { "psql", "postgresql://app:s3cret@db/app", "--password", "hunter2",
			 "-c", "SELECT 1", NULL };
	char **r;

	(void)state;
	r = dbp_argv_redacted(argv);
	assert_non_null(r);
	assert_string_equal(r[0], "psql");
	assert_string_equal(r[1], "postgresql://app:***@db/app");
	assert_string_equal(r[2], "--password");
	assert_string_equal(r[3], "***");
	assert_string_equal(r[4], "-c");
	assert_string_equal(r[5], "SELECT 1");
	assert_null(r[6]);
	dbp_argv_free(r);
}

static void test_redacts_by_program(void **state)
{
	char *argv[] = { "/usr/bin/mysql", "-uroot", "-phunter2", "PGPASSWORD=abcdef y", NULL };
	char **r;

	(void)state;
	r = dbp_argv_redacted(argv);
	assert_non_null(r);
	assert_string_equal(r[1], "-uroot");
	assert_string_equal(r[2], "-p***");
	assert_string_equal(r[3], "PGPASSWORD=*** y");
	dbp_argv_free(r);
}

static void test_proc_line_shape(void **state)
{
	struct dbp_proc p;
	const char *const argv[] = { "psql", "password=hunter2", NULL };
	struct json_object *o;
	const char *s;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.pid = 84799;
	p.start_ticks = 5123456;
	p.ppid = 1;
	p.pgrp = 84790;
	p.sid = 84790;
	p.state = 'S';
	strcpy(p.comm, "psql");
	strcpy(p.user, "root");
	p.have = DBP_HAVE_STATUS | DBP_HAVE_OOM;
	p.sig.ignored = 1u << 12;
	assert_int_equal(dbp_proc_set_argv(&p, argv), 0);
	o = dbp_rec_proc(&p, 1);
	s = dbp_rec_string(o);
	assert_string_equal(s, "{\"pid\":84799,\"start\":5123456,\"ppid\":1,"
		"\"pgid\":84790,\"sid\":84790,\"uid\":0,"
		"\"user\":\"root\",\"state\":\"S\",\"comm\":\"psql\","
		"\"args\":[\"psql\",\"password=***\"],"
		"\"sig\":{\"pnd\":\"0000000000000000\",\"shd\":\"0000000000000000\","
		"\"blk\":\"0000000000000000\",\"ign\":\"0000000000001000\","
		"\"cgt\":\"0000000000000000\"},\"oom_adj\":0}");
	json_object_put(o);
	/* unreadable status: no uid, user, sig */
	p.have = 0;
	o = dbp_rec_proc(&p, 0);
	s = dbp_rec_string(o);
	assert_null(strstr(s, "\"uid\""));
	assert_null(strstr(s, "\"sig\""));
	assert_non_null(strstr(s, "password=hunter2"));
	json_object_put(o);
	dbp_proc_clear(&p);
}

static void test_times_in_milliseconds(void **state)
{
	struct json_object *o = dbp_rec_end(1763880001.5, 3600, "SIGTERM");

	(void)state;
	assert_string_equal(dbp_rec_string(o),
		"{\"k\":\"end\",\"t\":1763880001.500,\"samples\":3600,\"reason\":\"SIGTERM\"}");
	json_object_put(o);
}

static void test_counts_come_first_in_a_sample_line(void **state)
{
	struct dbp_table t;
	struct dbp_rec_counts c = { 4567, 2, 1 };
	struct json_object *o;

	(void)state;
	dbp_table_init(&t);
	o = dbp_rec_key(1763880001.5, 7, &c, &t, 1, NULL);
	/* readers take these from the start of the line without parsing it */
	assert_string_equal(dbp_rec_string(o), "{\"k\":\"key\",\"t\":1763880001.500,\"seq\":7,"
			    "\"last_pid\":4567,\"born\":2,\"threads\":1,\"procs\":[]}");
	json_object_put(o);
	c.last_pid = -1;
	o = dbp_rec_key(1763880001.5, 7, &c, &t, 1, NULL);
	assert_string_equal(dbp_rec_string(o), "{\"k\":\"key\",\"t\":1763880001.500,\"seq\":7,"
			    "\"procs\":[]}");
	json_object_put(o);
	dbp_table_free(&t);
}

static void test_header_says_redacted(void **state)
{
	struct dbp_rec_header h = { "pg-0", 1763876487, 100, 4026531836ULL, 1.0, 1763880000.0, 0, 1, 300, 32768, 0, 0, 0, 0, "", "" };
	struct json_object *o = dbp_rec_header(&h);

	(void)state;
	assert_non_null(strstr(dbp_rec_string(o), "\"redacted\":true"));
	assert_non_null(strstr(dbp_rec_string(o), "\"pid_max\":32768"));
	assert_null(strstr(dbp_rec_string(o), "partial_view"));
	json_object_put(o);
	/* what hidepid hid from the recorder, the header says */
	h.partial = 1;
	o = dbp_rec_header(&h);
	assert_non_null(strstr(dbp_rec_string(o), "\"partial_view\":true"));
	json_object_put(o);
}

/* The boot clock and the server's log: new fields, written only when
 * known (a reader of 0.1 looks fields up by name and passes over them) */
static void test_header_boot_clock_and_server_log(void **state)
{
	struct dbp_rec_header h = { "pg-0", 1763876487, 100, 4026531836ULL, 1.0, 1763880000.0, 0, 1, 300, 32768, 0, 0, 0, 0, "", "" };
	struct json_object *o = dbp_rec_header(&h);

	(void)state;
	assert_null(strstr(dbp_rec_string(o), "boot_clock"));
	assert_null(strstr(dbp_rec_string(o), "server_log"));
	assert_null(strstr(dbp_rec_string(o), "boot_id"));
	json_object_put(o);
	strcpy(h.boot_id, "6f0c2e7a-1d3b-4c55-9a0e-3b8f2d1c4e5a");
	o = dbp_rec_header(&h);
	assert_non_null(strstr(dbp_rec_string(o), "\"boot_id\":\"6f0c2e7a-1d3b-4c55-9a0e-3b8f2d1c4e5a\""));
	json_object_put(o);
	h.boot_clock = 1763876487.25;
	strcpy(h.server_log, "/var/lib/postgresql/data/log/postgresql.log");
	o = dbp_rec_header(&h);
	assert_non_null(strstr(dbp_rec_string(o), "\"boot_clock\":1763876487.250000"));
	assert_non_null(strstr(dbp_rec_string(o), "\"server_log\":\"\\/var\\/lib") ||
			strstr(dbp_rec_string(o), "\"server_log\":\"/var/lib"));
	json_object_put(o);
}

/* A node recording: the header says format 2 and all_containers; a one-
 * namespace recording stays format 1, which every reader reads. */
static void test_header_of_a_node_recording_is_format_2(void **state)
{
	struct dbp_rec_header h = { "node-1", 1763876487, 100, 4026531836ULL, 1.0, 1763880000.0, 0, 1, 300, 32768, 0, 0, 0, 0, "", "" };
	struct json_object *o = dbp_rec_header(&h);

	(void)state;
	assert_non_null(strstr(dbp_rec_string(o), "\"dbpod_recording\":1,"));
	assert_null(strstr(dbp_rec_string(o), "all_containers"));
	json_object_put(o);
	h.all_containers = 1;
	o = dbp_rec_header(&h);
	assert_non_null(strstr(dbp_rec_string(o), "\"dbpod_recording\":2,"));
	assert_non_null(strstr(dbp_rec_string(o), "\"all_containers\":true"));
	json_object_put(o);
}

static struct dbp_proc *nproc(struct dbp_table *t, pid_t pid, pid_t ppid, unsigned long long ino,
			      pid_t nspid)
{
	struct dbp_proc *p = dbp_table_add(t);

	assert_non_null(p);
	p->pid = pid;
	p->start_ticks = (unsigned long long)pid * 10;
	p->ppid = p->pgrp = p->sid = ppid;
	p->state = 'S';
	strcpy(p->comm, "postgres");
	p->ns.ino = ino;
	p->ns.pid = nspid;
	p->ns.pgrp = p->ns.sid = nspid == 1 ? 1 : 0;
	return p;
}

#define OWN 4026531836ULL
#define CTR 4026532801ULL

/* A node recording's PROC: its namespace right after pid and start (a
 * reader finds one namespace's processes in a key by them), and its
 * numbers there; the parent's number when it is in the same namespace,
 * 0 when it is outside (the runtime's shim), as getppid() says inside. */
static void test_proc_of_a_node_recording_says_its_namespace(void **state)
{
	struct dbp_table t;
	struct dbp_rec_nsview nv = { OWN, NULL };
	struct json_object *o;

	(void)state;
	dbp_table_init(&t);
	nproc(&t, 900, 1, OWN, 900);		/* the shim, on the node */
	nproc(&t, 901, 900, CTR, 1);		/* the postmaster, PID 1 inside */
	nproc(&t, 950, 901, CTR, 30);		/* a backend */
	dbp_table_sort(&t);
	o = dbp_rec_proc_in(&t, &t.procs[0], 1, &nv);
	assert_non_null(strstr(dbp_rec_string(o), "{\"pid\":900,\"start\":9000,\"ns\":4026531836,\"ppid\":1,"));
	assert_null(strstr(dbp_rec_string(o), "nspid"));
	json_object_put(o);
	o = dbp_rec_proc_in(&t, &t.procs[1], 1, &nv);
	assert_non_null(strstr(dbp_rec_string(o), "{\"pid\":901,\"start\":9010,\"ns\":4026532801,"
			       "\"nspid\":1,\"nsppid\":0,\"nspgid\":1,\"nssid\":1,\"ppid\":900,"));
	json_object_put(o);
	o = dbp_rec_proc_in(&t, &t.procs[2], 1, &nv);
	assert_non_null(strstr(dbp_rec_string(o), "\"nspid\":30,\"nsppid\":1,"));
	json_object_put(o);
	/* one namespace's recording: none of it */
	o = dbp_rec_proc(&t.procs[2], 1);
	assert_null(strstr(dbp_rec_string(o), "\"ns"));
	json_object_put(o);
	dbp_table_free(&t);
}

/* A reparented process says its new parent in its namespace too; the
 * parent gone from this sample is found in the one before. */
static void test_changed_parent_in_a_node_recording(void **state)
{
	struct dbp_table a, b;
	struct dbp_delta d;
	struct dbp_rec_nsview nv = { OWN, NULL };
	struct json_object *o;

	(void)state;
	dbp_table_init(&a);
	dbp_table_init(&b);
	dbp_delta_init(&d);
	nproc(&a, 901, 900, CTR, 1);
	nproc(&a, 960, 959, CTR, 40);		/* its shell, 959 (39 inside), exits */
	nproc(&a, 959, 901, CTR, 39);
	nproc(&b, 901, 900, CTR, 1);
	nproc(&b, 960, 901, CTR, 40);		/* adopted by PID 1 */
	nproc(&b, 970, 959, CTR, 41);		/* a parent only the sample before has */
	dbp_table_sort(&a);
	dbp_table_sort(&b);
	nv.prev = &a;
	assert_int_equal(dbp_delta_compute(&a, &b, 0, &d), 0);
	o = dbp_rec_delta(1763880002.0, 2, NULL, &a, &b, &d, 1, &nv);
	assert_non_null(strstr(dbp_rec_string(o), "\"changed\":[{\"pid\":960,\"start\":9600,"
			       "\"ppid\":901,\"pgid\":901,\"sid\":901,\"nsppid\":1,"));
	assert_non_null(strstr(dbp_rec_string(o), "\"nspid\":41,\"nsppid\":39,"));
	json_object_put(o);
	dbp_delta_free(&d);
	dbp_table_free(&a);
	dbp_table_free(&b);
}

static void test_namespace_line(void **state)
{
	struct dbp_rec_pidns n;
	struct json_object *o;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.ino = CTR;
	n.pid1 = 901;
	n.pid1_start = 9010;
	strcpy(n.id, "3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e");
	strcpy(n.runtime, "containerd");
	strcpy(n.name, "pg");
	o = dbp_rec_namespace(1763880001.0, &n);
	assert_string_equal(dbp_rec_string(o), "{\"k\":\"namespace\",\"t\":1763880001.000,"
		"\"ns\":4026532801,\"pid1\":901,\"pid1_start\":9010,"
		"\"container_id\":\"3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e\","
		"\"runtime\":\"containerd\",\"name\":\"pg\"}");
	json_object_put(o);
}

static size_t count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int ch;

	if (!f)
		return 0;
	while ((ch = fgetc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

/* o recording into dir (a new temporary directory)/ps.jsonl, its path
 * into path, opened: the header written. */
static void recout_in_tmp(struct dbp_recout *o, char *dir, char *path, size_t size)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, size, "%s/ps.jsonl", dir);
	assert_int_equal(dbp_recout_init(o, path, 2), 0);
	assert_string_equal(o->name, "ps.jsonl");
	assert_int_equal(dbp_recout_open(o), 0);
	assert_int_equal(count_lines(path), 1);
}

static void test_recout_writes_rotates_and_reopens_a_deleted_file(void **state)
{
	char dir[] = "/tmp/dbpod-test-out.XXXXXX", path[4096], rot[4200];
	struct dbp_recout o;

	(void)state;
	recout_in_tmp(&o, dir, path, sizeof(path));
	snprintf(rot, sizeof(rot), "%s.1", path);
	assert_int_equal(dbp_recout_line(&o, dbp_rec_note(1.0, "one")), 0);
	assert_int_equal(count_lines(path), 2);
	assert_int_equal(dbp_recout_reopen_if_unlinked(&o), 0);
	/* deleted under the recorder: noticed, and a new file with a header */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(dbp_recout_reopen_if_unlinked(&o), 1);
	assert_int_equal(count_lines(path), 1);
	assert_int_equal(dbp_recout_rotate(&o), 0);
	assert_int_equal(o.h.file_index, 1);
	assert_int_equal(count_lines(rot), 1);
	assert_int_equal(count_lines(path), 1);
	assert_int_equal(dbp_recout_close(&o), 0);
	dbp_recout_free(&o);
	unlink(path);
	unlink(rot);
	rmdir(dir);
}


/* Deleted, and a link to another file planted under the name: the
 * reopen refuses it and the other file keeps every byte. */
static void test_recout_reopen_refuses_a_planted_link(void **state)
{
	char dir[] = "/tmp/dbpod-test-out.XXXXXX", path[4096], target[4200];
	struct dbp_recout o;
	struct stat st;

	(void)state;
	recout_in_tmp(&o, dir, path, sizeof(path));
	snprintf(target, sizeof(target), "%s/secret", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(dbp_recout_reopen_if_unlinked(&o), -DBP_ENOTREG);
	assert_non_null(strstr(dbp_outdir_strerror(&o.dir, -DBP_ENOTREG), "it is a symbolic link to"));
	assert_int_equal(o.fd, -1);
	/* not created through the dangling link either */
	assert_int_equal(lstat(target, &st), -1);
	dbp_recout_free(&o);
	unlink(path);
	rmdir(dir);
}

/* the first line of a gzip file, into buf */
static void gz_first_line(const char *path, char *buf, int size)
{
	gzFile g = gzopen(path, "rb");

	assert_non_null(g);
	assert_non_null(gzgets(g, buf, size));
	gzclose(g);
}

static int has_index(const char *path)
{
	struct dbp_recgz_index ix;
	struct stat st;
	int fd = open(path, O_RDONLY), rc;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	rc = dbp_recgz_index_read(fd, st.st_size, &ix);
	dbp_recgz_index_free(&ix);
	close(fd);
	return rc == 0;
}

static void rm_dir(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* --compress: FILE.1 becomes FILE.1.gz with an index, and moves on to
 * FILE.2.gz; no plain FILE.N is left beside them. */
static void test_recout_compress_rotates_into_indexed_gzip(void **state)
{
	char dir[] = "/tmp/dbpod-test-out.XXXXXX", path[4096], name[4200], line[512];
	struct dbp_recout o;
	struct stat st;

	(void)state;
	recout_in_tmp(&o, dir, path, sizeof(path));
	o.compress = 1;
	assert_int_equal(dbp_recout_line(&o, dbp_rec_note(1.0, "zero")), 0);
	assert_int_equal(dbp_recout_rotate(&o), 0);
	assert_int_equal(o.compress_err, 0);
	assert_int_equal(dbp_recout_line(&o, dbp_rec_note(2.0, "one")), 0);
	assert_int_equal(dbp_recout_rotate(&o), 0);
	assert_int_equal(o.compress_err, 0);
	snprintf(name, sizeof(name), "%s.1", path);
	assert_int_equal(lstat(name, &st), -1);
	snprintf(name, sizeof(name), "%s.2.gz", path);
	assert_true(has_index(name));
	gz_first_line(name, line, sizeof(line));
	assert_non_null(strstr(line, "\"file_index\":0"));
	snprintf(name, sizeof(name), "%s.1.gz", path);
	assert_true(has_index(name));
	gz_first_line(name, line, sizeof(line));
	assert_non_null(strstr(line, "\"file_index\":1"));
	assert_int_equal(count_lines(path), 1);
	assert_int_equal(dbp_recout_close(&o), 0);
	dbp_recout_free(&o);
	rm_dir(dir);
}

/* The rotated files in dir: FILE.N and FILE.N.gz for N up to 9; the
 * highest N into *top. */
static int rotated_files(const char *path, int *top)
{
	char name[4200];
	struct stat st;
	int n = 0;

	*top = 0;
	for (int i = 1; i <= 9; i++)
		for (int gz = 0; gz <= 1; gz++) {
			snprintf(name, sizeof(name), "%s.%d%s", path, i, gz ? ".gz" : "");
			if (lstat(name, &st) == 0) {
				n++;
				*top = i;
			}
		}
	return n;
}

/* --compress where an earlier run without it left plain FILE.1 and
 * FILE.2: --keep 2 counts both kinds, and the plain ones age out. */
static void test_recout_keep_counts_plain_and_compressed(void **state)
{
	char dir[] = "/tmp/dbpod-test-out.XXXXXX", path[4096], name[4200];
	struct dbp_recout o;
	int top;

	(void)state;
	recout_in_tmp(&o, dir, path, sizeof(path));
	o.compress = 1;
	for (int i = 1; i <= 2; i++) {
		FILE *f;

		snprintf(name, sizeof(name), "%s.%d", path, i);
		f = fopen(name, "w");
		assert_non_null(f);
		fprintf(f, "{\"k\":\"header\",\"dbpod_recording\":1,\"file_index\":%d}\n", 2 - i);
		fclose(f);
	}
	for (int r = 0; r < 4; r++) {
		assert_int_equal(dbp_recout_line(&o, dbp_rec_note(1.0 + r, "x")), 0);
		assert_int_equal(dbp_recout_rotate(&o), 0);
		assert_int_equal(o.compress_err, 0);
		assert_int_equal(rotated_files(path, &top), 2);
		assert_int_equal(top, 2);
	}
	for (int i = 1; i <= 2; i++) {
		snprintf(name, sizeof(name), "%s.%d.gz", path, i);
		assert_true(has_index(name));
	}
	assert_int_equal(dbp_recout_close(&o), 0);
	dbp_recout_free(&o);
	rm_dir(dir);
}

/* A link planted as FILE.1.gz is replaced by the compressed file, never
 * followed; FILE.1 with a second link (someone else's name for it) is
 * not the recorder's to remove: it stays plain, and the error says why. */
static void test_recout_compress_refuses_what_is_not_its_own(void **state)
{
	char dir[] = "/tmp/dbpod-test-out.XXXXXX", path[4096], name[4200], other[4200];
	struct dbp_recout o;
	struct stat st;

	(void)state;
	recout_in_tmp(&o, dir, path, sizeof(path));
	o.compress = 1;
	snprintf(name, sizeof(name), "%s.1.gz", path);
	snprintf(other, sizeof(other), "%s/secret", dir);
	assert_int_equal(symlink(other, name), 0);
	assert_int_equal(dbp_recout_rotate(&o), 0);
	assert_int_equal(o.compress_err, 0);
	assert_int_equal(lstat(other, &st), -1);
	assert_int_equal(lstat(name, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_true(has_index(name));

	assert_int_equal(link(path, other), 0);
	assert_int_equal(dbp_recout_rotate(&o), 0);
	assert_int_equal(o.compress_err, -DBP_ELINKS);
	snprintf(name, sizeof(name), "%s.1", path);
	assert_int_equal(count_lines(name), 1);
	snprintf(name, sizeof(name), "%s.1.gz", path);
	assert_int_equal(lstat(name, &st), -1);
	assert_int_equal(dbp_recout_close(&o), 0);
	dbp_recout_free(&o);
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redacts_each_argument),
		cmocka_unit_test(test_redacts_by_program),
		cmocka_unit_test(test_proc_line_shape),
		cmocka_unit_test(test_times_in_milliseconds),
		cmocka_unit_test(test_counts_come_first_in_a_sample_line),
		cmocka_unit_test(test_header_says_redacted),
		cmocka_unit_test(test_header_boot_clock_and_server_log),
		cmocka_unit_test(test_header_of_a_node_recording_is_format_2),
		cmocka_unit_test(test_proc_of_a_node_recording_says_its_namespace),
		cmocka_unit_test(test_changed_parent_in_a_node_recording),
		cmocka_unit_test(test_namespace_line),
		cmocka_unit_test(test_recout_writes_rotates_and_reopens_a_deleted_file),
		cmocka_unit_test(test_recout_reopen_refuses_a_planted_link),
		cmocka_unit_test(test_recout_compress_rotates_into_indexed_gzip),
		cmocka_unit_test(test_recout_keep_counts_plain_and_compressed),
		cmocka_unit_test(test_recout_compress_refuses_what_is_not_its_own),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
