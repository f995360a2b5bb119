/* lib/rec/timeline.c: a recording's events in order. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rec/recread.h"
#include "report.h"
#include "rec/rules_postmortem.h"
#include "rec/render_svg.h"
#include "rec/timeline.h"

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

/* an orphaned psql in four samples: a shell starts psql, exits, psql is
 * adopted by PID 1 and dies; 5 PIDs handed out between the last two, one
 * seen */
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
	/* the shell's exit (between the second and third samples) comes
	 * before the adoption it causes (seen at the third) */
	const enum dbp_tl_kind want[] = {
		DBP_TL_BORN, DBP_TL_BORN, DBP_TL_EXIT, DBP_TL_REPARENT, DBP_TL_EXIT, DBP_TL_UNSEEN,
	};

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", story), 4);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, NULL), 0);
	assert_int_equal(tl.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < tl.n; i++)
		assert_int_equal(tl.ev[i].kind, want[i]);
	assert_int_equal(tl.ev[2].rp->pid, 30);
	/* the orphan moment: psql's parent goes from the shell to PID 1 */
	assert_int_equal(tl.ev[3].rp->pid, 31);
	assert_true(tl.ev[3].t == T0 + 2);
	assert_int_equal(tl.ev[3].rp->v[tl.ev[3].v].p.ppid, 1);
	assert_int_equal(tl.ev[3].rp->v[tl.ev[3].v - 1].p.ppid, 30);
	/* psql exits between the third and fourth samples, not known better
	 * without accounting; 5 PIDs, none seen */
	assert_int_equal(tl.ev[4].rp->pid, 31);
	assert_false(tl.ev[4].exact);
	assert_true(tl.ev[4].lo == T0 + 2 && tl.ev[4].hi == T0 + 3);
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
	/* psql's exit, then the log line that reports it (06:40:03.5: psql
	 * was gone by then), then the unseen (06:40:04); not what came before */
	assert_int_equal(tl.n, 3);
	assert_int_equal(tl.ev[0].kind, DBP_TL_EXIT);
	assert_true(tl.ev[0].hi <= T0 + 2.5);
	assert_ptr_equal(tl.ev[0].log, tl.ev[1].log);
	assert_int_equal(tl.ev[1].kind, DBP_TL_LOG);
	assert_int_equal(tl.ev[1].log->pid, 31);
	assert_int_equal(tl.ev[2].kind, DBP_TL_UNSEEN);
	dbp_timeline_free(&tl);
	dbp_pglog_free(&log);
	dbp_recording_free(&rec);
}

/*
 * A crash-restart: PostgreSQL as PID 1 with a checkpointer, a background
 * writer, a walwriter, a backend and an adopted root psql.
 * Samples at T0-1, T0, T0+1, T0+2. psql dies of SIGPIPE at T0+0.2 (its
 * stat start T0-0.5, 0.7 s lived); the postmaster logs it at T0+0.21
 * and takes every child down; by the sample of T0+1 all are gone and
 * two new children started at T0+0.6. boot_clock is 1795412487.3: a start of
 * N ticks is that plus N/100.
 */
#define CHILD(pid, start, comm, uid, user) "{\"pid\":" #pid ",\"start\":" start ",\"ppid\":1,\"uid\":" \
	uid ",\"user\":\"" user "\",\"state\":\"S\",\"comm\":\"" comm "\",\"args\":[\"" comm "\"]," \
	SIGS("0000000000000000") "}"
#define CRASH_HEADER(extra) "{\"k\":\"header\",\"dbpod_recording\":1,\"hostname\":\"pg-0\"," \
	"\"boot_time\":1795412487,\"clock_ticks\":100,\"interval\":1.0,\"started\":1795416000.5," \
	"\"file_index\":0" extra "}\n"
