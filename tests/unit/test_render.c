/* lib/render.c: the rendering boundary redacts and escapes every string. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finding_message_escaped_and_redacted),
		cmocka_unit_test(test_field_keeps_utf8),
		cmocka_unit_test(test_text_safe_cuts),
		cmocka_unit_test(test_json_print_utf8_and_redacted),
		cmocka_unit_test(test_json_text_not_redacted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
