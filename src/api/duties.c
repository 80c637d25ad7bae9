/*
 * duties.c - an enterprise's own safety duties: leader-led inspections,
 * drills, the duty list and safety organisation on file, special-operator
 * certificates, outsourcing contracts, and compliance per period
 * (core/duty.c judges; store/duties.c counts).
 *
 * The enterprise records its own; an office or regulator whose scope
 * covers it may record too.  Everyone whose scope covers it may read.
 */
#include "http.h"
#include "../core/date.h"
#include "../core/duty.h"
#include "../core/validate.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <string.h>

static void today(struct req *r, char out[16])
{
	clock_format_date_cn(r->now, out, 16);
}

static int create_duty(struct req *r)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	const char *kind, *date, *title, *leader = NULL, *note;
	int64_t participants = 0;
	TRY(in_body_object(r));
	TRY(in_str(r, "kind", true, 32, &kind));
	int k = duty_kind_parse(kind);
	if (k < 0)
		return reply_fail(r, QLE_INVALID, "invalid_enum", "kind",
				  "kind 应为 leader_inspection（带队检查）、drill（应急演练）、duty_list（领导带班值班表）"
				  "或 safety_org（安全管理机构）");
	TRY(in_past_date(r, "date", true, &date));
	TRY(in_str(r, "title", true, 200, &title));
	TRY(in_str(r, "leader", k == DK_LEADER_INSPECTION, 64, &leader));
	TRY(in_int(r, "participants", false, &participants));
	if (participants < 0 || participants > 100000)
		return reply_fail(r, QLE_INVALID, "out_of_range", "participants", "参与人数应为 0 到 100000");
	TRY(in_str(r, "note", false, 2000, &note));
	int64_t id;
	rc = store_duty_insert(r->db, &(struct duty_record){
		.enterprise_id = e.id, .kind = kind, .date = date, .title = title, .leader = leader,
		.participants = participants, .note = note, .created_by = r->user.id,
		.created_at = r->now}, &id);
	if (rc < 0 || (rc = audit_with_body(r, "duty.create", "duty_record", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "enterprise_id", e.id);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "kind_label", duty_kind_label(k));
	jw_kstr(w, "date", date);
	jw_kstr(w, "title", title);
	jw_obj_end(w);
	return 201;
}

static const char SQL_DUTY_COUNT[] =
	"SELECT count(*) FROM duty_records WHERE enterprise_id = ? AND kind LIKE ?";
static const char SQL_DUTY_LIST[] =
	"SELECT id, kind, date, title, leader, participants, note FROM duty_records"
	" WHERE enterprise_id = ? AND kind LIKE ? ORDER BY date DESC, id DESC LIMIT ? OFFSET ?";

