/* lib/safeopen.c: only a regular file is opened, nothing hangs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "safeopen.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/dbpod-safeopen.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *at(const char *name)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void refused(const char *path, mode_t want, const char *what)
{
	mode_t type = 0;
	char buf[256];

	assert_int_equal(dbp_open_regular(NULL, path, &type), -DBP_ENOTREG);
	assert_int_equal(type, want);
	assert_string_equal(dbp_file_describe(NULL, path, type, buf, sizeof(buf)), what);
}

static void test_regular_file_opens(void **state)
{
	int fd;
	char c;

	(void)state;
	fd = open(at("f"), O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	fd = dbp_open_regular(NULL, at("f"), NULL);
	assert_true(fd >= 0);
	/* blocking again, and readable */
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(read(fd, &c, 1), 1);
	close(fd);
	assert_int_equal(dbp_open_regular(NULL, at("none"), NULL), -ENOENT);
}

static void test_fifo_does_not_hang(void **state)
{
	(void)state;
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	refused(at("fifo"), S_IFIFO, "a FIFO (named pipe)");
}

static void test_socket_and_device(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	(void)state;
	assert_true(strlen(at("sock")) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, at("sock"), strlen(at("sock")) + 1);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	refused(at("sock"), S_IFSOCK, "a socket");
	close(s);
	refused("/dev/zero", S_IFCHR, "a character device");
	refused(dir, S_IFDIR, "a directory");
}

static void test_links_are_not_followed(void **state)
{
	char want[256];

	(void)state;
	/* a link to a good regular file is refused too: not followed */
	assert_int_equal(symlink("/etc/passwd", at("link")), 0);
	refused(at("link"), S_IFLNK, "a symbolic link to '/etc/passwd'");
	assert_int_equal(symlink("/nonexistent/x", at("dangling")), 0);
	refused(at("dangling"), S_IFLNK,
		"a symbolic link to '/nonexistent/x', which does not exist");
	snprintf(want, sizeof(want), "%s", dbp_open_strerror(-DBP_ENOTREG));
	assert_string_equal(want, "not a regular file");
	assert_string_equal(dbp_open_strerror(-ENOENT), strerror(ENOENT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file_opens),
		cmocka_unit_test(test_fifo_does_not_hang),
		cmocka_unit_test(test_socket_and_device),
		cmocka_unit_test(test_links_are_not_followed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
