/*
 * tips.c - public tip-offs 举报: anyone may report (anonymously if they
 * wish) and follow the report by its tracking code, which reveals the
 * status and nothing else; the office or department of the region
 * reviews it: verified 查实 (with the reward paid) or rejected with a
 * reason.  Reports are limited per address to keep the channel usable.
 */
#include "http.h"
#include "views.h"
#include "hazards.h"
#include "../core/hazard.h"
#include "../core/date.h"
#include "../core/validate.h"
#include "../store/query.h"
#include "../lib/clock.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TIPS_PER_HOUR 10

static const char SQL_RECENT[] =
	"SELECT count(*) FROM tips WHERE address = ? AND created_at > ?";
static const char SQL_INSERT[] =
	"INSERT INTO tips (tracking_code, region_code, description, place, enterprise_id, anonymous,"
	" contact, address, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)";
static const char SQL_TRACK[] =
	"SELECT status, reviewed_on, created_at FROM tips WHERE tracking_code = ?";
static const char SQL_ENT_REGION[] = "SELECT region_code FROM enterprises WHERE id = ?";

static void tracking_code(char out[16])
{
	static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRTUWXY";
	out[0] = 'J', out[1] = 'B';
	for (int i = 2; i < 14; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[14] = 0;
}

static int submit(struct req *r)
{
	const char *region, *description, *place, *contact;
	int64_t ent = 0;
	bool anonymous = false;
	TRY(in_body_object(r));
	TRY(in_str(r, "region_code", true, 12, &region));
	TRY(in_str(r, "description", true, 2000, &description));
	TRY(in_str(r, "place", true, 200, &place));
	TRY(in_int(r, "enterprise_id", false, &ent));
	TRY(in_bool(r, "anonymous", false, &anonymous));
	TRY(in_str(r, "contact", !anonymous, 64, &contact));
	struct region g;
	int rc = region_code_valid(region) ? store_region_get(r->db, r->a, region, &g) : 0;
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0)
		return reply_fail(r, QLE_INVALID, "unknown_region", "region_code", "区划 %s 不存在", region);
	if (ent) {
		struct db_stmt *st = db_stmt(r->db, SQL_ENT_REGION);
		db_bind_int(st, 1, ent);
		bool found = db_step(st) == DB_ROW;
		db_done(st);
		if (!found)
			return reply_fail(r, QLE_INVALID, "unknown_enterprise", "enterprise_id",
					  "被举报企业不存在");
	}
	struct db_stmt *st = db_stmt(r->db, SQL_RECENT);
	db_bind_text(st, 1, r->address);
	db_bind_int(st, 2, r->now - 3600);
	if (db_one_int(st, 0) >= TIPS_PER_HOUR)
		return reply_fail(r, QLE_TOO_MANY, "rate_limited", NULL,
				  "提交过于频繁，请一小时后再试；紧急情况请拨打 12350 举报电话");
	char code[16];
	tracking_code(code);
	st = db_stmt(r->db, SQL_INSERT);
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, region);
	db_bind_text(st, 3, description);
	db_bind_text(st, 4, place);
	db_bind_opt_int(st, 5, ent);
	db_bind_bool(st, 6, anonymous);
	db_bind_text(st, 7, anonymous ? NULL : contact);
	db_bind_text(st, 8, r->address);
	db_bind_int(st, 9, r->now);
	if ((rc = db_run(st)) < 0)
		return reply_db(r, rc);
	struct actor public_actor = {0, "public", NULL, r->address};
	if ((rc = store_audit_append(r->db, &public_actor, r->now, "tip.create", "tip", code, NULL,
				     NULL, "ok")) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "tracking_code", code);
	jw_obj_end(w);
	return 201;
}

static const char *const TIP_LABEL[][2] = {
	{"pending", "待核查"}, {"verified", "已查实"}, {"rejected", "不予查实"}};

static const char *tip_label(const char *status)
{
	for (size_t i = 0; i < 3; i++)
		if (status && strcmp(status, TIP_LABEL[i][0]) == 0)
			return TIP_LABEL[i][1];
	return "";
}

static int track(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, SQL_TRACK);
	db_bind_text(st, 1, r->params[0]);
	if (db_step(st) != DB_ROW) {
		db_done(st);
		return reply_fail(r, QLE_NOT_FOUND, "not_found", NULL, "查询码不存在，请核对后重试");
	}
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "tracking_code", r->params[0]);
	jw_kstr(w, "status", db_col_text(st, 0));
	jw_kstr(w, "status_label", tip_label(db_col_text(st, 0)));
	jw_kstr(w, "reviewed_on", db_col_text(st, 1));
	jw_obj_end(w);
	db_done(st);
	return 200;
}

