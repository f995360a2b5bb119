/* lib/stopread.c: traps in shell text, supervisord's configuration, and
 * the files they are read from. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <errno.h>

#include "stopread.h"

#define S(n) ((uint64_t)1 << ((n) - 1))

static void test_traps_named_signals(void **state)
{
	(void)state;
	assert_int_equal(dbp_shell_traps("postgres; true"), 0);
	assert_int_equal(dbp_shell_traps("trap 'kill -INT $p; wait $p' TERM INT; postgres & p=$!; wait"),
			 S(SIGTERM) | S(SIGINT));
	assert_int_equal(dbp_shell_traps("trap \"\" SIGTERM\nexec tini -- x"), S(SIGTERM));
	assert_int_equal(dbp_shell_traps("set -e\n  trap cleanup EXIT ERR\n"), 0);
	assert_int_equal(dbp_shell_traps("trap -- 'echo x' 15 2"), S(15) | S(2));
	assert_int_equal(dbp_shell_traps("trap -p\ntrap -l"), 0);
	/* a word that only contains "trap" is not one */
	assert_int_equal(dbp_shell_traps("mytrap x TERM; entrapment INT"), 0);
	assert_int_equal(dbp_shell_traps("if x; then trap 'a b' QUIT; fi"), S(SIGQUIT));
	assert_int_equal(dbp_shell_traps(""), 0);
	assert_int_equal(dbp_shell_traps("trap"), 0);
	assert_int_equal(dbp_shell_traps(NULL), 0);
}

static void test_script_from_dash_c_and_file(void **state)
{
	struct dbp_proc p;
	struct dbp_shell_script sc;
	char path[] = "/tmp/dbpod-test-script.XXXXXX";
	int fd = mkstemp(path);
	const char *argv1[] = { "bash", "-ec", "trap 'x' INT; sleep 1", NULL };
	const char *argv2[] = { "/bin/bash", path, NULL };
	const char *argv3[] = { "bash", NULL };

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#!/bin/bash\ntrap 'kill $p' TERM\n", 32), 32);
	close(fd);
	memset(&p, 0, sizeof(p));
	p.pid = getpid();
	dbp_proc_set_argv(&p, argv1);
	assert_int_equal(dbp_shell_script_read(NULL, &p, &sc), 0);
	assert_int_equal(sc.read, 1);
	assert_int_equal(sc.trapped, S(SIGINT));
	assert_string_equal(sc.source, "its -c command");
	dbp_proc_set_argv(&p, argv2);
	assert_int_equal(dbp_shell_script_read(NULL, &p, &sc), 0);
	assert_int_equal(sc.read, 1);
	assert_int_equal(sc.trapped, S(SIGTERM));
	assert_string_equal(sc.source, path);
	/* a FIFO or a directory is never read */
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(dbp_shell_script_read(NULL, &p, &sc), 0);
	assert_int_equal(sc.read, 0);
	unlink(path);
	/* an interactive shell has no script */
	dbp_proc_set_argv(&p, argv3);
	assert_int_equal(dbp_shell_script_read(NULL, &p, &sc), -EINVAL);
	dbp_proc_set_argv(&p, NULL);
}

static const char conf[] =
	"; supervisord.conf\n"
	"[supervisord]\n"
	"nodaemon=true\n"
	"\n"
	"[program:cron]\n"
	"command=/usr/sbin/cron -f\n"
	"\n"
	"[program:db]\n"
	"command = /usr/bin/setpriv --reuid=postgres /usr/lib/postgresql/15/bin/postgres -D /data ; the server\n"
	"stopsignal = INT\n"
	"stopwaitsecs=45\n"
	"\n"
	"[include]\n"
	"files = conf.d/*.conf\n";

static void test_supervisor_program_for_the_service(void **state)
{
	struct dbp_supervisor s;
	char inc[64];

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(dbp_supervisor_parse(conf, "postgres", &s, inc, sizeof(inc)), 0);
	assert_string_equal(s.program, "db");
	assert_int_equal(s.stopsignal, SIGINT);
	assert_int_equal(s.stopwaitsecs, 45);
	assert_string_equal(inc, "conf.d/*.conf");
	/* two programs, neither runs it: no guess */
	assert_int_equal(dbp_supervisor_parse(conf, "mariadbd", &s, inc, sizeof(inc)), -ENOENT);
	/* one program: that one, with the defaults */
	assert_int_equal(dbp_supervisor_parse("[program:x]\ncommand=/start.sh\n", "postgres", &s,
					      NULL, 0), 0);
	assert_string_equal(s.program, "x");
	assert_int_equal(s.stopsignal, SIGTERM);
	assert_int_equal(s.stopwaitsecs, 10);
	/* garbage is no program */
	assert_int_equal(dbp_supervisor_parse("[program:\n=\n[", "postgres", &s, NULL, 0), -ENOENT);
	assert_int_equal(dbp_supervisor_parse("", "postgres", &s, NULL, 0), -ENOENT);
}

static void test_supervisor_read_from_c_option(void **state)
{
	struct dbp_proc sup, svc;
	struct dbp_supervisor s;
	char path[] = "/tmp/dbpod-test-sv.XXXXXX";
	int fd = mkstemp(path);
	const char *a1[] = { "/usr/bin/python3", "/usr/bin/supervisord", "-n", "-c", path, NULL };
	const char *a2[] = { "postgres", "-D", "/data", NULL };

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, conf, sizeof(conf) - 1), (ssize_t)(sizeof(conf) - 1));
	close(fd);
	memset(&sup, 0, sizeof(sup));
	memset(&svc, 0, sizeof(svc));
	sup.pid = getpid();
	dbp_proc_set_argv(&sup, a1);
	dbp_proc_set_argv(&svc, a2);
	assert_int_equal(dbp_supervisor_read(NULL, &sup, &svc, &s), 0);
	assert_true(s.read);
	assert_string_equal(s.conf, path);
	assert_int_equal(s.stopsignal, SIGINT);
	unlink(path);
	assert_true(dbp_supervisor_read(NULL, &sup, &svc, &s) < 0);
	assert_false(s.read);
	assert_string_equal(s.conf, path);	/* says what it could not read */
	dbp_proc_set_argv(&sup, NULL);
	dbp_proc_set_argv(&svc, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_traps_named_signals),
		cmocka_unit_test(test_script_from_dash_c_and_file),
		cmocka_unit_test(test_supervisor_program_for_the_service),
		cmocka_unit_test(test_supervisor_read_from_c_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
