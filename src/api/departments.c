/*
 * departments.c - departments (行业部门, 安委会成员单位): create, list, get.
 * The system administrator writes; every signed-in user may read.
 */
#include "http.h"
#include "views.h"
#include "../core/validate.h"

static int create(struct req *r)
{
	struct department d = {0};
	TRY(in_body_object(r));
	TRY(in_str(r, "name", true, 64, (const char **)&d.name));
	TRY(in_str(r, "region_code", true, 12, (const char **)&d.region_code));
	struct region g;
	int rc = region_code_valid(d.region_code) ? store_region_get(r->db, r->a, d.region_code, &g)
						  : 0;
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0)
		return reply_fail(r, QLE_INVALID, "unknown_region", "region_code", "区划 %s 不存在",
				  d.region_code);
	rc = store_department_insert(r->db, &d);
	if (rc == DB_ERR_UNIQUE)
		return reply_fail(r, QLE_CONFLICT, "duplicate", "name", "该区划下已有名为“%s”的部门",
				  d.name);
	if (rc < 0)
		return reply_db(r, rc);
	rc = audit(r, "department.create", "department", arena_printf(r->a, "%lld", (long long)d.id),
		   NULL, view_json(r->a, view_department, &d));
	if (rc < 0)
		return reply_db(r, rc);
	view_department(reply_json(r), &d);
	return 201;
}

static int get_one(struct req *r)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	struct department d;
	int rc = store_department_get(r->db, r->a, id, &d);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "部门");
	view_department(reply_json(r), &d);
	return 200;
}

static int list(struct req *r)
{
	int64_t page, per_page;
	TRY(in_page(r, &page, &per_page));
	const char *region = query(r, "region");
	if (region && !region_code_valid(region))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "region", "参数 region 不是有效的区划代码");
	struct department *items;
	int64_t total;
	int n = store_department_list(r->db, r->a, region, (page - 1) * per_page, per_page, &items,
				      &total);
	if (n < 0)
		return reply_db(r, n);
	return reply_list(r, items, n, sizeof *items, view_department, total, page, per_page);
}

const struct route department_routes[] = {
	{"POST", "/api/v1/departments", create, R_BIT(ROLE_SYSADMIN), 0},
	{"GET", "/api/v1/departments", list, R_ANY, 0},
	{"GET", "/api/v1/departments/{id}", get_one, R_ANY, 0},
	{NULL, NULL, NULL, 0, 0},
};
