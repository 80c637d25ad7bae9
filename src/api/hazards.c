/*
 * hazards.c - the hazard closed loop over HTTP: registration, the ledger
 * (list with filters), a hazard with its history, transitions, listing
 * for supervision (挂牌督办) and statistics.
 *
 * Every hazard is read through the caller's scope; one outside it is
 * simply not found (404).  The rules of who may do what in which status
 * live in core/hazard.c; this file gathers the facts they need, checks
 * the fields each action requires, and writes the change, its history
 * entry and its audit entry in the request's one transaction.
 */
#include "http.h"
#include "views.h"
#include "hazards.h"
#include "../core/date.h"
#include "../core/hazard.h"
#include "../core/validate.h"
#include "../io/table.h"
#include "../lib/clock.h"
#include "../lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Today's date in Asia/Shanghai, against which deadlines are compared. */
static const char *today(struct req *r)
{
	char *d = arena_alloc(r->a, 16);
	clock_format_date_cn(r->now, d, 16);
	return d;
}

/* Opens the hazard's JSON object and writes its fields; the caller may
 * add more keys and closes it. */
static void view_hazard(struct req *r, struct jsonw *w, const struct hazard *h, const char *day)
{
	enum hazard_status st = hazard_status_parse(h->status);
	jw_obj(w);
	jw_kint(w, "id", h->id);
	jw_kstr(w, "code", h->code);
	jw_kint(w, "enterprise_id", h->enterprise_id);
	jw_kstr(w, "enterprise_name", h->enterprise_name);
	jw_kstr(w, "region_code", h->region_code);
	jw_kstr(w, "industry_code", h->industry_code);
	jw_kstr(w, "level", h->level);
	jw_kstr(w, "level_label", hazard_level_label(hazard_level_parse(h->level)));
	jw_kstr(w, "category", h->category);
	jw_kstr(w, "category_label", hazard_category_label(hazard_category_parse(h->category)));
	jw_kstr(w, "source", h->source);
	jw_kstr(w, "source_label", hazard_source_label(hazard_source_parse(h->source)));
	jw_kstr(w, "status", h->status);
	jw_kstr(w, "status_label", hazard_status_label(st));
	jw_kstr(w, "location", h->location);
	jw_kstr(w, "description", h->description);
	jw_kstr(w, "basis", h->basis);
	jw_kstr(w, "found_on", h->found_on);
	jw_kstr(w, "found_by", h->found_by);
	jw_kid(w, "inspection_id", h->inspection_id);
	jw_kstr(w, "deadline", h->deadline);
	jw_kbool(w, "overdue", hazard_overdue(st, h->deadline, day));
	jw_kbool(w, "supervised", h->supervised);
	jw_kbool(w, "rectified_on_spot", h->rectified_on_spot);
	jw_kstr(w, "responsible_person", h->responsible_person);
	jw_kstr(w, "measures", h->measures);
	jw_key(w, "funds");
	if (h->funds_fen >= 0)
		jw_fen(w, h->funds_fen);
	else
		jw_null(w);
	jw_kstr(w, "emergency_plan", h->emergency_plan);
	jw_kstr(w, "interim_measures", h->interim_measures);
	jw_key(w, "remediation_plan");
	if (h->remediation_plan)
		jw_raw(w, h->remediation_plan);
	else
		jw_null(w);
	jw_kid(w, "department_id", h->department_id);
	view_time(w, "created_at", h->created_at);
	view_time(w, "updated_at", h->updated_at);
	view_time(w, "closed_at", h->closed_at);
	(void)r;
}

/* Writes the hazard with its history and supervision listings. */
/* How the caller stands to the hazard (core/hazard.h); < 0 on a
 * database error. */
static int actor_of(struct req *r, const struct hazard *h, struct hazard_actor *who)
{
	*who = (struct hazard_actor){.role = r->user.role};
	who->own_enterprise =
		r->scope.kind == SCOPE_ENTERPRISE && r->scope.enterprise_id == h->enterprise_id;
	who->dept_found = h->department_id != 0;
	if (r->user.role == ROLE_REGULATOR) {
		who->found_by_dept = h->department_id && h->department_id == r->scope.department_id;
		int rc = store_department_supervises(r->db, r->scope.department_id, h->enterprise_id);
		if (rc < 0)
			return rc;
		who->supervises = rc > 0;
	}
	who->office_covers = r->user.role == ROLE_OFFICE; /* loaded through its scope */
	return 0;
}

