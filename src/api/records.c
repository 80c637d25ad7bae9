/*
 * records.c - inspections (检查), enforcement (执法) and leadership
 * activities (党委政府组织领导): the records the monthly return counts.
 *
 * A regulator records for its own department about enterprises it can
 * see; an office records for departments and regions of its subtree.
 */
#include "http.h"
#include "../core/date.h"
#include "../core/validate.h"
#include "../lib/clock.h"

#include <stdlib.h>
#include <string.h>

static const char *const METHODS[] = {"four_no_two_direct", "unannounced", "double_random",
				      "cross", "remote", "routine", "special"};
static const char *const FLAGS[] = {"leader_not_studied", "leader_no_inspection", "no_duty_list",
				    "no_safety_org", "uncertified_operators", "outsourcing_chaos",
				    "no_drill"};
static const char *const ENF_KINDS[] = {"assistance", "penalty", "double_penalty",
					"judicial_transfer", "suspension", "exposure",
					"typical_case", "accountability", "region_interview"};
static const char *const ACT_KINDS[] = {"study_session", "special_research", "onsite_supervision",
					"member_visit", "assessment_inspection"};

static int one_of(struct req *r, const char *key, const char *const *names, size_t n,
		  const char **out)
{
	if (in_str(r, key, true, 32, out) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(*out, names[i]) == 0)
			return 0;
	return ql_fail(&r->err, QLE_INVALID, "invalid_enum", key, "字段 %s 的取值“%s”无效", key, *out);
}

/* The department the record is made for must be the caller's own
 * (regulator) or one in the caller's region (office). */
static int check_department(struct req *r, int64_t id, struct department *d)
{
	int rc = store_department_get(r->db, r->a, id, d);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc == 0)
		return ql_fail(&r->err, QLE_INVALID, "unknown_department", "department_id", "部门 %lld 不存在",
			       (long long)id);
	bool ok = r->scope.kind == SCOPE_DEPARTMENT ? id == r->scope.department_id
		  : r->scope.kind == SCOPE_REGION ? region_in_subtree(d->region_code, r->scope.region_code)
						  : false;
	if (!ok)
		return ql_fail(&r->err, QLE_FORBIDDEN, "out_of_scope", "department_id",
			       "只能为本部门或本辖区内的部门登记");
	return 0;
}

static int check_enterprise(struct req *r, int64_t id, struct enterprise *e)
{
	int rc = store_enterprise_get(r->db, r->a, &r->scope, id, e);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc == 0)
		return ql_fail(&r->err, QLE_FORBIDDEN, "out_of_scope", "enterprise_id",
			       "企业 %lld 不存在或不在您的管辖范围内", (long long)id);
	return 0;
}

/* Reads an array of 1..20 non-empty names into a JSON text. */
static int names(struct req *r, const char *key, bool required, char **out)
{
	json_t *v = json_object_get(r->json, key);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return ql_fail(&r->err, QLE_INVALID, "required", key, "缺少必填字段 %s（至少一人）", key);
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) > 20 || (required && json_array_size(v) == 0))
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为 1 到 20 个姓名的数组", key);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x) || json_string_length(x) == 0 || json_string_length(x) > 64)
			return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 的每一项应为姓名", key);
	}
	char *s = json_dumps(v, JSON_COMPACT);
	*out = arena_strdup(r->a, s);
	free(s);
	return 0;
}

static int create_inspection(struct req *r)
{
	int64_t ent_id, dept_id;
	const char *date, *method, *note;
	char *inspectors, *experts;
	bool spot = false, flags[7] = {0};
	TRY(in_body_object(r));
	TRY(in_int(r, "enterprise_id", true, &ent_id));
	TRY(in_int(r, "department_id", true, &dept_id));
	TRY(in_past_date(r, "date", true, &date));
	TRY(one_of(r, "method", METHODS, 7, &method));
	TRY(names(r, "inspectors", true, &inspectors));
	TRY(names(r, "experts", false, &experts));
	TRY(in_bool(r, "spot_check", false, &spot));
	TRY(in_str(r, "note", false, 2000, &note));
	json_t *fl = NULL;
	TRY(in_object(r, "flags", false, &fl));
	for (int i = 0; i < 7 && fl; i++) {
		json_t *v = json_object_get(fl, FLAGS[i]);
		if (v && !json_is_boolean(v))
			return reply_fail(r, QLE_INVALID, "type", "flags", "flags.%s 应为 true 或 false",
					  FLAGS[i]);
		flags[i] = v && json_is_true(v);
	}
	for (int i = 0; i < 7; i++)
		if (flags[i] && !spot)
			return reply_fail(r, QLE_INVALID, "spot_check_required", "flags",
					  "只有抽查企业自查自改（spot_check）才能记录这些问题");
	struct department d;
	struct enterprise e;
	TRY(check_department(r, dept_id, &d));
	TRY(check_enterprise(r, ent_id, &e));
	int64_t id;
	int rc = store_inspection_insert(r->db, &(struct inspection){
		.enterprise_id = ent_id, .region_code = e.region_code, .department_id = dept_id,
		.date = date, .method = method, .inspectors = inspectors, .experts = experts,
		.spot_check = spot, .flags = flags, .note = note, .created_by = r->user.id,
		.created_at = r->now}, &id);
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit_with_body(r, "inspection.create", "inspection", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "enterprise_id", ent_id);
	jw_kint(w, "department_id", dept_id);
	jw_kstr(w, "date", date);
	jw_kstr(w, "method", method);
	jw_key(w, "inspectors");
	jw_raw(w, inspectors);
	jw_kbool(w, "spot_check", spot);
	jw_obj_end(w);
	return 201;
}

