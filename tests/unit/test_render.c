/* lib/render.c: the rendering boundary redacts and escapes every string;
 * the ps columns of the two process tables. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render.h"
#include "report.h"
#include "tablebuild.h"

/* What fn printed through a text renderer, malloc'd. */
static char *text_of(void (*fn)(const struct dbp_text *t, const void *arg), const void *arg)
{
	char *out = NULL;
	size_t len = 0;
	struct dbp_text t = { .color = 0, .width = 200 };

	t.out = open_memstream(&out, &len);
	assert_non_null(t.out);
	fn(&t, arg);
	fclose(t.out);
	return out;
}

static void findings(const struct dbp_text *t, const void *arg)
{
	dbp_text_findings(t, arg);
}

static void field(const struct dbp_text *t, const void *arg)
{
	dbp_text_field(t, "Command", "%s", (const char *)arg);
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f)
			return 1;
	return 0;
}

static void test_finding_message_escaped_and_redacted(void **state)
{
	struct dbp_report r;
	char *out;

	(void)state;
	dbp_report_init(&r, "test");
	dbp_report_add(&r, "DBX001", DBP_WARNING, 7,
		       "the command `%s` is in shell form",
		       "\n\033]0;PWNED\a\033[2J psql postgresql://u:PASS@h/db --password PASS");
	out = text_of(findings, &r);
	assert_null(strstr(out, "PASS"));
	assert_non_null(strstr(out, "postgresql://u:***@h/db --password ***"));
	assert_non_null(strstr(out, "\\n\\e]0;PWNED\\a\\e[2J"));
	assert_false(has_control(out));
	/* head, message, blank line: no line from the newline inside */
	assert_int_equal(lines(out), 3);
	free(out);
	dbp_report_free(&r);

	/* lint's heading names the file: escaped the same way */
	dbp_report_init(&r, "lint");
	dbp_finding_locate(dbp_report_add(&r, "DBI603", DBP_CRITICAL, 0, "m"),
			   "x\033]0;PWNED\a\nCRITICAL DBX999 y", 2, 3);
	out = text_of(findings, &r);
	assert_false(has_control(out));
	assert_non_null(strstr(out, "CRITICAL DBI603 x\\e]0;PWNED\\a\\nCRITICAL DBX999 y:2:3\n"));
	assert_int_equal(lines(out), 3);
	free(out);
	dbp_report_free(&r);
}

static void oneline(const struct dbp_text *t, const void *arg)
{
	dbp_oneline_findings(t->out, arg, NULL);
}

/* --format=oneline: one line a finding, hadolint's shape, whatever the
 * message holds; a whole-file finding has no ":0:0" */
static void test_oneline_one_line_per_finding(void **state)
{
	struct dbp_report r;
	char *out;

	(void)state;
	dbp_report_init(&r, "lint");
	dbp_finding_locate(dbp_report_add(&r, "DBI601", DBP_CRITICAL, 0, "shell form"),
			   "Dockerfile", 5, 1);
	dbp_finding_locate(dbp_report_add(&r, "DBI600", DBP_UNKNOWN, 0, "not a Dockerfile"),
			   "/etc/passwd", 0, 0);
	dbp_report_add(&r, "DBP101", DBP_CRITICAL, 1, "a\nb: psql --password PASS");
	dbp_report_add(&r, "DBC401", DBP_WARNING, 0, "overcommit");
	out = text_of(oneline, &r);
	assert_string_equal(out, "Dockerfile:5:1 DBI601 critical: shell form\n"
			    "/etc/passwd DBI600 unknown: not a Dockerfile\n"
			    "pid:1 DBP101 critical: a\\nb: psql --password ***\n"
			    "lint DBC401 warning: overcommit\n");
	free(out);
	dbp_report_free(&r);
}

static void narrow_field(const struct dbp_text *t, const void *arg)
{
	struct dbp_text n = *t;

	n.width = 40;
	dbp_text_field(&n, "Command", "%s", (const char *)arg);
}

/* a word longer than a line is cut at the width, at a character's start,
 * and the text after it goes on (COLUMNS=40 and a long path) */
static void test_wrap_cuts_a_word_longer_than_the_line(void **state)
{
	char *out;
	const char *line;

	(void)state;
	out = text_of(narrow_field, "sh /work/tests/scenarios/800-truth-postgres-and-more.sh \u00e9t\u00e9 end");
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		size_t len = strcspn(line, "\n");

		assert_true(len <= 41);	/* "été": 2 bytes, 1 column */
	}
	assert_non_null(strstr(out, "Command      sh /work/tests/scenarios/80\n             0-truth-"));
	assert_non_null(strstr(out, " end\n"));
	free(out);
}

