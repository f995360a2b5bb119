/* lib/pgcontrol.c and lib/pgcontrolread.c: a real PostgreSQL 15
 * pg_control (tests/fixtures/pgcontrol/SOURCE says what pg_controldata
 * read in it), copies of it changed on purpose, WAL segment names, and a
 * data directory's pg_control and pg_wal read as a server leaves them. */
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

#include "dbperror.h"
#include "pgcontrol.h"
#include "pgcontrolread.h"

#define SEG (16u * 1024 * 1024)

static unsigned char real[8192];
static size_t real_len;

static int load(void **state)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fixtures/pgcontrol/pg15-in-production",
		 top ? top : ".");
	f = fopen(path, "rb");
	assert_non_null(f);
	real_len = fread(real, 1, sizeof(real), f);
	fclose(f);
	assert_int_equal(real_len, 8192);
	return 0;
}

/* a copy with a u32 changed at off, its CRC made right again (or not) */
static void changed(unsigned char *out, size_t off, uint32_t v, int fix_crc)
{
	uint32_t crc;

	memcpy(out, real, real_len);
	memcpy(out + off, &v, sizeof(v));
	if (fix_crc) {
		crc = dbp_crc32c(out, DBP_PGCONTROL_CRC_AT);
		memcpy(out + DBP_PGCONTROL_CRC_AT, &crc, sizeof(crc));
	}
}

/* What pg_controldata said of the file, field by field */
static void test_the_fields_pg_controldata_shows(void **state)
{
	struct dbp_pgcontrol c;
	char why[160];

	(void)state;
	assert_int_equal(dbp_pgcontrol_parse(real, real_len, &c, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(c.version, 1300);
	assert_int_equal(c.catversion, 202209061);
	assert_true(c.system_identifier == 7716511829001644912ull);
	assert_int_equal(c.state, DBP_PG_IN_PRODUCTION);
	assert_string_equal(dbp_pgcontrol_state_name(c.state), "in production");
	/* Mon Dec  7 10:49:58 2026 UTC */
	assert_int_equal(c.time, 1796640598);
	assert_true(c.checkpoint == 0x47A0A20);
	assert_true(c.redo == 0x4168640);
	assert_int_equal(c.timeline, 1);
	assert_int_equal(c.blcksz, 8192);
	assert_int_equal(c.xlog_blcksz, 8192);
	assert_int_equal(c.xlog_seg_size, SEG);
}

/* A layout dbpod has not checked is refused, not read at PG 15's
 * offsets: PostgreSQL 17's 1700, 12's 1201 */
static void test_another_version_is_refused(void **state)
{
	unsigned char buf[8192];
	struct dbp_pgcontrol c;
	char why[160];

	(void)state;
	changed(buf, 8, 1700, 1);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), -ENOTSUP);
	assert_non_null(strstr(why, "pg_control_version 1700, a layout dbpod does not know"));
	assert_true(c.redo == 0);
	changed(buf, 8, 1201, 1);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), -ENOTSUP);
	/* 1300 with its bytes the other way round: another machine's file */
	changed(buf, 8, 0x14050000, 1);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "written by a machine of the other byte order");
}

/* A torn or changed file: the CRC catches it, as it does for the server */
static void test_damage_is_refused(void **state)
{
	unsigned char buf[8192];
	struct dbp_pgcontrol c;
	char why[160];

	(void)state;
	/* the redo pointer changed, the CRC not */
	changed(buf, 40, 0x9999999, 0);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), -EBADMSG);
	assert_string_equal(why, "its CRC does not match its contents");
	assert_true(c.redo == 0);
	/* cut short */
	assert_int_equal(dbp_pgcontrol_parse(real, 200, &c, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "200 bytes, too short"));
	assert_int_equal(dbp_pgcontrol_parse(real, 4, &c, why, sizeof(why)), -EINVAL);
	assert_int_equal(dbp_pgcontrol_parse(real, 0, &c, NULL, 0), -EINVAL);
	/* a 32-bit build's file: maxAlign 4 (CRC right) */
	changed(buf, 204, 4, 1);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "maxAlign 4"));
	/* a segment size no build has */
	changed(buf, 228, 3000000, 1);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), -EINVAL);
	/* and with the CRC right again the same change is read */
	changed(buf, 40, 0x9999999, 1);
	assert_int_equal(dbp_pgcontrol_parse(buf, real_len, &c, why, sizeof(why)), 0);
	assert_true(c.redo == 0x9999999);
}

