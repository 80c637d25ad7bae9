/*
 * dispatch.c - the monthly progress return 调度表 (seed 001) over HTTP:
 * GET the return of a unit for a month, PUT the values a unit enters by
 * hand, and sign it (填报人, 审核人), after which its entries are locked.
 *
 * Computed values are counted from the records (store/dispatch.c) from
 * `since` (the campaign's start) to the end of the 24th of the month.
 * Entered values: a unit's own entry; a region without one shows the sum
 * of its lower units' (child regions and the departments of the region),
 * booleans as "any".
 */
#include "http.h"
#include "../core/date.h"
#include "../core/dispatch.h"
#include "../core/validate.h"
#include "../store/query.h"
#include "../io/dispatch_pdf.h"
#include "../io/dispatch_xlsx.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
	const char *text;	/* "region:CODE" / "department:ID" */
	struct dispatch_unit u;
	const char *name;
};

/* Parses and checks the unit against the caller's scope: an office sees its
 * subtree's regions and departments, a regulator its own department. */
static int read_unit(struct req *r, const char *text, struct unit *out)
{
	memset(out, 0, sizeof *out);
	out->text = text;
	if (!text || (strncmp(text, "region:", 7) != 0 && strncmp(text, "department:", 11) != 0))
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "unit",
			       "参数 unit 应为 region:区划代码 或 department:部门编号");
	int rc = dispatch_unit_parse(r->db, r->a, text, &out->u, &out->name);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	bool ok = false;
	if (rc > 0 && out->u.region) {
		ok = r->scope.kind == SCOPE_REGION && region_in_subtree(out->u.region, r->scope.region_code);
	} else if (rc > 0) {
		struct department d;
		if (store_department_get(r->db, r->a, out->u.department_id, &d) > 0)
			ok = (r->scope.kind == SCOPE_DEPARTMENT &&
			      r->scope.department_id == out->u.department_id) ||
			     (r->scope.kind == SCOPE_REGION &&
			      region_in_subtree(d.region_code, r->scope.region_code));
	}
	if (!ok)
		return ql_fail(&r->err, QLE_NOT_FOUND, "not_found", "unit", "填报单位不存在或无权访问");
	return 0;
}

/* --- the return ----------------------------------------------------------- */

static int get_return(struct req *r)
{
	struct unit unit;
	TRY(read_unit(r, query(r, "unit"), &unit));
	const char *format = query(r, "format");
	if (format && strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0 &&
	    strcmp(format, "pdf") != 0)
		return reply_fail(r, QLE_BAD_REQUEST, "unsupported_format", "format",
				  "format 应为 json、xlsx 或 pdf");
	struct dispatch_return d;
	TRY(dispatch_build(r->db, r->a, unit.text, query(r, "period"), query(r, "since"), &d,
			   &r->err));
	if (format && strcmp(format, "xlsx") == 0) {
		buf_reset(&r->out);
		TRY(dispatch_xlsx(&d, r->now, &r->out, &r->err));
		r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		r->content_disposition = arena_printf(
			r->a, "attachment; filename=\"dispatch-%s.xlsx\"", d.period);
		return 200;
	}
	if (format && strcmp(format, "pdf") == 0) {
		buf_reset(&r->out);
		TRY(dispatch_pdf(&d, r->now, &r->out, &r->err));
		r->content_type = "application/pdf";
		r->content_disposition = arena_printf(
			r->a, "attachment; filename=\"dispatch-%s.pdf\"", d.period);
		return 200;
	}
	dispatch_write_json(reply_json(r), &d);
	return 200;
}

/* Only the unit itself enters and signs its return. */
static int own_unit(struct req *r, const struct unit *u)
{
	bool own = (u->u.region && r->scope.kind == SCOPE_REGION &&
		    strcmp(u->u.region, r->scope.region_code) == 0) ||
		   (u->u.department_id && r->scope.kind == SCOPE_DEPARTMENT &&
		    u->u.department_id == r->scope.department_id);
	if (!own)
		return ql_fail(&r->err, QLE_FORBIDDEN, "forbidden", "unit", "只能填报、签署本单位的调度表");
	return 0;
}

static int check_unsigned(struct req *r, const char *unit, const char *period)
{
	char *f, *v;
	int64_t at;
	int rc = store_dispatch_signature(r->db, r->a, unit, period, &f, &v, &at);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc > 0)
		return ql_fail(&r->err, QLE_CONFLICT, "signed", NULL, "本期调度表已签署，不能再修改");
	return 0;
}

static int put_entry(struct req *r)
{
	const char *unit_text, *period, *key;
	TRY(in_body_object(r));
	TRY(in_str(r, "unit", true, 40, &unit_text));
	TRY(in_str(r, "period", true, 7, &period));
	TRY(in_str(r, "key", true, 40, &key));
	struct unit unit;
	char until[11];
	if (dispatch_period_end(period, until) < 0)
		return reply_fail(r, QLE_INVALID, "invalid", "period", "period 应为 YYYY-MM");
	const struct dispatch_item *it = dispatch_item(key);
	if (!it || !it->entered)
		return reply_fail(r, QLE_INVALID, "not_entered", "key",
				  "%s 不是需要填报的项目（只有 media_column、tech_inspectors 由单位填报）", key);
	if (read_unit(r, unit_text, &unit) < 0) {
		if (r->err.kind == QLE_BAD_REQUEST)
			r->err.kind = QLE_INVALID;
		return reply_error(r);
	}
	TRY(own_unit(r, &unit));
	TRY(check_unsigned(r, unit.text, period));
	json_t *v = json_object_get(r->json, "value");
	char value[32];
	if (it->type == DT_BOOL) {
		if (!json_is_boolean(v))
			return reply_fail(r, QLE_INVALID, "type", "value", "%s 的值应为 true 或 false", key);
		snprintf(value, sizeof value, "%s", json_is_true(v) ? "true" : "false");
	} else {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000)
			return reply_fail(r, QLE_INVALID, "type", "value", "%s 的值应为非负整数", key);
		snprintf(value, sizeof value, "%lld", (long long)json_integer_value(v));
	}
	int rc = store_dispatch_entry_put(r->db, unit.text, period, key, value, r->user.id, r->now);
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "dispatch.entry", "dispatch", arena_printf(r->a, "%s/%s/%s", unit.text,
								      period, key),
			NULL, arena_printf(r->a, "{\"value\":%s}", value))) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "unit", unit.text);
	jw_kstr(w, "period", period);
	jw_kstr(w, "key", key);
	jw_key(w, "value");
	jw_raw(w, value);
	jw_obj_end(w);
	return 200;
}