/* ticks of T0-0.5, T0-0.49 and T0+0.6, T0+0.61 with B above */
#define PSQL_START "351320"
#define BACKEND_START "351321"
#define CRASH_SAMPLES \
	"{\"k\":\"key\",\"t\":1795416000.0,\"seq\":1,\"procs\":[" PM "," \
	CHILD(2, "10", "postgres", "101", "postgres") "," CHILD(3, "10", "postgres", "101", "postgres") "," \
	CHILD(5, "11", "postgres", "101", "postgres") "]}\n" \
	"{\"k\":\"delta\",\"t\":1795416001.0,\"seq\":2,\"new\":[" \
	CHILD(12, PSQL_START, "psql", "0", "root") "," CHILD(14, BACKEND_START, "postgres", "101", "postgres") \
	"],\"gone\":[],\"changed\":[]}\n" \
	"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":3,\"new\":[" \
	CHILD(19, "351430", "postgres", "101", "postgres") "," CHILD(20, "351431", "postgres", "101", "postgres") \
	"],\"gone\":[[2,10],[3,10],[5,11],[12," PSQL_START "],[14," BACKEND_START "]],\"changed\":[]}\n" \
	"{\"k\":\"delta\",\"t\":1795416003.0,\"seq\":4,\"new\":[],\"gone\":[],\"changed\":[]}\n"
/* accounting: start is the whole second of the exit minus the whole
 * seconds lived, end that plus the elapsed time (acct.h); PID 15, psql's
 * backend, no sample saw: it exited with code 2 on the postmaster's
 * SIGQUIT */
#define CRASH_EXITS \
	"{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":12,\"ppid\":1,\"uid\":0,\"gid\":0,\"comm\":\"psql\"," \
	"\"start\":1795416001,\"end\":1795416001.7,\"exit\":null,\"signal\":13,\"core\":false}\n" \
	"{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":14,\"ppid\":1,\"uid\":101,\"gid\":101,\"comm\":\"postgres\"," \
	"\"start\":1795416001,\"end\":1795416001.74,\"exit\":2,\"signal\":null,\"core\":false}\n" \
	"{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":15,\"ppid\":1,\"uid\":101,\"gid\":101,\"comm\":\"postgres\"," \
	"\"start\":1795416001,\"end\":1795416001.3,\"exit\":2,\"signal\":null,\"core\":false}\n"

static const char *const crash_exact = CRASH_HEADER(",\"acct\":true,\"boot_clock\":1795412487.3")
	CRASH_SAMPLES CRASH_EXITS;
static const char *const crash_bare = CRASH_HEADER("") CRASH_SAMPLES;

/* The crash's label in the SVG, drawn from x with its anchor: where its
 * text ends at most, at 0.75 em a character (DejaVu Sans Bold's capitals
 * and digits are narrower; a fallback font may be wider than DejaVu's
 * 0.7 on average). */
static double svg_crash_label(const char *svg, char *anchor, size_t size, double *x)
{
	const char *g = strstr(svg, "<g id=\"crash-marker\"");
	const char *t = g ? strstr(g, "<text x=\"") : NULL;
	const char *a = t ? strstr(t, "text-anchor=\"") : NULL;
	const char *label = a ? strchr(a, '>') : NULL;
	const char *end = label ? strstr(label, "</text>") : NULL;

	assert_non_null(end);
	*x = strtod(t + 9, NULL);
	snprintf(anchor, size, "%.*s", (int)strcspn(a + 13, "\""), a + 13);
	return (double)(end - label - 1) * 13 * 0.75;
}

/* The crash's label stays inside the picture wherever the crash is: at
 * the --around window's 3/4 (30 s before, 10 s after), near the right
 * edge, it ends at the crash line instead of running past the width. */
