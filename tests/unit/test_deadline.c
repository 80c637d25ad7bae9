/*
 * test_deadline.c - deadline expressions of a schedule table
 * (core/deadline.c), table-driven.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/deadline.h"

static const struct {
	const char *text;
	enum deadline_kind kind;
	const char *due;
} CASES[] = {
	/* the expressions of seed 003 */
	{"2024年底", DL_DATE, "2024-12-31"},
	{"2024年底前", DL_DATE, "2024-12-31"},
	{"2025年", DL_DATE, "2025-12-31"},
	{"2026年底", DL_DATE, "2026-12-31"},
	{"3月30日前", DL_DATE, "2024-03-30"},
	{"各年度序时推动", DL_YEARLY, NULL},
	{"长期坚持", DL_NONE, NULL},
	/* variants people write */
	{" 2025年年底前。", DL_DATE, "2025-12-31"},
	{"2025年末", DL_DATE, "2025-12-31"},
	{"2025 年底以前", DL_DATE, "2025-12-31"},
	{"2025年6月", DL_DATE, "2025-06-30"},
	{"2024年2月底", DL_DATE, "2024-02-29"},
	{"2025年2月底前", DL_DATE, "2025-02-28"},
	{"2025年6月15日", DL_DATE, "2025-06-15"},
	{"2025年6月15号之前", DL_DATE, "2025-06-15"},
	{"2025-06-15", DL_DATE, "2025-06-15"},
	{"2025.6.5", DL_DATE, "2025-06-05"},
	{"2025/12/31", DL_DATE, "2025-12-31"},
	{"6月底", DL_DATE, "2024-06-30"},
	{"11月", DL_DATE, "2024-11-30"},
	{"2025年上半年", DL_DATE, "2025-06-30"},
	{"2025年下半年", DL_DATE, "2025-12-31"},
	{"2025年第一季度", DL_DATE, "2025-03-31"},
	{"2025年三季度", DL_DATE, "2025-09-30"},
	{"2025年第4季度前", DL_DATE, "2025-12-31"},
	{"每年", DL_YEARLY, NULL},
	{"持续推进", DL_NONE, NULL},
	{"", DL_EMPTY, NULL},
	{"  ", DL_EMPTY, NULL},
	/* never guessed */
	{"2024年底、2025年底", DL_UNPARSED, NULL},
	{"尽快", DL_UNPARSED, NULL},
	{"2025年13月", DL_UNPARSED, NULL},
	{"2025年2月30日", DL_UNPARSED, NULL},
	{"2月30日", DL_UNPARSED, NULL},
	{"2025年第五季度", DL_UNPARSED, NULL},
	{"25年底", DL_UNPARSED, NULL},
	{"2025年底完成验收", DL_UNPARSED, NULL},
	{"2025-13-01", DL_UNPARSED, NULL},
	{"《指南》出台后", DL_UNPARSED, NULL},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		struct deadline d;
		deadline_parse(CASES[i].text, 2024, &d);
		if (d.kind != CASES[i].kind)
			fail_msg("\"%s\": kind %d, want %d", CASES[i].text, d.kind, CASES[i].kind);
		if (CASES[i].due)
			assert_string_equal(d.due, CASES[i].due);
		else
			assert_string_equal(d.due, "");
	}
}

static void test_campaign_year_and_null(void **state)
{
	(void)state;
	struct deadline d;
	deadline_parse("3月30日前", 2026, &d);
	assert_int_equal(d.kind, DL_DATE);
	assert_string_equal(d.due, "2026-03-30");
	deadline_parse("2月29日", 2023, &d);
	assert_int_equal(d.kind, DL_UNPARSED);
	deadline_parse(NULL, 2024, &d);
	assert_int_equal(d.kind, DL_EMPTY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_campaign_year_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
