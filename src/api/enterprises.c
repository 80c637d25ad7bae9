/*
 * enterprises.c - enterprises under supervision (生产经营单位): register,
 * update, list, get.  Office and regulator users register enterprises
 * inside their scope (a regulator's own department becomes one of the
 * supervising departments); every read is scoped in the query itself.
 */
#include "http.h"
#include "../core/validate.h"

#include <stdio.h>
#include <string.h>

static void view_enterprise(struct jsonw *w, const void *e)
{
	enterprise_write_json(w, e);
}

static int read_person(struct req *r, const char *key, struct person *p, bool required)
{
	json_t *o;
	if (in_object(r, key, required, &o) < 0)
		return -1;
	if (!o)
		return 0;
	const char *field_name = strcmp(key, "main_person") == 0 ? "main_person.name" : "controller.name";
	const char *field_phone =
		strcmp(key, "main_person") == 0 ? "main_person.phone" : "controller.phone";
	if (in_str_at(r, o, "name", field_name, required, 32, (const char **)&p->name) < 0 ||
	    in_str_at(r, o, "phone", field_phone, required, 20, (const char **)&p->phone) < 0)
		return -1;
	return 0;
}

/* Reads the body into e; for an update (partial) absent keys keep e's values. */
static int read_enterprise(struct req *r, struct enterprise *e, bool partial)
{
	bool req = !partial;
	const char *s;
	TRY(in_body_object(r));
#define STR(key, max, dst, required)                             \
	do {                                                     \
		if (in_str(r, key, required, max, &s) < 0)       \
			return -1;                               \
		if (s)                                           \
			dst = (char *)s;                         \
	} while (0)
	STR("uscc", 18, e->uscc, req);
	STR("name", 100, e->name, req);
	STR("region_code", 12, e->region_code, req);
	STR("industry_code", 5, e->industry_code, req);
	STR("uscc_override_reason", 200, e->uscc_override, false);
#undef STR
	bool hr = e->high_risk;
	if (in_bool(r, "high_risk", false, &hr) < 0)
		return -1;
	e->high_risk = hr;
	struct person p = e->main_person;
	if (read_person(r, "main_person", &p, req) < 0)
		return -1;
	e->main_person = p;
	p = e->controller;
	if (read_person(r, "controller", &p, req) < 0)
		return -1;
	e->controller = p;
	if (!partial || in_has(r, "department_ids")) {
		int64_t *ids;
		int n;
		if (in_id_array(r, "department_ids", &ids, &n) < 0)
			return -1;
		e->department_ids = ids;
		e->ndepartments = n;
	}
	return 0;
}

/* The caller may register or move an enterprise into this region. */
static bool region_writable(struct req *r, const char *region_code)
{
	return region_code && (r->scope.kind == SCOPE_REGION || r->scope.kind == SCOPE_DEPARTMENT) &&
	       region_in_subtree(region_code, r->scope.region_code);
}

static void ensure_own_department(struct req *r, struct enterprise *e)
{
	if (r->scope.kind != SCOPE_DEPARTMENT)
		return;
	for (int i = 0; i < e->ndepartments; i++)
		if (e->department_ids[i] == r->scope.department_id)
			return;
	int64_t *ids = arena_alloc(r->a, sizeof(int64_t) * (size_t)(e->ndepartments + 1));
	if (e->ndepartments)
		memcpy(ids, e->department_ids, sizeof(int64_t) * (size_t)e->ndepartments);
	ids[e->ndepartments++] = r->scope.department_id;
	e->department_ids = ids;
}

static int check_override(struct req *r, struct enterprise *e)
{
	if (e->uscc_override && r->user.role != ROLE_OFFICE)
		return ql_fail(&r->err, QLE_FORBIDDEN, "forbidden", "uscc_override_reason",
			       "只有安委办可以强制登记校验位不符的信用代码");
	return 0;
}