static int reply_hazard(struct req *r, const struct hazard *h, int status)
{
	struct hazard_actor who;
	int rc = actor_of(r, h, &who);
	if (rc < 0)
		return reply_db(r, rc);
	struct hazard_event *ev;
	int n = store_hazard_events(r->db, r->a, h->id, &ev);
	if (n < 0)
		return reply_db(r, n);
	struct hazard_supervision *sv;
	int ns = store_supervisions(r->db, r->a, h->id, &sv);
	if (ns < 0)
		return reply_db(r, ns);
	struct jsonw *w = reply_json(r);
	view_hazard(r, w, h, today(r));
	jw_key(w, "history");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "action", ev[i].action);
		jw_kstr(w, "action_label", hazard_event_label(ev[i].action));
		jw_kstr(w, "from_status", ev[i].from_status);
		jw_kstr(w, "to_status", ev[i].to_status);
		jw_kstr(w, "by", ev[i].user_name);
		jw_kint(w, "by_user_id", ev[i].user_id);
		view_time(w, "at", ev[i].at);
		jw_kstr(w, "note", ev[i].note);
		jw_key(w, "data");
		if (ev[i].data_json)
			jw_raw(w, ev[i].data_json);
		else
			jw_null(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "supervisions");
	jw_arr(w);
	for (int i = 0; i < ns; i++) {
		jw_obj(w);
		jw_kstr(w, "region_code", sv[i].region_code);
		jw_kstr(w, "deadline", sv[i].deadline);
		jw_kstr(w, "note", sv[i].note);
		view_time(w, "listed_at", sv[i].listed_at);
		view_time(w, "delisted_at", sv[i].delisted_at);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	/* What the caller may do now: the interface offers only these. */
	enum hazard_status st = hazard_status_parse(h->status);
	enum hazard_level lv = hazard_level_parse(h->level);
	jw_key(w, "actions");
	jw_arr(w);
	for (int a = 0; a < HA_COUNT; a++) {
		if (hazard_next(st, a, lv) == HS_NONE || !hazard_may(&who, a, st))
			continue;
		jw_obj(w);
		jw_kstr(w, "action", hazard_action_name(a));
		jw_kstr(w, "label", hazard_action_label(a));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return status;
}

static char *id_str(struct req *r, int64_t id)
{
	return arena_printf(r->a, "%lld", (long long)id);
}

static int add_event(struct req *r, const struct hazard *h, const char *action, const char *from,
		     const char *note, const char *data_json)
{
	struct hazard_event e = {
		.hazard_id = h->id,
		.action = (char *)action,
		.from_status = (char *)from,
		.to_status = h->status,
		.user_id = r->user.id,
		.user_name = r->user.name,
		.at = r->now,
		.note = (char *)note,
		.data_json = (char *)data_json,
	};
	return store_hazard_event_insert(r->db, &e);
}

/* Reads an enum field: 422 naming the field if absent or not one of them. */
static int in_enum(struct req *r, const char *key, int (*parse)(const char *), const char *allowed,
		   const char **name, int *value)
{
	if (in_str(r, key, true, 32, name) < 0)
		return -1;
	*value = parse(*name);
	if (*value < 0)
		return ql_fail(&r->err, QLE_INVALID, "invalid_enum", key, "字段 %s 的取值“%s”无效，应为 %s",
			       key, *name, allowed);
	return 0;
}

static int parse_level(const char *s) { return hazard_level_parse(s); }
static int parse_category(const char *s) { return hazard_category_parse(s); }
static int parse_source(const char *s) { return hazard_source_parse(s); }
static int parse_action(const char *s) { return hazard_action_parse(s); }

static int notify_major(struct req *r, const struct hazard *h, const struct enterprise *e)
{
	const char *msg = arena_printf(
		r->a, "【清零】贵单位“%s”登记重大事故隐患 %s（%s：%s），请立即组织整改并落实“五落实”。",
		e->name, h->code, h->location, h->description);
	const struct {
		const char *who;
		const struct person *p;
	} to[] = {{"main_person", &e->main_person}, {"controller", &e->controller}};
	for (int i = 0; i < 2; i++) {
		int rc = store_outbox_add(r->db, "major_hazard_registered", h->id, e->id, to[i].who,
					  to[i].p->name, to[i].p->phone, msg, r->now);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Registers a hazard whose fields the caller has checked: fills what
 * registration decides (enterprise copies, department, code, times), writes
 * it with its first history entry, notifies for a major hazard and audits.
 * Returns 0 or a negative store code.  Shared with tip verification. */
int hazard_register(struct req *r, struct hazard *h, const struct enterprise *e, const char *note)
{
	h->enterprise_id = e->id;
	h->enterprise_name = e->name;
	h->region_code = e->region_code;
	h->industry_code = e->industry_code;
	if (!h->status)
		h->status = (char *)hazard_status_name(HS_OPEN);
	h->funds_fen = -1;
	h->department_id = r->scope.kind == SCOPE_DEPARTMENT ? r->scope.department_id : 0;
	if (!h->found_by)
		h->found_by = r->user.name;
	h->created_by = r->user.id;
	h->created_at = h->updated_at = r->now;
	const char *day = today(r);
	int64_t n;
	char county[7];
	snprintf(county, sizeof county, "%.6s", e->region_code);
	int year = atoi(day);
	int rc = store_hazard_next_number(r->db, county, year, &n);
	if (rc < 0)
		return rc;
	h->code = arena_printf(r->a, "YH-%s-%d-%06lld", county, year, (long long)n);
	if ((rc = store_hazard_insert(r->db, h)) < 0)
		return rc;
	if ((rc = add_event(r, h, "register", NULL, note, NULL)) < 0)
		return rc;
	if (strcmp(h->level, "major") == 0 && (rc = notify_major(r, h, e)) < 0)
		return rc;
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b);
	view_hazard(r, &w, h, day);
	jw_obj_end(&w);
	rc = audit(r, "hazard.create", "hazard", id_str(r, h->id), NULL, buf_str(&b));
	buf_free(&b);
	return rc;
}

static int create(struct req *r)
{
	struct hazard h = {0};
	int64_t ent_id;
	int level, category, source;
	bool on_spot = false;
	TRY(in_body_object(r));
	TRY(in_int(r, "enterprise_id", true, &ent_id));
	TRY(in_enum(r, "level", parse_level, "general 或 major", (const char **)&h.level, &level));
	TRY(in_enum(r, "category", parse_category, "management 或 site", (const char **)&h.category,
		    &category));
	TRY(in_enum(r, "source", parse_source,
		    "self、inspection、supervision、tip、assigned、lookback 之一",
		    (const char **)&h.source, &source));
	TRY(in_str(r, "location", true, 200, (const char **)&h.location));
	TRY(in_str(r, "description", true, 2000, (const char **)&h.description));
	TRY(in_str(r, "basis", level == HL_MAJOR, 500, (const char **)&h.basis));
	TRY(in_date(r, "found_on", true, (const char **)&h.found_on));
	TRY(in_str(r, "found_by", false, 64, (const char **)&h.found_by));
	TRY(in_date(r, "deadline", false, (const char **)&h.deadline));
	TRY(in_bool(r, "rectified_on_spot", false, &on_spot));
	const char *evidence;
	TRY(in_str(r, "rectification_note", false, 2000, &evidence));
	int64_t inspection_id = 0;
	TRY(in_int(r, "inspection_id", false, &inspection_id));

	const char *day = today(r);
	if (strcmp(h.found_on, day) > 0)
		return reply_fail(r, QLE_INVALID, "future_date", "found_on", "发现日期不能晚于今天（%s）",
				  day);
	if (h.deadline && strcmp(h.deadline, h.found_on) < 0)
		return reply_fail(r, QLE_INVALID, "invalid_deadline", "deadline",
				  "整改期限不能早于发现日期");
	if (on_spot && level == HL_MAJOR)
		return reply_fail(r, QLE_INVALID, "major_on_spot", "rectified_on_spot",
				  "重大事故隐患不能即查即改销号，须制定治理方案并经部门审核核销");

	struct enterprise e;
	int rc = store_enterprise_get(r->db, r->a, &r->scope, ent_id, &e);
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0)
		return reply_fail(r, QLE_FORBIDDEN, "out_of_scope", "enterprise_id",
				  "企业 %lld 不存在或不在您的管辖范围内", (long long)ent_id);
	if (r->user.role == ROLE_ENTERPRISE && source != HSRC_SELF)
		return reply_fail(r, QLE_INVALID, "invalid_source", "source",
				  "企业登记的隐患来源只能是企业自查（self）");
	if (r->user.role != ROLE_ENTERPRISE && source == HSRC_SELF)
		return reply_fail(r, QLE_INVALID, "invalid_source", "source",
				  "企业自查（self）的隐患只能由企业登记");

	h.rectified_on_spot = on_spot;
	h.status = (char *)hazard_status_name(on_spot ? HS_CLOSED : HS_OPEN);
	if (on_spot) {
		h.closed_at = r->now;
		h.measures = (char *)evidence;
	}
	if (inspection_id) {
		int64_t ie = 0, idept = 0;
		rc = store_inspection_get(r->db, inspection_id, &ie, &idept);
		if (rc < 0)
			return reply_db(r, rc);
		bool mine = r->scope.kind == SCOPE_DEPARTMENT ? idept == r->scope.department_id
							      : r->user.role == ROLE_OFFICE;
		if (rc == 0 || ie != e.id || !mine)
			return reply_fail(r, QLE_INVALID, "unknown_inspection", "inspection_id",
					  "检查记录 %lld 不存在、不属于该企业或不是本单位的检查",
					  (long long)inspection_id);
		if (source != HSRC_INSPECTION && source != HSRC_SUPERVISION)
			return reply_fail(r, QLE_INVALID, "invalid_source", "source",
					  "检查发现的隐患来源应为 inspection 或 supervision");
		h.inspection_id = inspection_id;
	}
	const char *note = on_spot ? (evidence ? arena_printf(r->a, "即查即改：%s", evidence) : "即查即改")
				   : NULL;
	if ((rc = hazard_register(r, &h, &e, note)) < 0)
		return reply_db(r, rc);
	return reply_hazard(r, &h, 201);
}

int hazard_from_path(struct req *r, struct hazard *h)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	int rc = store_hazard_get(r->db, r->a, &r->scope, id, h);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "隐患");
	return 0;
}