static void test_wal_segment_names(void **state)
{
	uint32_t tli;
	uint64_t start;

	(void)state;
	assert_int_equal(dbp_pg_walname_parse("000000010000000000000004", SEG, &tli, &start), 0);
	assert_int_equal(tli, 1);
	assert_true(start == 0x4000000);
	/* the first number counts 4 GB, 256 segments of 16 MB */
	assert_int_equal(dbp_pg_walname_parse("0000000200000003000000FF", SEG, &tli, &start), 0);
	assert_int_equal(tli, 2);
	assert_true(start == (3ull * 256 + 255) * SEG);
	/* 1 GB segments: four per 4 GB */
	assert_int_equal(dbp_pg_walname_parse("000000010000000100000003", 1024u * 1024 * 1024,
					      &tli, &start), 0);
	assert_true(start == 7ull * 1024 * 1024 * 1024);
	/* what pg_wal holds besides segments, and names no server writes */
	assert_int_equal(dbp_pg_walname_parse("000000010000000000000100", SEG, &tli, &start), -EINVAL);
	assert_int_equal(dbp_pg_walname_parse("000000010000000000000004.partial", SEG, &tli, &start),
			 -EINVAL);
	assert_int_equal(dbp_pg_walname_parse("00000002.history", SEG, &tli, &start), -EINVAL);
	assert_int_equal(dbp_pg_walname_parse("00000001000000000000000g", SEG, &tli, &start), -EINVAL);
	assert_int_equal(dbp_pg_walname_parse("archive_status", SEG, &tli, &start), -EINVAL);
	assert_int_equal(dbp_pg_walname_parse("000000010000000000000004", 3000, &tli, &start), -EINVAL);
}

static void put(const char *dir, const char *name, const void *data, size_t len, time_t mtime)
{
	char path[4096];
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	if (len)
		assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
}

/* A 16 MB segment (sparse) at start whose first written pages carry
 * their own addresses, and whose pages after them carry an older life's
 * (old != 0: recycled from there) or none (zeros) */
static void segment(const char *dir, const char *name, uint64_t start, uint32_t written,
		    uint64_t old, time_t mtime)
{
	char path[4096];
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	unsigned char hdr[16];
	uint16_t magic = 0xD110;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, SEG), 0);
	for (uint32_t p = 0; p < SEG / 8192; p++) {
		uint64_t addr = p < written ? start + (uint64_t)p * 8192 :
				old ? old + (uint64_t)p * 8192 : 0;

		if (!addr && p >= written)
			continue;
		memset(hdr, 0, sizeof(hdr));
		memcpy(hdr, &magic, sizeof(magic));
		memcpy(hdr + 8, &addr, sizeof(addr));
		assert_int_equal(pwrite(fd, hdr, sizeof(hdr), (off_t)p * 8192), (ssize_t)sizeof(hdr));
	}
	assert_int_equal(futimens(fd, ts), 0);
	close(fd);
}

/* A data directory as the fixture's server left it: pg_wal's segment
 * 4 written last, 5 to 7 recycled under names ahead of it with their old
 * mtimes, 8 the newest name of all but older still; the end of WAL lies in
 * segment 4 */
