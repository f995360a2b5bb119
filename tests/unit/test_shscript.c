/* lib/shscript.c: a shell script's traps and the command that runs the
 * service, read as a shell tokenises it. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "shscript.h"

#define S(n) ((uint64_t)1 << ((n) - 1))

static void test_forwarding_trap_and_background_child(void **state)
{
	struct dbp_sh_script s;
	const struct dbp_sh_trap *t;

	(void)state;
	assert_int_equal(dbp_sh_parse("trap 'kill -INT $p; wait $p' TERM INT; "
				      "setpriv --reuid=postgres postgres -D /d & p=$!; wait $p", &s), 0);
	assert_int_equal(s.trapped, S(SIGTERM) | S(SIGINT));
	t = dbp_sh_trap_for(s.traps, s.ntraps, SIGTERM);
	assert_non_null(t);
	assert_int_equal(t->sends, SIGINT);
	assert_true(t->waits);
	assert_string_equal(t->how, "kill -INT $p");
	assert_string_equal(s.run.words[0], "setpriv");
	assert_true(s.run.background);
	assert_false(s.run.exec);
	dbp_sh_free(&s);
}

static void test_pg_ctl_and_functions(void **state)
{
	struct dbp_sh_script s;
	const struct dbp_sh_trap *t;

	(void)state;
	/* pg_ctl stop waits by itself; -m smart is SIGTERM; a trap that names
	 * a function is read through its body */
	assert_int_equal(dbp_sh_parse("stop() {\n  gosu postgres pg_ctl -D \"$PGDATA\" -m smart stop\n}\n"
				      "trap stop TERM\npostgres &\nwait $!\n", &s), 0);
	t = dbp_sh_trap_for(s.traps, s.ntraps, SIGTERM);
	assert_non_null(t);
	assert_int_equal(t->sends, SIGTERM);
	assert_true(t->waits);
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse("trap 'pg_ctl stop -W' INT\n", &s), 0);
	t = dbp_sh_trap_for(s.traps, s.ntraps, SIGINT);
	assert_int_equal(t->sends, SIGINT);	/* fast is the default */
	assert_false(t->waits);			/* -W: it does not wait */
	dbp_sh_free(&s);
	/* an echo decides nothing dbpod can follow; '' ignores; - resets */
	assert_int_equal(dbp_sh_parse("trap 'echo bye; exit 0' TERM\ntrap '' HUP\ntrap - TERM\n", &s), 0);
	assert_null(dbp_sh_trap_for(s.traps, s.ntraps, SIGTERM));
	assert_int_equal(s.trapped, 0);
	assert_int_equal(s.ignored, S(SIGHUP));
	dbp_sh_free(&s);
}

/* The last exec wins, and a function defined and called is no program:
 * the docker-library entrypoint's shape */
static void test_last_exec_in_an_entrypoint(void **state)
{
	struct dbp_sh_script s;

	(void)state;
	assert_int_equal(dbp_sh_parse(
		"#!/usr/bin/env bash\nset -Eeo pipefail\n"
		"_main() {\n"
		"  if [ \"$1\" = 'postgres' ]; then\n"
		"    find \"$PGDATA\" \\! -user postgres -exec chown postgres '{}' +\n"
		"    exec gosu postgres \"$BASH_SOURCE\" \"$@\"\n"
		"  fi\n"
		"  cat <<-'EOM'\n\t\texec not-this\n\tEOM\n"
		"  exec \"$@\"\n}\n"
		"if ! _is_sourced; then\n  _main \"$@\"\nfi\n", &s), 0);
	assert_true(s.run.exec);
	assert_string_equal(s.run.words[0], "$@");
	assert_null(s.run.words[1]);
	assert_int_equal(s.run.line, 11);
	dbp_sh_free(&s);
}

static void test_no_exec_last_command_and_patterns(void **state)
{
	struct dbp_sh_script s;

	(void)state;
	/* the server in the foreground, then `true`: not the last command */
	assert_int_equal(dbp_sh_parse("redis-server --port 0; true", &s), 0);
	assert_string_equal(s.run.words[0], "redis-server");
	assert_false(s.run.exec);
	assert_false(s.run.last);
	dbp_sh_free(&s);
	/* a lone last program: bash -c would exec it itself */
	assert_int_equal(dbp_sh_parse("echo starting; mysqld --user=mysql", &s), 0);
	assert_true(s.run.last);
	dbp_sh_free(&s);
	/* a case pattern is no command; quoted text is data */
	assert_int_equal(dbp_sh_parse("case \"$1\" in\n  postgres|mysqld) echo \"postgres\" ;;\nesac\n", &s), 0);
	assert_null(s.run.words);
	dbp_sh_free(&s);
	/* nothing known: the last program the script runs, which the shell waits on */
	assert_int_equal(dbp_sh_parse("pg_dump -h pg db | gzip > /backup/db.gz", &s), 0);
	assert_string_equal(s.run.words[0], "gzip");
	dbp_sh_free(&s);
	/* exec that only redirects runs nothing */
	assert_int_equal(dbp_sh_parse("exec >/var/log/x 2>&1\npostgres -D /d\n", &s), 0);
	assert_false(s.run.exec);
	assert_string_equal(s.run.words[0], "postgres");
	dbp_sh_free(&s);
}

