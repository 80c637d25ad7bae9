/*
 * hazard.h - the accident-hazard closed loop (隐患排查治理闭环) as pure rules:
 * statuses, actions, which transition each action makes, who may take it,
 * and what each action requires.  No I/O: the API asks these functions,
 * then writes what they decided.
 *
 *   open --plan--> rectifying --submit--> awaiting_acceptance
 *   awaiting_acceptance --accept--> closed                 (general)
 *   awaiting_acceptance --accept--> awaiting_verification  (major)
 *   awaiting_verification --verify--> closed               (department users)
 *   awaiting_acceptance / awaiting_verification --reject--> rectifying
 *   rectifying --extend--> rectifying
 *   any open status --void--> void
 */
#ifndef QL_HAZARD_H
#define QL_HAZARD_H

#include <stdbool.h>
#include <stdint.h>

#include "role.h"

enum hazard_status {
	HS_NONE = -1,
	HS_OPEN,
	HS_RECTIFYING,
	HS_AWAITING_ACCEPTANCE,
	HS_AWAITING_VERIFICATION,
	HS_CLOSED,
	HS_VOID,
	HS_COUNT
};

enum hazard_action {
	HA_NONE = -1,
	HA_PLAN,
	HA_SUBMIT,
	HA_ACCEPT,
	HA_REJECT,
	HA_VERIFY,
	HA_EXTEND,
	HA_VOID,
	HA_COUNT
};

enum hazard_level { HL_NONE = -1, HL_GENERAL, HL_MAJOR };
enum hazard_category { HC_NONE = -1, HC_MANAGEMENT, HC_SITE };
enum hazard_source {
	HSRC_NONE = -1,
	HSRC_SELF,
	HSRC_INSPECTION,
	HSRC_SUPERVISION,
	HSRC_TIP,
	HSRC_ASSIGNED,
	HSRC_LOOKBACK,
	HSRC_COUNT
};

enum hazard_status hazard_status_parse(const char *s);
const char *hazard_status_name(enum hazard_status s);
const char *hazard_status_label(enum hazard_status s);	/* 待整改 ... */
enum hazard_action hazard_action_parse(const char *s);
const char *hazard_action_name(enum hazard_action a);
const char *hazard_action_label(enum hazard_action a);
enum hazard_level hazard_level_parse(const char *s);
const char *hazard_level_name(enum hazard_level l);
const char *hazard_level_label(enum hazard_level l);
enum hazard_category hazard_category_parse(const char *s);
const char *hazard_category_name(enum hazard_category c);
const char *hazard_category_label(enum hazard_category c);
enum hazard_source hazard_source_parse(const char *s);
const char *hazard_source_name(enum hazard_source s);
const char *hazard_source_label(enum hazard_source s);

/* Label of a history entry: the actions, plus register / supervise /
 * delist (登记, 挂牌督办, 摘牌). */
const char *hazard_event_label(const char *event);

/* True for open, rectifying, awaiting_acceptance, awaiting_verification. */
bool hazard_status_is_open(enum hazard_status s);

/* The status an action leads to from `from` for a hazard of `level`, or
 * HS_NONE if the action is not allowed in that status (answer 409). */
enum hazard_status hazard_next(enum hazard_status from, enum hazard_action a,
			       enum hazard_level level);

/* How the acting user stands to the hazard; the API works these out from
 * the database, the rules below only read them. */
struct hazard_actor {
	enum role role;
	bool own_enterprise;	/* enterprise user of the hazard's enterprise */
	bool supervises;	/* regulator whose department supervises it */
	bool dept_found;	/* the hazard was registered by a department (its inspection) */
	bool found_by_dept;	/* regulator whose department registered it */
	bool office_covers;	/* office whose region contains the enterprise */
};

/* Whether the actor may take the action (answer 403 if not), whatever
 * the status:
 *   plan, submit, extend     - the enterprise itself;
 *   accept, reject           - the enterprise, except for hazards found by a
 *                              department's inspection: that department; and the
 *                              verifying department may reject at verification;
 *   verify                   - a department supervising the enterprise;
 *   void                     - the registering department, or an office over it. */
bool hazard_may(const struct hazard_actor *who, enum hazard_action a,
		enum hazard_status status);

/* Overdue: has a deadline, the deadline (YYYY-MM-DD) is before `today`,
 * and the hazard is still open. */
bool hazard_overdue(enum hazard_status s, const char *deadline, const char *today);

#endif
