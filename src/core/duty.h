/*
 * duty.h - an enterprise's own safety duties (DESIGN.md §2 "Also"; seed
 * 001 section 二 lists what a spot check looks for) and whether it met
 * them in a period, pure.
 *
 * The rules: a leader-led inspection 主要负责人带队检查 at least once a
 * quarter, once a month for a high-risk enterprise; an emergency drill
 * 应急演练 at least once a year, once every half-year for a high-risk
 * enterprise; a deputy duty list 领导带班值班表 and a safety organisation
 * 安全管理机构 on file; no special-operator certificate expired; every
 * outsourcing contract running in the period carrying a safety agreement.
 *
 * A window that is still open and not yet met is "pending", not failed:
 * the enterprise still has time.
 */
#ifndef QL_DUTY_H
#define QL_DUTY_H

#include <stdbool.h>
#include <stdint.h>

enum duty_check_key {
	DUTY_LEADER_INSPECTION,
	DUTY_DRILL,
	DUTY_DUTY_LIST,
	DUTY_SAFETY_ORG,
	DUTY_CERTIFICATES,
	DUTY_OUTSOURCING,
	DUTY_CHECKS
};

enum duty_state { DUTY_OK, DUTY_PENDING, DUTY_FAILED };

/* The record kinds an enterprise files (duty_records.kind). */
enum duty_kind { DK_LEADER_INSPECTION, DK_DRILL, DK_DUTY_LIST, DK_SAFETY_ORG, DK_COUNT };

/* Days a certificate counts as "expiring" before its last valid day. */
#define DUTY_EXPIRY_WARN_DAYS 30

struct duty_window {
	char from[11], to[11]; /* inclusive YYYY-MM-DD */
};

/* The windows a period YYYY-MM is judged on: the leader inspection's
 * (the month, or its quarter) and the drill's (its half-year, or its
 * year).  -1 for a malformed period. */
int duty_windows(const char *period, bool high_risk, struct duty_window *inspection,
		 struct duty_window *drill, struct duty_window *month);

/* What the store counted for one enterprise and period. */
struct duty_counts {
	int64_t leader_inspections; /* in the inspection window */
	int64_t drills;		    /* in the drill window */
	int64_t duty_lists;	    /* on file by the end of the month */
	int64_t safety_orgs;
	int64_t certs_expired;	    /* valid_until before the judging day */
	int64_t certs_expiring;	    /* valid within DUTY_EXPIRY_WARN_DAYS of it */
	int64_t contracts_unsafe;   /* running in the month without agreement */
};

struct duty_result {
	enum duty_state state[DUTY_CHECKS];
	bool compliant;	 /* no check failed */
	bool warning;	 /* certificates expiring soon */
};

/* today is "YYYY-MM-DD"; the windows are those of duty_windows(). */
void duty_evaluate(const struct duty_counts *c, const struct duty_window *inspection,
		   const struct duty_window *drill, const char *today, struct duty_result *out);

/* The day certificates are judged on: the month's end, or today if the
 * month is still running. */
void duty_judging_day(const struct duty_window *month, const char *today, char out[11]);

const char *duty_check_name(enum duty_check_key k);
const char *duty_check_label(enum duty_check_key k, bool high_risk);
const char *duty_state_name(enum duty_state s);
const char *duty_state_label(enum duty_state s);
int duty_kind_parse(const char *s); /* enum duty_kind or -1 */
const char *duty_kind_name(enum duty_kind k);
const char *duty_kind_label(enum duty_kind k);

#endif