static int get_one(struct req *r)
{
	struct hazard h;
	int rc = hazard_from_path(r, &h);
	if (rc != 0)
		return rc;
	return reply_hazard(r, &h, 200);
}

/* Reads a boolean query parameter: -1 absent, 0/1, or -2 invalid. */
static int query_bool(struct req *r, const char *key)
{
	const char *v = query(r, key);
	if (!v)
		return -1;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return 0;
	return -2;
}

static int read_filter(struct req *r, struct hazard_filter *f)
{
	memset(f, 0, sizeof *f);
	f->region = query(r, "region");
	if (f->region && !region_code_valid(f->region))
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "region", "参数 region 不是有效的区划代码");
	const char *ent = query(r, "enterprise_id");
	if (ent) {
		char *end;
		f->enterprise_id = strtoll(ent, &end, 10);
		if (*end || f->enterprise_id <= 0)
			return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "enterprise_id",
				       "参数 enterprise_id 应为正整数");
	}
	f->level = query(r, "level");
	if (f->level && hazard_level_parse(f->level) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "level", "参数 level 应为 general 或 major");
	f->status = query(r, "status");
	if (f->status && hazard_status_parse(f->status) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "status", "参数 status 不是有效的隐患状态");
	f->source = query(r, "source");
	if (f->source && hazard_source_parse(f->source) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "source", "参数 source 不是有效的隐患来源");
	int64_t days;
	f->found_from = query(r, "found_from");
	if (f->found_from && date_parse(f->found_from, &days) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "found_from", "参数 found_from 应为日期 YYYY-MM-DD");
	f->found_to = query(r, "found_to");
	if (f->found_to && date_parse(f->found_to, &days) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "found_to", "参数 found_to 应为日期 YYYY-MM-DD");
	f->overdue = query_bool(r, "overdue");
	if (f->overdue == -2)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "overdue", "参数 overdue 应为 true 或 false");
	f->supervised = query_bool(r, "supervised");
	if (f->supervised == -2)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "supervised", "参数 supervised 应为 true 或 false");
	f->q = query(r, "q");
	if (f->q && strlen(f->q) > 100)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "q", "搜索词过长");
	f->sort = query(r, "sort");
	const char *order = query(r, "order");
	f->desc = !order || strcmp(order, "asc") != 0;
	if (f->sort && strcmp(f->sort, "created_at") && strcmp(f->sort, "found_on") &&
	    strcmp(f->sort, "deadline") && strcmp(f->sort, "code") && strcmp(f->sort, "updated_at"))
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "sort",
			       "参数 sort 应为 created_at、found_on、deadline、code、updated_at 之一");
	f->today = today(r);
	return 0;
}

