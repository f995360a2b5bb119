/* lib/escape.c: no byte from outside acts on a terminal or breaks JSON. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"

static void text(const char *in, const char *want)
{
	char buf[256];

	assert_string_equal(dbp_escape_text(in, buf, sizeof(buf)), want);
}

static void test_text_controls(void **state)
{
	(void)state;
	/* a name that retitles the terminal and clears the screen */
	text("\033]0;PWNED\a\033[2J\033[1;1Hfake-output",
	     "\\e]0;PWNED\\a\\e[2J\\e[1;1Hfake-output");
	/* a newline followed by a fake ps row stays on one line */
	text("sleep 1\n    1     0 root  S  /sbin/init", "sleep 1\\n    1     0 root  S  /sbin/init");
	text("a\tb\rc\bd\fe\vf", "a\\tb\\rc\\bd\\fe\\vf");
	text("\x01\x1f\x7f", "\\x01\\x1f\\x7f");
}

static void test_text_invalid_utf8_and_c1(void **state)
{
	(void)state;
	text("x\xff\xfey", "x\\xff\\xfey");
	text("\x9b" "2J", "\\x9b2J");			/* a raw C1 CSI byte */
	text("\xc2\x9b" "2J", "\\u009b2J");		/* C1 CSI written in UTF-8 */
	text("\xc0\x8a", "\\xc0\\x8a");			/* an overlong newline */
	text("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* a UTF-16 surrogate */
	text("\xe2\x80\xae" "gnp.exe", "\\u202egnp.exe");	/* bidi override */
	text("\xf0\x9f\x90", "\\xf0\\x9f\\x90");	/* a character cut short */
}

static void test_text_valid_utf8_as_is(void **state)
{
	(void)state;
	text("\xf0\x9f\x90\x98pg\xf0\x9f\x90\x98", "\xf0\x9f\x90\x98pg\xf0\x9f\x90\x98");
	text("Gr\xc3\xbc\xc3\x9f" "e \\ C:\\x", "Gr\xc3\xbc\xc3\x9f" "e \\ C:\\x");
	assert_true(dbp_escape_text_clean("postgres: checkpointer"));
	assert_true(dbp_escape_text_clean("\xf0\x9f\x90\x98"));
	assert_false(dbp_escape_text_clean("a\nb"));
	assert_false(dbp_escape_text_clean("\xff"));
	text(NULL, "");
}

static void test_text_cut_never_splits(void **state)
{
	char buf[8];

	(void)state;
	/* 7 bytes of room: "abcd..." */
	assert_string_equal(dbp_escape_text("abcdefghij", buf, sizeof(buf)), "abcd...");
	/* an escape is never cut into another one */
	assert_string_equal(dbp_escape_text("abc\033xyzxyz", buf, sizeof(buf)), "abc...");
	/* nor a UTF-8 character into invalid bytes */
	assert_string_equal(dbp_escape_text("ab\xf0\x9f\x90\x98xyz", buf, sizeof(buf)), "ab...");
	assert_string_equal(dbp_escape_text("abcdefg", buf, 3), "ab");
}

static void test_text_dup(void **state)
{
	char *s = dbp_escape_text_dup("\xff\xff\xff\xff\n");

	(void)state;
	assert_non_null(s);
	assert_string_equal(s, "\\xff\\xff\\xff\\xff\\n");
	free(s);
}

static void test_json_invalid_bytes(void **state)
{
	char *s;

	(void)state;
	s = dbp_escape_json("{\"a\":\"x\xff\xfey\"}");
	assert_non_null(s);
	assert_string_equal(s, "{\"a\":\"x\\udcff\\udcfey\"}");
	free(s);
	/* DEL and C1 in UTF-8 are escaped; other UTF-8 stays */
	s = dbp_escape_json("[\"\x7f\xc2\x9b\xf0\x9f\x90\x98\xe2\x80\xa8\"]");
	assert_string_equal(s, "[\"\\u007f\\u009b\xf0\x9f\x90\x98\\u2028\"]");
	free(s);
}

static void test_json_round_trip(void **state)
{
	const char *raw = "[\"a\xff\\\\udcff\\ud83d\\udca9\xc3\xa9\x80\"]";
	char *s;

	(void)state;
	s = dbp_escape_json(raw);
	assert_non_null(s);
	/* the escaped backslash, the surrogate pair and é are kept */
	assert_string_equal(s, "[\"a\\udcff\\\\udcff\\ud83d\\udca9\xc3\xa9\\udc80\"]");
	dbp_json_unescape_bytes(s);
	assert_string_equal(s, raw);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_invalid_utf8_and_c1),
		cmocka_unit_test(test_text_valid_utf8_as_is),
		cmocka_unit_test(test_text_cut_never_splits),
		cmocka_unit_test(test_text_dup),
		cmocka_unit_test(test_json_invalid_bytes),
		cmocka_unit_test(test_json_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
