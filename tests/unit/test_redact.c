/* lib/redact.c: no password leaves dbpod. */
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

#include <cmocka.h>

#include "redact.h"

static void check(const char *in, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", in);
	dbp_redact(buf);
	assert_string_equal(buf, want);
}

static void test_key_value(void **state)
{
	(void)state;
	check("psql password=secret host=x", "psql password=*** host=x");
	check("app --password=abcd --db-token=xyz9 -v", "app --password=*** --db-token=*** -v");
	check("env PGPASSWORD=pw12 psql", "env PGPASSWORD=*** psql");
}

static void test_uri_userinfo(void **state)
{
	(void)state;
	check("psql postgres://user:pa55word@host/db", "psql postgres://user:***@host/db");
	check("curl https://host/path", "curl https://host/path");
	check("redis-cli -u redis://:secret@h:6379", "redis-cli -u redis://:***@h:6379");
}

static void test_separate_word_secrets(void **state)
{
	(void)state;
	check("redis-server --requirepass s3cret --port 1", "redis-server --requirepass *** --port 1");
	check("/usr/bin/redis-cli -a pw123 ping", "/usr/bin/redis-cli -a *** ping");
	check("mongosh -p pw123 --host x", "mongosh -p *** --host x");
	check("tar -a file", "tar -a file");
	check("x --password -v", "x --password -v");
}

static void test_mysql_glued_password(void **state)
{
	(void)state;
	check("/usr/bin/mysql -psecret -u root", "/usr/bin/mysql -p*** -u root");
	check("mysqldump -pX1234 db", "mysqldump -p*** db");
	check("tar -pfoo", "tar -pfoo");
}

static void test_nothing_to_hide_and_null(void **state)
{
	(void)state;
	check("postgres: checkpointer", "postgres: checkpointer");
	check("", "");
	dbp_redact(NULL);
}

static void test_argv_separate_words(void **state)
{
	char a0[] = "redis-server", a1[] = "--requirepass", a2[] = "topsecret", a3[] = "--port";
	char b0[] = "app", b1[] = "--token", b2[] = "ab";
	char *v[] = { a0, a1, a2, a3, NULL };
	char *w[] = { b0, b1, b2, NULL };

	(void)state;
	dbp_redact_argv(v);
	assert_string_equal(v[2], "***");
	assert_string_equal(v[3], "--port");
	dbp_redact_argv(w);
	assert_null(strstr(w[2], "ab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_value),
		cmocka_unit_test(test_uri_userinfo),
		cmocka_unit_test(test_separate_word_secrets),
		cmocka_unit_test(test_mysql_glued_password),
		cmocka_unit_test(test_nothing_to_hide_and_null),
		cmocka_unit_test(test_argv_separate_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
