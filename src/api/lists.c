/*
 * lists.c - the four lists 四个清单 of a unit (seed 000): 风险清单 (the
 * risks of the enterprises it covers), 隐患问题清单 (their hazards),
 * 任务措施清单 (the requirements of its campaigns, or those it is
 * responsible for) and 成果清单 (its outcomes); exported as one workbook,
 * and submitted upward each quarter as an unchangeable, versioned copy.
 *
 * A unit is region:CODE (an office's) or department:ID.  A unit reads its
 * own lists and those of the units below it; only the unit submits its own.
 */
#include "http.h"
#include "views.h"
#include "../core/hazard.h"
#include "../core/risk.h"
#include "../core/validate.h"
#include "../io/table.h"
#include "../lib/clock.h"
#include "../lib/util.h"
#include "../store/files.h"
#include "../store/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_ROWS_MAX 100000

static const char *const OUTCOME_KINDS[] = {"institutional", "engineering", "experience", "other"};
static const char *const OUTCOME_LABELS[] = {"制度成果", "工程治理", "典型经验", "其他成果"};

static int outcome_kind(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, OUTCOME_KINDS[i]) == 0)
			return i;
	return -1;
}

/* The caller's own unit. */
static const char *own_unit(struct req *r)
{
	if (r->scope.kind == SCOPE_DEPARTMENT)
		return arena_printf(r->a, "department:%lld", (long long)r->scope.department_id);
	return arena_printf(r->a, "region:%s", r->scope.region_code);
}

struct unit {
	const char *text, *name;
	struct dispatch_unit u;
	struct scope scope; /* what the unit's lists cover */
};

/* The unit of ?unit (the caller's own by default), if the caller may read
 * it: its own, or one below an office's region. */
static int read_unit(struct req *r, const char *text, struct unit *u)
{
	u->text = text ? text : own_unit(r);
	int rc = dispatch_unit_parse(r->db, r->a, u->text, &u->u, &u->name);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc == 0)
		return ql_fail(&r->err, QLE_NOT_FOUND, "not_found", "unit",
			       "单位不存在（应为 region:区划代码 或 department:部门编号）");
	memset(&u->scope, 0, sizeof u->scope);
	const char *region;
	if (u->u.region) {
		region = u->u.region;
		u->scope.kind = SCOPE_REGION;
		u->scope.region_code = region;
	} else {
		struct department d;
		if ((rc = store_department_get(r->db, r->a, u->u.department_id, &d)) <= 0)
			return rc < 0 ? db_fail(r->db, rc, &r->err)
				      : ql_fail(&r->err, QLE_NOT_FOUND, "not_found", "unit", "单位不存在");
		region = d.region_code;
		u->scope.kind = SCOPE_DEPARTMENT;
		u->scope.department_id = d.id;
		u->scope.region_code = d.region_code;
	}
	bool own = strcmp(u->text, own_unit(r)) == 0;
	bool below = r->scope.kind == SCOPE_REGION && region_in_subtree(region, r->scope.region_code);
	if (!own && !below)
		return ql_fail(&r->err, QLE_NOT_FOUND, "not_found", "unit", "单位不存在或不在您的管辖范围内");
	return 0;
}

/* --- outcomes -------------------------------------------------------------- */

static const char SQL_OUTCOME[] =
	"INSERT INTO outcomes (unit, kind, title, date, description, campaign_id, created_by,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static int create_outcome(struct req *r)
{
	const char *kind, *title, *date, *description;
	int64_t campaign = 0;
	TRY(in_body_object(r));
	TRY(in_str(r, "kind", true, 16, &kind));
	if (outcome_kind(kind) < 0)
		return reply_fail(r, QLE_INVALID, "invalid_enum", "kind",
				  "kind 应为 institutional（制度成果）、engineering（工程治理）、"
				  "experience（典型经验）或 other（其他成果）");
	TRY(in_str(r, "title", true, 200, &title));
	TRY(in_past_date(r, "date", true, &date));
	TRY(in_str(r, "description", false, 4000, &description));
	TRY(in_int(r, "campaign_id", false, &campaign));
	struct db_stmt *st = db_stmt(r->db, SQL_OUTCOME);
	db_bind_text(st, 1, own_unit(r));
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, date);
	db_bind_text(st, 5, description);
	db_bind_opt_int(st, 6, campaign);
	db_bind_int(st, 7, r->user.id);
	db_bind_int(st, 8, r->now);
	int64_t id;
	int rc = db_insert_id(st, &id);
	if (rc == DB_ERR_FK)
		return reply_fail(r, QLE_INVALID, "unknown_campaign", "campaign_id", "专项行动不存在");
	if (rc < 0 || (rc = audit_with_body(r, "outcome.create", "outcome", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kstr(w, "unit", own_unit(r));
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "title", title);
	jw_obj_end(w);
	return 201;
}

/* --- the four lists as tables ------------------------------------------------ */

static void row(struct table *t, int n, ...)
{
	char **cells = xcalloc((size_t)n, sizeof *cells);
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);
		cells[i] = xstrdup(s ? s : "");
	}
	va_end(ap);
	table_add_row(t, cells, n, t->nrows + 1);
}