static int list(struct req *r)
{
	int64_t page, per_page;
	struct hazard_filter f;
	TRY(in_page(r, &page, &per_page));
	TRY(read_filter(r, &f));
	f.offset = (page - 1) * per_page;
	f.limit = per_page;
	struct hazard *items;
	int64_t total;
	int n = store_hazard_list(r->db, r->a, &r->scope, &f, &items, &total);
	if (n < 0)
		return reply_db(r, n);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		view_hazard(r, w, &items[i], f.today);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "total", total);
	jw_kint(w, "page", page);
	jw_kint(w, "per_page", per_page);
	jw_obj_end(w);
	return 200;
}

/* --- export ---------------------------------------------------------- */

#define EXPORT_MAX_ROWS 100000

static char *xdup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int export(struct req *r)
{
	static const char *const HEAD[] = {
		"隐患编号", "企业名称", "所属区划", "行业代码", "隐患级别", "隐患类别", "隐患来源",
		"隐患部位", "隐患描述", "判定依据", "发现日期", "发现人", "状态", "整改期限",
		"是否逾期", "挂牌督办", "整改责任人", "整改措施", "整改资金（元）", "销号时间",
	};
	enum { NCOLS = sizeof HEAD / sizeof HEAD[0] };
	static const unsigned char NUMERIC[NCOLS] = {[18] = 1};
	struct hazard_filter f;
	TRY(read_filter(r, &f));
	const char *format = query(r, "format");
	if (!format)
		format = "xlsx";
	if (strcmp(format, "xlsx") != 0 && strcmp(format, "csv") != 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "format", "参数 format 应为 xlsx 或 csv");
	struct table t = {0};
	char **head = xcalloc(NCOLS, sizeof *head);
	for (int j = 0; j < NCOLS; j++)
		head[j] = xstrdup(HEAD[j]);
	table_add_row(&t, head, NCOLS, 1);
	f.limit = 1000;
	int64_t total = 0;
	int status = 200;
	for (f.offset = 0;; f.offset += f.limit) {
		struct arena *a = arena_new();
		struct hazard *items;
		int n = store_hazard_list(r->db, a, &r->scope, &f, &items, &total);
		if (n < 0) {
			arena_free(a);
			status = reply_db(r, n);
			break;
		}
		if (total > EXPORT_MAX_ROWS) {
			arena_free(a);
			status = reply_fail(r, QLE_INVALID, "too_many_rows", NULL,
					    "符合条件的隐患有 %lld 条，超过单次导出上限 %d 条，请缩小筛选范围",
					    (long long)total, EXPORT_MAX_ROWS);
			break;
		}
		for (int i = 0; i < n; i++) {
			const struct hazard *h = &items[i];
			enum hazard_status hs = hazard_status_parse(h->status);
			char **c = xcalloc(NCOLS, sizeof *c);
			char funds[32] = "", closed[32] = "";
			if (h->funds_fen >= 0)
				snprintf(funds, sizeof funds, "%lld.%02lld", (long long)(h->funds_fen / 100),
					 (long long)(h->funds_fen % 100));
			if (h->closed_at)
				clock_format_date_cn(h->closed_at, closed, sizeof closed);
			c[0] = xdup(h->code);
			c[1] = xdup(h->enterprise_name);
			c[2] = xdup(h->region_code);
			c[3] = xdup(h->industry_code);
			c[4] = xdup(hazard_level_label(hazard_level_parse(h->level)));
			c[5] = xdup(hazard_category_label(hazard_category_parse(h->category)));
			c[6] = xdup(hazard_source_label(hazard_source_parse(h->source)));
			c[7] = xdup(h->location);
			c[8] = xdup(h->description);
			c[9] = xdup(h->basis);
			c[10] = xdup(h->found_on);
			c[11] = xdup(h->found_by);
			c[12] = xdup(hazard_status_label(hs));
			c[13] = xdup(h->deadline);
			c[14] = xdup(hazard_overdue(hs, h->deadline, f.today) ? "是" : "否");
			c[15] = xdup(h->supervised ? "是" : "否");
			c[16] = xdup(h->responsible_person);
			c[17] = xdup(h->measures);
			c[18] = xdup(funds);
			c[19] = xdup(closed);
			table_add_row(&t, c, NCOLS, t.nrows + 1);
		}
		arena_free(a);
		if (n < f.limit)
			break;
	}
	if (status == 200) {
		buf_reset(&r->out);
		char day[16];
		clock_format_date_cn(r->now, day, sizeof day);
		if (strcmp(format, "csv") == 0) {
			csv_write(&t, &r->out);
			r->content_type = "text/csv; charset=utf-8";
		} else if (xlsx_write(&t, "隐患台账", NUMERIC, &r->out, &r->err) < 0) {
			status = reply_error(r);
		} else {
			r->content_type =
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		}
		if (status == 200)
			r->content_disposition = arena_printf(
				r->a, "attachment; filename=\"hazards-%s.%s\"; filename*=UTF-8''%%E9%%9A%%90%%E6%%82%%A3%%E5%%8F%%B0%%E8%%B4%%A6-%s.%s",
				day, format, day, format);
	}
	table_free(&t);
	return status;
}

