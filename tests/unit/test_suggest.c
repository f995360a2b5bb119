/* lib/suggest.c: the names a typo most likely meant. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "suggest.h"

static void test_edit_distance_counts_swaps_as_one(void **state)
{
	(void)state;
	assert_int_equal(dbp_edit_distance("doctr", "doctor"), 1);
	/* two swaps: a-n and s-l */
	assert_int_equal(dbp_edit_distance("sigansl", "signals"), 2);
	assert_int_equal(dbp_edit_distance("fromat", "format"), 1);
	assert_int_equal(dbp_edit_distance("", "abc"), 3);
	assert_int_equal(dbp_edit_distance("same", "same"), 0);
	assert_int_equal(dbp_edit_distance("a-word-of-thirty-two-bytes-long!", "a"), (size_t)-1);
}

static void test_suggest_the_closest_names(void **state)
{
	static const char *const opts[] = { "format", "json", "no-color", "ignore", "root" };
	size_t dist[5];

	(void)state;
	assert_int_equal(dbp_suggest("formt", opts, 5, dist), 1);
	assert_int_equal(dist[0], 1);
	assert_true(dist[1] >= DBP_SUGGEST_MAX);
	/* the start of a name counts as one edit */
	assert_int_equal(dbp_suggest("no-c", opts, 5, dist), 1);
	assert_int_equal(dist[2], 1);
	/* nothing near */
	assert_true(dbp_suggest("verbose", opts, 5, dist) >= DBP_SUGGEST_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_distance_counts_swaps_as_one),
		cmocka_unit_test(test_suggest_the_closest_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
