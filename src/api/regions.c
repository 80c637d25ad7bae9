/*
 * regions.c - the region tree (行政区划): create, list, get.
 *
 * A region's parent is implied by its code (GB/T 2260 prefixes): 2103 is
 * under 21, 210323 under 2103, 210323100 under 210323.  Only the system
 * administrator writes; every signed-in user may read the tree, which is
 * organisation, not business data.
 */
#include "http.h"
#include "views.h"
#include "../core/validate.h"

#include <string.h>

static int create(struct req *r)
{
	struct region g = {0};
	TRY(in_body_object(r));
	TRY(in_str(r, "code", true, 12, (const char **)&g.code));
	TRY(in_str(r, "name", true, 64, (const char **)&g.name));
	if (!region_code_valid(g.code))
		return reply_fail(r, QLE_INVALID, "invalid", "code",
				  "区划代码应为 2、4、6、9 或 12 位数字（GB/T 2260）");
	size_t plen = region_parent_len(strlen(g.code));
	struct region parent;
	if (plen) {
		g.parent_code = arena_strndup(r->a, g.code, plen);
		int rc = store_region_get(r->db, r->a, g.parent_code, &parent);
		if (rc < 0)
			return reply_db(r, rc);
		if (rc == 0)
			return reply_fail(r, QLE_INVALID, "parent_missing", "code",
					  "上级区划 %s 不存在，请先创建上级区划", g.parent_code);
	}
	g.level = region_level(g.code);
	int rc = store_region_insert(r->db, &g);
	if (rc == DB_ERR_UNIQUE)
		return reply_fail(r, QLE_CONFLICT, "duplicate", "code", "区划代码 %s 已存在", g.code);
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "region.create", "region", g.code, NULL, view_json(r->a, view_region, &g))) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	view_region(w, &g);
	return 201;
}

static int get_one(struct req *r)
{
	struct region g;
	int rc = store_region_get(r->db, r->a, r->params[0], &g);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "区划");
	struct jsonw *w = reply_json(r);
	view_region(w, &g);
	return 200;
}

static int list(struct req *r)
{
	int64_t page, per_page;
	TRY(in_page(r, &page, &per_page));
	const char *under = query(r, "under"), *parent = query(r, "parent");
	if (under && !region_code_valid(under))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "under", "参数 under 不是有效的区划代码");
	if (parent && !region_code_valid(parent))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "parent",
				  "参数 parent 不是有效的区划代码");
	struct region *items;
	int64_t total;
	int n = store_region_list(r->db, r->a, under, parent, (page - 1) * per_page, per_page,
				  &items, &total);
	if (n < 0)
		return reply_db(r, n);
	return reply_list(r, items, n, sizeof *items, view_region, total, page, per_page);
}

const struct route region_routes[] = {
	{"POST", "/api/v1/regions", create, R_BIT(ROLE_SYSADMIN), 0},
	{"GET", "/api/v1/regions", list, R_ANY, ROUTE_PUBLIC},
	{"GET", "/api/v1/regions/{code}", get_one, R_ANY, ROUTE_PUBLIC},
	{NULL, NULL, NULL, 0, 0},
};
