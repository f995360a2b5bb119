/* lib/recwrite.c: the lines of a recording. */
#include "config.h"

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

#include "recwrite.h"

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
	o = dbp_rec_key(1763880001.5, 7, &c, &t, 1);
	/* readers take these from the start of the line without parsing it */
	assert_string_equal(dbp_rec_string(o), "{\"k\":\"key\",\"t\":1763880001.500,\"seq\":7,"
			    "\"last_pid\":4567,\"born\":2,\"threads\":1,\"procs\":[]}");
	json_object_put(o);
	c.last_pid = -1;
	o = dbp_rec_key(1763880001.5, 7, &c, &t, 1);
	assert_string_equal(dbp_rec_string(o), "{\"k\":\"key\",\"t\":1763880001.500,\"seq\":7,"
			    "\"procs\":[]}");
	json_object_put(o);
	dbp_table_free(&t);
}

static void test_header_says_redacted(void **state)
{
	struct dbp_rec_header h = { "pg-0", 1763876487, 100, 4026531836ULL, 1.0, 1763880000.0, 0, 1, 300, 32768, 0, 0 };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redacts_each_argument),
		cmocka_unit_test(test_redacts_by_program),
		cmocka_unit_test(test_proc_line_shape),
		cmocka_unit_test(test_times_in_milliseconds),
		cmocka_unit_test(test_counts_come_first_in_a_sample_line),
		cmocka_unit_test(test_header_says_redacted),
		cmocka_unit_test(test_recout_writes_rotates_and_reopens_a_deleted_file),
		cmocka_unit_test(test_recout_reopen_refuses_a_planted_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
