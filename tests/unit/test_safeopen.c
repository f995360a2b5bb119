/* lib/safeopen.c: only a regular file is opened, nothing hangs; and a
 * file written into a directory someone else may have a say in is never
 * one they planted (dbp_outdir). */
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


/* ---- dbp_outdir ---- */

/* A fresh directory dir/name with mode (chmod'ed: the umask aside). */
static const char *subdir(const char *name, mode_t mode)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	assert_int_equal(mkdir(buf, 0700), 0);
	assert_int_equal(chmod(buf, mode), 0);
	return buf;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static off_t size_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* d opened for DIR/NAME; the file's name in d into *name (which points
 * into the path, kept here until the next call) */
static void outdir(struct dbp_outdir *d, const char *sub, const char *file, const char **name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", sub, file);
	assert_int_equal(dbp_outdir_open(d, path, name), 0);
	assert_string_equal(*name, file);
}

static void test_outdir_creates_new_and_appends_to_its_own(void **state)
{
	const char *sub = subdir("w-new", 0755), *name;
	struct dbp_outdir d;
	char path[256];
	int fd;

	(void)state;
	outdir(&d, sub, "rec", &name);
	fd = dbp_outdir_file_open(&d, name, O_WRONLY | O_APPEND, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "one\n", 4), 4);
	close(fd);
	/* there already, ours, one link: appended to */
	fd = dbp_outdir_file_open(&d, name, O_WRONLY | O_APPEND, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "two\n", 4), 4);
	close(fd);
	snprintf(path, sizeof(path), "%s/rec", sub);
	assert_int_equal(size_of(path), 8);
	/* O_TRUNC empties it, once it passed */
	fd = dbp_outdir_file_open(&d, name, O_RDWR | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(size_of(path), 0);
	dbp_outdir_close(&d);
}

/* A file of 10 bytes, TNAME in the test's directory (its path into
 * target), and sub/rec a symbolic or a hard link to it. */
static void plant(const char *sub, const char *tname, int hard, char *target, size_t size)
{
	char name[256];

	snprintf(target, size, "%s", at(tname));
	put(target, "root only\n");
	snprintf(name, sizeof(name), "%s/rec", sub);
	assert_int_equal(hard ? link(target, name) : symlink(target, name), 0);
}

static void test_outdir_refuses_a_planted_symlink(void **state)
{
	const char *sub = subdir("w-link", 0755), *name;
	char target[128], want[512];
	struct dbp_outdir d;

	(void)state;
	plant(sub, "w-link-target", 0, target, sizeof(target));
	outdir(&d, sub, "rec", &name);
	assert_int_equal(dbp_outdir_file_open(&d, name, O_WRONLY | O_TRUNC, 0600), -DBP_ENOTREG);
	snprintf(want, sizeof(want), "it is a symbolic link to '%s', and dbpod does not write through a link", target);
	assert_non_null(strstr(dbp_outdir_strerror(&d, -DBP_ENOTREG), want));
	assert_int_equal(dbp_outdir_file_open(&d, name, O_WRONLY | O_APPEND, 0600), -DBP_ENOTREG);
	assert_int_equal(size_of(target), 10);
	/* a dangling one: O_EXCL does not create its target either */
	assert_int_equal(unlink(target), 0);
	assert_int_equal(dbp_outdir_file_open(&d, name, O_WRONLY, 0600), -DBP_ENOTREG);
	assert_non_null(strstr(d.why, "which does not exist"));
	assert_int_equal(access(target, F_OK), -1);
	dbp_outdir_close(&d);
}

static void test_outdir_refuses_a_hard_link(void **state)
{
	const char *sub = subdir("w-hard", 0755), *name;
	char target[128];
	struct dbp_outdir d;

	(void)state;
	plant(sub, "w-hard-target", 1, target, sizeof(target));
	outdir(&d, sub, "rec", &name);
	assert_int_equal(dbp_outdir_file_open(&d, name, O_WRONLY | O_TRUNC, 0600), -DBP_ELINKS);
	assert_non_null(strstr(dbp_outdir_strerror(&d, -DBP_ELINKS), "it has 2 hard links"));
	assert_int_equal(size_of(target), 10);
	dbp_outdir_close(&d);
}