static int sign(struct req *r)
{
	const char *unit_text, *period, *filler, *reviewer;
	TRY(in_body_object(r));
	TRY(in_str(r, "unit", true, 40, &unit_text));
	TRY(in_str(r, "period", true, 7, &period));
	TRY(in_str(r, "filler", true, 32, &filler));
	TRY(in_str(r, "reviewer", true, 32, &reviewer));
	char until[11];
	if (dispatch_period_end(period, until) < 0)
		return reply_fail(r, QLE_INVALID, "invalid", "period", "period 应为 YYYY-MM");
	struct unit unit;
	TRY(read_unit(r, unit_text, &unit));
	TRY(own_unit(r, &unit));
	TRY(check_unsigned(r, unit.text, period));
	int rc = store_dispatch_sign(r->db, unit.text, period, filler, reviewer, r->user.id, r->now);
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "dispatch.sign", "dispatch", arena_printf(r->a, "%s/%s", unit.text, period),
			NULL, NULL)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "unit", unit.text);
	jw_kstr(w, "period", period);
	jw_kstr(w, "filler", filler);
	jw_kstr(w, "reviewer", reviewer);
	jw_obj_end(w);
	return 200;
}

/* GET /api/v1/reports/dispatch/status: which lower units of a region
 * (child regions and the region's departments) have signed the month's
 * return, on time (by the end of the 25th) or late, and which are missing. */
static const char SQL_LOWER[] =
	"SELECT 'region:' || code, name FROM regions WHERE parent_code = ?"
	" UNION ALL SELECT 'department:' || id, name FROM departments WHERE region_code = ?"
	" ORDER BY 1";

static int return_status(struct req *r)
{
	const char *period = query(r, "period");
	char until[11];
	if (dispatch_period_end(period, until) < 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "period", "参数 period 应为 YYYY-MM");
	const char *unit_text = query(r, "unit");
	if (!unit_text)
		unit_text = arena_printf(r->a, "region:%s", r->scope.region_code);
	struct unit unit;
	TRY(read_unit(r, unit_text, &unit));
	if (!unit.u.region)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "unit", "只有区划有下级填报单位");
	int64_t d25;
	char due[11];
	snprintf(due, sizeof due, "%.8s25", until);
	date_parse(due, &d25);
	int64_t deadline = d25 * 86400 - 8 * 3600 + 86399;
	struct db_stmt *st = db_stmt(r->db, SQL_LOWER);
	if (!st)
		return reply_db(r, DB_ERR);
	db_bind_text(st, 1, unit.u.region);
	db_bind_text(st, 2, unit.u.region);
	int n = 0, cap = 0, rc;
	char **units = NULL, **names = NULL;
	int ncap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		units = arena_grow(r->a, units, sizeof *units, n, &cap);
		names = arena_grow(r->a, names, sizeof *names, n, &ncap);
		units[n] = arena_strdup(r->a, db_col_text(st, 0));
		names[n++] = arena_strdup(r->a, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "unit", unit.text);
	jw_kstr(w, "period", period);
	jw_kstr(w, "due", due);
	jw_key(w, "units");
	jw_arr(w);
	int missing = 0, late = 0;
	for (int i = 0; i < n; i++) {
		char *filler, *reviewer;
		int64_t at = 0;
		rc = store_dispatch_signature(r->db, r->a, units[i], period, &filler, &reviewer, &at);
		if (rc < 0)
			return reply_db(r, rc);
		const char *state = rc > 0 ? (at <= deadline ? "on_time" : "late")
					   : (r->now > deadline ? "missing" : "pending");
		missing += strcmp(state, "missing") == 0;
		late += strcmp(state, "late") == 0;
		jw_obj(w);
		jw_kstr(w, "unit", units[i]);
		jw_kstr(w, "name", names[i]);
		jw_kstr(w, "state", state);
		jw_key(w, "signed_at");
		if (rc > 0) {
			char t[32];
			clock_format_rfc3339(at, t, sizeof t);
			jw_str(w, t);
		} else {
			jw_null(w);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "missing", missing);
	jw_kint(w, "late", late);
	jw_obj_end(w);
	return 200;
}

#define UNITS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route dispatch_routes[] = {
	{"GET", "/api/v1/reports/dispatch", get_return, UNITS, 0},
	{"PUT", "/api/v1/reports/dispatch/entries", put_entry, UNITS, 0},
	{"POST", "/api/v1/reports/dispatch/signature", sign, UNITS, 0},
	{"GET", "/api/v1/reports/dispatch/status", return_status, R_BIT(ROLE_OFFICE), 0},
	{NULL, NULL, NULL, 0, 0},
};