static void test_field_keeps_utf8(void **state)
{
	char *out;

	(void)state;
	out = text_of(field, "\xf0\x9f\x90\x98pg\xf0\x9f\x90\x98\t\xff");
	assert_string_equal(out, "Command      \xf0\x9f\x90\x98pg\xf0\x9f\x90\x98\\t\\xff\n");
	free(out);
}

static void test_text_safe_cuts(void **state)
{
	char buf[12];

	(void)state;
	assert_string_equal(dbp_text_safe("a\nb password=xyzzy", buf, sizeof(buf)), "a\\nb pas...");
	assert_string_equal(dbp_text_safe("x password=xyzzy", buf, sizeof(buf)), "x passwo...");
	assert_string_equal(dbp_text_safe("pwd=a", buf, sizeof(buf)), "pwd=*");
}

static void test_json_print_utf8_and_redacted(void **state)
{
	struct json_object *o = json_object_new_object();
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	json_object_object_add(o, "cmdline",
			       json_object_new_string("app --password=PASS \xff\xfe\x9b \033[2J"));
	assert_int_equal(dbp_json_print(f, o, 0), 0);
	fclose(f);
	assert_string_equal(out, "{\"cmdline\":\"app --password=*** \\udcff\\udcfe\\udc9b "
			    "\\u001b[2J\"}\n");
	free(out);
	json_object_put(o);
}

static void test_json_text_not_redacted(void **state)
{
	struct json_object *o = json_object_new_string("--password=PASS \xff");
	char *s = dbp_json_text(o, 0);

	(void)state;
	/* recordings decide on redaction themselves (snapshot --redact) */
	assert_string_equal(s, "\"--password=PASS \\udcff\"");
	free(s);
	json_object_put(o);
}

/* ---- the ps columns -------------------------------------------------- */

struct ps_arg {
	const struct dbp_table *t;
	const struct dbp_proc *p;
	int redact, depth;
};

static void ps_header(const struct dbp_text *t, const void *arg)
{
	(void)arg;
	dbp_text_ps_header(t->out);
}

static void ps_row_to(const struct dbp_text *t, const void *arg)
{
	const struct ps_arg *a = arg;

	dbp_text_ps_row(t->out, a->t, a->p, a->redact, a->depth);
}

/* What dbp_text_ps_row printed for p. */
static char *ps_row(const struct dbp_table *t, const struct dbp_proc *p, int redact, int depth)
{
	struct ps_arg a = { t, p, redact, depth };

	return text_of(ps_row_to, &a);
}

/* STIME is UTC whatever TZ says: the time of day within 24 hours of the
 * table's time, else the day; "?" without the boot time. */
static void test_ps_stime_utc_day_or_time(void **state)
{
	struct dbp_table t;
	struct dbp_proc *old, *young;
	char buf[DBP_PS_STIME_SIZE];

	(void)state;
	setenv("TZ", "America/St_Johns", 1);	/* -03:30: no whole-hour accident */
	tzset();
	tb_init(&t);	/* now: 2025-11-23 06:40:00 UTC, booted a day before */
	old = tb_add(&t, 1, 0, 0, "init", "/sbin/init", 0);
	young = tb_add(&t, 40, 1, 999, "postgres", "postgres", 86400 - 3599);
	assert_string_equal(dbp_ps_stime(&t, old, buf, sizeof(buf)), "Nov22");
	assert_string_equal(dbp_ps_stime(&t, young, buf, sizeof(buf)), "05:40:01");
	t.boot_time = 0;
	assert_string_equal(dbp_ps_stime(&t, young, buf, sizeof(buf)), "?");
	dbp_table_free(&t);
	unsetenv("TZ");
	tzset();
}

static void test_ps_header_and_row_columns(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	char *row = text_of(ps_header, NULL);

	(void)state;
	assert_string_equal(row, "    PID    PPID STIME    USER     STAT COMMAND\n");
	free(row);

	tb_init(&t);
	p = tb_add(&t, 40, 1, 999, "postgres", "postgres -D /data", 86400 - 3599);
	row = ps_row(&t, p, 1, 0);	/* a session leader: "s", as ps marks it */
	assert_string_equal(row, "     40       1 05:40:01 postgres Ss   postgres -D /data");
	free(row);
	p->sid = 1;
	p->state = 'Z';
	row = ps_row(&t, p, 1, 2);	/* two levels down a tree */
	assert_string_equal(row, "     40       1 05:40:01 postgres Z        \\_ postgres -D /data");
	free(row);
	dbp_table_free(&t);
}

