/* lib/grow.c: an array's room grown by doubling. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "grow.h"

static void test_first_room_is_eight(void **state)
{
	int *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(dbp_grow((void **)&a, &cap, 1, sizeof(*a)), 0);
	assert_non_null(a);
	assert_int_equal(cap, 8);
	a[7] = 7;
	free(a);
}

static void test_room_enough_is_left_alone(void **state)
{
	int *a = NULL, *was;
	size_t cap = 0;

	(void)state;
	assert_int_equal(dbp_grow((void **)&a, &cap, 8, sizeof(*a)), 0);
	was = a;
	assert_int_equal(dbp_grow((void **)&a, &cap, 8, sizeof(*a)), 0);
	assert_ptr_equal(a, was);
	assert_int_equal(cap, 8);
	free(a);
}

/* a push at a time keeps what was pushed and reallocs only at each
 * power of two */
static void test_push_at_a_time_doubles(void **state)
{
	size_t *a = NULL, cap = 0, grown = 0, was = 0;

	(void)state;
	for (size_t n = 0; n < 10000; n++) {
		assert_int_equal(dbp_grow((void **)&a, &cap, n + 1, sizeof(*a)), 0);
		if (cap != was) {
			grown++;
			was = cap;
		}
		a[n] = n;
	}
	assert_int_equal(cap, 16384);
	assert_int_equal(grown, 12);	/* 8, 16, ..., 16384 */
	for (size_t n = 0; n < 10000; n++)
		assert_int_equal(a[n], n);
	free(a);
}

/* a need past the doubled room is met at once */
static void test_big_need_met_at_once(void **state)
{
	char *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(dbp_grow((void **)&a, &cap, 1000, 1), 0);
	assert_true(cap >= 1000);
	a[999] = 'x';
	free(a);
}

/* a size that overflows is refused, the array untouched */
static void test_overflow_refused(void **state)
{
	int *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(dbp_grow((void **)&a, &cap, 4, sizeof(*a)), 0);
	a[0] = 42;
	assert_int_equal(dbp_grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a)), -ENOMEM);
	assert_int_equal(dbp_grow((void **)&a, &cap, SIZE_MAX / 2 + 1, 2), -ENOMEM);
	assert_int_equal(cap, 8);
	assert_int_equal(a[0], 42);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_room_is_eight),
		cmocka_unit_test(test_room_enough_is_left_alone),
		cmocka_unit_test(test_push_at_a_time_doubles),
		cmocka_unit_test(test_big_need_met_at_once),
		cmocka_unit_test(test_overflow_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