static int create(struct req *r)
{
	struct enterprise e = {0};
	TRY(read_enterprise(r, &e, false));
	TRY(check_override(r, &e));
	if (e.region_code && region_code_valid(e.region_code) && !region_writable(r, e.region_code))
		return reply_fail(r, QLE_FORBIDDEN, "out_of_scope", "region_code",
				  "只能登记本辖区（%s）内的企业", r->scope.region_code);
	ensure_own_department(r, &e);
	TRY(enterprise_save(r->db, r->a, &e, NULL, &r->actor, r->now, &r->err));
	enterprise_write_json(reply_json(r), &e);
	return 201;
}

int enterprise_from_path(struct req *r, struct enterprise *e)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	int rc = store_enterprise_get(r->db, r->a, &r->scope, id, e);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "企业");
	return 0;
}

static int update(struct req *r)
{
	struct enterprise before, e;
	int rc = enterprise_from_path(r, &before);
	if (rc != 0)
		return rc;
	if (r->user.role != ROLE_OFFICE && r->user.role != ROLE_REGULATOR)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL, "只有安委办和行业部门可以修改企业信息");
	e = before;
	e.uscc_override = NULL;
	TRY(read_enterprise(r, &e, true));
	if (!e.uscc_override && !in_has(r, "uscc") && before.uscc_override)
		e.uscc_override = before.uscc_override;
	TRY(check_override(r, &e));
	if (!region_writable(r, e.region_code))
		return reply_fail(r, QLE_FORBIDDEN, "out_of_scope", "region_code",
				  "只能把企业划入本辖区（%s）内的区划", r->scope.region_code);
	ensure_own_department(r, &e);
	TRY(enterprise_save(r->db, r->a, &e, &before, &r->actor, r->now, &r->err));
	enterprise_write_json(reply_json(r), &e);
	return 200;
}

static int get_one(struct req *r)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	enterprise_write_json(reply_json(r), &e);
	return 200;
}

int enterprise_page(struct req *r, struct enterprise **items, int64_t *total, int64_t *page,
		    int64_t *per_page)
{
	if (in_page(r, page, per_page) < 0)
		return -1;
	struct enterprise_filter f = {.region = query(r, "region"), .q = query(r, "q")};
	if (f.region && !region_code_valid(f.region))
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "region",
			       "参数 region 不是有效的区划代码");
	f.offset = (*page - 1) * *per_page;
	f.limit = *per_page;
	int n = store_enterprise_list(r->db, r->a, &r->scope, &f, items, total);
	return n < 0 ? db_fail(r->db, n, &r->err) : n;
}

int enterprise_rows(struct req *r, const char *count_sql, const char *list_sql, const char *extra,
		    struct db_stmt **st, int64_t *total, int64_t *page, int64_t *per_page)
{
	struct enterprise e;
	int rc = enterprise_from_path(r, &e);
	if (rc != 0)
		return rc;
	TRY(in_page(r, page, per_page));
	for (int k = 0; k < 2; k++) {
		*st = db_stmt(r->db, k ? list_sql : count_sql);
		int i = 1;
		db_bind_int(*st, i++, e.id);
		if (extra)
			db_bind_text(*st, i++, extra);
		if (k) {
			db_bind_int(*st, i++, *per_page);
			db_bind_int(*st, i++, (*page - 1) * *per_page);
		} else {
			*total = db_one_int(*st, 0);
		}
	}
	return 0;
}

static int list(struct req *r)
{
	struct enterprise *items;
	int64_t total, page, per_page;
	int n = enterprise_page(r, &items, &total, &page, &per_page);
	TRY(n);
	return reply_list(r, items, n, sizeof *items, view_enterprise, total, page, per_page);
}

const struct route enterprise_routes[] = {
	{"POST", "/api/v1/enterprises", create, R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR), 0},
	{"GET", "/api/v1/enterprises", list, R_BUSINESS, 0},
	{"GET", "/api/v1/enterprises/{id}", get_one, R_BUSINESS, 0},
	{"PATCH", "/api/v1/enterprises/{id}", update, R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR), 0},
	{NULL, NULL, NULL, 0, 0},
};
