/* lib/timestamp.c: the times a DBA types (--at, --from, --to, --around). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "timestamp.h"

#define END 1795416001.0	/* 2026-11-23 06:40:01 UTC */

/* timegm would normalise 2026-02-30 to 03-02: an impossible date is refused */
static void test_impossible_dates_are_refused(void **state)
{
	double w;

	(void)state;
	assert_int_equal(dbp_timestamp_parse("2026-02-30 12:00:00", &w, NULL, NULL), -EINVAL);
	assert_int_equal(dbp_timestamp_parse("2026-04-31 00:00:00", &w, NULL, NULL), -EINVAL);
	assert_int_equal(dbp_timestamp_parse("2026-02-29 00:00:00", &w, NULL, NULL), -EINVAL);
	assert_int_equal(dbp_timestamp_parse("2100-02-29 00:00:00", &w, NULL, NULL), -EINVAL);
	assert_int_equal(dbp_timestamp_parse("2024-02-29 00:00:00", &w, NULL, NULL), 0);
	assert_int_equal(dbp_timestamp_parse("2000-02-29 00:00:00", &w, NULL, NULL), 0);
	assert_int_equal(dbp_timestamp_parse("2026-12-31 23:59:59", &w, NULL, NULL), 0);
}

static void test_relative_units_add_up(void **state)
{
	double s;

	(void)state;
	assert_int_equal(dbp_time_parse_relative("-5m", &s), 0);
	assert_true(s == 300);
	assert_int_equal(dbp_time_parse_relative("-1h30m", &s), 0);
	assert_true(s == 5400);
	assert_int_equal(dbp_time_parse_relative("-90", &s), 0);
	assert_true(s == 90);
	assert_int_equal(dbp_time_parse_relative("-2d", &s), 0);
	assert_true(s == 172800);
	assert_int_equal(dbp_time_parse_relative("-", &s), -EINVAL);
	assert_int_equal(dbp_time_parse_relative("5m", &s), -EINVAL);
	assert_int_equal(dbp_time_parse_relative("-5x", &s), -EINVAL);
	assert_int_equal(dbp_time_parse_relative("--5", &s), -EINVAL);
}

static void test_clock_is_the_last_day_or_the_one_before(void **state)
{
	double w;

	(void)state;
	assert_int_equal(dbp_time_parse_clock("06:40:00", END, &w), 0);
	assert_true(w == END - 1);
	/* later in the day than the end: yesterday */
	assert_int_equal(dbp_time_parse_clock("23:00", END, &w), 0);
	assert_true(w == 1795388400.0);	/* 2026-11-22 23:00:00 */
	assert_int_equal(dbp_time_parse_clock("24:00", END, &w), -EINVAL);
	assert_int_equal(dbp_time_parse_clock("6:4x", END, &w), -EINVAL);
}

/* A recording of 03:09 .. 03:59 on 2026-11-23: 04:00 is just after it, on
 * its day, not 04:00 of the day before; a recording across midnight
 * takes 23:30 on its first day and 00:30 on its second */
static void test_clock_is_within_the_recordings_days(void **state)
{
	const double d = 1795392000.0;	/* 2026-11-23 00:00:00 UTC */
	double w;

	(void)state;
	assert_int_equal(dbp_time_parse_in_span("04:00:00", d + 3 * 3600 + 540, d + 3 * 3600 + 3540, &w), 0);
	assert_true(w == d + 4 * 3600);
	assert_int_equal(dbp_time_parse_in_span("03:30", d + 3 * 3600 + 540, d + 3 * 3600 + 3540, &w), 0);
	assert_true(w == d + 3 * 3600 + 1800);
	assert_int_equal(dbp_time_parse_in_span("23:30", d - 3600, d + 3600, &w), 0);
	assert_true(w == d - 1800);
	assert_int_equal(dbp_time_parse_in_span("00:30", d - 3600, d + 3600, &w), 0);
	assert_true(w == d + 1800);
	/* what is not a clock time is read as dbp_time_parse_when reads it */
	assert_int_equal(dbp_time_parse_in_span("-30s", d, d + 3600, &w), 0);
	assert_true(w == d + 3570);
	assert_int_equal(dbp_time_parse_in_span("25:00", d, d + 3600, &w), -EINVAL);
}

static void test_when_takes_every_form(void **state)
{
	double w;

	(void)state;
	assert_int_equal(dbp_time_parse_when("2026-11-23 06:40:01", END, &w), 0);
	assert_true(w == END);
	assert_int_equal(dbp_time_parse_when("2026-11-23T07:40:01+01:00", END, &w), 0);
	assert_true(w == END);
	assert_int_equal(dbp_time_parse_when("1795416001", END, &w), 0);
	assert_true(w == END);
	assert_int_equal(dbp_time_parse_when("@1795416001.5", END, &w), 0);
	assert_true(w == END + 0.5);
	assert_int_equal(dbp_time_parse_when("-30s", END, &w), 0);
	assert_true(w == END - 30);
	assert_int_equal(dbp_time_parse_when("06:40:01", END, &w), 0);
	assert_true(w == END);
	assert_int_equal(dbp_time_parse_when("yesterday", END, &w), -EINVAL);
	assert_int_equal(dbp_time_parse_when("2026-11-23 06:40:01 CEST", END, &w), -EINVAL);
	assert_int_equal(dbp_time_parse_when("1e300", END, &w), -EINVAL);
}

static void test_format_is_utc(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(dbp_time_format(END, buf, sizeof(buf)), "2026-11-23 06:40:01");
}

/* Every format is UTC whatever TZ says, and a time that cannot be shown
 * is its number of seconds, never a string cut short or garbage. */
static void test_formats_ignore_tz(void **state)
{
	char buf[32], small[4];

	(void)state;
	setenv("TZ", "Asia/Kathmandu", 1);	/* +05:45 */
	tzset();
	assert_string_equal(dbp_time_format(END, buf, sizeof(buf)), "2026-11-23 06:40:01");
	assert_string_equal(dbp_time_clock(END + 0.9, buf, sizeof(buf)), "06:40:01");
	assert_string_equal(dbp_iso_time((time_t)END, buf, sizeof(buf)), "2026-11-23T06:40:01Z");
	assert_string_equal(dbp_time_utc(END, "%b%d", buf, sizeof(buf)), "Nov23");
	assert_string_equal(dbp_time_clock(1e16, buf, sizeof(buf)), "10000000000000000");
	dbp_time_clock(END, small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	unsetenv("TZ");
	tzset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_impossible_dates_are_refused),
		cmocka_unit_test(test_relative_units_add_up),
		cmocka_unit_test(test_clock_is_the_last_day_or_the_one_before),
		cmocka_unit_test(test_clock_is_within_the_recordings_days),
		cmocka_unit_test(test_when_takes_every_form),
		cmocka_unit_test(test_format_is_utc),
		cmocka_unit_test(test_formats_ignore_tz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