static int risks_table(struct req *r, const struct unit *u, struct table *t)
{
	row(t, 9, "风险点", "危险源", "评估方法", "分值", "风险等级", "颜色", "管控措施", "管控层级", "责任人");
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT k.risk_point, k.hazard_source, k.method, k.score, k.level, k.control_measures,"
		   " k.control_level, k.responsible_person FROM risks k WHERE 1 = 1");
	qb_scope(&q, r->a, &u->scope, "k.region_code >= ? AND k.region_code < ?",
		 "k.enterprise_id IN (SELECT enterprise_id FROM enterprise_departments"
		 " WHERE department_id = ?)",
		 "k.enterprise_id = ?");
	qb_sql(&q, " ORDER BY k.score DESC, k.id LIMIT ?");
	qb_int(&q, LIST_ROWS_MAX);
	struct db_stmt *st = qb_prepare(&q, r->db);
	qb_free(&q);
	if (!st)
		return DB_ERR;
	int rc;
	static const char *const COLOUR_CN[] = {"红", "橙", "黄", "蓝"};
	while ((rc = db_step(st)) == DB_ROW) {
		bool lec = strcmp(db_col_text(st, 2), "lec") == 0;
		int64_t score = db_col_int(st, 3);
		enum risk_level l = risk_level_parse(db_col_text(st, 4));
		char s[32];
		if (lec)
			snprintf(s, sizeof s, "%lld.%02lld", (long long)(score / 100), (long long)(score % 100));
		else
			snprintf(s, sizeof s, "%lld", (long long)score);
		row(t, 9, db_col_text(st, 0), db_col_text(st, 1), lec ? "LEC 法" : "风险矩阵", s,
		    risk_level_label(l), l >= 0 ? COLOUR_CN[l] : "", db_col_text(st, 5),
		    risk_control_label(risk_control_parse(db_col_text(st, 6))), db_col_text(st, 7));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int hazards_table(struct req *r, const struct unit *u, struct table *t)
{
	row(t, 11, "隐患编号", "企业", "等级", "来源", "部位", "隐患描述", "发现日期", "整改期限", "状态",
	    "逾期", "挂牌督办");
	char today[16];
	clock_format_date_cn(r->now, today, sizeof today);
	struct hazard_filter f = {.today = today, .overdue = -1, .supervised = -1, .limit = LIST_ROWS_MAX};
	struct hazard *items;
	int64_t total;
	int n = store_hazard_list(r->db, r->a, &u->scope, &f, &items, &total);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		const struct hazard *h = &items[i];
		enum hazard_status s = hazard_status_parse(h->status);
		if (s == HS_VOID) /* a hazard voided was none */
			continue;
		row(t, 11, h->code, h->enterprise_name, hazard_level_label(hazard_level_parse(h->level)),
		    hazard_source_label(hazard_source_parse(h->source)), h->location, h->description,
		    h->found_on, h->deadline, hazard_status_label(s),
		    hazard_overdue(s, h->deadline, today) ? "是" : "否", h->supervised ? "是" : "否");
	}
	return 0;
}

