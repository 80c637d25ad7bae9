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
	if (!text)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "required", "unit",
			       "缺少参数 unit（region:区划代码 或 department:部门编号）");
	if (strncmp(text, "region:", 7) == 0 && region_code_valid(text + 7)) {
		struct region g;
		int rc = store_region_get(r->db, r->a, text + 7, &g);
		if (rc < 0)
			return db_fail(r->db, rc, &r->err);
		bool ok = rc > 0 && r->scope.kind == SCOPE_REGION &&
			  region_in_subtree(g.code, r->scope.region_code);
		if (!ok)
			return ql_fail(&r->err, QLE_NOT_FOUND, "not_found", "unit", "填报单位不存在或无权访问");
		out->u.region = g.code;
		out->name = g.name;
		return 0;
	}
	if (strncmp(text, "department:", 11) == 0) {
		char *end;
		long long id = strtoll(text + 11, &end, 10);
		struct department d;
		int rc = *end || id <= 0 ? 0 : store_department_get(r->db, r->a, id, &d);
		if (rc < 0)
			return db_fail(r->db, rc, &r->err);
		bool ok = rc > 0 && ((r->scope.kind == SCOPE_DEPARTMENT && r->scope.department_id == id) ||
				     (r->scope.kind == SCOPE_REGION &&
				      region_in_subtree(d.region_code, r->scope.region_code)));
		if (!ok)
			return ql_fail(&r->err, QLE_NOT_FOUND, "not_found", "unit", "填报单位不存在或无权访问");
		out->u.department_id = id;
		out->name = d.name;
		return 0;
	}
	return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "unit",
		       "参数 unit 应为 region:区划代码 或 department:部门编号");
}

/* --- entered values, summed up the tree ----------------------------------- */

struct entered {
	int64_t v[8];
	bool has[8];
};

static int entered_index(const char *key)
{
	int n = 0;
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++)
		if (DISPATCH_ITEMS[i].entered) {
			if (strcmp(DISPATCH_ITEMS[i].key, key) == 0)
				return n;
			n++;
		}
	return -1;
}

static void take(void *ctx, const char *key, const char *value)
{
	struct entered *e = ctx;
	int i = entered_index(key);
	if (i >= 0) {
		e->v[i] = strcmp(value, "true") == 0 ? 1 : strcmp(value, "false") == 0 ? 0 : atoll(value);
		e->has[i] = true;
	}
}

static void add(struct entered *sum, const struct entered *part)
{
	for (int i = 0; i < 8; i++)
		if (part->has[i]) {
			sum->v[i] += part->v[i];
			sum->has[i] = true;
		}
}

static const char SQL_CHILD_REGIONS[] = "SELECT code FROM regions WHERE parent_code = ? ORDER BY code";
static const char SQL_REGION_DEPTS[] = "SELECT id FROM departments WHERE region_code = ? ORDER BY id";

static int entered_of(struct req *r, const char *unit, const char *period, int depth,
		      struct entered *out)
{
	memset(out, 0, sizeof *out);
	int rc = store_dispatch_entries(r->db, unit, period, take, out);
	if (rc < 0)
		return rc;
	bool any = false;
	for (int i = 0; i < 8; i++)
		any |= out->has[i];
	if (any || strncmp(unit, "region:", 7) != 0 || depth > 6)
		return 0;
	const char *code = unit + 7;
	const char *sqls[2] = {SQL_CHILD_REGIONS, SQL_REGION_DEPTS};
	for (int k = 0; k < 2; k++) {
		struct db_stmt *st = db_stmt(r->db, sqls[k]);
		db_bind_text(st, 1, code);
		char **units = NULL;
		int n = 0, cap = 0;
		while ((rc = db_step(st)) == DB_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				char **more = arena_alloc(r->a, sizeof *more * (size_t)cap);
				if (n)
					memcpy(more, units, sizeof *more * (size_t)n);
				units = more;
			}
			units[n++] = arena_printf(r->a, "%s:%s", k == 0 ? "region" : "department",
						  db_col_text(st, 0));
		}
		db_done(st);
		if (rc < 0)
			return rc;
		for (int i = 0; i < n; i++) {
			struct entered part;
			if ((rc = entered_of(r, units[i], period, depth + 1, &part)) < 0)
				return rc;
			add(out, &part);
		}
	}
	return 0;
}

