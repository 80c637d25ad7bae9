/*
 * test_risk.c - LEC bands at their thresholds and the 5×5 matrix
 * (core/risk.c), table-driven.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/risk.h"

static void test_lec_thresholds(void **state)
{
	(void)state;
	static const struct {
		int l10, e10, c10;
		int64_t d100;
		enum risk_level level;
	} CASES[] = {
		{100, 100, 1000, 1000000, RL_MAJOR}, /* 10 × 10 × 100 = 1000 */
		{60, 60, 150, 54000, RL_MAJOR},	     /* 6 × 6 × 15 = 540 */
		{30, 60, 400, 72000, RL_MAJOR},	     /* 720 */
		{10, 100, 400, 40000, RL_MAJOR},     /* 400 */
		{30, 100, 70, 21000, RL_LARGER},     /* 210 */
		{10, 20, 1000, 20000, RL_LARGER},    /* 200 */
		{60, 60, 30, 10800, RL_GENERAL},     /* 108 */
		{10, 60, 150, 9000, RL_GENERAL},     /* 90 */
		{30, 60, 30, 5400, RL_LOW},	     /* 54 */
		{10, 60, 30, 1800, RL_LOW},	     /* 18 */
		{1, 5, 10, 5, RL_LOW},		     /* 0.1 × 0.5 × 1 = 0.05 */
		{5, 30, 10, 150, RL_LOW},	     /* 1.5 */
	};
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		int64_t d = risk_lec_d100(CASES[i].l10, CASES[i].e10, CASES[i].c10);
		assert_int_equal(d, CASES[i].d100);
		assert_int_equal(risk_lec_level(d), CASES[i].level);
	}
	/* the boundaries themselves: 320 is orange, 160 orange, 70 yellow */
	assert_int_equal(risk_lec_level(32000), RL_LARGER);
	assert_int_equal(risk_lec_level(32001), RL_MAJOR);
	assert_int_equal(risk_lec_level(16000), RL_LARGER);
	assert_int_equal(risk_lec_level(15999), RL_GENERAL);
	assert_int_equal(risk_lec_level(7000), RL_GENERAL);
	assert_int_equal(risk_lec_level(6999), RL_LOW);
	assert_non_null(strstr(risk_lec_band(2000), "一般危险"));
	assert_non_null(strstr(risk_lec_band(1999), "稍有危险"));
	assert_non_null(strstr(risk_lec_band(32001), "极其危险"));
}

static void test_scales(void **state)
{
	(void)state;
	assert_true(risk_on_scale(RISK_L, RISK_NL, 5));
	assert_false(risk_on_scale(RISK_L, RISK_NL, 4));
	assert_true(risk_on_scale(RISK_E, RISK_NE, 20));
	assert_false(risk_on_scale(RISK_E, RISK_NE, 1));
	assert_true(risk_on_scale(RISK_C, RISK_NC, 1000));
	assert_false(risk_on_scale(RISK_C, RISK_NC, 100));
	assert_int_equal(RISK_NL, 7);
	assert_int_equal(RISK_NE, 6);
	assert_int_equal(RISK_NC, 6);
}

static void test_matrix(void **state)
{
	(void)state;
	const struct risk_matrix *m = &RISK_MATRIX_DEFAULT;
	assert_int_equal(risk_matrix_check(m), 0);
	assert_int_equal(risk_matrix_level(m, 5, 5), RL_MAJOR);
	assert_int_equal(risk_matrix_level(m, 5, 4), RL_MAJOR);
	assert_int_equal(risk_matrix_level(m, 3, 5), RL_LARGER); /* 15 */
	assert_int_equal(risk_matrix_level(m, 4, 3), RL_LARGER); /* 12 */
	assert_int_equal(risk_matrix_level(m, 2, 5), RL_GENERAL); /* 10 */
	assert_int_equal(risk_matrix_level(m, 2, 3), RL_GENERAL); /* 6 */
	assert_int_equal(risk_matrix_level(m, 1, 5), RL_LOW);	  /* 5 */
	assert_int_equal(risk_matrix_level(m, 1, 1), RL_LOW);
	assert_int_equal(risk_matrix_level(m, 0, 3), RL_NONE);
	assert_int_equal(risk_matrix_level(m, 3, 6), RL_NONE);
	struct risk_matrix strict = {16, 9, 4};
	assert_int_equal(risk_matrix_check(&strict), 0);
	assert_int_equal(risk_matrix_level(&strict, 4, 4), RL_MAJOR);
	assert_int_equal(risk_matrix_level(&strict, 3, 3), RL_LARGER);
	assert_int_equal(risk_matrix_level(&strict, 2, 2), RL_GENERAL);
	struct risk_matrix bad[] = {{12, 12, 6}, {20, 12, 0}, {26, 12, 6}, {6, 12, 20}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(risk_matrix_check(&bad[i]), -1);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(risk_level_colour(RL_MAJOR), "red");
	assert_string_equal(risk_level_colour(RL_LOW), "blue");
	assert_string_equal(risk_level_label(RL_LARGER), "较大风险");
	assert_int_equal(risk_level_parse("general"), RL_GENERAL);
	assert_int_equal(risk_level_parse("high"), RL_NONE);
	assert_int_equal(risk_control_parse("team"), 2);
	assert_int_equal(risk_control_parse("班组"), -1);
	assert_string_equal(risk_control_label(3), "岗位级");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lec_thresholds),
		cmocka_unit_test(test_scales),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