/* The region the caller reviews tips of. */
static const char *review_region(struct req *r)
{
	return r->scope.kind == SCOPE_REGION || r->scope.kind == SCOPE_DEPARTMENT
		       ? r->scope.region_code : NULL;
}

static const char SQL_LIST_COUNT[] =
	"SELECT count(*) FROM tips WHERE region_code >= ? AND region_code < ? AND status LIKE ?";
static const char SQL_LIST[] =
	"SELECT id, tracking_code, region_code, description, place, enterprise_id, anonymous,"
	" contact, status, reviewed_on, reward_fen, reason, created_at FROM tips"
	" WHERE region_code >= ? AND region_code < ? AND status LIKE ? ORDER BY id DESC"
	" LIMIT ? OFFSET ?";

static int list(struct req *r)
{
	int64_t page, per_page;
	TRY(in_page(r, &page, &per_page));
	const char *status = query(r, "status");
	if (status && strcmp(status, "pending") && strcmp(status, "verified") &&
	    strcmp(status, "rejected"))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "status",
				  "参数 status 应为 pending、verified 或 rejected");
	const char *root = review_region(r);
	if (!root)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL, "无权查看举报");
	const char *hi = region_upper_bound(r->a, root);
	struct db_stmt *st = db_stmt(r->db, SQL_LIST_COUNT);
	db_bind_text(st, 1, root);
	db_bind_text(st, 2, hi);
	db_bind_text(st, 3, status ? status : "%");
	int64_t total = db_one_int(st, 0);
	st = db_stmt(r->db, SQL_LIST);
	db_bind_text(st, 1, root);
	db_bind_text(st, 2, hi);
	db_bind_text(st, 3, status ? status : "%");
	db_bind_int(st, 4, per_page);
	db_bind_int(st, 5, (page - 1) * per_page);
	struct jsonw *w = reply_list_open(r);
	while (db_step(st) == DB_ROW) {
		jw_obj(w);
		jw_kint(w, "id", db_col_int(st, 0));
		jw_kstr(w, "tracking_code", db_col_text(st, 1));
		jw_kstr(w, "region_code", db_col_text(st, 2));
		jw_kstr(w, "description", db_col_text(st, 3));
		jw_kstr(w, "place", db_col_text(st, 4));
		view_col_int(w, "enterprise_id", st, 5);
		jw_kbool(w, "anonymous", db_col_int(st, 6) != 0);
		jw_kstr(w, "contact", db_col_text(st, 7));
		jw_kstr(w, "status", db_col_text(st, 8));
		jw_kstr(w, "status_label", tip_label(db_col_text(st, 8)));
		jw_kstr(w, "reviewed_on", db_col_text(st, 9));
		jw_key(w, "reward");
		jw_fen(w, db_col_int(st, 10));
		jw_kstr(w, "reason", db_col_text(st, 11));
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

static const char SQL_GET[] =
	"SELECT region_code, status, enterprise_id, description, place FROM tips WHERE id = ?";
static const char SQL_REVIEW[] =
	"UPDATE tips SET status = ?, reviewed_on = ?, reviewed_by = ?, reviewer_department_id = ?,"
	" reward_fen = ?, reason = ?, hazard_id = ? WHERE id = ?";

/* A verified tip may be registered as a hazard (source tip) of an
 * enterprise in the reviewer's scope: the tip's own enterprise or one
 * named now.  Fills *hazard_id. */
static int tip_to_hazard(struct req *r, int64_t tip_enterprise, const char *description,
			 const char *place, const char *date, int64_t *hazard_id)
{
	int64_t ent = tip_enterprise;
	const char *level = "general", *category = "site", *basis = NULL;
	if (in_int(r, "enterprise_id", !ent, &ent) < 0 ||
	    in_str(r, "level", false, 16, &level) < 0 || in_str(r, "category", false, 16, &category) < 0)
		return -1;
	if (!level)
		level = "general";
	if (!category)
		category = "site";
	if (hazard_level_parse(level) < 0)
		return ql_fail(&r->err, QLE_INVALID, "invalid_enum", "level", "level 应为 general 或 major");
	if (hazard_category_parse(category) < 0)
		return ql_fail(&r->err, QLE_INVALID, "invalid_enum", "category",
			       "category 应为 management 或 site");
	if (in_str(r, "basis", strcmp(level, "major") == 0, 500, &basis) < 0)
		return -1;
	struct enterprise e;
	int rc = store_enterprise_get(r->db, r->a, &r->scope, ent, &e);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc == 0)
		return ql_fail(&r->err, QLE_FORBIDDEN, "out_of_scope", "enterprise_id",
			       "企业 %lld 不存在或不在您的管辖范围内", (long long)ent);
	struct hazard h = {0};
	h.level = (char *)level;
	h.category = (char *)category;
	h.source = "tip";
	h.location = (char *)place;
	h.description = (char *)description;
	h.basis = (char *)basis;
	h.found_on = (char *)date;
	if ((rc = hazard_register(r, &h, &e, "群众举报查实")) < 0)
		return db_fail(r->db, rc, &r->err);
	*hazard_id = h.id;
	return 0;
}

