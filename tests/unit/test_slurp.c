/* lib/slurp.c: files read whole, gzip or plain, within a bound. */
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "dbperror.h"
#include "slurp.h"

static char path[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/dbpod-slurp.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unlink(path);
}

/* n bytes of c into path, gzipped when gz */
static void write_file(size_t n, char c, int gz)
{
	static char chunk[65536];
	gzFile f = gzopen(path, gz ? "wb9" : "wbT");

	assert_non_null(f);
	memset(chunk, c, sizeof(chunk));
	while (n) {
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);

		assert_int_equal(gzwrite(f, chunk, (unsigned)k), (int)k);
		n -= k;
	}
	assert_int_equal(gzclose(f), Z_OK);
}

static void test_bound_plain_and_gzip(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	for (int gz = 0; gz < 2; gz++) {
		write_file(1000, 'a', gz);
		assert_int_equal(dbp_slurp_max(path, 1000, &text, &len), 0);
		assert_int_equal(len, 1000);
		assert_int_equal(text[999], 'a');
		assert_int_equal(text[1000], '\0');
		free(text);
		assert_int_equal(dbp_slurp_max(path, 999, &text, &len), -EFBIG);
		assert_int_equal(dbp_slurp(path, &text, &len), 0);
		assert_int_equal(len, 1000);
		free(text);
	}
}

/* A live log's tail: the last max bytes from the first whole line; the
 * whole file when it is shorter; a FIFO is no file to seek in */
static void test_tail_from_a_whole_line(void **state)
{
	char *buf, *text, fifo[80];
	FILE *f;
	int fd;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("first line\nsecond\nthird\n", f);
	fclose(f);
	fd = open(path, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_fd(fd, 10, &buf, &text), 0);
	assert_string_equal(text, "third\n");	/* "ond\nthird\n" cut at its first line */
	free(buf);
	/* the last 13 bytes start a line: "second" is kept whole */
	fd = open(path, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_fd(fd, 13, &buf, &text), 0);
	assert_string_equal(text, "second\nthird\n");
	free(buf);
	fd = open(path, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_fd(fd, 1000, &buf, &text), 0);
	assert_string_equal(text, "first line\nsecond\nthird\n");
	free(buf);
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(dbp_slurp_tail_fd(fd, 10, &buf, &text), -DBP_ENOTREG);
	unlink(fifo);
}

/* The zeroes a crash leaves in a log (blocks allocated, never written)
 * end a line; the lines after them -- the restart's -- are still read */
static void test_tail_reads_past_nul_bytes(void **state)
{
	static const char log[] = "before the crash\n\0\0\0\0partial\0after the restart\n";
	char *buf, *text;
	FILE *f;
	int fd;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(log, 1, sizeof(log) - 1, f), sizeof(log) - 1);
	fclose(f);
	fd = open(path, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_fd(fd, 1000, &buf, &text), 0);
	assert_non_null(strstr(text, "\nafter the restart\n"));
	assert_non_null(strstr(text, "before the crash\n"));
	free(buf);
	/* cut inside the zeroes: from the line after them */
	fd = open(path, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_fd(fd, 20, &buf, &text), 0);
	assert_string_equal(text, "after the restart\n");
	free(buf);
}

static void test_gzip_bomb_stops_at_the_bound(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	/* 64 MiB of newlines: 64 KB of gzip */
	write_file((size_t)64 << 20, '\n', 1);
	assert_int_equal(dbp_slurp_max(path, 1 << 20, &text, &len), -EFBIG);
	/* read whole, and bigger than a chunk, it is all there */
	write_file((size_t)3 << 20, 'x', 1);
	assert_int_equal(dbp_slurp(path, &text, &len), 0);
	assert_int_equal(len, (size_t)3 << 20);
	assert_int_equal(text[len - 1], 'x');
	free(text);
}

/* A rotated log docker compressed: its tail, decompressed as a stream,
 * is the tail the plain file gives, whatever max (shorter than the text,
 * longer, across the slides of the kept bytes); a bomb stops at the
 * budget; a stream cut short gives the lines before the cut. */
static void test_gz_tail_is_the_plain_tail(void **state)
{
	static const size_t maxes[] = { 10, 13, 1000, 70000, 262144, 300001, 5000000 };
	size_t n = 0, cap = 600000;
	char *all = malloc(cap), *buf, *text, *gbuf, *gtext, gzpath[80];
	gzFile g;
	FILE *f;
	int fd;

	(void)state;
	assert_non_null(all);
	for (int i = 0; n + 64 < cap; i++)
		n += (size_t)snprintf(all + n, cap - n, "line %d of the log %s\n", i,
				      i % 7 ? "" : "with more words in it");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(all, 1, n, f), n);
	fclose(f);
	snprintf(gzpath, sizeof(gzpath), "%s.gz", path);
	g = gzopen(gzpath, "wb6");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, all, (unsigned)n), (int)n);
	assert_int_equal(gzclose(g), Z_OK);
	for (size_t i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		fd = open(path, O_RDONLY);
		assert_int_equal(dbp_slurp_tail_fd(fd, maxes[i], &buf, &text), 0);
		fd = open(gzpath, O_RDONLY);
		assert_int_equal(dbp_slurp_tail_gz_fd(fd, maxes[i], 1 << 30, &gbuf, &gtext), 0);
		assert_string_equal(gtext, text);
		free(buf);
		free(gbuf);
	}
	/* more than the budget decompresses */
	fd = open(gzpath, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_gz_fd(fd, 1000, n - 1, &gbuf, &gtext), -EFBIG);
	/* cut short: the whole lines before the cut */
	f = fopen(gzpath, "r+");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 20000), 0);
	fclose(f);
	fd = open(gzpath, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_gz_fd(fd, 1000, 1 << 30, &gbuf, &gtext), 0);
	assert_true(strlen(gtext) > 0 && strlen(gtext) <= 1000);
	assert_true(!strncmp(gtext, "line ", 5));
	assert_non_null(strstr(all, gtext));
	free(gbuf);
	/* not gzip at all: no text from it */
	f = fopen(gzpath, "w");
	assert_non_null(f);
	fputs("\x1f\x8b garbage that is no deflate stream", f);
	fclose(f);
	fd = open(gzpath, O_RDONLY);
	assert_int_equal(dbp_slurp_tail_gz_fd(fd, 1000, 1 << 30, &gbuf, &gtext), -EIO);
	unlink(gzpath);
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_plain_and_gzip),
		cmocka_unit_test(test_tail_from_a_whole_line),
		cmocka_unit_test(test_tail_reads_past_nul_bytes),
		cmocka_unit_test(test_gzip_bomb_stops_at_the_bound),
		cmocka_unit_test(test_gz_tail_is_the_plain_tail),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
