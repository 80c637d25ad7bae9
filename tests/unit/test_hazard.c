/*
 * test_hazard.c - the hazard state machine of core/hazard.c as a table:
 * every (status, action, level) cell and every (status, action, actor)
 * cell is checked against the lifecycle of DESIGN.md §2, written out here
 * independently of the implementation's table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/hazard.h"

/* Expected next status, by the lifecycle (HS_NONE: 409). */
static enum hazard_status expected_next(enum hazard_status s, enum hazard_action a,
					enum hazard_level l)
{
	bool open = s == HS_OPEN || s == HS_RECTIFYING || s == HS_AWAITING_ACCEPTANCE ||
		    s == HS_AWAITING_VERIFICATION;
	if (a == HA_PLAN && s == HS_OPEN)
		return HS_RECTIFYING;
	if (a == HA_SUBMIT && s == HS_RECTIFYING)
		return HS_AWAITING_ACCEPTANCE;
	if (a == HA_ACCEPT && s == HS_AWAITING_ACCEPTANCE)
		return l == HL_MAJOR ? HS_AWAITING_VERIFICATION : HS_CLOSED;
	if (a == HA_REJECT && (s == HS_AWAITING_ACCEPTANCE || s == HS_AWAITING_VERIFICATION))
		return HS_RECTIFYING;
	if (a == HA_VERIFY && s == HS_AWAITING_VERIFICATION)
		return HS_CLOSED;
	if (a == HA_EXTEND && s == HS_RECTIFYING)
		return HS_RECTIFYING;
	if (a == HA_VOID && open)
		return HS_VOID;
	return HS_NONE;
}

static void test_every_transition_cell(void **state)
{
	(void)state;
	int allowed = 0;
	for (int s = 0; s < HS_COUNT; s++)
		for (int a = 0; a < HA_COUNT; a++)
			for (int l = HL_GENERAL; l <= HL_MAJOR; l++) {
				enum hazard_status want = expected_next(s, a, l);
				enum hazard_status got = hazard_next(s, a, l);
				if (want != got)
					fail_msg("status %s action %s level %s: want %d got %d",
						 hazard_status_name(s), hazard_action_name(a),
						 hazard_level_name(l), want, got);
				allowed += got != HS_NONE;
			}
	/* Per level: plan 1, submit 1, accept 1, reject 2, verify 1, extend 1,
	 * void 4 (the open statuses) = 11 allowed cells. */
	assert_int_equal(allowed, 22);
}

static void test_closed_and_void_are_final(void **state)
{
	(void)state;
	for (int a = 0; a < HA_COUNT; a++) {
		assert_int_equal(hazard_next(HS_CLOSED, a, HL_MAJOR), HS_NONE);
		assert_int_equal(hazard_next(HS_VOID, a, HL_GENERAL), HS_NONE);
	}
}

static void test_major_needs_verification(void **state)
{
	(void)state;
	assert_int_equal(hazard_next(HS_AWAITING_ACCEPTANCE, HA_ACCEPT, HL_MAJOR),
			 HS_AWAITING_VERIFICATION);
	assert_int_equal(hazard_next(HS_AWAITING_ACCEPTANCE, HA_ACCEPT, HL_GENERAL), HS_CLOSED);
	assert_int_equal(hazard_next(HS_AWAITING_ACCEPTANCE, HA_VERIFY, HL_MAJOR), HS_NONE);
}

/* The actors of the permission table. */
enum actor_kind {
	A_OWN_ENTERPRISE,	/* enterprise user of the hazard's enterprise */
	A_OTHER_ENTERPRISE,	/* enterprise user of another enterprise */
	A_SUPERVISING_REG,	/* regulator supervising the enterprise */
	A_FINDING_REG,		/* regulator that found it and supervises */
	A_OFFICE,		/* office over the region */
	A_EXPERT,
	A_SYSADMIN,
	A_COUNT
};

static struct hazard_actor make_actor(enum actor_kind k, bool dept_found)
{
	struct hazard_actor w = {0};
	w.dept_found = dept_found;
	switch (k) {
	case A_OWN_ENTERPRISE: w.role = ROLE_ENTERPRISE; w.own_enterprise = true; break;
	case A_OTHER_ENTERPRISE: w.role = ROLE_ENTERPRISE; break;
	case A_SUPERVISING_REG: w.role = ROLE_REGULATOR; w.supervises = true; break;
	case A_FINDING_REG:
		w.role = ROLE_REGULATOR;
		w.supervises = true;
		w.found_by_dept = dept_found;
		break;
	case A_OFFICE: w.role = ROLE_OFFICE; w.office_covers = true; break;
	case A_EXPERT: w.role = ROLE_EXPERT; break;
	case A_SYSADMIN: w.role = ROLE_SYSADMIN; break;
	default: break;
	}
	return w;
}