/* --- transitions ------------------------------------------------------- */

static int read_plan(struct req *r, struct hazard *h, bool major, const char *day)
{
	const char *deadline;
	if (in_str(r, "responsible_person", true, 64, (const char **)&h->responsible_person) < 0 ||
	    in_str(r, "measures", true, 2000, (const char **)&h->measures) < 0 ||
	    in_date(r, "deadline", true, &deadline) < 0)
		return -1;
	if (strcmp(deadline, h->found_on) < 0)
		return ql_fail(&r->err, QLE_INVALID, "invalid_deadline", "deadline",
			       "整改期限不能早于发现日期（%s）", h->found_on);
	(void)day;
	h->deadline = (char *)deadline;
	int64_t fen = -1;
	if (in_amount(r, "funds", major, &fen) < 0 ||
	    in_str(r, "emergency_plan", major, 2000, (const char **)&h->emergency_plan) < 0 ||
	    in_str(r, "interim_measures", major, 2000, (const char **)&h->interim_measures) < 0)
		return -1;
	h->funds_fen = fen;
	json_t *plan = json_object_get(r->json, "remediation_plan");
	if (plan && !json_is_null(plan)) {
		if (!json_is_object(plan))
			return ql_fail(&r->err, QLE_INVALID, "type", "remediation_plan",
				       "治理方案 remediation_plan 应为 JSON 对象");
		char *s = json_dumps(plan, JSON_COMPACT | JSON_SORT_KEYS);
		if (strlen(s) > 20000) {
			free(s);
			return ql_fail(&r->err, QLE_INVALID, "too_long", "remediation_plan", "治理方案过长");
		}
		h->remediation_plan = arena_strdup(r->a, s);
		free(s);
	}
	return 0;
}