static int create_enforcement(struct req *r)
{
	const char *kind, *date, *region = NULL, *note;
	int64_t dept_id, ent_id = 0, persons = 0, fen = 0, insp = 0, hazard = 0;
	bool key_ent = false, dangerous = false;
	TRY(in_body_object(r));
	TRY(one_of(r, "kind", ENF_KINDS, 9, &kind));
	TRY(in_past_date(r, "date", true, &date));
	TRY(in_int(r, "department_id", true, &dept_id));
	bool needs_ent = strcmp(kind, "region_interview") != 0 && strcmp(kind, "accountability") != 0;
	TRY(in_int(r, "enterprise_id", needs_ent, &ent_id));
	TRY(in_str(r, "region_code", !needs_ent && !ent_id, 12, &region));
	bool money = strcmp(kind, "penalty") == 0;
	TRY(in_amount(r, "amount", money, &fen));
	bool people = strcmp(kind, "judicial_transfer") == 0 || strcmp(kind, "accountability") == 0;
	TRY(in_int(r, "persons", people, &persons));
	if (people && (persons < 1 || persons > 10000))
		return reply_fail(r, QLE_INVALID, "out_of_range", "persons", "人数应为 1 到 10000");
	TRY(in_bool(r, "key_enterprise", false, &key_ent));
	TRY(in_bool(r, "dangerous_operation", false, &dangerous));
	TRY(in_int(r, "inspection_id", false, &insp));
	TRY(in_int(r, "hazard_id", false, &hazard));
	TRY(in_str(r, "note", false, 2000, &note));
	struct department d;
	TRY(check_department(r, dept_id, &d));
	if (ent_id) {
		struct enterprise e;
		TRY(check_enterprise(r, ent_id, &e));
		region = e.region_code;
	} else {
		struct region g;
		int rc = region_code_valid(region) ? store_region_get(r->db, r->a, region, &g) : 0;
		if (rc < 0)
			return reply_db(r, rc);
		if (rc == 0 || !region_in_subtree(region, r->scope.region_code))
			return reply_fail(r, QLE_INVALID, "invalid_region", "region_code",
					  "区划 %s 不存在或不在您的辖区内", region);
	}
	int64_t id;
	int rc = store_enforcement_insert(r->db, &(struct enforcement){
		.kind = kind, .date = date, .department_id = dept_id, .enterprise_id = ent_id,
		.region_code = region, .amount_fen = fen, .persons = persons,
		.key_enterprise = key_ent, .dangerous_operation = dangerous, .inspection_id = insp,
		.hazard_id = hazard, .note = note, .created_by = r->user.id, .created_at = r->now},
		&id);
	if (rc == DB_ERR_FK)
		return reply_fail(r, QLE_INVALID, "unknown_reference", "inspection_id",
				  "关联的检查或隐患不存在");
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit_with_body(r, "enforcement.create", "enforcement", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "date", date);
	jw_kint(w, "department_id", dept_id);
	jw_kstr(w, "region_code", region);
	jw_key(w, "amount");
	jw_fen(w, fen);
	jw_kint(w, "persons", persons);
	jw_obj_end(w);
	return 201;
}

static int create_activity(struct req *r)
{
	const char *kind, *date, *region = NULL, *note;
	int64_t dept_id = 0;
	TRY(in_body_object(r));
	TRY(one_of(r, "kind", ACT_KINDS, 5, &kind));
	TRY(in_past_date(r, "date", true, &date));
	TRY(in_str(r, "region_code", false, 12, &region));
	TRY(in_int(r, "department_id", false, &dept_id));
	TRY(in_str(r, "note", false, 2000, &note));
	if (!region == !dept_id)
		return reply_fail(r, QLE_INVALID, "required", "region_code",
				  "须指定 region_code 或 department_id 之一");
	if (dept_id) {
		struct department d;
		TRY(check_department(r, dept_id, &d));
	} else {
		struct region g;
		int rc = region_code_valid(region) ? store_region_get(r->db, r->a, region, &g) : 0;
		if (rc < 0)
			return reply_db(r, rc);
		if (rc == 0)
			return reply_fail(r, QLE_INVALID, "unknown_region", "region_code", "区划 %s 不存在", region);
		if (r->scope.kind != SCOPE_REGION || !region_in_subtree(region, r->scope.region_code))
			return reply_fail(r, QLE_FORBIDDEN, "out_of_scope", "region_code",
					  "只能为本辖区登记活动");
	}
	int64_t id;
	int rc = store_activity_insert(r->db, kind, date, region, dept_id, note, r->user.id, r->now,
				       &id);
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit_with_body(r, "activity.create", "activity", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "date", date);
	jw_obj_end(w);
	return 201;
}

#define RECORDERS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route record_routes[] = {
	{"POST", "/api/v1/inspections", create_inspection, RECORDERS, 0},
	{"POST", "/api/v1/enforcement", create_enforcement, RECORDERS, 0},
	{"POST", "/api/v1/activities", create_activity, RECORDERS, 0},
	{NULL, NULL, NULL, 0, 0},
};