static void test_outdir_refuses_fifo_and_directory_without_hanging(void **state)
{
	const char *sub = subdir("w-fifo", 0755), *name;
	char path[256];
	struct dbp_outdir d;

	(void)state;
	snprintf(path, sizeof(path), "%s/rec", sub);
	assert_int_equal(mkfifo(path, 0600), 0);
	outdir(&d, sub, "rec", &name);
	assert_int_equal(dbp_outdir_file_open(&d, name, O_RDONLY, 0600), -DBP_ENOTREG);
	assert_non_null(strstr(d.why, "it is a FIFO (named pipe), not a regular file"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(dbp_outdir_file_open(&d, name, O_WRONLY | O_APPEND, 0600), -DBP_ENOTREG);
	assert_non_null(strstr(d.why, "it is a directory"));
	dbp_outdir_close(&d);
	/* FILE ending in '/' names no file */
	snprintf(path, sizeof(path), "%s/", sub);
	assert_int_equal(dbp_outdir_open(&d, path, &name), -EISDIR);
	assert_int_equal(d.fd, -1);
}

static void test_outdir_refuses_another_users_file(void **state)
{
	const char *sub = subdir("w-owner", 0755), *name;
	char path[256];
	struct dbp_outdir d;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof(path), "%s/rec", sub);
	put(path, "theirs\n");
	assert_int_equal(chown(path, 65534, 65534), 0);
	outdir(&d, sub, "rec", &name);
	assert_int_equal(dbp_outdir_file_open(&d, name, O_WRONLY | O_TRUNC, 0600), -DBP_EOWNER);
	assert_non_null(strstr(dbp_outdir_strerror(&d, -DBP_EOWNER), "it belongs to uid 65534"));
	assert_non_null(strstr(d.why, "not to uid 0"));
	assert_int_equal(size_of(path), 7);
	dbp_outdir_close(&d);
}

static void test_outdir_judges_the_directory_as_root(void **state)
{
	const char *name;
	char path[256];
	struct dbp_outdir d;

	(void)state;
	if (geteuid() != 0)
		skip();
	/* writable by its group, by everyone: refused, with what to do */
	snprintf(path, sizeof(path), "%s/rec", subdir("w-g", 0775));
	assert_int_equal(dbp_outdir_open(&d, path, &name), -DBP_EDIRWRITABLE);
	assert_int_equal(d.fd, -1);
	assert_non_null(strstr(dbp_outdir_strerror(&d, -DBP_EDIRWRITABLE),
			       "is writable by users other than its owner (mode 0775)"));
	assert_non_null(strstr(d.why, "mkdir -m 0700"));
	snprintf(path, sizeof(path), "%s/rec", subdir("w-o", 0777));
	assert_int_equal(dbp_outdir_open(&d, path, &name), -DBP_EDIRWRITABLE);
	/* sticky and root's, as /tmp: taken */
	snprintf(path, sizeof(path), "%s/rec", subdir("w-sticky", 01777));
	assert_int_equal(dbp_outdir_open(&d, path, &name), 0);
	dbp_outdir_close(&d);
	/* sticky but another user's: that user may remove anything there */
	snprintf(path, sizeof(path), "%s/rec", subdir("w-sticky-theirs", 01777));
	assert_int_equal(chown(at("w-sticky-theirs"), 65534, 65534), 0);
	assert_int_equal(dbp_outdir_open(&d, path, &name), -DBP_EDIRWRITABLE);
	assert_non_null(strstr(d.why, "sticky but not root's"));
	/* another user's, only theirs to write (a database's volume): taken;
	 * what they plant is refused file by file */
	snprintf(path, sizeof(path), "%s/rec", subdir("w-theirs", 0700));
	assert_int_equal(chown(at("w-theirs"), 65534, 65534), 0);
	assert_int_equal(dbp_outdir_open(&d, path, &name), 0);
	dbp_outdir_close(&d);
}

static void test_outdir_holds_the_directory_not_its_path(void **state)
{
	const char *sub = subdir("w-moved", 0755), *name;
	char moved[128], elsewhere[128], path[256];
	struct dbp_outdir d;
	int fd;

	(void)state;
	outdir(&d, sub, "rec", &name);
	/* the directory renamed and a link put in its place: the files go
	 * on into the directory opened, not where the path leads now */
	snprintf(moved, sizeof(moved), "%s", at("w-moved-away"));
	snprintf(elsewhere, sizeof(elsewhere), "%s", at("w-elsewhere"));
	assert_int_equal(rename(sub, moved), 0);
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	assert_int_equal(symlink(elsewhere, sub), 0);
	fd = dbp_outdir_file_open(&d, name, O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/rec", moved);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/rec", elsewhere);
	assert_int_equal(access(path, F_OK), -1);
	dbp_outdir_close(&d);
}

static void test_outdir_names_renames_and_temporaries(void **state)
{
	const char *sub = subdir("w-names", 0755), *name;
	char target[128], path[256], tmp[64];
	struct dbp_outdir d;
	struct stat st;
	int fd, fd2;

	(void)state;
	outdir(&d, sub, "rec", &name);
	fd = dbp_outdir_file_open(&d, name, O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(dbp_outdir_file_is(&d, name, fd), 1);
	/* renamed away: the name is no longer fd's */
	assert_int_equal(dbp_outdir_file_rename(&d, name, "rec.1"), 0);
	assert_int_equal(dbp_outdir_file_is(&d, name, fd), 0);
	assert_int_equal(dbp_outdir_file_is(&d, "rec.1", fd), 1);
	/* deleted: no link left */
	assert_int_equal(dbp_outdir_file_unlink(&d, "rec.1"), 0);
	assert_int_equal(dbp_outdir_file_is(&d, "rec.1", fd), 0);
	close(fd);
	/* a link renamed or removed is the link itself, never its target */
	snprintf(target, sizeof(target), "%s", at("w-names-target"));
	put(target, "root only\n");
	snprintf(path, sizeof(path), "%s/rec.2", sub);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(dbp_outdir_file_rename(&d, "rec.2", "rec.3"), 0);
	assert_int_equal(dbp_outdir_file_stat(&d, "rec.3", &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(dbp_outdir_file_unlink(&d, "rec.3"), 0);
	assert_int_equal(size_of(target), 10);
	/* temporaries: new names, created, never the same twice */
	fd = dbp_outdir_file_temp(&d, "x.prom.tmp.", 0644, tmp, sizeof(tmp));
	assert_true(fd >= 0);
	assert_int_equal(strncmp(tmp, "x.prom.tmp.", 11), 0);
	assert_int_equal(strlen(tmp), 17);
	snprintf(path, sizeof(path), "%s", tmp);
	fd2 = dbp_outdir_file_temp(&d, "x.prom.tmp.", 0644, tmp, sizeof(tmp));
	assert_true(fd2 >= 0);
	assert_string_not_equal(path, tmp);
	close(fd);
	close(fd2);
	dbp_outdir_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regular_file_opens),
		cmocka_unit_test(test_fifo_does_not_hang),
		cmocka_unit_test(test_socket_and_device),
		cmocka_unit_test(test_links_are_not_followed),
		cmocka_unit_test(test_outdir_creates_new_and_appends_to_its_own),
		cmocka_unit_test(test_outdir_refuses_a_planted_symlink),
		cmocka_unit_test(test_outdir_refuses_a_hard_link),
		cmocka_unit_test(test_outdir_refuses_fifo_and_directory_without_hanging),
		cmocka_unit_test(test_outdir_refuses_another_users_file),
		cmocka_unit_test(test_outdir_judges_the_directory_as_root),
		cmocka_unit_test(test_outdir_holds_the_directory_not_its_path),
		cmocka_unit_test(test_outdir_names_renames_and_temporaries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