static void test_svg_crash_label_stays_inside(void **state)
{
	const double where[][2] = { { 30, 10 }, { 20, 10 }, { 38, 2 }, { 2, 38 }, { 10, 10 } };
	struct dbp_recording rec;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_exact), 4);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		struct dbp_timeline tl;
		double when, x, w;
		char *svg = NULL, anchor[16];
		size_t len = 0;
		FILE *f = open_memstream(&svg, &len);

		assert_non_null(f);
		dbp_timeline_init(&tl);
		assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, NULL), 0);
		assert_int_equal(tl.ncrashes, 1);
		when = tl.crashes[0].when;
		dbp_timeline_free(&tl);
		dbp_timeline_init(&tl);
		assert_int_equal(dbp_timeline_build(&tl, &rec, when - where[i][0], when + where[i][1],
						    NULL), 0);
		assert_int_equal(dbp_timeline_svg(f, &rec, &tl, when - where[i][0], when + where[i][1],
						  "mem"), 0);
		fclose(f);
		w = svg_crash_label(svg, anchor, sizeof(anchor), &x);
		if (!strcmp(anchor, "end")) {
			assert_true(x - w >= 0);
			assert_true(x <= DBP_SVG_WIDTH);
		} else {
			assert_string_equal(anchor, "start");
			assert_true(x + w <= DBP_SVG_WIDTH);
		}
		free(svg);
		dbp_timeline_free(&tl);
	}
	dbp_recording_free(&rec);
}

static void test_crash_restart_found_with_its_culprit(void **state)
{
	struct dbp_recording rec;
	struct dbp_crash c[4];

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_exact), 4);
	assert_int_equal(dbp_recording_crashes(&rec, c, 4), 1);
	assert_int_equal(c[0].pm->pid, 1);
	assert_true(c[0].before == T0 && c[0].after == T0 + 1);
	assert_int_equal(c[0].children, 5);
	assert_non_null(c[0].culprit);
	assert_int_equal(c[0].culprit->pid, 12);
	assert_non_null(c[0].acct);
	assert_int_equal(c[0].acct->signal, 13);
	assert_false(c[0].likely);
	/* stat's start plus the elapsed time, not the next sample */
	assert_true(c[0].when > T0 + 0.199 && c[0].when < T0 + 0.201);
	assert_true(c[0].lo == c[0].hi);
	dbp_recording_free(&rec);
}

/* without accounting: the child that was not a server process and went
 * with the others, named as the likely culprit */
static void test_crash_restart_likely_culprit_without_acct(void **state)
{
	struct dbp_recording rec;
	struct dbp_crash c[4];

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_bare), 4);
	assert_int_equal(dbp_recording_crashes(&rec, c, 4), 1);
	assert_non_null(c[0].culprit);
	assert_int_equal(c[0].culprit->pid, 12);
	assert_null(c[0].acct);
	assert_true(c[0].likely);
	assert_true(c[0].lo == T0 && c[0].hi == T0 + 1);
	dbp_recording_free(&rec);
}

/* logging_collector = on: the logger ("postgres: logger") outlives the
 * crash-restart, as PostgreSQL keeps it; the crash is found all the same */
static void test_crash_restart_logger_survives(void **state)
{
	static const char *const text = CRASH_HEADER("")
		"{\"k\":\"key\",\"t\":1795416000.0,\"seq\":1,\"procs\":[" PM ","
		"{\"pid\":4,\"start\":9,\"ppid\":1,\"uid\":101,\"user\":\"postgres\",\"state\":\"S\","
		"\"comm\":\"postgres\",\"args\":[\"postgres: logger \"]," SIGS("0000000000000000") "},"
		CHILD(2, "10", "postgres", "101", "postgres") "," CHILD(3, "10", "postgres", "101", "postgres") "]}\n"
		"{\"k\":\"delta\",\"t\":1795416001.0,\"seq\":2,\"new\":[],\"gone\":[],\"changed\":[]}\n"
		"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":3,\"new\":[" CHILD(19, "351430", "postgres", "101", "postgres")
		"],\"gone\":[[2,10],[3,10]],\"changed\":[]}\n";
	struct dbp_recording rec;
	struct dbp_crash c[4];

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", text), 3);
	assert_int_equal(dbp_recording_crashes(&rec, c, 4), 1);
	assert_int_equal(c[0].children, 2);
	dbp_recording_free(&rec);
}

/* a clean stop takes the postmaster with its children; one backend that
 * ends is a session ending: neither is a crash */