static void test_a_data_directory(void **state)
{
	char dir[] = "/tmp/dbpod-pgcontrol.XXXXXX", sub[1024], link[4096];
	struct dbp_pg_recovery_input in;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/global", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put(sub, "pg_control", real, real_len, 1796640598);
	snprintf(sub, sizeof(sub), "%s/pg_wal", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	put(sub, "000000010000000000000004", "x", 1, 1796640600);
	put(sub, "000000010000000000000005", "x", 1, 1796640590);
	put(sub, "000000010000000000000006", "x", 1, 1796640591);
	put(sub, "000000010000000000000008", "x", 1, 1796640100);
	/* not segments: newer, and not counted */
	put(sub, "000000010000000000000009.partial", "x", 1, 1796649999);
	put(sub, "00000002.history", "x", 1, 1796649999);
	snprintf(link, sizeof(link), "%s/archive_status", sub);
	assert_int_equal(mkdir(link, 0700), 0);

	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.control_read, 1);
	assert_string_equal(in.datadir, dir);
	assert_true(in.control.redo == 0x4168640);
	assert_int_equal(in.wal_read, 1);
	assert_int_equal(in.wal_segments, 4);
	assert_string_equal(in.wal_newest, "000000010000000000000004");
	assert_true(in.wal_newest_start == 0x4000000);
	/* a segment of one byte is no segment to look into: its bounds */
	assert_int_equal(in.wal_pages, 0);
	assert_true(in.wal_end_min == 0x4000000);
	assert_true(in.wal_end_max == 0x5000000);

	/* segment 4 as the server writes it: 100 pages of its current life,
	 * then zeros; the end of WAL lies in page 99 */
	segment(sub, "000000010000000000000004", 0x4000000, 100, 0, 1796640600);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.wal_pages, 1);
	assert_true(in.wal_end_min == 0x4000000 + 99 * 8192);
	assert_true(in.wal_end_max == 0x4000000 + 100 * 8192);
	/* recycled from segment 1: its pages after the 300 written now
	 * carry their old life's addresses */
	segment(sub, "000000010000000000000004", 0x4000000, 300, 0x1000000, 1796640600);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_true(in.wal_end_min == 0x4000000 + 299 * 8192);
	/* every page written: the end is in the last */
	segment(sub, "000000010000000000000004", 0x4000000, 2048, 0, 1796640600);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_true(in.wal_end_max == 0x5000000);
	assert_true(in.wal_end_min == 0x5000000 - 8192);
	/* its first page not its own (a segment renamed in, not yet
	 * written): the segment's bounds */
	segment(sub, "000000010000000000000004", 0x4000000, 0, 0x1000000, 1796640600);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.wal_pages, 0);
	assert_true(in.wal_end_min == 0x4000000);
	assert_true(in.wal_end_max == 0x5000000);

	/* a page header: its magic and its own address */
	{
		unsigned char hdr[16] = { 0x10, 0xD1 };
		uint64_t addr = 0x4002000;

		memcpy(hdr + 8, &addr, sizeof(addr));
		assert_true(dbp_pg_walpage_is(hdr, 0x4002000));
		assert_false(dbp_pg_walpage_is(hdr, 0x4004000));
		hdr[1] = 0;
		assert_false(dbp_pg_walpage_is(hdr, 0x4002000));
	}
	/* an empty pg_wal: the end of WAL is not known, pg_control still read */
	snprintf(link, sizeof(link), "%s/000000010000000000000004", sub);
	unlink(link);
	snprintf(link, sizeof(link), "%s/000000010000000000000005", sub);
	unlink(link);
	snprintf(link, sizeof(link), "%s/000000010000000000000006", sub);
	unlink(link);
	snprintf(link, sizeof(link), "%s/000000010000000000000008", sub);
	unlink(link);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.control_read, 1);
	assert_int_equal(in.wal_read, 0);
	assert_int_equal(in.wal_err, -ENOENT);

	/* pg_control a link the database's user planted: not followed */
	snprintf(sub, sizeof(sub), "%s/global/pg_control", dir);
	unlink(sub);
	assert_int_equal(symlink("/etc/passwd", sub), 0);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.control_read, 0);
	assert_int_equal(in.control_err, -ELOOP);
	/* a FIFO: not waited on */
	unlink(sub);
	assert_int_equal(mkfifo(sub, 0600), 0);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.control_err, -DBP_ENOTREG);
	/* none at all */
	unlink(sub);
	assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
	assert_int_equal(in.control_err, -ENOENT);
	/* a refused file says why */
	{
		unsigned char buf[8192];

		changed(buf, 8, 1700, 1);
		snprintf(sub, sizeof(sub), "%s/global", dir);
		put(sub, "pg_control", buf, real_len, 1796640598);
		assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
		assert_int_equal(in.control_err, -ENOTSUP);
		assert_non_null(strstr(in.control_why, "pg_control_version 1700"));
		assert_int_equal(in.wal_read, 0);
		/* damaged: read again, then said */
		changed(buf, 40, 0x9999999, 0);
		put(sub, "pg_control", buf, real_len, 1796640598);
		assert_int_equal(dbp_pg_recovery_read(NULL, dir, &in), 0);
		assert_int_equal(in.control_err, -EBADMSG);
		assert_string_equal(in.control_why, "its CRC does not match its contents");
	}
	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	rc = system(sub);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_fields_pg_controldata_shows),
		cmocka_unit_test(test_another_version_is_refused),
		cmocka_unit_test(test_damage_is_refused),
		cmocka_unit_test(test_wal_segment_names),
		cmocka_unit_test(test_a_data_directory),
	};

	return cmocka_run_group_tests(tests, load, NULL);
}
