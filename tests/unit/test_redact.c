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

static void test_quoted_values(void **state)
{
	(void)state;
	check("app --password \"s3 cret\" -v", "app --password \"***\" -v");
	check("app --password='s3cret' -v", "app --password='***' -v");
	check("redis-server --requirepass \"pw\"", "redis-server --requirepass \"**\"");
	check("x PGPASSWORD=\"a b c d\" psql", "x PGPASSWORD=\"***\" psql");
	/* a quote inside a message's quote, escaped */
	check("sh -c \"redis-server --requirepass \\\"pw99\\\"\"",
	      "sh -c \"redis-server --requirepass \\\"***\\\"\"");
	check("x --password \"\" y", "x --password \"\" y");
	check("x password=", "x password=");
	check("x password=\"", "x password=\"");
}

static void test_clients_inside_a_shell_string(void **state)
{
	(void)state;
	check("sh -c \"redis-server & sleep 1 && redis-cli -a pw123 ping\"",
	      "sh -c \"redis-server & sleep 1 && redis-cli -a *** ping\"");
	check("cd /x; mongosh -p pw123 db", "cd /x; mongosh -p *** db");
	check("/bin/sh -c \"mysql -psecret1 -e 'x'\"", "/bin/sh -c \"mysql -p*** -e 'x'\"");
	check("exec gosu redis /usr/bin/redis-cli -a pw123", "exec gosu redis /usr/bin/redis-cli -a ***");
	/* a client named later has its flags until its command ends */
	check("sh -c 'redis-cli -a pw1 ping; tar -a f'", "sh -c 'redis-cli -a *** ping; tar -a f'");
	check("sh -c 'mysql -pX1 db && ls -pfoo'", "sh -c 'mysql -p** db && ls -pfoo'");
	/* argv[0]'s for the whole line: its arguments may be a script */
	check("redis-cli -c 'sleep 1; : x -a pw1'", "redis-cli -c 'sleep 1; : x -a ***'");
}

static void test_masterauth_and_authorization(void **state)
{
	(void)state;
	check("redis-server --masterauth pw123 --port 1", "redis-server --masterauth *** --port 1");
	check("curl -H 'Authorization: Bearer abc.def' http://h",
	      "curl -H 'Authorization: Bearer ***' http://h");
	check("curl -H \"authorization: token123\" h", "curl -H \"authorization: ***\" h");
	check("mongod --auth --bind_ip_all", "mongod --auth --bind_ip_all");
}

/* 200,000 secrets of 2 and of 6 characters in one line (a process's
 * arguments, an image's Cmd): each costs its own length, not the line's */
static void test_many_secrets_in_linear_time(void **state)
{
	size_t n = 200000;
	char *s = malloc(n * 16 + 1);

	(void)state;
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * 12, "password=ab ", 12);
	s[n * 12] = '\0';
	dbp_redact(s);
	assert_int_equal(strlen(s), n * 12);
	assert_null(strstr(s, "ab "));
	assert_memory_equal(s, "password=** password=**", 23);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * 16, "password=abcdef ", 16);
	s[n * 16] = '\0';
	dbp_redact(s);
	assert_int_equal(strlen(s), n * 13);
	assert_null(strstr(s, "abcdef"));
	free(s);
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
		cmocka_unit_test(test_quoted_values),
		cmocka_unit_test(test_clients_inside_a_shell_string),
		cmocka_unit_test(test_masterauth_and_authorization),
		cmocka_unit_test(test_many_secrets_in_linear_time),
		cmocka_unit_test(test_nothing_to_hide_and_null),
		cmocka_unit_test(test_argv_separate_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