static const char *const SQL_TASK_ROWS[2] = {
	/* a region's own campaigns */
	"SELECT c.title, t.no, t.section, t.title, q.text, q.due, q.recurring, q.id FROM campaigns c"
	" JOIN campaign_tasks t ON t.campaign_id = c.id JOIN task_requirements q ON q.task_id = t.id"
	" WHERE c.region_code = ? ORDER BY c.id, t.position, q.position LIMIT 100000",
	/* the requirements a department is responsible for */
	"SELECT c.title, t.no, t.section, t.title, q.text, q.due, q.recurring, q.id FROM campaigns c"
	" JOIN campaign_tasks t ON t.campaign_id = c.id JOIN task_requirements q ON q.task_id = t.id"
	" WHERE q.id IN (SELECT requirement_id FROM requirement_units WHERE department_id = ?)"
	" ORDER BY c.id, t.position, q.position LIMIT 100000",
};
static const char SQL_UNITS_OF[] =
	"SELECT name FROM requirement_units WHERE requirement_id = ? ORDER BY position";
static const char SQL_LATEST_OF[] =
	"SELECT percent FROM requirement_progress WHERE requirement_id = ? ORDER BY id DESC LIMIT 1";

static int tasks_table(struct req *r, const struct unit *u, struct table *t)
{
	row(t, 8, "专项行动", "任务编号", "专题", "任务", "具体要求", "完成时间", "责任单位", "最新进展");
	struct db_stmt *st = db_stmt(r->db, SQL_TASK_ROWS[u->u.region ? 0 : 1]);
	if (!st)
		return DB_ERR;
	if (u->u.region)
		db_bind_text(st, 1, u->u.region);
	else
		db_bind_int(st, 1, u->u.department_id);
	/* read whole, then the units and progress of each */
	struct {
		char *v[7];
		int64_t id;
	} *rows = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		rows = arena_grow(r->a, rows, sizeof *rows, n, &cap);
		for (int k = 0; k < 7; k++)
			rows[n].v[k] = arena_strdup(r->a, db_col_text(st, k));
		rows[n++].id = db_col_int(st, 7);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		struct buf units = BUF_INIT;
		st = db_stmt(r->db, SQL_UNITS_OF);
		db_bind_int(st, 1, rows[i].id);
		while (db_step(st) == DB_ROW) {
			if (units.len)
				buf_puts(&units, "、");
			buf_puts(&units, db_col_text(st, 0));
		}
		db_done(st);
		st = db_stmt(r->db, SQL_LATEST_OF);
		db_bind_int(st, 1, rows[i].id);
		char pct[16] = "未报送";
		if (db_step(st) == DB_ROW)
			snprintf(pct, sizeof pct, "%lld%%", (long long)db_col_int(st, 0));
		db_done(st);
		const char *due = rows[i].v[6] && *rows[i].v[6] ? "各年度序时推动" : rows[i].v[5];
		row(t, 8, rows[i].v[0], rows[i].v[1], rows[i].v[2], rows[i].v[3], rows[i].v[4],
		    due && *due ? due : "长期", buf_str(&units), pct);
		buf_free(&units);
	}
	return 0;
}

static const char SQL_OUTCOMES[] =
	"SELECT kind, title, date, description FROM outcomes WHERE unit = ? ORDER BY date, id"
	" LIMIT 100000";

static int outcomes_table(struct req *r, const struct unit *u, struct table *t)
{
	row(t, 4, "成果类型", "成果名称", "日期", "说明");
	struct db_stmt *st = db_stmt(r->db, SQL_OUTCOMES);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, u->text);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int k = outcome_kind(db_col_text(st, 0));
		row(t, 4, k >= 0 ? OUTCOME_LABELS[k] : "", db_col_text(st, 1), db_col_text(st, 2),
		    db_col_text(st, 3));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The workbook of a unit's four lists; counts[4] the rows of each. */