static int transition(struct req *r)
{
	struct hazard h;
	int rc = hazard_from_path(r, &h);
	if (rc != 0)
		return rc;
	TRY(in_body_object(r));
	const char *aname;
	int action;
	TRY(in_enum(r, "action", parse_action,
		    "plan、submit、accept、reject、verify、extend、void 之一", &aname, &action));
	enum hazard_status from = hazard_status_parse(h.status);
	enum hazard_level level = hazard_level_parse(h.level);
	enum hazard_status to = hazard_next(from, action, level);
	if (to == HS_NONE)
		return reply_fail(r, QLE_CONFLICT, "invalid_transition", "action",
				  "隐患当前状态为“%s”，不能执行“%s”", hazard_status_label(from),
				  hazard_action_label(action));
	struct hazard_actor who;
	if ((rc = actor_of(r, &h, &who)) < 0)
		return reply_db(r, rc);
	if (!hazard_may(&who, action, from))
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", "action",
				  "您（%s）无权对该隐患执行“%s”", role_label(r->user.role),
				  hazard_action_label(action));

	const char *day = today(r);
	const char *note = NULL;
	const char *data = NULL;
	switch (action) {
	case HA_PLAN:
		TRY(read_plan(r, &h, level == HL_MAJOR, day));
		TRY(in_str(r, "note", false, 2000, &note));
		break;
	case HA_SUBMIT:
		TRY(in_str(r, "note", false, 2000, &note));
		break;
	case HA_ACCEPT: {
		const char *acceptor;
		TRY(in_str(r, "acceptor", true, 64, &acceptor));
		TRY(in_str(r, "note", false, 2000, &note));
		struct buf b = BUF_INIT;
		struct jsonw w;
		jw_init(&w, &b);
		jw_obj(&w);
		jw_kstr(&w, "acceptor", acceptor);
		jw_obj_end(&w);
		data = arena_strdup(r->a, buf_str(&b));
		buf_free(&b);
		if (!note)
			note = arena_printf(r->a, "验收人：%s", acceptor);
		break;
	}
	case HA_REJECT:
		TRY(in_str(r, "reason", true, 2000, &note));
		break;
	case HA_VERIFY:
		TRY(in_str(r, "note", false, 2000, &note));
		break;
	case HA_EXTEND: {
		const char *deadline;
		TRY(in_date(r, "deadline", true, &deadline));
		TRY(in_str(r, "reason", true, 2000, &note));
		if (h.deadline && strcmp(deadline, h.deadline) <= 0)
			return reply_fail(r, QLE_INVALID, "invalid_deadline", "deadline",
					  "延期后的期限应晚于原期限（%s）", h.deadline);
		data = arena_printf(r->a, "{\"old_deadline\":\"%s\",\"new_deadline\":\"%s\"}",
				    h.deadline ? h.deadline : "", deadline);
		h.deadline = (char *)deadline;
		break;
	}
	case HA_VOID:
		TRY(in_str(r, "reason", true, 2000, &note));
		break;
	}
	h.status = (char *)hazard_status_name(to);
	h.updated_at = r->now;
	if (to == HS_CLOSED)
		h.closed_at = r->now;
	if ((rc = store_hazard_update(r->db, &h)) < 0)
		return reply_db(r, rc);
	if ((rc = add_event(r, &h, aname, hazard_status_name(from), note, data)) < 0)
		return reply_db(r, rc);
	const char *after = arena_printf(r->a, "{\"status\":\"%s\"}", h.status);
	const char *before = arena_printf(r->a, "{\"status\":\"%s\"}", hazard_status_name(from));
	if ((rc = audit(r, arena_printf(r->a, "hazard.%s", aname), "hazard", id_str(r, h.id), before,
			after)) < 0)
		return reply_db(r, rc);
	return reply_hazard(r, &h, 200);
}