/* Without status the user is not known: "?", never a stale name; a long
 * name is cut to its column. */
static void test_ps_row_user_unknown_or_cut(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	char *row;

	(void)state;
	tb_init(&t);
	p = tb_add(&t, 7, 1, 999, "postgres", "postgres", 10);
	p->have &= ~(unsigned)DBP_HAVE_STATUS;
	row = ps_row(&t, p, 1, 0);
	assert_non_null(strstr(row, " ? "));
	assert_null(strstr(row, "postgres postgres"));
	free(row);
	p->have |= DBP_HAVE_STATUS;
	snprintf(p->user, sizeof(p->user), "%s", "averylongusername");
	row = ps_row(&t, p, 1, 0);
	assert_non_null(strstr(row, " avery... "));
	free(row);
	dbp_table_free(&t);
}

/* The command is redacted unless the view says not to (snapshot
 * --no-redact), and escaped either way: a newline in argv cannot start
 * a forged row, an escape sequence cannot act on the terminal. */
static void test_ps_row_redacts_unless_asked_and_always_escapes(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	const char *argv[] = { "psql", "postgres://u:topsecret@h/d", "x\n   99 1 00:00:00 root S evil\033[2J",
			       NULL };
	char *row;

	(void)state;
	tb_init(&t);
	p = tb_add(&t, 41, 1, 0, "psql", "", 10);
	dbp_proc_set_argv(p, argv);
	row = ps_row(&t, p, 1, 0);
	assert_null(strstr(row, "topsecret"));
	assert_null(strchr(row, '\n'));
	assert_null(strchr(row, '\033'));
	assert_non_null(strstr(row, "x\\n   99"));
	free(row);
	row = ps_row(&t, p, 0, 0);
	assert_non_null(strstr(row, "postgres://u:topsecret@h/d"));
	assert_null(strchr(row, '\n'));
	assert_null(strchr(row, '\033'));
	free(row);
	dbp_table_free(&t);
}

/* PostgreSQL pads its process titles with spaces: a row (postmortem
 * --at, --tree, snapshot's view) ends with the title, trimmed before it
 * is cut, while the JSON keeps the command line as the process showed
 * it. */
static void test_ps_row_trims_a_padded_title(void **state)
{
	struct dbp_table t;
	struct dbp_proc *p;
	char title[1300], *row;
	const char *argv[] = { title, NULL };
	struct json_object *o;

	(void)state;
	tb_init(&t);
	p = tb_add(&t, 42, 1, 999, "postgres", "", 10);
	for (size_t n = 170; n <= 1200; n += 1030) {
		snprintf(title, sizeof(title), "postgres: checkpointer %*s", (int)n, "");
		dbp_proc_set_argv(p, argv);
		for (int depth = 0; depth <= 1; depth++) {
			row = ps_row(&t, p, 1, depth);
			assert_non_null(strstr(row, "postgres: checkpointer"));
			assert_string_equal(row + strlen(row) - 12, "checkpointer");
			free(row);
		}
		o = dbp_proc_json(&t, p);
		assert_int_equal(strlen(json_object_get_string(json_object_object_get(o, "cmdline"))),
				 strlen(title));
		json_object_put(o);
	}
	dbp_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finding_message_escaped_and_redacted),
		cmocka_unit_test(test_field_keeps_utf8),
		cmocka_unit_test(test_text_safe_cuts),
		cmocka_unit_test(test_json_print_utf8_and_redacted),
		cmocka_unit_test(test_json_text_not_redacted),
		cmocka_unit_test(test_ps_stime_utc_day_or_time),
		cmocka_unit_test(test_ps_header_and_row_columns),
		cmocka_unit_test(test_ps_row_user_unknown_or_cut),
		cmocka_unit_test(test_ps_row_redacts_unless_asked_and_always_escapes),
		cmocka_unit_test(test_ps_row_trims_a_padded_title),
		cmocka_unit_test(test_oneline_one_line_per_finding),
		cmocka_unit_test(test_wrap_cuts_a_word_longer_than_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
