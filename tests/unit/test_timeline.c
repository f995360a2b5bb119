/* lib/timeline.c: a recording's events in order. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "recread.h"
#include "timeline.h"

#define T0 1795416001.0

#define HEADER "{\"k\":\"header\",\"dbpod_recording\":1,\"hostname\":\"pg-0\",\"boot_time\":1795412487," \
	"\"clock_ticks\":100,\"interval\":1.0,\"started\":1795416000.5,\"file_index\":0}\n"
#define SIGS(ign) "\"sig\":{\"pnd\":\"0\",\"shd\":\"0\",\"blk\":\"0000000000000000\",\"ign\":\"" ign \
	"\",\"cgt\":\"0000000000000000\"}"
#define PM "{\"pid\":1,\"start\":2,\"ppid\":0,\"uid\":101,\"user\":\"postgres\",\"state\":\"S\"," \
	"\"comm\":\"postgres\",\"args\":[\"postgres\"]," SIGS("0000000000001000") "}"
#define SH "{\"pid\":30,\"start\":300,\"ppid\":1,\"uid\":0,\"user\":\"root\",\"state\":\"S\"," \
	"\"comm\":\"sh\",\"args\":[\"sh\",\"-c\",\"psql &\"]," SIGS("0000000000000000") "}"
#define PSQL "{\"pid\":31,\"start\":301,\"ppid\":30,\"uid\":0,\"user\":\"root\",\"state\":\"S\"," \
	"\"comm\":\"psql\",\"args\":[\"psql\"]," SIGS("0000000000000000") "}"

/* seed 000 in four samples: a shell starts psql, exits, psql is adopted
 * by PID 1 and dies; 5 PIDs handed out between the last two, one seen */
static const char *const story = HEADER
	"{\"k\":\"key\",\"t\":1795416001.0,\"seq\":1,\"last_pid\":29,\"born\":1,\"threads\":0,\"procs\":[" PM "]}\n"
	"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":2,\"last_pid\":31,\"born\":2,\"threads\":0,"
	"\"new\":[" SH "," PSQL "],\"gone\":[],\"changed\":[]}\n"
	"{\"k\":\"delta\",\"t\":1795416003.0,\"seq\":3,\"last_pid\":31,\"born\":0,\"threads\":0,"
	"\"new\":[],\"gone\":[[30,300]],\"changed\":[{\"pid\":31,\"start\":301,\"ppid\":1}]}\n"
	"{\"k\":\"delta\",\"t\":1795416004.0,\"seq\":4,\"last_pid\":36,\"born\":0,\"threads\":0,"
	"\"new\":[],\"gone\":[[31,301]],\"changed\":[]}\n";

static void test_story_in_order(void **state)
{
	struct dbp_recording rec;
	struct dbp_timeline tl;
	const enum dbp_tl_kind want[] = {
		DBP_TL_BORN, DBP_TL_BORN, DBP_TL_REPARENT, DBP_TL_EXIT, DBP_TL_EXIT, DBP_TL_UNSEEN,
	};

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", story), 4);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, NULL), 0);
	assert_int_equal(tl.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < tl.n; i++)
		assert_int_equal(tl.ev[i].kind, want[i]);
	/* the orphan moment: psql's parent goes from the shell to PID 1 */
	assert_int_equal(tl.ev[2].rp->pid, 31);
	assert_true(tl.ev[2].t == T0 + 2);
	assert_int_equal(tl.ev[2].rp->v[tl.ev[2].v].p.ppid, 1);
	assert_int_equal(tl.ev[2].rp->v[tl.ev[2].v - 1].p.ppid, 30);
	/* psql exits by the fourth sample; 5 PIDs, none seen */
	assert_int_equal(tl.ev[4].rp->pid, 31);
	assert_true(tl.ev[4].t == T0 + 3);
	assert_int_equal(tl.ev[5].w.unseen, 5);
	assert_string_equal(dbp_tl_kind_name(DBP_TL_REPARENT), "reparented");
	dbp_timeline_free(&tl);
	dbp_recording_free(&rec);
}

/* setsid: a session event with the groups before and after; a recording
 * of 0.1 (no pgid, sid) has none */
static void test_session_change(void **state)
{
	static const char *const text = HEADER
		"{\"k\":\"key\",\"t\":1795416001.0,\"seq\":1,\"procs\":[" PM ","
		"{\"pid\":9,\"start\":90,\"ppid\":1,\"pgid\":1,\"sid\":1,\"comm\":\"x\",\"args\":[\"x\"]},"
		"{\"pid\":8,\"start\":80,\"ppid\":1,\"comm\":\"old\",\"args\":[\"old\"]}]}\n"
		"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":2,\"new\":[],\"gone\":[],"
		"\"changed\":[{\"pid\":9,\"start\":90,\"pgid\":9,\"sid\":9},"
		"{\"pid\":8,\"start\":80,\"pgid\":8,\"sid\":8}]}\n";
	struct dbp_recording rec;
	struct dbp_timeline tl;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", text), 2);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, NULL), 0);
	assert_int_equal(tl.n, 1);	/* 8 went from unknown (0) to known: no event */
	assert_int_equal(tl.ev[0].kind, DBP_TL_SESSION);
	assert_int_equal(tl.ev[0].rp->pid, 9);
	assert_int_equal(tl.ev[0].rp->v[tl.ev[0].v - 1].p.sid, 1);
	assert_int_equal(tl.ev[0].rp->v[tl.ev[0].v].p.sid, 9);
	assert_string_equal(dbp_tl_kind_name(DBP_TL_SESSION), "session");
	dbp_timeline_free(&tl);
	dbp_recording_free(&rec);
}

static void test_window_and_log_lines(void **state)
{
	struct dbp_recording rec;
	struct dbp_timeline tl;
	struct dbp_pglog log;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", story), 4);
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, "2026-11-23 06:40:03.500 UTC [1] LOG:  server process "
					"(PID 31) was terminated by signal 13: Broken pipe\n"), 1);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, T0 + 2.5, T0 + 3.9, &log), 0);
	/* the log line (06:40:03.5), psql's exit and the unseen (06:40:04);
	 * not what came before */
	assert_int_equal(tl.n, 3);
	assert_int_equal(tl.ev[0].kind, DBP_TL_LOG);
	assert_int_equal(tl.ev[0].log->pid, 31);
	assert_int_equal(tl.ev[1].kind, DBP_TL_EXIT);
	assert_int_equal(tl.ev[2].kind, DBP_TL_UNSEEN);
	dbp_timeline_free(&tl);
	dbp_pglog_free(&log);
	dbp_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_story_in_order),
		cmocka_unit_test(test_session_change),
		cmocka_unit_test(test_window_and_log_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
