/*
 * duty.c - enterprise duties and their compliance (see duty.h).
 */
#include "duty.h"
#include "date.h"

#include <stdio.h>
#include <string.h>

static void set(struct duty_window *w, int y, int m0, int m1)
{
	char t[48];
	snprintf(t, sizeof t, "%04d-%02d-01", y, m0);
	memcpy(w->from, t, sizeof w->from - 1);
	snprintf(t, sizeof t, "%04d-%02d-%02d", y, m1, date_days_in_month(y, m1));
	memcpy(w->to, t, sizeof w->to - 1);
	w->from[10] = w->to[10] = 0;
}

int duty_windows(const char *period, bool high_risk, struct duty_window *inspection,
		 struct duty_window *drill, struct duty_window *month)
{
	int y, m;
	char tail;
	if (!period || strlen(period) != 7 || sscanf(period, "%4d-%2d%c", &y, &m, &tail) != 2 ||
	    period[4] != '-' || y < 1900 || y > 2999 || m < 1 || m > 12)
		return -1;
	set(month, y, m, m);
	int q0 = (m - 1) / 3 * 3 + 1, h0 = m <= 6 ? 1 : 7;
	if (high_risk) {
		set(inspection, y, m, m);
		set(drill, y, h0, h0 + 5);
	} else {
		set(inspection, y, q0, q0 + 2);
		set(drill, y, 1, 12);
	}
	return 0;
}

void duty_judging_day(const struct duty_window *month, const char *today, char out[11])
{
	const char *d = strcmp(today, month->to) < 0 ? today : month->to;
	memcpy(out, d, 10);
	out[10] = 0;
}

/* Met, or still time left in the window, or missed. */
static enum duty_state within(int64_t n, const struct duty_window *w, const char *today)
{
	if (n > 0)
		return DUTY_OK;
	return strcmp(today, w->to) <= 0 ? DUTY_PENDING : DUTY_FAILED;
}

void duty_evaluate(const struct duty_counts *c, const struct duty_window *inspection,
		   const struct duty_window *drill, const char *today, struct duty_result *out)
{
	out->state[DUTY_LEADER_INSPECTION] = within(c->leader_inspections, inspection, today);
	out->state[DUTY_DRILL] = within(c->drills, drill, today);
	out->state[DUTY_DUTY_LIST] = c->duty_lists > 0 ? DUTY_OK : DUTY_FAILED;
	out->state[DUTY_SAFETY_ORG] = c->safety_orgs > 0 ? DUTY_OK : DUTY_FAILED;
	out->state[DUTY_CERTIFICATES] = c->certs_expired > 0 ? DUTY_FAILED : DUTY_OK;
	out->state[DUTY_OUTSOURCING] = c->contracts_unsafe > 0 ? DUTY_FAILED : DUTY_OK;
	out->compliant = true;
	for (int i = 0; i < DUTY_CHECKS; i++)
		if (out->state[i] == DUTY_FAILED)
			out->compliant = false;
	out->warning = c->certs_expiring > 0;
}

static const char *const CHECK_NAMES[DUTY_CHECKS] = {
	"leader_inspection", "drill", "duty_list", "safety_org", "certificates", "outsourcing"};

const char *duty_check_name(enum duty_check_key k)
{
	return CHECK_NAMES[k];
}

const char *duty_check_label(enum duty_check_key k, bool high_risk)
{
	switch (k) {
	case DUTY_LEADER_INSPECTION:
		return high_risk ? "主要负责人带队检查（高危行业每月至少一次）"
				 : "主要负责人带队检查（每季度至少一次）";
	case DUTY_DRILL:
		return high_risk ? "应急演练（高危行业每半年至少一次）" : "应急演练（每年至少一次）";
	case DUTY_DUTY_LIST:
		return "领导带班值班表已备案";
	case DUTY_SAFETY_ORG:
		return "安全管理机构已备案";
	case DUTY_CERTIFICATES:
		return "特种作业人员持证上岗（证书在有效期内）";
	case DUTY_OUTSOURCING:
		return "外包外租项目签订安全管理协议";
	default:
		return "";
	}
}

const char *duty_state_name(enum duty_state s)
{
	return s == DUTY_OK ? "ok" : s == DUTY_PENDING ? "pending" : "failed";
}

const char *duty_state_label(enum duty_state s)
{
	return s == DUTY_OK ? "已落实" : s == DUTY_PENDING ? "期内待完成" : "未落实";
}

static const char *const KIND_NAMES[DK_COUNT] = {"leader_inspection", "drill", "duty_list",
						 "safety_org"};
static const char *const KIND_LABELS[DK_COUNT] = {"主要负责人带队检查", "应急演练",
						  "领导带班值班表", "安全管理机构"};

int duty_kind_parse(const char *s)
{
	for (int i = 0; s && i < DK_COUNT; i++)
		if (strcmp(s, KIND_NAMES[i]) == 0)
			return i;
	return -1;
}

const char *duty_kind_name(enum duty_kind k)
{
	return KIND_NAMES[k];
}

const char *duty_kind_label(enum duty_kind k)
{
	return KIND_LABELS[k];
}