/* --- supervision (挂牌督办) ------------------------------------------- */

static int supervise(struct req *r)
{
	struct hazard h;
	int rc = hazard_from_path(r, &h);
	if (rc != 0)
		return rc;
	struct hazard_supervision v = {0};
	TRY(in_body_object(r));
	TRY(in_date(r, "deadline", true, (const char **)&v.deadline));
	TRY(in_str(r, "note", false, 2000, (const char **)&v.note));
	if (strcmp(h.level, "major") != 0)
		return reply_fail(r, QLE_CONFLICT, "not_major", "level", "只有重大事故隐患可以挂牌督办");
	if (!hazard_status_is_open(hazard_status_parse(h.status)))
		return reply_fail(r, QLE_CONFLICT, "not_open", "status", "隐患已销号或作废，不能挂牌督办");
	if (h.supervised)
		return reply_fail(r, QLE_CONFLICT, "already_supervised", NULL, "该隐患已在挂牌督办中");
	v.hazard_id = h.id;
	v.region_code = (char *)r->scope.region_code;
	v.listed_by = r->user.id;
	v.listed_at = r->now;
	if ((rc = store_supervision_insert(r->db, &v)) < 0)
		return reply_db(r, rc);
	h.supervised = true;
	h.updated_at = r->now;
	if ((rc = store_hazard_update(r->db, &h)) < 0)
		return reply_db(r, rc);
	if ((rc = add_event(r, &h, "supervise", h.status, v.note,
			    arena_printf(r->a, "{\"deadline\":\"%s\"}", v.deadline))) < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "hazard.supervise", "hazard", id_str(r, h.id), NULL,
			arena_printf(r->a, "{\"deadline\":\"%s\"}", v.deadline))) < 0)
		return reply_db(r, rc);
	return reply_hazard(r, &h, 201);
}

static int delist(struct req *r)
{
	struct hazard h;
	int rc = hazard_from_path(r, &h);
	if (rc != 0)
		return rc;
	struct hazard_supervision v;
	rc = store_supervision_active(r->db, r->a, h.id, &v);
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0 || !h.supervised)
		return reply_fail(r, QLE_CONFLICT, "not_supervised", NULL, "该隐患未挂牌督办");
	if (strcmp(h.status, "closed") != 0)
		return reply_fail(r, QLE_CONFLICT, "not_closed", "status",
				  "隐患销号后才能摘牌（当前状态：%s）",
				  hazard_status_label(hazard_status_parse(h.status)));
	if ((rc = store_supervision_delist(r->db, v.id, r->user.id, r->now)) < 0)
		return reply_db(r, rc);
	h.supervised = false;
	h.updated_at = r->now;
	if ((rc = store_hazard_update(r->db, &h)) < 0)
		return reply_db(r, rc);
	if ((rc = add_event(r, &h, "delist", h.status, NULL, NULL)) < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "hazard.delist", "hazard", id_str(r, h.id), NULL, NULL)) < 0)
		return reply_db(r, rc);
	return reply_hazard(r, &h, 200);
}

/* --- statistics --------------------------------------------------------- */