static int four_lists(struct req *r, const struct unit *u, struct buf *out, int counts[4])
{
	static const char *const SHEETS[4] = {"风险清单", "隐患问题清单", "任务措施清单", "成果清单"};
	int (*const fill[4])(struct req *, const struct unit *, struct table *) = {
		risks_table, hazards_table, tasks_table, outcomes_table};
	struct table t[4] = {{0}};
	struct xlsx_sheet sheets[4];
	int rc = 0;
	for (int i = 0; i < 4 && rc >= 0; i++) {
		rc = fill[i](r, u, &t[i]);
		sheets[i] = (struct xlsx_sheet){SHEETS[i], &t[i], NULL};
		counts[i] = t[i].nrows - 1;
	}
	if (rc < 0)
		rc = db_fail(r->db, rc, &r->err);
	else
		rc = xlsx_write_book(sheets, 4, out, &r->err);
	for (int i = 0; i < 4; i++)
		table_free(&t[i]);
	return rc;
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static int export_lists(struct req *r)
{
	struct unit u;
	TRY(read_unit(r, query(r, "unit"), &u));
	int counts[4];
	buf_reset(&r->out);
	TRY(four_lists(r, &u, &r->out, counts));
	r->content_type = XLSX_TYPE;
	r->content_disposition = "attachment; filename=\"four-lists.xlsx\"";
	return 200;
}

/* --- quarterly submission ---------------------------------------------------- */

/* "2026Q4" for a quarter; -1 if malformed. */
static int quarter_valid(const char *q)
{
	return q && strlen(q) == 6 && q[0] >= '1' && q[0] <= '2' && q[4] == 'Q' && q[5] >= '1' &&
			       q[5] <= '4' && q[1] >= '0' && q[1] <= '9' && q[2] >= '0' &&
			       q[2] <= '9' && q[3] >= '0' && q[3] <= '9'
		       ? 0
		       : -1;
}

static const char SQL_NEXT_VERSION[] =
	"SELECT coalesce(max(version), 0) + 1 FROM list_snapshots WHERE unit = ? AND quarter = ?";
static const char SQL_SNAPSHOT[] =
	"INSERT INTO list_snapshots (unit, quarter, version, sha256, counts, submitted_by,"
	" submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

static int submit(struct req *r)
{
	const char *quarter;
	TRY(in_body_object(r));
	TRY(in_str(r, "quarter", true, 6, &quarter));
	if (quarter_valid(quarter) < 0)
		return reply_fail(r, QLE_INVALID, "invalid", "quarter", "quarter 应为 YYYYQn，如 2026Q4");
	struct unit u;
	TRY(read_unit(r, NULL, &u));
	struct buf book = BUF_INIT;
	int counts[4];
	if (four_lists(r, &u, &book, counts) < 0) {
		buf_free(&book);
		return reply_error(r);
	}
	char hex[CRYPTO_HASH_HEX];
	int rc = files_put(r->data_dir, book.data, book.len, hex, &r->err);
	buf_free(&book);
	TRY(rc);
	struct db_stmt *st = db_stmt(r->db, SQL_NEXT_VERSION);
	db_bind_text(st, 1, u.text);
	db_bind_text(st, 2, quarter);
	int64_t version = db_one_int(st, 0);
	char *count_json = arena_printf(r->a, "{\"risks\":%d,\"hazards\":%d,\"requirements\":%d,"
					      "\"outcomes\":%d}", counts[0], counts[1], counts[2], counts[3]);
	st = db_stmt(r->db, SQL_SNAPSHOT);
	db_bind_text(st, 1, u.text);
	db_bind_text(st, 2, quarter);
	db_bind_int(st, 3, version);
	db_bind_text(st, 4, hex);
	db_bind_text(st, 5, count_json);
	db_bind_int(st, 6, r->user.id);
	db_bind_int(st, 7, r->now);
	int64_t id;
	if ((rc = db_insert_id(st, &id)) < 0 ||
	    (rc = audit(r, "lists.submit", "list_snapshot", arena_printf(r->a, "%lld", (long long)id),
			NULL, count_json)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kstr(w, "unit", u.text);
	jw_kstr(w, "quarter", quarter);
	jw_kint(w, "version", version);
	jw_kstr(w, "sha256", hex);
	jw_key(w, "counts");
	jw_raw(w, count_json);
	jw_obj_end(w);
	return 201;
}

static const char SQL_LATEST_SNAPSHOT[] =
	"SELECT id, version, submitted_at, counts FROM list_snapshots WHERE unit = ? AND quarter = ?"
	" ORDER BY version DESC LIMIT 1";
static const char SQL_CHILD_REGIONS[] =
	"SELECT code, name FROM regions WHERE parent_code = ? ORDER BY code";
static const char SQL_REGION_DEPTS[] =
	"SELECT id, name FROM departments WHERE region_code = ? ORDER BY id";

/* Writes a unit's latest submission for the quarter: 1 if it has one,
 * 0 if not, or a negative database error. */
static int write_unit_status(struct req *r, struct jsonw *w, const char *unit, const char *name,
			     const char *quarter)
{
	struct db_stmt *st = db_stmt(r->db, SQL_LATEST_SNAPSHOT);
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, quarter);
	int rc = db_step(st);
	jw_obj(w);
	jw_kstr(w, "unit", unit);
	jw_kstr(w, "name", name);
	jw_kbool(w, "submitted", rc == DB_ROW);
	if (rc == DB_ROW) {
		jw_kint(w, "snapshot_id", db_col_int(st, 0));
		jw_kint(w, "version", db_col_int(st, 1));
		view_time(w, "submitted_at", db_col_int(st, 2));
		jw_key(w, "counts");
		jw_raw(w, db_col_text(st, 3));
	}
	jw_obj_end(w);
	db_done(st);
	return rc < 0 ? rc : rc == DB_ROW;
}

/* Which units below the caller's region have submitted for the quarter:
 * the regions one level down and the departments of the region. */
static int submission_status(struct req *r)
{
	const char *quarter = query(r, "quarter");
	if (quarter_valid(quarter) < 0)
		return reply_fail(r, QLE_BAD_REQUEST, "invalid", "quarter", "参数 quarter 应为 YYYYQn，如 2026Q4");
	if (r->scope.kind != SCOPE_REGION)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL, "只有安委办查看下级单位的报送情况");
	const char *home = r->scope.region_code;
	struct { char *unit, *name; } *units = NULL;
	int n = 0, cap = 0, rc;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_stmt(r->db, pass ? SQL_REGION_DEPTS : SQL_CHILD_REGIONS);
		db_bind_text(st, 1, home);
		while ((rc = db_step(st)) == DB_ROW) {
			units = arena_grow(r->a, units, sizeof *units, n, &cap);
			units[n].unit = pass ? arena_printf(r->a, "department:%lld", (long long)db_col_int(st, 0))
					     : arena_printf(r->a, "region:%s", db_col_text(st, 0));
			units[n++].name = arena_strdup(r->a, db_col_text(st, 1));
		}
		db_done(st);
		if (rc < 0)
			return reply_db(r, rc);
	}
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "quarter", quarter);
	jw_key(w, "own");
	struct region g;
	if ((rc = store_region_get(r->db, r->a, home, &g)) < 0 ||
	    (rc = write_unit_status(r, w, own_unit(r), rc > 0 ? g.name : home, quarter)) < 0)
		return reply_db(r, rc);
	jw_key(w, "units");
	jw_arr(w);
	int missing = 0;
	for (int i = 0; i < n; i++) {
		if ((rc = write_unit_status(r, w, units[i].unit, units[i].name, quarter)) < 0)
			return reply_db(r, rc);
		missing += rc == 0;
	}
	jw_arr_end(w);
	jw_kint(w, "missing", missing);
	jw_obj_end(w);
	return 200;
}