/* --- the return ----------------------------------------------------------- */

static int64_t day_start(const char *date)
{
	int64_t d;
	date_parse(date, &d);
	return d * 86400 - 8 * 3600;
}

static int get_return(struct req *r)
{
	struct unit unit;
	TRY(read_unit(r, query(r, "unit"), &unit));
	const char *period = query(r, "period"), *since = query(r, "since");
	const char *format = query(r, "format");
	char until[11];
	if (dispatch_period_end(period, until) < 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "period", "参数 period 应为 YYYY-MM");
	int64_t days;
	if (!since || date_parse(since, &days) < 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "since",
				  "参数 since（专项行动开始日期）应为 YYYY-MM-DD");
	if (strcmp(since, until) > 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "since", "开始日期晚于本期截止日（%s）", until);
	if (format && strcmp(format, "json") != 0)
		return reply_fail(r, QLE_BAD_REQUEST, "unsupported_format", "format",
				  "调度表目前只能以 json 格式获取");
	struct dispatch_window win = {since, until, day_start(since), day_start(until) + 86399};
	int64_t *values = arena_alloc(r->a, sizeof(int64_t) * (size_t)DISPATCH_ITEM_COUNT);
	int rc = store_dispatch_compute(r->db, r->a, &unit.u, &win, values);
	if (rc < 0)
		return reply_db(r, rc);
	struct entered ent;
	if ((rc = entered_of(r, unit.text, period, 0, &ent)) < 0)
		return reply_db(r, rc);
	char *filler = NULL, *reviewer = NULL;
	int64_t signed_at = 0;
	if ((rc = store_dispatch_signature(r->db, r->a, unit.text, period, &filler, &reviewer,
					   &signed_at)) < 0)
		return reply_db(r, rc);
	char as_of[40];
	snprintf(as_of, sizeof as_of, "%sT23:59:59+08:00", until);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "unit", unit.text);
	jw_kstr(w, "unit_name", unit.name);
	jw_kstr(w, "period", period);
	jw_kstr(w, "since", since);
	jw_kstr(w, "as_of", as_of);
	jw_key(w, "values");
	jw_obj(w);
	int ei = 0;
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++) {
		const struct dispatch_item *it = &DISPATCH_ITEMS[i];
		jw_key(w, it->key);
		if (it->entered) {
			int64_t v = ent.has[ei] ? ent.v[ei] : 0;
			ei++;
			if (it->type == DT_BOOL)
				jw_bool(w, v != 0);
			else
				jw_int(w, v);
		} else if (it->type == DT_AMOUNT) {
			/* fen -> 万元, exact to the yuan. */
			int64_t yuan = (values[i] + 50) / 100;
			jw_double(w, (double)yuan / 10000.0, 4);
		} else {
			jw_int(w, values[i]);
		}
	}
	jw_obj_end(w);
	jw_key(w, "sources");
	jw_obj(w);
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++)
		jw_kstr(w, DISPATCH_ITEMS[i].key, DISPATCH_ITEMS[i].entered ? "entered" : "computed");
	jw_obj_end(w);
	jw_key(w, "signature");
	if (filler) {
		jw_obj(w);
		jw_kstr(w, "filler", filler);
		jw_kstr(w, "reviewer", reviewer);
		char t[32];
		clock_format_rfc3339(signed_at, t, sizeof t);
		jw_kstr(w, "signed_at", t);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_obj_end(w);
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

#define UNITS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route dispatch_routes[] = {
	{"GET", "/api/v1/reports/dispatch", get_return, UNITS, 0},
	{"PUT", "/api/v1/reports/dispatch/entries", put_entry, UNITS, 0},
	{"POST", "/api/v1/reports/dispatch/signature", sign, UNITS, 0},
	{NULL, NULL, NULL, 0, 0},
};
