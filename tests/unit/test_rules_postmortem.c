/* lib/rec/rules_postmortem.c: crash lines judged on hand-built tables. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "classify.h"
#include "rec/recread.h"
#include "rec/rules_postmortem.h"
#include "tablebuild.h"

#define SIGPIPE_BIT (1ULL << 12)

static struct dbp_proc *add(struct dbp_table *t, pid_t pid, pid_t ppid, const char *user,
			    const char *comm, const char *arg0, uint64_t ignored)
{
	struct dbp_proc *p = dbp_table_add(t);
	const char *argv[] = { arg0, NULL };

	p->pid = pid;
	p->ppid = ppid;
	p->state = 'S';
	snprintf(p->user, sizeof(p->user), "%s", user);
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	assert_int_equal(dbp_proc_set_argv(p, argv), 0);
	p->sig.ignored = ignored;
	p->have = DBP_HAVE_STATUS | DBP_HAVE_CMDLINE;
	return p;
}

/* the postmaster is PID 1, a root psql it adopted */
static void adopted_psql(struct dbp_table *t)
{
	dbp_table_init(t);
	add(t, 1, 0, "postgres", "postgres", "/usr/lib/postgresql/15/bin/postgres", SIGPIPE_BIT);
	add(t, 7, 1, "postgres", "postgres", "postgres: checkpointer ", SIGPIPE_BIT);
	add(t, 84799, 1, "root", "psql", "/usr/lib/postgresql/15/bin/psql", 0);
	dbp_table_sort(t);
}

static struct dbp_pglog_event event(pid_t pid, enum dbp_pglog_how how, int code)
{
	struct dbp_pglog_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.pid = pid;
	ev.how = how;
	ev.code = code;
	ev.line = 12;
	snprintf(ev.what, sizeof(ev.what), "server process");
	return ev;
}

static const struct dbp_finding *only(const struct dbp_report *r, const char *id)
{
	assert_int_equal(r->n, 1);
	assert_string_equal(r->items[0].id, id);
	return &r->items[0];
}