static void test_no_crash_on_stop_or_one_exit(void **state)
{
	static const char *const stop = CRASH_HEADER("")
		"{\"k\":\"key\",\"t\":1795416000.0,\"seq\":1,\"procs\":[" PM ","
		CHILD(2, "10", "postgres", "101", "postgres") "," CHILD(3, "10", "postgres", "101", "postgres") "]}\n"
		"{\"k\":\"delta\",\"t\":1795416001.0,\"seq\":2,\"new\":[],\"gone\":[[1,2],[2,10],[3,10]],\"changed\":[]}\n";
	static const char *const one = CRASH_HEADER("")
		"{\"k\":\"key\",\"t\":1795416000.0,\"seq\":1,\"procs\":[" PM ","
		CHILD(2, "10", "postgres", "101", "postgres") "," CHILD(14, "20", "postgres", "101", "postgres") "]}\n"
		"{\"k\":\"delta\",\"t\":1795416001.0,\"seq\":2,\"new\":[],\"gone\":[[14,20]],\"changed\":[]}\n"
		"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":3,\"new\":[" CHILD(15, "351430", "postgres", "101", "postgres")
		"],\"gone\":[],\"changed\":[]}\n";
	struct dbp_recording rec;
	struct dbp_crash c[4];

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", stop), 2);
	assert_int_equal(dbp_recording_crashes(&rec, c, 4), 0);
	dbp_recording_free(&rec);
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", one), 3);
	assert_int_equal(dbp_recording_crashes(&rec, c, 4), 0);
	dbp_recording_free(&rec);
}

/* The timeline of the crash: psql's death first, at its own time; the
 * crash; the postmaster's log line; then the children it took down, gone
 * before the new ones born at their stat start */
static void test_crash_timeline_cause_before_effect(void **state)
{
	struct dbp_recording rec;
	struct dbp_timeline tl;
	struct dbp_pglog log;
	size_t i = 0;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_exact), 4);
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, "2026-11-23 06:40:01.210 UTC [1] LOG:  server process "
					"(PID 12) was terminated by signal 13: Broken pipe\n"), 1);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, &log), 0);
	assert_int_equal(tl.ncrashes, 1);
	/* psql and the backend born before the second sample, at their start */
	assert_int_equal(tl.ev[i].kind, DBP_TL_BORN);
	assert_int_equal(tl.ev[i].rp->pid, 12);
	assert_true(tl.ev[i].exact && tl.ev[i].t > T0 - 0.501 && tl.ev[i].t < T0 - 0.499);
	i += 2;
	assert_int_equal(tl.ev[i].kind, DBP_TL_EXIT);
	assert_int_equal(tl.ev[i].rp->pid, 12);
	assert_true(tl.ev[i].culprit && tl.ev[i].exact);
	assert_true(tl.ev[i].t > T0 + 0.199 && tl.ev[i].t < T0 + 0.201);
	assert_non_null(tl.ev[i].log);
	i++;
	assert_int_equal(tl.ev[i].kind, DBP_TL_CRASH);
	i++;
	assert_int_equal(tl.ev[i].kind, DBP_TL_LOG);
	assert_int_equal(tl.ev[i].log->pid, 12);
	/* the rest of the children after the line, the backend and the one
	 * only accounting saw among them */
	for (i++; i < tl.n && tl.ev[i].kind == DBP_TL_EXIT; i++) {
		assert_non_null(tl.ev[i].crash);
		assert_false(tl.ev[i].culprit);
		assert_true(tl.ev[i].t >= T0 + 0.21 - 0.0005);
		/* and gone before the postmaster started new ones */
		assert_true(tl.ev[i].hi <= T0 + 0.6 + 0.0005);
	}
	assert_int_equal(i, 5 + 5);
	assert_int_equal(tl.ev[i].kind, DBP_TL_BORN);
	assert_true(tl.ev[i].exact && tl.ev[i].t > T0 + 0.599 && tl.ev[i].t < T0 + 0.601);
	dbp_timeline_free(&tl);
	dbp_pglog_free(&log);
	dbp_recording_free(&rec);
}

/* Without accounting, the server log names the child that died: a
 * backend (PID 14) killed by signal 9. It is the culprit, known, not the
 * adopted psql guessed from the samples; in the crash, in the timeline's
 * exits and in DBM709 */
