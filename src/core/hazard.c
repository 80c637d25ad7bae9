/*
 * hazard.c - the hazard state machine and its permission rules (see
 * hazard.h).  The transition table is the single statement of the
 * lifecycle in DESIGN.md §2; the unit test walks every cell of it.
 */
#include "hazard.h"

#include <string.h>

static const char *const STATUS_NAME[HS_COUNT] = {
	"open", "rectifying", "awaiting_acceptance", "awaiting_verification", "closed", "void",
};
static const char *const STATUS_LABEL[HS_COUNT] = {
	"待整改", "整改中", "待验收", "待核销", "已销号", "已作废",
};
static const char *const ACTION_NAME[HA_COUNT] = {
	"plan", "submit", "accept", "reject", "verify", "extend", "void",
};
static const char *const ACTION_LABEL[HA_COUNT] = {
	"制定整改方案", "提交验收", "验收通过", "退回整改", "审核核销", "延期", "作废",
};
static const char *const LEVEL_NAME[] = {"general", "major"};
static const char *const LEVEL_LABEL[] = {"一般隐患", "重大隐患"};
static const char *const CATEGORY_NAME[] = {"management", "site"};
static const char *const CATEGORY_LABEL[] = {"基础管理类", "现场管理类"};
static const char *const SOURCE_NAME[HSRC_COUNT] = {
	"self", "inspection", "supervision", "tip", "assigned", "lookback",
};
static const char *const SOURCE_LABEL[HSRC_COUNT] = {
	"企业自查", "部门检查", "督导检查", "群众举报查实", "上级交办", "回头看",
};

static int find(const char *const *names, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

#define NAME_OF(arr, i, n) ((i) >= 0 && (i) < (n) ? arr[i] : "")

enum hazard_status hazard_status_parse(const char *s) { return find(STATUS_NAME, HS_COUNT, s); }
const char *hazard_status_name(enum hazard_status s) { return NAME_OF(STATUS_NAME, s, HS_COUNT); }
const char *hazard_status_label(enum hazard_status s) { return NAME_OF(STATUS_LABEL, s, HS_COUNT); }
enum hazard_action hazard_action_parse(const char *s) { return find(ACTION_NAME, HA_COUNT, s); }
const char *hazard_action_name(enum hazard_action a) { return NAME_OF(ACTION_NAME, a, HA_COUNT); }
const char *hazard_action_label(enum hazard_action a) { return NAME_OF(ACTION_LABEL, a, HA_COUNT); }
enum hazard_level hazard_level_parse(const char *s) { return find(LEVEL_NAME, 2, s); }
const char *hazard_level_name(enum hazard_level l) { return NAME_OF(LEVEL_NAME, l, 2); }
const char *hazard_level_label(enum hazard_level l) { return NAME_OF(LEVEL_LABEL, l, 2); }
enum hazard_category hazard_category_parse(const char *s) { return find(CATEGORY_NAME, 2, s); }
const char *hazard_category_name(enum hazard_category c) { return NAME_OF(CATEGORY_NAME, c, 2); }
const char *hazard_category_label(enum hazard_category c) { return NAME_OF(CATEGORY_LABEL, c, 2); }
enum hazard_source hazard_source_parse(const char *s) { return find(SOURCE_NAME, HSRC_COUNT, s); }
const char *hazard_source_name(enum hazard_source s) { return NAME_OF(SOURCE_NAME, s, HSRC_COUNT); }
const char *hazard_source_label(enum hazard_source s) { return NAME_OF(SOURCE_LABEL, s, HSRC_COUNT); }

bool hazard_status_is_open(enum hazard_status s)
{
	return s == HS_OPEN || s == HS_RECTIFYING || s == HS_AWAITING_ACCEPTANCE ||
	       s == HS_AWAITING_VERIFICATION;
}

enum hazard_status hazard_next(enum hazard_status from, enum hazard_action a,
			       enum hazard_level level)
{
	switch (a) {
	case HA_PLAN:
		return from == HS_OPEN ? HS_RECTIFYING : HS_NONE;
	case HA_SUBMIT:
		return from == HS_RECTIFYING ? HS_AWAITING_ACCEPTANCE : HS_NONE;
	case HA_ACCEPT:
		if (from != HS_AWAITING_ACCEPTANCE)
			return HS_NONE;
		return level == HL_MAJOR ? HS_AWAITING_VERIFICATION : HS_CLOSED;
	case HA_REJECT:
		return from == HS_AWAITING_ACCEPTANCE || from == HS_AWAITING_VERIFICATION
			       ? HS_RECTIFYING : HS_NONE;
	case HA_VERIFY:
		return from == HS_AWAITING_VERIFICATION ? HS_CLOSED : HS_NONE;
	case HA_EXTEND:
		return from == HS_RECTIFYING ? HS_RECTIFYING : HS_NONE;
	case HA_VOID:
		return hazard_status_is_open(from) ? HS_VOID : HS_NONE;
	default:
		return HS_NONE;
	}
}

/* Who accepts: the department that found the hazard in its inspection,
 * otherwise the enterprise itself. */
static bool may_accept(const struct hazard_actor *w)
{
	if (w->dept_found)
		return w->role == ROLE_REGULATOR && w->found_by_dept;
	return w->role == ROLE_ENTERPRISE && w->own_enterprise;
}

bool hazard_may(const struct hazard_actor *w, enum hazard_action a, enum hazard_status status)
{
	bool enterprise = w->role == ROLE_ENTERPRISE && w->own_enterprise;
	bool regulator = w->role == ROLE_REGULATOR && (w->supervises || w->found_by_dept);
	switch (a) {
	case HA_PLAN:
	case HA_SUBMIT:
	case HA_EXTEND:
		return enterprise;
	case HA_ACCEPT:
		return may_accept(w);
	case HA_REJECT:
		if (status == HS_AWAITING_VERIFICATION)
			return w->role == ROLE_REGULATOR && w->supervises;
		return may_accept(w);
	case HA_VERIFY:
		return w->role == ROLE_REGULATOR && w->supervises;
	case HA_VOID:
		return regulator || (w->role == ROLE_OFFICE && w->office_covers);
	default:
		return false;
	}
}

bool hazard_overdue(enum hazard_status s, const char *deadline, const char *today)
{
	return hazard_status_is_open(s) && deadline && *deadline && strcmp(deadline, today) < 0;
}

const char *hazard_event_label(const char *event)
{
	static const char *const OTHER[][2] = {
		{"register", "登记"}, {"supervise", "挂牌督办"}, {"delist", "摘牌"}};
	int a = hazard_action_parse(event);
	if (a >= 0)
		return ACTION_LABEL[a];
	for (size_t i = 0; i < sizeof OTHER / sizeof OTHER[0]; i++)
		if (event && strcmp(event, OTHER[i][0]) == 0)
			return OTHER[i][1];
	return "";
}