static int review(struct req *r)
{
	int64_t id, fen = 0;
	const char *result, *date, *reason;
	TRY(in_path_id(r, 0, &id));
	struct db_stmt *st = db_stmt(r->db, SQL_GET);
	db_bind_int(st, 1, id);
	char region[16] = "", status[16] = "";
	int64_t tip_ent = 0;
	const char *description = NULL, *place = NULL;
	if (db_step(st) == DB_ROW) {
		snprintf(region, sizeof region, "%s", db_col_text(st, 0));
		snprintf(status, sizeof status, "%s", db_col_text(st, 1));
		tip_ent = db_col_int(st, 2);
		description = arena_strdup(r->a, db_col_text(st, 3));
		place = arena_strdup(r->a, db_col_text(st, 4));
	}
	db_done(st);
	const char *root = review_region(r);
	if (!region[0] || !root || !region_in_subtree(region, root))
		return reply_not_found(r, "举报");
	TRY(in_body_object(r));
	TRY(in_str(r, "result", true, 16, &result));
	if (strcmp(result, "verified") && strcmp(result, "rejected"))
		return reply_fail(r, QLE_INVALID, "invalid_enum", "result", "result 应为 verified 或 rejected");
	TRY(in_date(r, "date", true, &date));
	bool verified = strcmp(result, "verified") == 0;
	TRY(in_amount(r, "reward", false, &fen));
	TRY(in_str(r, "reason", !verified, 2000, &reason));
	if (!verified && fen)
		return reply_fail(r, QLE_INVALID, "invalid", "reward", "不予查实的举报不能发放奖励");
	if (strcmp(status, "pending") != 0)
		return reply_fail(r, QLE_CONFLICT, "already_reviewed", NULL, "该举报已核查完毕");
	bool make_hazard = false;
	int64_t hazard_id = 0;
	TRY(in_bool(r, "create_hazard", false, &make_hazard));
	if (make_hazard && !verified)
		return reply_fail(r, QLE_INVALID, "invalid", "create_hazard", "只有查实的举报才能登记为隐患");
	if (make_hazard) {
		TRY(tip_to_hazard(r, tip_ent, description, place, date, &hazard_id));
		int rc = store_attachments_tip_to_hazard(r->db, id, hazard_id);
		if (rc < 0)
			return reply_db(r, rc);
	}
	st = db_stmt(r->db, SQL_REVIEW);
	db_bind_text(st, 1, result);
	db_bind_text(st, 2, date);
	db_bind_int(st, 3, r->user.id);
	db_bind_opt_int(st, 4, r->scope.kind == SCOPE_DEPARTMENT ? r->scope.department_id : 0);
	db_bind_int(st, 5, fen);
	db_bind_text(st, 6, reason);
	db_bind_opt_int(st, 7, hazard_id);
	db_bind_int(st, 8, id);
	int rc = db_run(st);
	if (rc < 0)
		return reply_db(r, rc);
	if ((rc = audit_with_body(r, "tip.review", "tip", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kstr(w, "status", result);
	jw_kstr(w, "reviewed_on", date);
	jw_key(w, "reward");
	jw_fen(w, fen);
	jw_kid(w, "hazard_id", hazard_id);
	jw_obj_end(w);
	return 200;
}

/* --- photos sent with a tip ---------------------------------------------- */

#define TIP_PHOTOS_MAX 5

static const char SQL_BY_CODE[] = "SELECT id, status FROM tips WHERE tracking_code = ?";
static const char SQL_PHOTO_COUNT[] = "SELECT count(*) FROM attachments WHERE tip_id = ?";

/* The reporter adds photos with the tracking code, while the tip waits
 * for review; at most TIP_PHOTOS_MAX. */
static int add_photo(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, SQL_BY_CODE);
	db_bind_text(st, 1, r->params[0]);
	int64_t id = 0;
	bool pending = false;
	if (db_step(st) == DB_ROW) {
		id = db_col_int(st, 0);
		pending = strcmp(db_col_text(st, 1), "pending") == 0;
	}
	db_done(st);
	if (!id)
		return reply_fail(r, QLE_NOT_FOUND, "not_found", NULL, "查询码不存在，请核对后重试");
	if (!pending)
		return reply_fail(r, QLE_CONFLICT, "already_reviewed", NULL, "该举报已核查完毕，不能再补充照片");
	st = db_stmt(r->db, SQL_PHOTO_COUNT);
	db_bind_int(st, 1, id);
	if (db_one_int(st, 0) >= TIP_PHOTOS_MAX)
		return reply_fail(r, QLE_CONFLICT, "too_many", "file", "每条举报最多上传 %d 张照片",
				  TIP_PHOTOS_MAX);
	struct attachment att = {.tip_id = id};
	TRY(attachment_receive(r, true, &att));
	int rc = store_attachment_insert(r->db, &att);
	if (rc < 0 || (rc = audit(r, "tip.photo", "tip", arena_printf(r->a, "%lld", (long long)id),
				  NULL, NULL)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", att.id);
	jw_kstr(w, "name", att.name);
	jw_kint(w, "width", att.width);
	jw_kint(w, "height", att.height);
	jw_obj_end(w);
	return 201;
}

/* The tip of the path's first id, if the caller reviews its region. */
static int tip_in_scope(struct req *r, int64_t *id)
{
	TRY(in_path_id(r, 0, id));
	struct db_stmt *st = db_stmt(r->db, SQL_GET);
	db_bind_int(st, 1, *id);
	char region[16] = "";
	if (db_step(st) == DB_ROW)
		snprintf(region, sizeof region, "%s", db_col_text(st, 0));
	db_done(st);
	const char *root = review_region(r);
	if (!region[0] || !root || !region_in_subtree(region, root))
		return reply_not_found(r, "举报");
	return 0;
}

static int list_photos(struct req *r)
{
	int64_t id;
	int rc = tip_in_scope(r, &id);
	if (rc != 0)
		return rc;
	struct attachment *items;
	int n = store_attachment_list(r->db, r->a, AO_TIP, id, &items);
	if (n < 0)
		return reply_db(r, n);
	return attachment_reply_list(r, items, n, arena_printf(r->a, "/api/v1/tips/%lld/photos",
								(long long)id));
}

static int photo_file(struct req *r, bool thumb)
{
	int64_t id, pid;
	int rc = tip_in_scope(r, &id);
	if (rc != 0)
		return rc;
	TRY(in_path_id(r, 1, &pid));
	struct attachment att;
	rc = store_attachment_get_of(r->db, r->a, AO_TIP, id, pid, &att);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "照片");
	return attachment_reply_file(r, &att, thumb);
}

static int get_photo(struct req *r)
{
	return photo_file(r, false);
}

static int get_photo_thumb(struct req *r)
{
	return photo_file(r, true);
}

#define REVIEWERS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route tip_routes[] = {
	{"POST", "/api/v1/tips", submit, R_ANY, ROUTE_PUBLIC},
	{"GET", "/api/v1/tips", list, REVIEWERS, 0},
	{"GET", "/api/v1/tips/track/{code}", track, R_ANY, ROUTE_PUBLIC},
	{"POST", "/api/v1/tips/{id}/review", review, REVIEWERS, 0},
	{"POST", "/api/v1/tips/{code}/photos", add_photo, R_ANY, ROUTE_PUBLIC | ROUTE_UPLOAD},
	{"GET", "/api/v1/tips/{id}/photos", list_photos, REVIEWERS, 0},
	{"GET", "/api/v1/tips/{id}/photos/{pid}", get_photo, REVIEWERS, 0},
	{"GET", "/api/v1/tips/{id}/photos/{pid}/thumb", get_photo_thumb, REVIEWERS, 0},
	{NULL, NULL, NULL, 0, 0},
};