static void test_crash_culprit_from_the_log(void **state)
{
	struct dbp_recording rec;
	struct dbp_timeline tl;
	struct dbp_pglog log;
	struct dbp_report r;
	const struct dbp_finding *f = NULL;
	int seen = 0;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_bare), 4);
	dbp_pglog_init(&log);
	assert_int_equal(dbp_pglog_parse(&log, "2026-11-23 06:40:01.400 UTC [1] LOG:  server process "
					"(PID 14) was terminated by signal 9: Killed\n"), 1);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, &log), 0);
	assert_int_equal(tl.ncrashes, 1);
	assert_non_null(tl.crashes[0].culprit);
	assert_int_equal(tl.crashes[0].culprit->pid, 14);
	assert_false(tl.crashes[0].likely);
	assert_true(tl.crashes[0].have_log);
	assert_true(tl.crashes[0].lo == tl.crashes[0].hi);
	for (size_t i = 0; i < tl.n; i++)
		if (tl.ev[i].kind == DBP_TL_EXIT && tl.ev[i].rp) {
			assert_int_equal(tl.ev[i].culprit, tl.ev[i].rp->pid == 14);
			seen += tl.ev[i].rp->pid == 14 || tl.ev[i].rp->pid == 12;
		}
	assert_int_equal(seen, 2);
	dbp_report_init(&r, "postmortem");
	dbp_rules_postmortem_crash_restart(&rec, &tl.crashes[0], &r);
	for (size_t i = 0; i < r.n; i++)
		if (!strcmp(r.items[i].id, "DBM709"))
			f = &r.items[i];
	assert_non_null(f);
	assert_non_null(strstr(f->message, "PID 14 postgres"));
	/* one PID and a count, not two PIDs */
	assert_non_null(strstr(f->message, "every child of the postmaster (PID 1; 5 children) ended"));
	assert_non_null(strstr(f->message, "was terminated by signal 9 (SIGKILL)"));
	assert_null(strstr(f->message, "likely"));
	assert_non_null(strstr(f->advice, "OOM killer"));
	dbp_report_free(&r);
	dbp_timeline_free(&tl);
	dbp_pglog_free(&log);
	dbp_recording_free(&rec);
}

/* A window that starts after the culprit's exit, of a recording with
 * accounting: its end is outside the window, not unrecorded */
static void test_likely_culprit_outside_the_window(void **state)
{
	struct dbp_recording rec;
	struct dbp_crash c[4];
	char buf[128];

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_bare), 4);
	assert_int_equal(dbp_recording_crashes(&rec, c, 4), 1);
	assert_true(c[0].likely);
	assert_non_null(strstr(dbp_crash_likely_text(&rec, &c[0], buf, sizeof(buf)), "--acct records it"));
	rec.have_acct = 1;
	assert_null(strstr(dbp_crash_likely_text(&rec, &c[0], buf, sizeof(buf)), "--acct"));
	assert_non_null(strstr(buf, "outside the window"));
	dbp_recording_free(&rec);
}

/* `sh -c 'psql &'` between two samples: the shell forks psql and exits,
 * psql is first seen adopted by PID 1. Accounting shows the shell's exit:
 * the birth names it as the parent that started psql */
static void test_born_adopted_names_its_parent(void **state)
{
	static const char *const text = CRASH_HEADER(",\"acct\":true,\"boot_clock\":1795412487.3")
		"{\"k\":\"key\",\"t\":1795416001.0,\"seq\":1,\"procs\":[" PM "]}\n"
		"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":2,\"new\":[" CHILD(31, "351450", "psql", "0", "root")
		"],\"gone\":[],\"changed\":[]}\n"
		"{\"k\":\"exit\",\"t\":1795416002.0,\"pid\":30,\"ppid\":0,\"uid\":0,\"gid\":0,\"comm\":\"sh\","
		"\"start\":1795416001,\"end\":1795416001.9,\"exit\":0,\"signal\":null,\"core\":false}\n";
	struct dbp_recording rec;
	struct dbp_timeline tl;
	size_t born = 0;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", text), 2);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, NULL), 0);
	/* the shell's exit is still an event of its own */
	assert_int_equal(tl.n, 2);
	for (size_t i = 0; i < tl.n; i++)
		if (tl.ev[i].kind == DBP_TL_BORN) {
			born++;
			assert_int_equal(tl.ev[i].rp->pid, 31);
			assert_non_null(tl.ev[i].acct);
			assert_int_equal(tl.ev[i].acct->pid, 30);
			assert_string_equal(tl.ev[i].acct->comm, "sh");
		}
	assert_int_equal(born, 1);
	dbp_timeline_free(&tl);
	dbp_recording_free(&rec);
}

