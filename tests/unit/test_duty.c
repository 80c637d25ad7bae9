/*
 * test_duty.c - enterprise duty windows and compliance (core/duty.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/duty.h"

static void test_windows(void **state)
{
	(void)state;
	static const struct {
		const char *period;
		bool high_risk;
		const char *ins_from, *ins_to, *drill_from, *drill_to;
	} cases[] = {
		{"2024-02", false, "2024-01-01", "2024-03-31", "2024-01-01", "2024-12-31"},
		{"2024-02", true, "2024-02-01", "2024-02-29", "2024-01-01", "2024-06-30"},
		{"2023-02", true, "2023-02-01", "2023-02-28", "2023-01-01", "2023-06-30"},
		{"2024-06", false, "2024-04-01", "2024-06-30", "2024-01-01", "2024-12-31"},
		{"2024-07", true, "2024-07-01", "2024-07-31", "2024-07-01", "2024-12-31"},
		{"2024-12", false, "2024-10-01", "2024-12-31", "2024-01-01", "2024-12-31"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct duty_window ins, drill, month;
		assert_int_equal(duty_windows(cases[i].period, cases[i].high_risk, &ins, &drill, &month), 0);
		assert_string_equal(ins.from, cases[i].ins_from);
		assert_string_equal(ins.to, cases[i].ins_to);
		assert_string_equal(drill.from, cases[i].drill_from);
		assert_string_equal(drill.to, cases[i].drill_to);
	}
	struct duty_window a, b, c;
	const char *bad[] = {"2024-13", "2024-00", "2024-1", "24-01", "2024/01", "2024-01x", "", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(duty_windows(bad[i], false, &a, &b, &c), -1);
}

static void test_pending_then_failed(void **state)
{
	(void)state;
	struct duty_window ins, drill, month;
	duty_windows("2024-04", false, &ins, &drill, &month);
	struct duty_counts c = {.duty_lists = 1, .safety_orgs = 1};
	struct duty_result r;
	/* mid-quarter, nothing done yet: still time */
	duty_evaluate(&c, &ins, &drill, "2024-04-20", &r);
	assert_int_equal(r.state[DUTY_LEADER_INSPECTION], DUTY_PENDING);
	assert_int_equal(r.state[DUTY_DRILL], DUTY_PENDING);
	assert_true(r.compliant);
	/* the last day of the quarter still counts */
	duty_evaluate(&c, &ins, &drill, "2024-06-30", &r);
	assert_int_equal(r.state[DUTY_LEADER_INSPECTION], DUTY_PENDING);
	/* the quarter is over: missed */
	duty_evaluate(&c, &ins, &drill, "2024-07-01", &r);
	assert_int_equal(r.state[DUTY_LEADER_INSPECTION], DUTY_FAILED);
	assert_int_equal(r.state[DUTY_DRILL], DUTY_PENDING);
	assert_false(r.compliant);
	c.leader_inspections = 1;
	duty_evaluate(&c, &ins, &drill, "2025-01-01", &r);
	assert_int_equal(r.state[DUTY_LEADER_INSPECTION], DUTY_OK);
	assert_int_equal(r.state[DUTY_DRILL], DUTY_FAILED);
	c.drills = 2;
	duty_evaluate(&c, &ins, &drill, "2025-01-01", &r);
	assert_true(r.compliant);
}

static void test_files_certificates_contracts(void **state)
{
	(void)state;
	struct duty_window ins, drill, month;
	duty_windows("2024-04", true, &ins, &drill, &month);
	struct duty_counts ok = {1, 1, 1, 1, 0, 0, 0};
	struct duty_result r;
	duty_evaluate(&ok, &ins, &drill, "2024-05-01", &r);
	assert_true(r.compliant);
	assert_false(r.warning);
	for (int k = 0; k < 4; k++) {
		struct duty_counts c = ok;
		int64_t *f[] = {&c.duty_lists, &c.safety_orgs, &c.certs_expired, &c.contracts_unsafe};
		*f[k] = k < 2 ? 0 : 1;
		duty_evaluate(&c, &ins, &drill, "2024-05-01", &r);
		assert_false(r.compliant);
		assert_int_equal(r.state[DUTY_DUTY_LIST + k], DUTY_FAILED);
	}
	struct duty_counts c = ok;
	c.certs_expiring = 3;
	duty_evaluate(&c, &ins, &drill, "2024-05-01", &r);
	assert_true(r.compliant);
	assert_true(r.warning);
}

static void test_judging_day_and_names(void **state)
{
	(void)state;
	struct duty_window ins, drill, month;
	duty_windows("2024-02", false, &ins, &drill, &month);
	char d[11];
	duty_judging_day(&month, "2024-02-10", d);
	assert_string_equal(d, "2024-02-10");
	duty_judging_day(&month, "2024-05-10", d);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(duty_kind_parse("drill"), DK_DRILL);
	assert_int_equal(duty_kind_parse("safety_org"), DK_SAFETY_ORG);
	assert_int_equal(duty_kind_parse("Drill"), -1);
	assert_int_equal(duty_kind_parse(NULL), -1);
	assert_string_equal(duty_check_name(DUTY_OUTSOURCING), "outsourcing");
	assert_non_null(strstr(duty_check_label(DUTY_LEADER_INSPECTION, true), "每月"));
	assert_non_null(strstr(duty_check_label(DUTY_LEADER_INSPECTION, false), "每季度"));
	assert_non_null(strstr(duty_check_label(DUTY_DRILL, true), "每半年"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_pending_then_failed),
		cmocka_unit_test(test_files_certificates_contracts),
		cmocka_unit_test(test_judging_day_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