static const char SQL_SNAPSHOT_GET[] = "SELECT unit, sha256 FROM list_snapshots WHERE id = ?";

static int download_snapshot(struct req *r)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	struct db_stmt *st = db_stmt(r->db, SQL_SNAPSHOT_GET);
	db_bind_int(st, 1, id);
	char *unit = NULL, *hex = NULL;
	if (db_step(st) == DB_ROW) {
		unit = arena_strdup(r->a, db_col_text(st, 0));
		hex = arena_strdup(r->a, db_col_text(st, 1));
	}
	db_done(st);
	struct unit u;
	if (!unit || read_unit(r, unit, &u) < 0)
		return reply_not_found(r, "报送的清单");
	struct attachment att = {.sha256 = hex, .content_type = XLSX_TYPE,
				 .name = arena_printf(r->a, "四个清单-%lld.xlsx", (long long)id)};
	return attachment_reply_file(r, &att, false);
}

#define UNITS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR))

const struct route list_routes[] = {
	{"POST", "/api/v1/outcomes", create_outcome, UNITS, 0},
	{"GET", "/api/v1/lists/export", export_lists, UNITS, 0},
	{"POST", "/api/v1/lists/snapshots", submit, UNITS, 0},
	{"GET", "/api/v1/lists/snapshots", submission_status, UNITS, 0},
	{"GET", "/api/v1/lists/snapshots/{id}", download_snapshot, UNITS, 0},
	{NULL, NULL, NULL, 0, 0},
};