static void test_script_variables_and_handover(void **state)
{
	struct dbp_sh_script s;

	(void)state;
	/* a variable set to a word or to `command -v PROG` is put in; an
	 * empty one is no word (an unquoted expansion) */
	assert_int_equal(dbp_sh_parse_script("BIN=/usr/lib/postgresql/16/bin/postgres\n"
					     "cmd=$(command -v mysqld)\nCHRT=\"\"\n"
					     "exec $CHRT sudo -u postgres $BIN -D /d\n", "/run", 0, &s), 0);
	assert_string_equal(s.run.words[0], "sudo");
	assert_string_equal(s.run.words[3], "/usr/lib/postgresql/16/bin/postgres");
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse_script("cmd=$(command -v postgres)\nexec \"$cmd\" -D /d\n",
					     "/run.sh", 0, &s), 0);
	assert_string_equal(s.run.words[0], "postgres");
	dbp_sh_free(&s);
	/* a value that is not a plain word makes it unknown again */
	assert_int_equal(dbp_sh_parse_script("cmd=postgres\ncmd=$(find / -name x)\nexec $cmd\n",
					     "/run.sh", 0, &s), 0);
	assert_string_equal(s.run.words[0], "$cmd");
	dbp_sh_free(&s);
	/* a script that re-execs itself under an init: the first run hands
	 * over, the second takes the other branch */
	assert_int_equal(dbp_sh_parse_script("if [ \"$1\" = init ]; then\n"
					     "  exec dumb-init -c -- /bin/sh /launch.sh\nfi\n"
					     "trap stop TERM\nrunsvdir -P /etc/service &\nwait\n",
					     "/launch.sh", 0, &s), 0);
	assert_string_equal(s.run.words[0], "dumb-init");
	assert_true(s.run.self);
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse_script("if [ \"$1\" = init ]; then\n"
					     "  exec dumb-init -c -- /bin/sh /launch.sh\nfi\n"
					     "trap 'sv -w 60 stop patroni' TERM\nrunsvdir -P /etc/service &\nwait\n",
					     "/launch.sh", 1, &s), 0);
	assert_string_equal(s.run.words[0], "runsvdir");
	assert_true(s.run.background);
	assert_true(s.run.waited);
	assert_int_equal(dbp_sh_trap_for(s.traps, s.ntraps, SIGTERM)->sends, SIGTERM);
	assert_true(dbp_sh_trap_for(s.traps, s.ntraps, SIGTERM)->waits);
	dbp_sh_free(&s);
}

static void test_daemonising_starts(void **state)
{
	struct dbp_sh_script s;

	(void)state;
	assert_int_equal(dbp_sh_parse("su postgres -c 'pg_ctl start -D /d'\npsql -c 'select 1'\n"
				      "tail -f /dev/null\n", &s), 0);
	assert_string_equal(s.daemon.server, "postgres");
	assert_string_equal(s.daemon.what, "pg_ctl start");
	assert_int_equal(s.daemon.line, 1);
	assert_string_equal(s.run.words[0], "tail");
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse("redis-server /etc/redis.conf --daemonize yes; sleep infinity", &s), 0);
	assert_string_equal(s.daemon.server, "redis-server");
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse("service postgresql start && tail -F /var/log/x", &s), 0);
	assert_string_equal(s.daemon.what, "service postgresql start");
	dbp_sh_free(&s);
	/* mysqld_safe stays as the server's parent: it is what runs */
	assert_int_equal(dbp_sh_parse("mysqld_safe &\ntail -f /var/log/x &\nfg %1\n", &s), 0);
	assert_null(s.daemon.server);
	assert_string_equal(s.run.words[0], "mysqld_safe");
	assert_true(s.run.background);
	assert_true(s.run.waited);
	dbp_sh_free(&s);
	/* pg_ctl stop starts nothing */
	assert_int_equal(dbp_sh_parse("pg_ctl stop -m fast", &s), 0);
	assert_null(s.daemon.server);
	dbp_sh_free(&s);
}

static void test_hostile_text(void **state)
{
	struct dbp_sh_script s;
	char big[70000];

	(void)state;
	/* unterminated quotes, substitutions and here-documents end the text */
	assert_int_equal(dbp_sh_parse("trap 'kill $p TERM\nexec \"postgres", &s), 0);
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse("x=$(echo ${a:-$(b)} `c`\ncat <<EOF\nexec no\n", &s), 0);
	assert_null(s.run.words);
	dbp_sh_free(&s);
	memset(big, '(', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(dbp_sh_parse(big, &s), 0);
	dbp_sh_free(&s);
	assert_int_equal(dbp_sh_parse(NULL, &s), 0);
	assert_null(s.run.words);
	dbp_sh_free(&s);
	assert_true(dbp_sh_is_args_word("$@"));
	assert_true(dbp_sh_is_args_word("${@}"));
	assert_false(dbp_sh_is_args_word("$PGDATA"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarding_trap_and_background_child),
		cmocka_unit_test(test_pg_ctl_and_functions),
		cmocka_unit_test(test_last_exec_in_an_entrypoint),
		cmocka_unit_test(test_no_exec_last_command_and_patterns),
		cmocka_unit_test(test_script_variables_and_handover),
		cmocka_unit_test(test_daemonising_starts),
		cmocka_unit_test(test_hostile_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