static void test_adopted_root_psql_is_critical_and_named(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pglog_event ev = event(84799, DBP_PGLOG_SIGNAL, 13);
	const struct dbp_finding *f;

	(void)state;
	adopted_psql(&t);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_crash(&ev, &t, dbp_table_find(&t, 84799), &r);
	f = only(&r, "DBM701");
	assert_int_equal(f->severity, DBP_CRITICAL);
	assert_int_equal(f->pid, 84799);
	assert_non_null(strstr(f->message, "psql, user root, parent PID 1 (postgres)"));
	assert_non_null(strstr(f->message, "which is PID 1 and so adopted it"));
	assert_non_null(strstr(f->message, "did not ignore SIGPIPE"));
	assert_non_null(strstr(f->message, "another user (the postmaster runs as postgres)"));
	assert_non_null(f->advice);
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_foreign_exit_code_one_is_a_warning(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pglog_event ev = event(84799, DBP_PGLOG_EXIT, 1);

	(void)state;
	adopted_psql(&t);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_crash(&ev, &t, dbp_table_find(&t, 84799), &r);
	assert_int_equal(only(&r, "DBM701")->severity, DBP_WARNING);
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_server_process_killed_is_a_warning(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pglog_event ev = event(7, DBP_PGLOG_SIGNAL, 9);
	const struct dbp_finding *f;

	(void)state;
	adopted_psql(&t);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_crash(&ev, &t, dbp_table_find(&t, 7), &r);
	f = only(&r, "DBM702");
	assert_int_equal(f->severity, DBP_WARNING);
	assert_non_null(strstr(f->advice, "OOM killer"));
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_server_exit_code_is_info(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pglog_event ev = event(7, DBP_PGLOG_EXIT, 1);

	(void)state;
	adopted_psql(&t);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_crash(&ev, &t, dbp_table_find(&t, 7), &r);
	assert_int_equal(only(&r, "DBM703")->severity, DBP_INFO);
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_no_holder_is_unknown(void **state)
{
	struct dbp_table t;
	struct dbp_report r;
	struct dbp_pglog_event ev = event(555, DBP_PGLOG_SIGNAL, 13);

	(void)state;
	adopted_psql(&t);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_crash(&ev, &t, NULL, &r);
	assert_int_equal(only(&r, "DBM700")->severity, DBP_UNKNOWN);
	dbp_report_free(&r);
	dbp_table_free(&t);
}

static void test_missed_pid_says_when_and_how_many(void **state)
{
	struct dbp_report r;
	struct dbp_pglog_event ev = event(555, DBP_PGLOG_SIGNAL, 13);
	struct dbp_rec_unseen w = { 1795416001.0, 1795416002.0, 550, 560, 10, 1, 0, 9 };
	const struct dbp_finding *f;

	(void)state;
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_missed(&ev, &w, &r);
	f = only(&r, "DBM700");
	assert_int_equal(f->severity, DBP_UNKNOWN);
	assert_non_null(strstr(f->message, "PID 555 was allocated between 06:40:01 and 06:40:02 UTC "
				"and lived less than one interval"));
	assert_non_null(strstr(f->message, "8 other processes were missed in that window"));
	assert_non_null(strstr(f->advice, "--acct"));
	dbp_report_free(&r);
}

static void test_postmaster_found_from_the_holder(void **state)
{
	struct dbp_table t;

	(void)state;
	dbp_table_init(&t);
	add(&t, 1, 0, "root", "tini", "tini", 0);
	add(&t, 6, 1, "postgres", "postgres", "/usr/lib/postgresql/15/bin/postgres", SIGPIPE_BIT);
	add(&t, 9, 6, "postgres", "postgres", "postgres: walwriter ", SIGPIPE_BIT);
	dbp_table_sort(&t);
	assert_int_equal(dbp_postmaster_find(&t, dbp_table_find(&t, 9)->ppid, NULL)->pid, 6);
	assert_true(dbp_postmortem_is_server(dbp_table_find(&t, 6), dbp_table_find(&t, 9)));
	assert_false(dbp_postmortem_is_server(dbp_table_find(&t, 6), dbp_table_find(&t, 1)));
	dbp_table_free(&t);
}

static void test_recording_gaps_and_skipped_lines(void **state)
{
	struct dbp_recording rec;
	struct dbp_report r;
	double samples[] = { 100, 101, 102, 110 };

	(void)state;
	dbp_recording_init(&rec);
	rec.samples = samples;
	rec.nsamples = 4;
	rec.interval = 1;
	rec.garbage = 2;
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_recording(&rec, 0, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.items[0].id, "DBM704");
	assert_string_equal(r.items[1].id, "DBM705");
	assert_int_equal(r.items[1].severity, DBP_WARNING);
	dbp_report_free(&r);

	rec.garbage = 0;
	rec.torn = 1;
	rec.nsamples = 3;
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_recording(&rec, 0, &r);
	assert_int_equal(only(&r, "DBM705")->severity, DBP_INFO);
	dbp_report_free(&r);
}

/* ---- how a recording ends (DBM707) ---- */

#define T0 1795416001.0		/* 2026-11-23 06:40:01 UTC */
#define HEADER(index) "{\"k\":\"header\",\"dbpod_recording\":1,\"hostname\":\"pg-0\"," \
	"\"boot_time\":1795412487,\"clock_ticks\":100,\"interval\":1.0," \
	"\"started\":1795416000.5,\"file_index\":" #index "}\n"
#define PROC(pid, ppid, comm, args) "{\"pid\":" #pid ",\"start\":" #pid "0,\"ppid\":" #ppid \
	",\"uid\":0,\"user\":\"root\",\"state\":\"S\",\"comm\":\"" comm "\",\"args\":" args "}"
#define POSTMASTER PROC(1, 0, "postgres", "[\"postgres\",\"-D\",\"/d\"]")
#define TINI PROC(1, 0, "tini", "[\"tini\",\"--\",\"postgres\"]")
/* the recorder, adopted by PID 1 from the shell that started it */
#define ADOPTED PROC(12, 1, "dbpod", "[\"dbpod\",\"snapshot\",\"-o\",\"/var/log/dbpod/ps.jsonl\"]")
#define KEY(t, seq, ...) "{\"k\":\"key\",\"t\":" #t ",\"seq\":" #seq ",\"procs\":[" __VA_ARGS__ "]}\n"
#define END(t) "{\"k\":\"end\",\"t\":" #t ",\"samples\":2,\"reason\":\"SIGTERM\"}\n"

/* The findings of a recording read from text at now. */
static void ending(const char *path, const char *text, double now, struct dbp_report *r)
{
	struct dbp_recording rec;

	dbp_recording_init(&rec);
	assert_true(dbp_recording_read_text(&rec, path, text) > 0);
	dbp_report_init(r, "postmortem");
	dbp_rules_postmortem_recording(&rec, now, r);
	dbp_recording_free(&rec);
}

static void test_an_end_line_is_a_clean_end(void **state)
{
	struct dbp_report r;

	(void)state;
	ending("ps.jsonl", HEADER(0) KEY(1795416001.0, 1, POSTMASTER)
	       KEY(1795416002.0, 2, POSTMASTER) END(1795416002.1), T0 + 86400, &r);
	assert_null(tb_find(&r, "DBM707"));
	dbp_report_free(&r);
}

/* killed with PID 1, the postmaster: when, and that PID 1 is the likely cause */
static void test_cut_off_says_when_and_why(void **state)
{
	struct dbp_report r;
	const struct dbp_finding *f;

	(void)state;
	ending("ps.jsonl", HEADER(0) KEY(1795416001.0, 1, POSTMASTER)
	       KEY(1795416002.0, 2, POSTMASTER), T0 + 86400, &r);
	f = only(&r, "DBM707");
	assert_int_equal(f->severity, DBP_WARNING);
	assert_non_null(strstr(f->message, "cut off: ps.jsonl ends after the sample of "
				       "2026-11-23 06:40:02 UTC"));
	assert_non_null(strstr(f->message, "PID 1 of the recorded PID namespace was postgres, "
				       "a PostgreSQL server"));
	assert_null(strstr(f->message, "torn"));
	dbp_report_free(&r);
}

/* the recorder of the report: adopted by the postmaster, then killed */
static void test_cut_off_names_an_adopted_recorder(void **state)
{
	struct dbp_report r;
	const struct dbp_finding *f;

	(void)state;
	ending("/rec/ps.jsonl", HEADER(0) KEY(1795416001.0, 1, POSTMASTER "," ADOPTED),
	       T0 + 86400, &r);
	f = only(&r, "DBM707");
	assert_non_null(strstr(f->message, "The recorder (PID 12) was the child of PID 1 "
				       "(postgres), a PostgreSQL server"));
	dbp_report_free(&r);
}

/* A recording still being written, replayed only up to its first sample
 * (--at, --pid, --timeline --to): the file's end is its last sample, not
 * the window's, so the recorder is still writing it, not cut off */
static void test_a_window_is_not_the_end(void **state)
{
	char path[] = "/tmp/dbpod-test-cutoff-XXXXXX";
	char *paths[] = { path };
	struct dbp_recording rec;
	struct dbp_rec_query q = { 0 };
	struct dbp_report r;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(HEADER(0) KEY(1795416001.0, 1, POSTMASTER) KEY(1795416002.0, 2, POSTMASTER)
	      KEY(1795416003.0, 3, POSTMASTER), f);
	fclose(f);
	dbp_recording_init(&rec);
	assert_true(dbp_recording_open(&rec, paths, 1) >= 0);
	q.to = T0;
	assert_true(dbp_recording_replay(&rec, &q) >= 0);
	dbp_report_init(&r, "postmortem");
	/* 6 s after the last sample (recent: within 2 intervals and 5 s),
	 * 8 s after the window's */
	dbp_rules_postmortem_recording(&rec, T0 + 8, &r);
	assert_int_equal(only(&r, "DBM707")->severity, DBP_INFO);
	dbp_report_free(&r);
	dbp_recording_free(&rec);
	unlink(path);
}

/* a recording with accounting: the postmaster as PID 1 in two samples */
#define ACCT_TWO_SAMPLES "{\"k\":\"header\",\"dbpod_recording\":1,\"hostname\":\"pg-0\"," \
	"\"boot_time\":1795412487,\"clock_ticks\":100,\"interval\":1.0," \
	"\"started\":1795416000.5,\"file_index\":0,\"acct\":true}\n" \
	KEY(1795416001.0, 1, POSTMASTER) KEY(1795416002.0, 2, POSTMASTER)

/* accounting shows the recorder itself SIGKILLed after the last sample:
 * that is why the recording stops, not that PID 1, the database, died */
static void test_cut_off_by_the_recorder_killed(void **state)
{
	struct dbp_report r;
	const struct dbp_finding *f;

	(void)state;
	ending("ps.jsonl", ACCT_TWO_SAMPLES
	       "{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":40,\"ppid\":39,\"uid\":0,\"gid\":0,"
	       "\"comm\":\"dbpod\",\"start\":1795416000,\"end\":1795416002.5,\"exit\":null,"
	       "\"signal\":9,\"core\":false}\n", T0 + 86400, &r);
	f = only(&r, "DBM707");
	assert_non_null(strstr(f->message, "the recorder (dbpod, PID 40) killed by signal 9 (SIGKILL)"));
	assert_non_null(strstr(f->message, "the recording cannot tell"));
	assert_null(strstr(f->message, "database most likely stopped or died"));
	dbp_report_free(&r);

	/* PID 1 ended then too: the kernel killed the namespace, the
	 * recorder with it; that is still said */
	ending("ps.jsonl", ACCT_TWO_SAMPLES
	       "{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":1,\"ppid\":0,\"uid\":0,\"gid\":0,"
	       "\"comm\":\"postgres\",\"start\":1795416000,\"end\":1795416002.4,\"exit\":null,"
	       "\"signal\":9,\"core\":false}\n"
	       "{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":40,\"ppid\":39,\"uid\":0,\"gid\":0,"
	       "\"comm\":\"dbpod\",\"start\":1795416000,\"end\":1795416002.5,\"exit\":null,"
	       "\"signal\":9,\"core\":false}\n", T0 + 86400, &r);
	f = only(&r, "DBM707");
	assert_null(strstr(f->message, "the recorder (dbpod"));
	assert_non_null(strstr(f->message, "database most likely stopped or died"));
	dbp_report_free(&r);
}

/* under an init, nothing in the recording says more than that it was
 * killed; a torn last line says it was killed while writing */
static void test_cut_off_under_an_init(void **state)
{
	struct dbp_report r;
	const struct dbp_finding *f;

	(void)state;
	ending("ps.jsonl", HEADER(0) KEY(1795416001.0, 1, TINI), T0 + 86400, &r);
	f = only(&r, "DBM707");
	assert_non_null(strstr(f->message, "killed (SIGKILL, the OOM killer)"));
	assert_null(strstr(f->message, "PID 1 of the recorded"));
	dbp_report_free(&r);

	ending("ps.jsonl", HEADER(0) KEY(1795416001.0, 1, TINI) "{\"k\":\"delta\",\"t\":17954",
	       T0 + 86400, &r);
	f = tb_find(&r, "DBM707");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "last line is torn"));
	dbp_report_free(&r);
}

/* ---- node recordings ---- */

#define NODE_HEADER "{\"k\":\"header\",\"dbpod_recording\":2,\"hostname\":\"node-1\"," \
	"\"boot_time\":1795412487,\"clock_ticks\":100,\"pid_ns\":4026531836," \
	"\"interval\":1.0,\"started\":1795416000.5,\"file_index\":0,\"all_containers\":true}\n"
#define PG_NS "{\"k\":\"namespace\",\"t\":1795416001.0,\"ns\":4026532801,\"pid1\":901," \
	"\"pid1_start\":9010,\"container_id\":" \
	"\"3f2a9c0e5b7d4a1f8e6c2b9a0d3f5e7c1b4a6d8e0f2c4b6a8d0e2f4a6c8b0d2e\",\"name\":\"pg-0\"}\n"
#define OTHER_NS "{\"k\":\"namespace\",\"t\":1795416001.0,\"ns\":4026532900,\"pid1\":1001," \
	"\"pid1_start\":10010}\n"
/* PID 1 of each, as the node numbers them */
#define PG_PM "{\"pid\":901,\"start\":9010,\"ns\":4026532801,\"nspid\":1,\"nsppid\":0," \
	"\"nspgid\":1,\"nssid\":1,\"ppid\":900,\"uid\":0,\"user\":\"root\",\"state\":\"S\"," \
	"\"comm\":\"postgres\",\"args\":[\"postgres\",\"-D\",\"/d\"]}"
#define OTHER_PID1 "{\"pid\":1001,\"start\":10010,\"ns\":4026532900,\"nspid\":1,\"nsppid\":0," \
	"\"ppid\":900,\"state\":\"S\",\"comm\":\"sleep\",\"args\":[\"sleep\"]}"

/* The findings of a node recording read from text: in the node's PIDs
 * (container -1), or for one container, rec->pidns[container]. */
static void node_findings(const char *text, long container, struct dbp_report *r)
{
	struct dbp_recording rec;
	struct dbp_rec_query q = { 0 };
	size_t sel = (size_t)container;

	dbp_recording_init(&rec);
	assert_true(dbp_recording_read_text(&rec, "node.jsonl", text) > 0);
	if (container >= 0) {
		assert_true(rec.npidns > sel);
		q.pidns = &sel;
		q.npidns = 1;
		assert_true(dbp_recording_replay(&rec, &q) > 0);
		/* numbered as it numbers itself */
		assert_non_null(dbp_recording_find(&rec, 1, T0));
	}
	dbp_report_init(r, "postmortem");
	dbp_rules_postmortem_recording(&rec, T0 + 86400, r);
	dbp_recording_free(&rec);
}

/* A node recording cut off, read for one container whose PID 1 is the
 * postmaster: that PID 1 did not take the recorder along (the node's
 * recorder is in the node's namespace), and the advice is the node
 * recorder's. */
static void test_cut_off_node_recording_of_one_container(void **state)
{
	struct dbp_report r;
	const struct dbp_finding *f;

	(void)state;
	node_findings(NODE_HEADER PG_NS KEY(1795416001.0, 1, PG_PM), 0, &r);
	f = only(&r, "DBM707");
	assert_null(strstr(f->message, "PID 1 of the recorded"));
	assert_non_null(strstr(f->message, "killed (SIGKILL, the OOM killer)"));
	assert_non_null(strstr(f->advice, "node recorder"));
	dbp_report_free(&r);
}

/* A node recording: a container's PID 1 gone is said (DBM708), in the
 * node's PIDs or the container's own; one whose PID 1 lives is not. */
static void test_container_ended(void **state)
{
	static const char text[] = NODE_HEADER PG_NS OTHER_NS
		KEY(1795416001.0, 1, PG_PM "," OTHER_PID1)
		"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":2,\"new\":[],\"gone\":[[901,9010]],"
		"\"changed\":[]}\n" END(1795416002.1);
	struct dbp_report r;
	const struct dbp_finding *f;

	(void)state;
	node_findings(text, -1, &r);
	f = only(&r, "DBM708");
	assert_int_equal(f->severity, DBP_INFO);
	assert_int_equal(f->pid, 901);
	assert_non_null(strstr(f->message, "Container pg-0 (3f2a9c0e5b7d) ended: its PID 1, "
				       "postgres (PID 901 on the node), was last seen at "
				       "2026-11-23 06:40:01 UTC"));
	assert_non_null(strstr(f->advice, "--container 3f2a9c0e5b7d --at '2026-11-23 06:40:01'"));
	dbp_report_free(&r);
	/* read for the container: its PID 1 is PID 1 */
	node_findings(text, 0, &r);
	assert_int_equal(only(&r, "DBM708")->pid, 1);
	dbp_report_free(&r);
	/* the other one goes on */
	node_findings(text, 1, &r);
	assert_null(tb_find(&r, "DBM708"));
	dbp_report_free(&r);
}

/* a recorder still at work: its last sample is a second old */
static void test_still_being_written_is_info(void **state)
{
	struct dbp_report r;

	(void)state;
	ending("ps.jsonl", HEADER(0) KEY(1795416001.0, 1, POSTMASTER), T0 + 2, &r);
	assert_int_equal(only(&r, "DBM707")->severity, DBP_INFO);
	dbp_report_free(&r);
}

/* a rotated file ends without an end line: only the last one counts */
static void test_a_rotated_file_is_not_cut_off(void **state)
{
	struct dbp_recording rec;
	struct dbp_report r;
	char p0[] = "/tmp/dbpod-test-rotated.XXXXXX", p1[] = "/tmp/dbpod-test-rotated.XXXXXX";
	char *paths[] = { p1, p0 };
	int fd0 = mkstemp(p0), fd1 = mkstemp(p1);
	const char *f0 = HEADER(0) KEY(1795416001.0, 1, POSTMASTER);
	const char *f1 = HEADER(1) KEY(1795416002.0, 2, POSTMASTER) END(1795416002.1);

	(void)state;
	assert_true(fd0 >= 0 && fd1 >= 0);
	assert_int_equal(write(fd0, f0, strlen(f0)), (ssize_t)strlen(f0));
	assert_int_equal(write(fd1, f1, strlen(f1)), (ssize_t)strlen(f1));
	close(fd0);
	close(fd1);
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read(&rec, paths, 2), 2);
	assert_false(rec.files[0].ended);
	assert_true(rec.files[1].ended);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_recording(&rec, T0 + 86400, &r);
	assert_null(tb_find(&r, "DBM707"));
	dbp_report_free(&r);
	dbp_recording_free(&rec);
	unlink(p0);
	unlink(p1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adopted_root_psql_is_critical_and_named),
		cmocka_unit_test(test_foreign_exit_code_one_is_a_warning),
		cmocka_unit_test(test_server_process_killed_is_a_warning),
		cmocka_unit_test(test_server_exit_code_is_info),
		cmocka_unit_test(test_no_holder_is_unknown),
		cmocka_unit_test(test_missed_pid_says_when_and_how_many),
		cmocka_unit_test(test_postmaster_found_from_the_holder),
		cmocka_unit_test(test_recording_gaps_and_skipped_lines),
		cmocka_unit_test(test_an_end_line_is_a_clean_end),
		cmocka_unit_test(test_cut_off_says_when_and_why),
		cmocka_unit_test(test_cut_off_names_an_adopted_recorder),
		cmocka_unit_test(test_cut_off_under_an_init),
		cmocka_unit_test(test_a_window_is_not_the_end),
		cmocka_unit_test(test_cut_off_by_the_recorder_killed),
		cmocka_unit_test(test_cut_off_node_recording_of_one_container),
		cmocka_unit_test(test_container_ended),
		cmocka_unit_test(test_still_being_written_is_info),
		cmocka_unit_test(test_a_rotated_file_is_not_cut_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