/* Lowest rectification rate first; ties by more open hazards, then key. */
static int slowest_first(const void *pa, const void *pb)
{
	const struct stats_group *a = pa, *b = pb;
	/* Compare closed/total without division: a.closed * b.total vs b.closed * a.total. */
	int64_t l = a->closed * (b->total ? b->total : 1), rr = b->closed * (a->total ? a->total : 1);
	if (l != rr)
		return l < rr ? -1 : 1;
	int64_t oa = a->total - a->closed, ob = b->total - b->closed;
	if (oa != ob)
		return oa > ob ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int stats(struct req *r)
{
	const char *group_by = query(r, "group_by");
	if (!group_by)
		group_by = "region";
	if (strcmp(group_by, "region") && strcmp(group_by, "industry") && strcmp(group_by, "level") &&
	    strcmp(group_by, "status") && strcmp(group_by, "source") && strcmp(group_by, "month"))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "group_by",
				  "参数 group_by 应为 region、industry、level、status、source、month 之一");
	const char *order = query(r, "order");
	if (order && strcmp(order, "key") && strcmp(order, "slowest"))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "order",
				  "参数 order 应为 key 或 slowest（整改率从低到高）");
	const char *region = query(r, "region");
	if (region && !region_code_valid(region))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "region", "参数 region 不是有效的区划代码");
	const char *root = region ? region : r->scope.region_code;
	size_t root_len = root ? strlen(root) : 9;
	int key_len = (int)(root_len == 2 ? 4 : root_len == 4 ? 6 : root_len == 6 ? 9 : 12);
	struct stats_group *g;
	int n = store_hazard_stats(r->db, r->a, &r->scope, region, group_by, key_len, today(r), &g);
	if (n < 0)
		return reply_db(r, n);
	bool by_region = strcmp(group_by, "region") == 0;
	if (order && strcmp(order, "slowest") == 0)
		qsort(g, (size_t)n, sizeof *g, slowest_first);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "group_by", group_by);
	jw_key(w, "groups");
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "key", g[i].key);
		const char *label = NULL;
		if (by_region) {
			struct region reg;
			if (store_region_get(r->db, r->a, g[i].key, &reg) > 0)
				label = reg.name;
		} else if (strcmp(group_by, "level") == 0) {
			label = hazard_level_label(hazard_level_parse(g[i].key));
		} else if (strcmp(group_by, "status") == 0) {
			label = hazard_status_label(hazard_status_parse(g[i].key));
		} else if (strcmp(group_by, "source") == 0) {
			label = hazard_source_label(hazard_source_parse(g[i].key));
		}
		jw_kstr(w, "label", label);
		jw_kint(w, "total", g[i].total);
		jw_kint(w, "closed", g[i].closed);
		jw_kint(w, "overdue", g[i].overdue);
		jw_key(w, "rate");
		jw_double(w, g[i].total ? (double)g[i].closed / (double)g[i].total : 0.0, 4);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 200;
}

/* GET /api/v1/stats/major: stock 存量 and increment 增量 of major hazards
 * against a cut-off date (seed 003: 重大事故隐患动态清零). */
static int major_stock(struct req *r)
{
	const char *cutoff = query(r, "cutoff"), *region = query(r, "region");
	int64_t days;
	if (!cutoff || date_parse(cutoff, &days) < 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "cutoff", "参数 cutoff 应为日期 YYYY-MM-DD");
	if (region && !region_code_valid(region))
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "region", "参数 region 不是有效的区划代码");
	int64_t v[4];
	int rc = store_major_stock(r->db, r->a, &r->scope, region, cutoff, v);
	if (rc < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "cutoff", cutoff);
	const char *names[2] = {"stock", "increment"};
	for (int k = 0; k < 2; k++) {
		jw_key(w, names[k]);
		jw_obj(w);
		jw_kint(w, "total", v[k * 2]);
		jw_kint(w, "open", v[k * 2 + 1]);
		jw_kint(w, "closed", v[k * 2] - v[k * 2 + 1]);
		jw_key(w, "rate");
		jw_double(w, v[k * 2] ? (double)(v[k * 2] - v[k * 2 + 1]) / (double)v[k * 2] : 0.0, 4);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	return 200;
}

#define HAZARD_WRITERS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR) | R_BIT(ROLE_ENTERPRISE))

const struct route hazard_routes[] = {
	{"POST", "/api/v1/hazards", create, HAZARD_WRITERS, 0},
	{"GET", "/api/v1/hazards", list, R_BUSINESS, 0},
	{"GET", "/api/v1/hazards/export", export, R_BUSINESS, 0},
	{"GET", "/api/v1/hazards/{id}", get_one, R_BUSINESS, 0},
	{"POST", "/api/v1/hazards/{id}/transitions", transition, HAZARD_WRITERS, 0},
	{"POST", "/api/v1/hazards/{id}/supervision", supervise, R_BIT(ROLE_OFFICE), 0},
	{"DELETE", "/api/v1/hazards/{id}/supervision", delist, R_BIT(ROLE_OFFICE), 0},
	{"GET", "/api/v1/stats/hazards", stats, R_BUSINESS, 0},
	{"GET", "/api/v1/stats/major", major_stock, R_BUSINESS, 0},
	{NULL, NULL, NULL, 0, 0},
};
