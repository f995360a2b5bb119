/* lib/sigset.c: masks, names, dispositions. */
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

#include "proctable.h"
#include "sigset.h"

static void test_mask_parse(void **state)
{
	uint64_t m = 0;

	(void)state;
	assert_int_equal(dbp_sigmask_parse("0000000000004000", &m), 0);
	assert_true(dbp_sigmask_has(m, SIGTERM));	/* bit 14 is signal 15 */
	assert_false(dbp_sigmask_has(m, SIGPIPE));
	assert_int_equal(dbp_sigmask_parse("fffffffe3fcffb07\nSigIgn: 0", &m), 0);
	assert_true(m == 0xfffffffe3fcffb07ULL);
	assert_int_equal(dbp_sigmask_parse("\t0000000000001000 ", &m), 0);
	assert_true(dbp_sigmask_has(m, SIGPIPE));
}

static void test_mask_parse_rejects_garbage(void **state)
{
	uint64_t m = 7;

	(void)state;
	assert_int_equal(dbp_sigmask_parse("", &m), -EINVAL);
	assert_int_equal(dbp_sigmask_parse("zz", &m), -EINVAL);
	assert_int_equal(dbp_sigmask_parse("00000000000040001", &m), -EINVAL);	/* 17 digits */
	assert_int_equal(dbp_sigmask_parse("0000x", &m), -EINVAL);
	assert_int_equal(dbp_sigmask_parse(NULL, &m), -EINVAL);
	assert_true(m == 7);
}

static void test_names(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(dbp_signal_name(SIGTERM, b, sizeof(b)), "SIGTERM");
	assert_string_equal(dbp_signal_name(SIGRTMIN + 2, b, sizeof(b)), "SIGRTMIN+2");
	assert_string_equal(dbp_signal_name(32, b, sizeof(b)), "SIG32");
}

static void test_parse_names_and_numbers(void **state)
{
	(void)state;
	assert_int_equal(dbp_signal_parse("TERM"), SIGTERM);
	assert_int_equal(dbp_signal_parse("SIGTERM"), SIGTERM);
	assert_int_equal(dbp_signal_parse("sigint"), SIGINT);
	assert_int_equal(dbp_signal_parse("15"), SIGTERM);
	assert_int_equal(dbp_signal_parse("RTMIN+2"), SIGRTMIN + 2);
	assert_int_equal(dbp_signal_parse("SIGRTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(dbp_signal_parse("0"), -EINVAL);
	assert_int_equal(dbp_signal_parse("65"), -EINVAL);
	assert_int_equal(dbp_signal_parse("FOO"), -EINVAL);
	assert_int_equal(dbp_signal_parse(""), -EINVAL);
	assert_int_equal(dbp_signal_parse("RTMIN+99"), -EINVAL);
}

/* found by fuzz/fuzz_signals: every name dbpod prints parses back */
static void test_every_printed_name_parses_back(void **state)
{
	char b[32];

	(void)state;
	for (int sig = 1; sig <= 64; sig++)
		assert_int_equal(dbp_signal_parse(dbp_signal_name(sig, b, sizeof(b))), sig);
	assert_int_equal(dbp_signal_parse("SIG33"), 33);
	assert_int_equal(dbp_signal_parse("SIG"), -EINVAL);
}

static void test_mask_names(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(dbp_sigmask_names(0, " ", b, sizeof(b)), "-");
	assert_string_equal(dbp_sigmask_names((1ULL << 12) | (1ULL << 14), ",", b, sizeof(b)),
			    "SIGPIPE,SIGTERM");
	/* a cut is marked, never mid-name */
	dbp_sigmask_names(~0ULL, " ", b, 20);
	assert_non_null(strstr(b, "..."));
}

static void test_disposition_order(void **state)
{
	struct dbp_sigmasks m;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(dbp_disposition(&m, 0, SIGTERM), DBP_DISP_UNKNOWN);
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_DEFAULT);
	m.blocked = 1ULL << 14;
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_BLOCKED);
	m.caught = 1ULL << 14;
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_CAUGHT);
	/* blocked beats ignored: the kernel never discards a blocked signal
	 * (tini with an inherited SIG_IGN still gets SIGTERM) */
	memset(&m, 0, sizeof(m));
	m.ignored = 1ULL << 14;
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_IGNORED);
	m.blocked = 1ULL << 14;
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_BLOCKED);
	m.blocked = 0;
	m.waiting = 2;		/* in sigtimedwait for it: real_blocked holds it */
	m.waited = 1ULL << 14;
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_BLOCKED);
	m.waiting = 1;		/* set not readable: taken as waited for */
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_WAITING);
	memset(&m, 0, sizeof(m));
	m.waiting = 1;
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_WAITING);
	m.waiting = 2;
	m.waited = 1ULL << 1;	/* SIGINT only */
	assert_int_equal(dbp_disposition(&m, 1, SIGTERM), DBP_DISP_DEFAULT);
	assert_int_equal(dbp_disposition(&m, 1, SIGINT), DBP_DISP_BLOCKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_parse),
		cmocka_unit_test(test_mask_parse_rejects_garbage),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse_names_and_numbers),
		cmocka_unit_test(test_every_printed_name_parses_back),
		cmocka_unit_test(test_mask_names),
		cmocka_unit_test(test_disposition_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