/* Who may act, by the rules of the issue: enterprise plans/submits/extends;
 * the finder accepts/rejects (the enterprise when it found it itself); a
 * supervising department verifies and may reject at verification; void by
 * a department or an office. */
static bool expected_may(enum actor_kind k, enum hazard_action a, enum hazard_status s,
			 bool dept_found)
{
	switch (a) {
	case HA_PLAN:
	case HA_SUBMIT:
	case HA_EXTEND:
		return k == A_OWN_ENTERPRISE;
	case HA_ACCEPT:
		return dept_found ? k == A_FINDING_REG : k == A_OWN_ENTERPRISE;
	case HA_REJECT:
		if (s == HS_AWAITING_VERIFICATION)
			return k == A_SUPERVISING_REG || k == A_FINDING_REG;
		return dept_found ? k == A_FINDING_REG : k == A_OWN_ENTERPRISE;
	case HA_VERIFY:
		return k == A_SUPERVISING_REG || k == A_FINDING_REG;
	case HA_VOID:
		return k == A_SUPERVISING_REG || k == A_FINDING_REG || k == A_OFFICE;
	default:
		return false;
	}
}

static void test_every_permission_cell(void **state)
{
	(void)state;
	int checked = 0;
	for (int found = 0; found <= 1; found++)
		for (int k = 0; k < A_COUNT; k++)
			for (int s = 0; s < HS_COUNT; s++)
				for (int a = 0; a < HA_COUNT; a++) {
					struct hazard_actor w = make_actor(k, found);
					bool want = expected_may(k, a, s, found);
					bool got = hazard_may(&w, a, s);
					if (want != got)
						fail_msg("actor %d action %s status %s dept_found %d: want %d got %d",
							 k, hazard_action_name(a), hazard_status_name(s),
							 found, want, got);
					checked++;
				}
	assert_int_equal(checked, 2 * A_COUNT * HS_COUNT * HA_COUNT);
}

static void test_enterprise_cannot_verify_its_own_major_hazard(void **state)
{
	(void)state;
	struct hazard_actor w = make_actor(A_OWN_ENTERPRISE, false);
	assert_false(hazard_may(&w, HA_VERIFY, HS_AWAITING_VERIFICATION));
}

static void test_overdue(void **state)
{
	(void)state;
	assert_true(hazard_overdue(HS_RECTIFYING, "2026-03-01", "2026-03-02"));
	assert_false(hazard_overdue(HS_RECTIFYING, "2026-03-02", "2026-03-02"));
	assert_false(hazard_overdue(HS_CLOSED, "2026-03-01", "2026-03-02"));
	assert_false(hazard_overdue(HS_VOID, "2026-03-01", "2026-03-02"));
	assert_false(hazard_overdue(HS_OPEN, NULL, "2026-03-02"));
	assert_true(hazard_overdue(HS_AWAITING_VERIFICATION, "2025-12-31", "2026-01-01"));
}

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < HS_COUNT; s++) {
		assert_int_equal(hazard_status_parse(hazard_status_name(s)), s);
		assert_true(strlen(hazard_status_label(s)) > 0);
	}
	for (int a = 0; a < HA_COUNT; a++)
		assert_int_equal(hazard_action_parse(hazard_action_name(a)), a);
	for (int x = 0; x < HSRC_COUNT; x++)
		assert_int_equal(hazard_source_parse(hazard_source_name(x)), x);
	assert_int_equal(hazard_status_parse("closedx"), HS_NONE);
	assert_int_equal(hazard_level_parse("Major"), HL_NONE);
	assert_int_equal(hazard_category_parse("site"), HC_SITE);
	assert_string_equal(hazard_event_label("register"), "登记");
	assert_string_equal(hazard_event_label("verify"), "审核核销");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_transition_cell),
		cmocka_unit_test(test_closed_and_void_are_final),
		cmocka_unit_test(test_major_needs_verification),
		cmocka_unit_test(test_every_permission_cell),
		cmocka_unit_test(test_enterprise_cannot_verify_its_own_major_hazard),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
