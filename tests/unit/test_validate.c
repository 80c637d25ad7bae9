/*
 * test_validate.c - the domain's validation rules (core/validate.c) and
 * calendar arithmetic (core/date.c): password policy, credit codes,
 * region codes, phones, dates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/validate.h"

static void test_password_needs_length(void **state)
{
	(void)state;
	assert_false(password_acceptable("Ab1!xyz", NULL, 8));
	assert_true(password_acceptable("Ab1!xyzw", NULL, 8));
	assert_false(password_acceptable("Ab1!xyzw", NULL, 9));
}

static void test_password_needs_three_classes(void **state)
{
	(void)state;
	assert_false(password_acceptable("abcdefgh", NULL, 8));
	assert_false(password_acceptable("abcd1234", NULL, 8));
	assert_false(password_acceptable("ABCDefgh", NULL, 8));
	assert_true(password_acceptable("abcD1234", NULL, 8));
	assert_true(password_acceptable("abcd123!", NULL, 8));
	assert_true(password_acceptable("ABCD123!", NULL, 8));
	/* Chinese characters count as "other". */
	assert_true(password_acceptable("安全abc123", NULL, 8));
}

static void test_password_not_login_not_control_not_too_long(void **state)
{
	(void)state;
	assert_false(password_acceptable("Admin123!", "Admin123!", 8));
	assert_false(password_acceptable("Abc12345\x01", NULL, 8));
	char longpw[200];
	memset(longpw, 'a', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = 0;
	longpw[0] = 'A', longpw[1] = '1';
	assert_false(password_acceptable(longpw, NULL, 8));
	assert_false(password_acceptable(NULL, NULL, 8));
}

/* Check character computed here independently from GB 32100. */
static char check_char(const char *first17)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(alphabet, first17[i]) - alphabet) * w[i];
	return alphabet[(31 - sum % 31) % 31];
}

static void test_uscc_check_character(void **state)
{
	(void)state;
	const char *bodies[] = {"91350100M000100Y4", "91210323MA0Y7K2L3", "12100000400000624",
				"91110000600037341", "52210300MJ0000000"};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		char code[19];
		snprintf(code, sizeof code, "%s%c", bodies[i], check_char(bodies[i]));
		assert_true(uscc_valid(code));
		assert_int_equal(uscc_check_char(code), code[17]);
		/* Any single changed character breaks it. */
		for (int p = 0; p < 18; p++) {
			char bad[19];
			memcpy(bad, code, sizeof bad);
			bad[p] = bad[p] == '1' ? '2' : '1';
			assert_false(uscc_valid(bad));
		}
	}
	assert_true(uscc_valid("91350100M000100Y43"));
}

static void test_uscc_shape(void **state)
{
	(void)state;
	assert_false(uscc_valid("91350100m000100Y43"));	/* lower case */
	assert_false(uscc_valid("91350100M000100Y4"));	/* 17 characters */
	assert_false(uscc_valid("91350100M000100Y433"));
	assert_false(uscc_valid("9135010OM000100Y43"));	/* letter O */
	assert_false(uscc_valid("91350100I000100Y43"));	/* letter I */
	assert_false(uscc_valid(""));
	assert_false(uscc_valid(NULL));
	assert_int_equal(uscc_check_char("9135010SM000100Y4"), 0);
}

static void test_region_codes(void **state)
{
	(void)state;
	const char *good[] = {"21", "2103", "210323", "210323100", "210323100201"};
	for (size_t i = 0; i < 5; i++) {
		assert_true(region_code_valid(good[i]));
		assert_int_equal(region_level(good[i]), (int)i + 1);
	}
	const char *bad[] = {"2", "210", "21032", "2103231", "21a3", "00", "", "2103231000"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(region_code_valid(bad[i]));
	assert_int_equal(region_parent_len(2), 0);
	assert_int_equal(region_parent_len(4), 2);
	assert_int_equal(region_parent_len(6), 4);
	assert_int_equal(region_parent_len(9), 6);
	assert_int_equal(region_parent_len(12), 9);
	assert_true(region_in_subtree("210323100", "2103"));
	assert_true(region_in_subtree("2103", "2103"));
	assert_false(region_in_subtree("2104", "2103"));
}

static void test_phone_and_login_and_industry(void **state)
{
	(void)state;
	assert_true(phone_valid("13800000001"));
	assert_true(phone_valid("0412-7654321"));
	assert_false(phone_valid("23800000001x"));
	assert_false(phone_valid("12"));
	assert_false(phone_valid("-0412765432"));
	assert_true(login_valid("county_office"));
	assert_false(login_valid("ab"));
	assert_false(login_valid("张三"));
	assert_true(industry_code_valid("C"));
	assert_true(industry_code_valid("C26"));
	assert_true(industry_code_valid("C2614"));
	assert_true(industry_code_valid("2614"));
	assert_false(industry_code_valid("Z26"));
	assert_false(industry_code_valid("C2"));
	assert_false(industry_code_valid("C26145"));
	assert_false(industry_code_valid(""));
}

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("清零"), 2);
	assert_int_equal(utf8_length("\xff"), -1);
	assert_int_equal(utf8_length("\xe6\xb8"), -1);
}

static void test_dates(void **state)
{
	(void)state;
	int64_t d;
	assert_int_equal(date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("2000-03-01", &d), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	const char *bad[] = {"2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-01-01x",
			     "1899-12-31", "3000-01-01", "2024-04-31", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(date_parse(bad[i], &d), -1);
	assert_true(date_leap(2000));
	assert_false(date_leap(1900));
	assert_false(date_leap(2100));
	for (int64_t day = -700000; day < 400000; day += 37) {
		int y, m, dd;
		date_from_days(day, &y, &m, &dd);
		assert_true(date_valid(y, m, dd));
		assert_int_equal(date_to_days(y, m, dd), day);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_needs_length),
		cmocka_unit_test(test_password_needs_three_classes),
		cmocka_unit_test(test_password_not_login_not_control_not_too_long),
		cmocka_unit_test(test_uscc_check_character),
		cmocka_unit_test(test_uscc_shape),
		cmocka_unit_test(test_region_codes),
		cmocka_unit_test(test_phone_and_login_and_industry),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