static int list_duties(struct req *r)
{
	const char *kind = query(r, "kind");
	if (kind && duty_kind_parse(kind) < 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "kind", "参数 kind 无效");
	struct db_stmt *st;
	int64_t total, page, per_page;
	int rc = enterprise_rows(r, SQL_DUTY_COUNT, SQL_DUTY_LIST, kind ? kind : "%", &st, &total, &page,
				 &per_page);
	if (rc != 0)
		return rc;
	struct jsonw *w = reply_list_open(r);
	while (db_step(st) == DB_ROW) {
		int k = duty_kind_parse(db_col_text(st, 1));
		jw_obj(w);
		jw_kint(w, "id", db_col_int(st, 0));
		jw_kstr(w, "kind", db_col_text(st, 1));
		jw_kstr(w, "kind_label", k >= 0 ? duty_kind_label(k) : "");
		jw_kstr(w, "date", db_col_text(st, 2));
		jw_kstr(w, "title", db_col_text(st, 3));
		jw_kstr(w, "leader", db_col_text(st, 4));
		jw_kint(w, "participants", db_col_int(st, 5));
		jw_kstr(w, "note", db_col_text(st, 6));
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

static int create_certificate(struct req *r)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	const char *holder, *category, *number, *until;
	TRY(in_body_object(r));
	TRY(in_str(r, "holder", true, 64, &holder));
	TRY(in_str(r, "category", true, 64, &category));
	TRY(in_str(r, "number", true, 64, &number));
	TRY(in_date(r, "valid_until", true, &until));
	int64_t id;
	rc = store_certificate_insert(r->db, &(struct certificate){
		.enterprise_id = e.id, .holder = holder, .category = category, .number = number,
		.valid_until = until, .created_by = r->user.id, .created_at = r->now}, &id);
	if (rc == DB_ERR_UNIQUE)
		return reply_fail(r, QLE_CONFLICT, "duplicate", "number", "本企业已登记证书编号 %s", number);
	if (rc < 0 || (rc = audit_with_body(r, "certificate.create", "certificate", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "enterprise_id", e.id);
	jw_kstr(w, "holder", holder);
	jw_kstr(w, "number", number);
	jw_kstr(w, "valid_until", until);
	jw_obj_end(w);
	return 201;
}

static const char SQL_CERT_COUNT[] =
	"SELECT count(*) FROM operator_certificates WHERE enterprise_id = ? AND valid_until <= ?";
static const char SQL_CERT_LIST[] =
	"SELECT id, holder, category, number, valid_until FROM operator_certificates"
	" WHERE enterprise_id = ? AND valid_until <= ? ORDER BY valid_until, id LIMIT ? OFFSET ?";

/* ?expiring=true lists only those expired or expiring within 30 days. */
static int list_certificates(struct req *r)
{
	int64_t now_days;
	char day[16], limit[16] = "9999-12-31";
	today(r, day);
	date_parse(day, &now_days);
	const char *exp = query(r, "expiring");
	if (exp && strcmp(exp, "true") && strcmp(exp, "false"))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "expiring", "参数 expiring 应为 true 或 false");
	if (exp && strcmp(exp, "true") == 0) {
		int y, m, d;
		date_from_days(now_days + DUTY_EXPIRY_WARN_DAYS, &y, &m, &d);
		snprintf(limit, sizeof limit, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	}
	struct db_stmt *st;
	int64_t total, page, per_page;
	int rc = enterprise_rows(r, SQL_CERT_COUNT, SQL_CERT_LIST, limit, &st, &total, &page, &per_page);
	if (rc != 0)
		return rc;
	struct jsonw *w = reply_list_open(r);
	while (db_step(st) == DB_ROW) {
		int64_t until = 0;
		date_parse(db_col_text(st, 4), &until);
		int64_t left = until - now_days;
		const char *status = left < 0 ? "expired" : left <= DUTY_EXPIRY_WARN_DAYS ? "expiring" : "valid";
		jw_obj(w);
		jw_kint(w, "id", db_col_int(st, 0));
		jw_kstr(w, "holder", db_col_text(st, 1));
		jw_kstr(w, "category", db_col_text(st, 2));
		jw_kstr(w, "number", db_col_text(st, 3));
		jw_kstr(w, "valid_until", db_col_text(st, 4));
		jw_kint(w, "days_left", left);
		jw_kstr(w, "status", status);
		jw_kstr(w, "status_label", left < 0 ? "已过期" : left <= DUTY_EXPIRY_WARN_DAYS ? "即将到期" : "有效");
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

static int create_contract(struct req *r)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	const char *contractor, *uscc, *work, *start, *end;
	bool agreement;
	TRY(in_body_object(r));
	TRY(in_str(r, "contractor", true, 200, &contractor));
	TRY(in_str(r, "contractor_uscc", false, 18, &uscc));
	if (uscc && !uscc_valid(uscc))
		return reply_fail(r, QLE_INVALID, "invalid_uscc", "contractor_uscc",
				  "承包单位统一社会信用代码 %s 无效", uscc);
	TRY(in_str(r, "work", true, 500, &work));
	TRY(in_date(r, "start_date", true, &start));
	TRY(in_date(r, "end_date", true, &end));
	if (strcmp(end, start) < 0)
		return reply_fail(r, QLE_INVALID, "out_of_range", "end_date", "结束日期不能早于开始日期");
	TRY(in_bool(r, "safety_agreement", true, &agreement));
	int64_t id;
	rc = store_contract_insert(r->db, &(struct contract){
		.enterprise_id = e.id, .contractor = contractor, .contractor_uscc = uscc, .work = work,
		.start_date = start, .end_date = end, .safety_agreement = agreement,
		.created_by = r->user.id, .created_at = r->now}, &id);
	if (rc < 0 || (rc = audit_with_body(r, "contract.create", "contract", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "enterprise_id", e.id);
	jw_kstr(w, "contractor", contractor);
	jw_kbool(w, "safety_agreement", agreement);
	jw_obj_end(w);
	return 201;
}

static const char SQL_CONTRACT_COUNT[] =
	"SELECT count(*) FROM outsourcing_contracts WHERE enterprise_id = ?";
static const char SQL_CONTRACT_LIST[] =
	"SELECT id, contractor, contractor_uscc, work, start_date, end_date, safety_agreement"
	" FROM outsourcing_contracts WHERE enterprise_id = ?"
	" ORDER BY end_date DESC, id DESC LIMIT ? OFFSET ?";

static int list_contracts(struct req *r)
{
	char day[16];
	today(r, day);
	struct db_stmt *st;
	int64_t total, page, per_page;
	int rc = enterprise_rows(r, SQL_CONTRACT_COUNT, SQL_CONTRACT_LIST, NULL, &st, &total, &page,
				 &per_page);
	if (rc != 0)
		return rc;
	struct jsonw *w = reply_list_open(r);
	while (db_step(st) == DB_ROW) {
		const char *from = db_col_text(st, 4), *to = db_col_text(st, 5);
		bool running = strcmp(from, day) <= 0 && strcmp(to, day) >= 0;
		jw_obj(w);
		jw_kint(w, "id", db_col_int(st, 0));
		jw_kstr(w, "contractor", db_col_text(st, 1));
		jw_kstr(w, "contractor_uscc", db_col_text(st, 2));
		jw_kstr(w, "work", db_col_text(st, 3));
		jw_kstr(w, "start_date", from);
		jw_kstr(w, "end_date", to);
		jw_kbool(w, "safety_agreement", db_col_int(st, 6) != 0);
		jw_kbool(w, "running", running);
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

/* The period of ?period=, by default the current month. */
static int period_of(struct req *r, char out[8])
{
	const char *p = query(r, "period");
	if (!p) {
		char day[16];
		today(r, day);
		memcpy(out, day, 7);
		out[7] = 0;
		return 0;
	}
	struct duty_window a, b, c;
	if (duty_windows(p, false, &a, &b, &c) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "period", "参数 period 应为 YYYY-MM");
	memcpy(out, p, 8);
	return 0;
}

/* Judges one enterprise and writes its compliance; `full` adds the
 * per-check detail. */
static int write_compliance(struct req *r, struct jsonw *w, const struct enterprise *e,
			    const char *period, bool full)
{
	struct duty_window ins, drill, month;
	duty_windows(period, e->high_risk, &ins, &drill, &month);
	char day[16], judge[11];
	today(r, day);
	duty_judging_day(&month, day, judge);
	struct duty_counts c;
	int rc = store_duty_counts(r->db, e->id, &ins, &drill, &month, judge, &c);
	if (rc < 0)
		return rc;
	struct duty_result res;
	duty_evaluate(&c, &ins, &drill, day, &res);
	const int64_t counts[DUTY_CHECKS] = {c.leader_inspections, c.drills, c.duty_lists,
					     c.safety_orgs, c.certs_expired, c.contracts_unsafe};
	const struct duty_window *windows[DUTY_CHECKS] = {&ins, &drill, NULL, NULL, NULL, &month};
	jw_obj(w);
	jw_kint(w, "enterprise_id", e->id);
	jw_kstr(w, "enterprise_name", e->name);
	jw_kstr(w, "region_code", e->region_code);
	jw_kbool(w, "high_risk", e->high_risk);
	jw_kstr(w, "period", period);
	jw_kbool(w, "compliant", res.compliant);
	jw_kbool(w, "warning", res.warning);
	jw_kint(w, "certificates_expiring", c.certs_expiring);
	jw_key(w, "failed");
	jw_arr(w);
	for (int i = 0; i < DUTY_CHECKS; i++)
		if (res.state[i] == DUTY_FAILED)
			jw_str(w, duty_check_name(i));
	jw_arr_end(w);
	if (full) {
		jw_kstr(w, "judged_on", judge);
		jw_key(w, "checks");
		jw_arr(w);
		for (int i = 0; i < DUTY_CHECKS; i++) {
			jw_obj(w);
			jw_kstr(w, "key", duty_check_name(i));
			jw_kstr(w, "label", duty_check_label(i, e->high_risk));
			jw_kstr(w, "state", duty_state_name(res.state[i]));
			jw_kstr(w, "state_label", duty_state_label(res.state[i]));
			jw_kint(w, "count", counts[i]);
			if (windows[i]) {
				jw_key(w, "window");
				jw_obj(w);
				jw_kstr(w, "from", windows[i]->from);
				jw_kstr(w, "to", windows[i]->to);
				jw_obj_end(w);
			}
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_obj_end(w);
	return 0;
}

static int compliance_one(struct req *r)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	char period[8];
	TRY(period_of(r, period));
	if ((rc = write_compliance(r, reply_json(r), &e, period, true)) < 0)
		return reply_db(r, rc);
	return 200;
}

/* A page of the enterprises in scope, each judged for the period. */
static int compliance_list(struct req *r)
{
	char period[8];
	TRY(period_of(r, period));
	struct enterprise *items;
	int64_t total, page, per_page;
	int n = enterprise_page(r, &items, &total, &page, &per_page);
	TRY(n);
	struct jsonw *w = reply_list_open(r);
	for (int i = 0; i < n; i++) {
		int rc = write_compliance(r, w, &items[i], period, false);
		if (rc < 0)
			return reply_db(r, rc);
	}
	jw_arr_end(w);
	jw_kstr(w, "period", period);
	return reply_list_tail(w, total, page, per_page);
}

#define DUTY_WRITERS (R_BIT(ROLE_ENTERPRISE) | R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route duty_routes[] = {
	{"POST", "/api/v1/enterprises/{id}/duties", create_duty, DUTY_WRITERS, 0},
	{"GET", "/api/v1/enterprises/{id}/duties", list_duties, R_BUSINESS, 0},
	{"POST", "/api/v1/enterprises/{id}/certificates", create_certificate, DUTY_WRITERS, 0},
	{"GET", "/api/v1/enterprises/{id}/certificates", list_certificates, R_BUSINESS, 0},
	{"POST", "/api/v1/enterprises/{id}/contracts", create_contract, DUTY_WRITERS, 0},
	{"GET", "/api/v1/enterprises/{id}/contracts", list_contracts, R_BUSINESS, 0},
	{"GET", "/api/v1/enterprises/{id}/compliance", compliance_one, R_BUSINESS, 0},
	{"GET", "/api/v1/compliance", compliance_list, R_BUSINESS, 0},
	{NULL, NULL, NULL, 0, 0},
};