/* A psql started just after the first sample, in the same clock tick:
 * its ticks (rounded down) read 10 ms before that sample. Its birth is
 * at the sample, inside a timeline from the recording's first sample
 * (postmortem --timeline's default), not before it and dropped (014
 * lost the culprit's born line so, once in a loaded make check). */
static void test_born_in_the_first_samples_tick(void **state)
{
	static const char *const text = CRASH_HEADER(",\"boot_clock\":1795412487.3")
		"{\"k\":\"key\",\"t\":1795416001.0,\"seq\":1,\"procs\":[" PM "]}\n"
		"{\"k\":\"delta\",\"t\":1795416002.0,\"seq\":2,\"new\":[" CHILD(31, "351369", "psql", "0", "root")
		"],\"gone\":[],\"changed\":[]}\n";
	struct dbp_recording rec;
	struct dbp_timeline tl;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", text), 2);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, T0, T0 + 1, NULL), 0);
	assert_int_equal(tl.n, 1);
	assert_int_equal(tl.ev[0].kind, DBP_TL_BORN);
	assert_int_equal(tl.ev[0].rp->pid, 31);
	assert_true(tl.ev[0].exact);
	assert_true(tl.ev[0].t == T0);
	dbp_timeline_free(&tl);
	dbp_recording_free(&rec);
}

/* a header without boot_clock (dbpod 0.1): a start is known to the
 * whole second of boot_time, narrowed by the samples, never exact */
static void test_old_header_times_between_samples(void **state)
{
	struct dbp_recording rec;
	struct dbp_timeline tl;

	(void)state;
	dbp_recording_init(&rec);
	assert_int_equal(dbp_recording_read_text(&rec, "mem", crash_bare), 4);
	dbp_timeline_init(&tl);
	assert_int_equal(dbp_timeline_build(&tl, &rec, 0, 0, NULL), 0);
	assert_int_equal(tl.ev[0].kind, DBP_TL_BORN);
	assert_int_equal(tl.ev[0].rp->pid, 12);
	assert_false(tl.ev[0].exact);
	/* boot_time + ticks is T0-0.8, or up to 1 s later; it was first
	 * seen in the second sample (T0): T0-0.8 .. T0 */
	assert_true(tl.ev[0].lo > T0 - 0.801 && tl.ev[0].lo < T0 - 0.799);
	assert_true(tl.ev[0].hi == T0);
	dbp_timeline_free(&tl);
	dbp_recording_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_story_in_order),
		cmocka_unit_test(test_born_in_the_first_samples_tick),
		cmocka_unit_test(test_session_change),
		cmocka_unit_test(test_window_and_log_lines),
		cmocka_unit_test(test_crash_restart_found_with_its_culprit),
		cmocka_unit_test(test_svg_crash_label_stays_inside),
		cmocka_unit_test(test_crash_restart_likely_culprit_without_acct),
		cmocka_unit_test(test_crash_restart_logger_survives),
		cmocka_unit_test(test_no_crash_on_stop_or_one_exit),
		cmocka_unit_test(test_crash_timeline_cause_before_effect),
		cmocka_unit_test(test_old_header_times_between_samples),
		cmocka_unit_test(test_crash_culprit_from_the_log),
		cmocka_unit_test(test_likely_culprit_outside_the_window),
		cmocka_unit_test(test_born_adopted_names_its_parent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
