/*
 * enterprise_save.c - the rules an enterprise record must meet before it
 * is stored, shared by POST/PATCH /api/v1/enterprises and the import.
 */
#include "store.h"
#include "../core/validate.h"
#include "../lib/jsonw.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void enterprise_write_json(struct jsonw *w, const struct enterprise *e)
{
	jw_obj(w);
	jw_kint(w, "id", e->id);
	jw_kstr(w, "uscc", e->uscc);
	jw_kstr(w, "name", e->name);
	jw_kstr(w, "region_code", e->region_code);
	jw_kstr(w, "industry_code", e->industry_code);
	jw_kbool(w, "high_risk", e->high_risk);
	jw_key(w, "main_person");
	jw_obj(w);
	jw_kstr(w, "name", e->main_person.name);
	jw_kstr(w, "phone", e->main_person.phone);
	jw_obj_end(w);
	jw_key(w, "controller");
	jw_obj(w);
	jw_kstr(w, "name", e->controller.name);
	jw_kstr(w, "phone", e->controller.phone);
	jw_obj_end(w);
	jw_key(w, "department_ids");
	jw_arr(w);
	for (int i = 0; i < e->ndepartments; i++)
		jw_int(w, e->department_ids[i]);
	jw_arr_end(w);
	jw_kstr(w, "uscc_override", e->uscc_override);
	jw_obj_end(w);
}

static void enterprise_json(const struct enterprise *e, struct buf *out)
{
	struct jsonw w;
	jw_init(&w, out);
	enterprise_write_json(&w, e);
}

static int check_person(const struct person *p, const char *name_field, const char *phone_field,
			const char *who, struct ql_error *err)
{
	if (!p->name || !*p->name)
		return ql_fail(err, QLE_INVALID, "required", name_field, "缺少%s姓名", who);
	if (utf8_length(p->name) > 32)
		return ql_fail(err, QLE_INVALID, "too_long", name_field, "%s姓名过长", who);
	if (!p->phone || !*p->phone)
		return ql_fail(err, QLE_INVALID, "required", phone_field, "缺少%s电话", who);
	if (!phone_valid(p->phone))
		return ql_fail(err, QLE_INVALID, "invalid_phone", phone_field,
			       "%s电话“%s”无效（应为 11 位手机号或带区号的固定电话）", who, p->phone);
	return 0;
}

static int check(struct db *db, struct arena *a, struct enterprise *e, struct ql_error *err)
{
	if (!e->uscc || !*e->uscc)
		return ql_fail(err, QLE_INVALID, "required", "uscc", "缺少统一社会信用代码");
	char *u = arena_strdup(a, e->uscc);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	e->uscc = u;
	if (!uscc_valid(u)) {
		bool shape_ok = strlen(u) == 18 && uscc_check_char(u) != 0;
		if (!shape_ok)
			return ql_fail(err, QLE_INVALID, "invalid_uscc", "uscc",
				       "统一社会信用代码“%s”格式错误：应为 18 位数字或大写字母"
				       "（不含 I、O、S、V、Z）", e->uscc);
		if (!e->uscc_override || !*e->uscc_override)
			return ql_fail(err, QLE_INVALID, "invalid_uscc", "uscc",
				       "统一社会信用代码“%s”校验位错误（应为 %c）；早期试点代码确属真实的，"
				       "可由安委办填写原因后强制登记", e->uscc, uscc_check_char(u));
	} else {
		e->uscc_override = NULL;
	}
	if (!e->name || !*e->name)
		return ql_fail(err, QLE_INVALID, "required", "name", "缺少单位名称");
	if (utf8_length(e->name) > 100)
		return ql_fail(err, QLE_INVALID, "too_long", "name", "单位名称过长（最多 100 个字符）");
	if (!e->region_code || !region_code_valid(e->region_code) ||
	    region_level(e->region_code) < 3)
		return ql_fail(err, QLE_INVALID, "invalid_region", "region_code",
			       "所属区划代码应为县级或乡镇级区划代码（6 位或 9 位）");
	struct region g;
	int rc = store_region_get(db, a, e->region_code, &g);
	if (rc < 0)
		return db_fail(db, rc, err);
	if (rc == 0)
		return ql_fail(err, QLE_INVALID, "unknown_region", "region_code", "区划 %s 不存在",
			       e->region_code);
	if (!industry_code_valid(e->industry_code))
		return ql_fail(err, QLE_INVALID, "invalid_industry", "industry_code",
			       "行业代码应符合 GB/T 4754-2017（如 C、C26、C2614）");
	if (check_person(&e->main_person, "main_person.name", "main_person.phone", "主要负责人",
			 err) < 0 ||
	    check_person(&e->controller, "controller.name", "controller.phone", "实际控制人",
			 err) < 0)
		return -1;
	for (int i = 0; i < e->ndepartments; i++) {
		struct department d;
		rc = store_department_get(db, a, e->department_ids[i], &d);
		if (rc < 0)
			return db_fail(db, rc, err);
		if (rc == 0)
			return ql_fail(err, QLE_INVALID, "unknown_department", "department_ids",
				       "监管部门编号 %lld 不存在", (long long)e->department_ids[i]);
	}
	return 0;
}

int enterprise_save(struct db *db, struct arena *a, struct enterprise *e,
		    const struct enterprise *before, const struct actor *who, int64_t now,
		    struct ql_error *err)
{
	if (check(db, a, e, err) < 0)
		return -1;
	e->updated_at = now;
	int rc;
	if (!before) {
		e->created_at = now;
		rc = store_enterprise_insert(db, e);
	} else {
		e->id = before->id;
		e->created_at = before->created_at;
		rc = store_enterprise_update(db, e);
	}
	if (rc == DB_ERR_UNIQUE)
		return ql_fail(err, QLE_CONFLICT, "duplicate", "uscc",
			       "统一社会信用代码 %s 已登记", e->uscc);
	if (rc < 0)
		return db_fail(db, rc, err);
	if ((rc = store_enterprise_set_departments(db, e->id, e->department_ids,
						   e->ndepartments)) < 0)
		return db_fail(db, rc, err);
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	if (before)
		enterprise_json(before, &b1);
	enterprise_json(e, &b2);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)e->id);
	const char *action = before ? "enterprise.update"
				    : e->uscc_override ? "enterprise.create_uscc_override"
						       : "enterprise.create";
	rc = store_audit_append(db, who, now, action, "enterprise", id, before ? b1.data : NULL,
				b2.data, "ok");
	buf_free(&b1);
	buf_free(&b2);
	if (rc < 0)
		return db_fail(db, rc, err);
	return 0;
}
