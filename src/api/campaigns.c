/*
 * campaigns.c - campaigns 专项行动 and the import of their schedule table
 * 序时进度表 (seed 003; the contract is the last section of API.md).
 *
 * A campaign belongs to the region that issued it.  An office issues
 * campaigns for its region or one below, and imports their schedules;
 * offices and departments see the campaigns of their region, of the
 * regions above it (which they carry out) and of those below.
 */
#include "http.h"
#include "views.h"
#include "../core/date.h"
#include "../core/validate.h"
#include "../io/schedule.h"
#include "../lib/clock.h"
#include "../store/query.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static void view_campaign(struct jsonw *w, const struct campaign *c)
{
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "doc_number", c->doc_number);
	jw_kstr(w, "title", c->title);
	jw_kstr(w, "region_code", c->region_code);
	jw_kstr(w, "starts_on", c->starts_on);
	jw_kstr(w, "ends_on", c->ends_on);
	jw_kint(w, "tasks", c->ntasks);
	jw_key(w, "phases");
	jw_raw(w, c->phases ? c->phases : "[]");
	jw_kid(w, "parent_id", c->parent_id);
	jw_kint(w, "adopted_by", c->nadopted);
	view_time(w, "created_at", c->created_at);
	jw_obj_end(w);
}

/* The caller's region: the office's, or its department's. */
static const char *home_region(struct req *r)
{
	return r->scope.kind == SCOPE_REGION || r->scope.kind == SCOPE_DEPARTMENT
		       ? r->scope.region_code : NULL;
}

/* Visible: issued in the caller's subtree or above the caller. */
static bool visible(struct req *r, const char *region)
{
	const char *home = home_region(r);
	return home && (region_in_subtree(region, home) || region_in_subtree(home, region));
}

/* The phases 阶段 (动员部署, 集中攻坚, 巩固提升 …): named, in order, each
 * within the campaign's period and after the one before.  JSON text or
 * NULL in *out. */
static int in_phases(struct req *r, const struct campaign *c, char **out)
{
	json_t *v = json_object_get(r->json, "phases");
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > 12)
		return ql_fail(&r->err, QLE_INVALID, "type", "phases",
			       "phases 应为最多 12 个阶段的数组，每个含 name、starts_on、ends_on");
	const char *prev_end = NULL;
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		const char *name, *from, *to;
		if (in_str_at(r, x, "name", "phases", true, 50, &name) < 0 ||
		    in_str_at(r, x, "starts_on", "phases", true, 10, &from) < 0 ||
		    in_str_at(r, x, "ends_on", "phases", true, 10, &to) < 0)
			return -1;
		int64_t d;
		if (date_parse(from, &d) < 0 || date_parse(to, &d) < 0 || strcmp(to, from) < 0 ||
		    strcmp(from, c->starts_on) < 0 || strcmp(to, c->ends_on) > 0 ||
		    (prev_end && strcmp(from, prev_end) <= 0))
			return ql_fail(&r->err, QLE_INVALID, "invalid_phase", "phases",
				       "阶段“%s”的起止日期应在行动期限（%s 至 %s）内，且晚于上一阶段", name,
				       c->starts_on, c->ends_on);
		prev_end = to;
	}
	char *s = json_dumps(v, JSON_COMPACT);
	*out = arena_strdup(r->a, s);
	free(s);
	return 0;
}

static int create(struct req *r)
{
	struct campaign c = {0};
	TRY(in_body_object(r));
	TRY(in_str(r, "doc_number", true, 64, (const char **)&c.doc_number));
	TRY(in_str(r, "title", true, 200, (const char **)&c.title));
	TRY(in_str(r, "region_code", true, 12, (const char **)&c.region_code));
	TRY(in_date(r, "starts_on", true, (const char **)&c.starts_on));
	TRY(in_date(r, "ends_on", true, (const char **)&c.ends_on));
	if (strcmp(c.ends_on, c.starts_on) < 0)
		return reply_fail(r, QLE_INVALID, "out_of_range", "ends_on", "结束日期不能早于开始日期");
	TRY(in_phases(r, &c, &c.phases));
	struct region g;
	int rc = region_code_valid(c.region_code) ? store_region_get(r->db, r->a, c.region_code, &g) : 0;
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0)
		return reply_fail(r, QLE_INVALID, "unknown_region", "region_code", "区划 %s 不存在",
				  c.region_code);
	if (!region_in_subtree(c.region_code, r->scope.region_code))
		return reply_fail(r, QLE_FORBIDDEN, "out_of_scope", "region_code",
				  "只能为本辖区或下级区划部署专项行动");
	c.created_by = r->user.id;
	c.created_at = r->now;
	if ((rc = store_campaign_insert(r->db, &c)) < 0 ||
	    (rc = audit_with_body(r, "campaign.create", "campaign", c.id)) < 0)
		return reply_db(r, rc);
	view_campaign(reply_json(r), &c);
	return 201;
}

/* The campaign of the path's first id, if the caller sees it. */
static int load(struct req *r, struct campaign *c)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	int rc = store_campaign_get(r->db, r->a, id, c);
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0 || !visible(r, c->region_code))
		return reply_not_found(r, "专项行动");
	return 0;
}

static int get_one(struct req *r)
{
	struct campaign c;
	int rc = load(r, &c);
	if (rc != 0)
		return rc;
	view_campaign(reply_json(r), &c);
	return 200;
}

static const char SQL_LIST[] =
	"SELECT id FROM campaigns WHERE (region_code >= ? AND region_code < ?)"
	" OR region_code IN (?, ?, ?, ?) ORDER BY starts_on DESC, id DESC";

static int list(struct req *r)
{
	const char *home = home_region(r);
	if (!home)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL, "无权查看专项行动");
	int64_t page, per_page;
	TRY(in_page(r, &page, &per_page));
	struct db_stmt *st = db_stmt(r->db, SQL_LIST);
	db_bind_text(st, 1, home);
	db_bind_text(st, 2, region_upper_bound(r->a, home));
	/* the regions above: the province, the city, the county of a town */
	static const size_t PREFIX[] = {2, 4, 6, 9};
	for (int k = 0; k < 4; k++)
		db_bind_text(st, 3 + k,
			     strlen(home) > PREFIX[k] ? arena_strndup(r->a, home, PREFIX[k]) : "");
	int64_t *ids = NULL, total = 0;
	int cap = 0;
	while (db_step(st) == DB_ROW) {
		ids = arena_grow(r->a, ids, sizeof *ids, (int)total, &cap);
		ids[total++] = db_col_int(st, 0);
	}
	db_done(st);
	struct jsonw *w = reply_list_open(r);
	for (int64_t i = (page - 1) * per_page; i < total && i < page * per_page; i++) {
		struct campaign c;
		int rc = store_campaign_get(r->db, r->a, ids[i], &c);
		if (rc < 0)
			return reply_db(r, rc);
		view_campaign(w, &c);
	}
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

/* --- the schedule table ---------------------------------------------------- */

static int read_table(struct req *r, struct table *t)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!r->body || !r->body_len)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "required", "file",
			       "请求体为空：应为序时进度表文件（.csv 或 .xlsx）");
	size_t n = ct ? strcspn(ct, ";") : 0;
	if (ct && n == strlen(XLSX_TYPE) && strncasecmp(ct, XLSX_TYPE, n) == 0) {
		if (xlsx_read_mem(r->body, r->body_len, t, &r->err) < 0)
			return -1;
		table_fill_merged(t);
		return 0;
	}
	if (ct && ((n == 8 && strncasecmp(ct, "text/csv", 8) == 0) ||
		   (n == 15 && strncasecmp(ct, "application/csv", 15) == 0)))
		return csv_read_mem(r->body, r->body_len, t, &r->err);
	return ql_fail(&r->err, QLE_UNSUPPORTED_MEDIA, "unsupported_media", "file",
		       "序时进度表应为 CSV（Content-Type: text/csv）或 Excel .xlsx（Content-Type: %s）",
		       XLSX_TYPE);
}

/* Matches every unit of every requirement to a department of the
 * campaign's region by name (as written, or with the region's level
 * word 县 in front); fills unit_departments and the unmatched names. */
static int match_units(struct req *r, const struct campaign *c, const struct schedule *s,
		       int64_t ***unit_departments, const char ***unmatched, int *nunmatched)
{
	const char *lo = c->region_code, *hi = region_upper_bound(r->a, c->region_code);
	*unit_departments = arena_alloc(r->a, sizeof **unit_departments * (size_t)(s->nreqs + 1));
	int cap = 0, k = 0;
	*unmatched = arena_grow(r->a, NULL, sizeof **unmatched, 0, &cap);
	*nunmatched = 0;
	for (int i = 0; i < s->ntasks; i++)
		for (int j = 0; j < s->tasks[i].nreqs; j++, k++) {
			const struct sched_req *q = &s->tasks[i].reqs[j];
			int64_t *ids = arena_alloc(r->a, sizeof *ids * (size_t)(q->nunits + 1));
			for (int u = 0; u < q->nunits; u++) {
				int rc = store_campaign_department_by_name(r->db, q->units[u], lo, hi, &ids[u]);
				if (rc == 0 && !ids[u] && strncmp(q->units[u], "县", 3) != 0)
					rc = store_campaign_department_by_name(
						r->db, arena_printf(r->a, "县%s", q->units[u]), lo, hi, &ids[u]);
				if (rc < 0)
					return rc;
				if (ids[u])
					continue;
				bool seen = false;
				for (int m = 0; m < *nunmatched && !seen; m++)
					seen = strcmp((*unmatched)[m], q->units[u]) == 0;
				if (!seen) {
					*unmatched = arena_grow(r->a, *unmatched, sizeof **unmatched,
								*nunmatched, &cap);
					(*unmatched)[(*nunmatched)++] = q->units[u];
				}
			}
			(*unit_departments)[k] = ids;
		}
	return 0;
}

static int import_schedule(struct req *r)
{
	struct campaign c;
	int rc = load(r, &c);
	if (rc != 0)
		return rc;
	if (r->user.role != ROLE_OFFICE || !region_in_subtree(c.region_code, r->scope.region_code))
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL,
				  "只有部署该专项行动的安委办（或其上级）可以导入序时进度表");
	if (c.nadopted)
		return reply_fail(r, QLE_CONFLICT, "adopted", NULL,
				  "已有 %lld 个下级单位承接了该专项行动，不能重新导入序时进度表",
				  (long long)c.nadopted);
	struct table t = {0};
	if (read_table(r, &t) < 0) {
		table_free(&t);
		return reply_error(r);
	}
	struct schedule s;
	rc = schedule_read(r->a, &t, atoi(c.starts_on), &s, &r->err);
	table_free(&t);
	TRY(rc);
	if (s.ntasks == 0)
		return reply_fail(r, QLE_INVALID, "empty", "file", "表中没有编号的任务（如“1. ……”）");
	int64_t **unit_departments;
	const char **unmatched;
	int nunmatched;
	if ((rc = match_units(r, &c, &s, &unit_departments, &unmatched, &nunmatched)) < 0 ||
	    (rc = store_campaign_replace_tasks(r->db, c.id, &s, unit_departments)) < 0)
		return reply_db(r, rc);
	const char *summary = arena_printf(r->a, "{\"tasks\":%d,\"requirements\":%d}", s.ntasks,
					   s.nreqs);
	if ((rc = audit(r, "campaign.schedule", "campaign",
			arena_printf(r->a, "%lld", (long long)c.id), NULL, summary)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "tasks", s.ntasks);
	jw_kint(w, "requirements", s.nreqs);
	jw_key(w, "unparsed_dates");
	jw_arr(w);
	for (int i = 0; i < s.ntasks; i++)
		for (int j = 0; j < s.tasks[i].nreqs; j++) {
			const struct sched_req *q = &s.tasks[i].reqs[j];
			if (q->due.kind != DL_UNPARSED)
				continue;
			jw_obj(w);
			jw_kint(w, "row", q->line);
			jw_kstr(w, "task", s.tasks[i].no);
			jw_kstr(w, "text", q->due_text);
			jw_obj_end(w);
		}
	jw_arr_end(w);
	jw_key(w, "unmatched_units");
	jw_arr(w);
	for (int i = 0; i < nunmatched; i++)
		jw_str(w, unmatched[i]);
	jw_arr_end(w);
	jw_key(w, "rows_without_task");
	jw_arr(w);
	for (int i = 0; i < s.norphans; i++)
		jw_int(w, s.orphan_lines[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 200;
}

static const char SQL_TASK_COUNT[] = "SELECT count(*) FROM campaign_tasks WHERE campaign_id = ?";
static const char SQL_TASKS[] =
	"SELECT id, no, section, title FROM campaign_tasks WHERE campaign_id = ?"
	" ORDER BY position LIMIT ? OFFSET ?";
static const char SQL_REQS[] =
	"SELECT id, text, due, recurring, due_text, note FROM task_requirements WHERE task_id = ?"
	" ORDER BY position";
static const char SQL_UNITS[] =
	"SELECT u.name, u.department_id, d.name FROM requirement_units u"
	" LEFT JOIN departments d ON d.id = u.department_id WHERE u.requirement_id = ?"
	" ORDER BY u.position";

struct task_row {
	int64_t id;
	char *no, *section, *title;
};

/* One requirement's units: names as written, and the departments matched. */
static void write_units(struct req *r, struct jsonw *w, int64_t req_id)
{
	struct db_stmt *st = db_stmt(r->db, SQL_UNITS);
	db_bind_int(st, 1, req_id);
	struct buf names = BUF_INIT;
	jw_key(w, "unit_departments");
	jw_arr(w);
	struct jsonw nw;
	jw_init(&nw, &names);
	jw_arr(&nw);
	while (db_step(st) == DB_ROW) {
		jw_str(&nw, db_col_text(st, 0));
		jw_obj(w);
		jw_kstr(w, "name", db_col_text(st, 0));
		jw_kid(w, "department_id", db_col_int(st, 1));
		jw_kstr(w, "department_name", db_col_text(st, 2));
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(&nw);
	jw_arr_end(w);
	jw_key(w, "units");
	jw_raw(w, buf_str(&names));
	buf_free(&names);
}

static const char SQL_LATEST[] =
	"SELECT p.unit, p.percent, p.text, p.reported_at, p.id FROM requirement_progress p"
	" WHERE p.requirement_id = ? AND p.id = (SELECT max(q.id) FROM requirement_progress q"
	" WHERE q.requirement_id = p.requirement_id AND q.unit = p.unit) ORDER BY p.unit";
static const char SQL_LOWER[] =
	"SELECT c.id, c.region_code, g.name, r.id, r.due, (SELECT p.percent FROM"
	" requirement_progress p WHERE p.requirement_id = r.id ORDER BY p.id DESC LIMIT 1)"
	" FROM task_requirements r JOIN campaign_tasks t ON t.id = r.task_id"
	" JOIN campaigns c ON c.id = t.campaign_id JOIN regions g ON g.code = c.region_code"
	" WHERE r.parent_requirement_id = ? ORDER BY c.region_code";

/* A requirement's progress: the latest report of each unit, the lower
 * regions' copies with their deadlines and latest progress, and the
 * flags: reported at all, overdue (past due and not 100 %). */
static void write_progress(struct req *r, struct jsonw *w, int64_t req_id, const char *due)
{
	char today[16];
	clock_format_date_cn(r->now, today, sizeof today);
	struct db_stmt *st = db_stmt(r->db, SQL_LATEST);
	db_bind_int(st, 1, req_id);
	int64_t best = -1;
	struct { char *unit, *text; int64_t percent, at, id; } *p = NULL;
	int np = 0, cap = 0;
	while (db_step(st) == DB_ROW) {
		p = arena_grow(r->a, p, sizeof *p, np, &cap);
		p[np].unit = arena_strdup(r->a, db_col_text(st, 0));
		p[np].percent = db_col_int(st, 1);
		p[np].text = arena_strdup(r->a, db_col_text(st, 2));
		p[np].at = db_col_int(st, 3);
		p[np++].id = db_col_int(st, 4);
	}
	db_done(st);
	jw_key(w, "progress");
	jw_arr(w);
	for (int i = 0; i < np; i++) {
		jw_obj(w);
		jw_kint(w, "id", p[i].id);
		jw_kstr(w, "unit", p[i].unit);
		jw_kint(w, "percent", p[i].percent);
		jw_kstr(w, "text", p[i].text);
		view_time(w, "at", p[i].at);
		struct attachment *ev;
		int n = store_attachment_list(r->db, r->a, AO_PROGRESS, p[i].id, &ev);
		jw_key(w, "evidence");
		jw_arr(w);
		for (int k = 0; k < n; k++)
			attachment_view(w, &ev[k], arena_printf(r->a, "/api/v1/progress/%lld/evidence",
								(long long)p[i].id));
		jw_arr_end(w);
		jw_obj_end(w);
		if (p[i].percent > best)
			best = p[i].percent;
	}
	jw_arr_end(w);
	jw_kbool(w, "reported", best >= 0);
	jw_kbool(w, "overdue", due && *due && strcmp(due, today) < 0 && best < 100);
	st = db_stmt(r->db, SQL_LOWER);
	db_bind_int(st, 1, req_id);
	jw_key(w, "lower");
	jw_arr(w);
	while (db_step(st) == DB_ROW) {
		jw_obj(w);
		jw_kint(w, "campaign_id", db_col_int(st, 0));
		jw_kstr(w, "region_code", db_col_text(st, 1));
		jw_kstr(w, "region_name", db_col_text(st, 2));
		jw_kint(w, "requirement_id", db_col_int(st, 3));
		jw_kstr(w, "due", db_col_text(st, 4));
		view_col_int(w, "percent", st, 5);
		jw_obj_end(w);
	}
	db_done(st);
	jw_arr_end(w);
}

static int tasks(struct req *r)
{
	struct campaign c;
	int rc = load(r, &c);
	if (rc != 0)
		return rc;
	int64_t page, per_page;
	TRY(in_page(r, &page, &per_page));
	struct db_stmt *st = db_stmt(r->db, SQL_TASK_COUNT);
	db_bind_int(st, 1, c.id);
	int64_t total = db_one_int(st, 0);
	st = db_stmt(r->db, SQL_TASKS);
	db_bind_int(st, 1, c.id);
	db_bind_int(st, 2, per_page);
	db_bind_int(st, 3, (page - 1) * per_page);
	struct task_row *rows = NULL;
	int n = 0, cap = 0;
	while (db_step(st) == DB_ROW) {
		rows = arena_grow(r->a, rows, sizeof *rows, n, &cap);
		rows[n++] = (struct task_row){db_col_int(st, 0), arena_strdup(r->a, db_col_text(st, 1)),
					      arena_strdup(r->a, db_col_text(st, 2)),
					      arena_strdup(r->a, db_col_text(st, 3))};
	}
	db_done(st);
	struct jsonw *w = reply_list_open(r);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "id", rows[i].id);
		jw_kstr(w, "no", rows[i].no);
		jw_kstr(w, "section", rows[i].section);
		jw_kstr(w, "title", rows[i].title);
		jw_key(w, "requirements");
		jw_arr(w);
		/* The requirements are read whole before their units are. */
		st = db_stmt(r->db, SQL_REQS);
		db_bind_int(st, 1, rows[i].id);
		struct { int64_t id; char *text, *due, *recurring, *due_text, *note; } *q = NULL;
		int nq = 0, qcap = 0;
		while (db_step(st) == DB_ROW) {
			q = arena_grow(r->a, q, sizeof *q, nq, &qcap);
			q[nq].id = db_col_int(st, 0);
			q[nq].text = arena_strdup(r->a, db_col_text(st, 1));
			q[nq].due = arena_strdup(r->a, db_col_text(st, 2));
			q[nq].recurring = arena_strdup(r->a, db_col_text(st, 3));
			q[nq].due_text = arena_strdup(r->a, db_col_text(st, 4));
			q[nq].note = arena_strdup(r->a, db_col_text(st, 5));
			nq++;
		}
		db_done(st);
		for (int j = 0; j < nq; j++) {
			jw_obj(w);
			jw_kint(w, "id", q[j].id);
			jw_kstr(w, "text", q[j].text);
			jw_kstr(w, "due", q[j].due);
			jw_kstr(w, "recurring", q[j].recurring);
			jw_kstr(w, "due_text", q[j].due_text);
			jw_kstr(w, "note", q[j].note);
			write_units(r, w, q[j].id);
			write_progress(r, w, q[j].id, q[j].due);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

/* --- lower levels: adoption, their own deadlines, progress ----------------- */

/* A lower region's office takes the campaign on as its own copy. */
static int adopt(struct req *r)
{
	struct campaign c;
	int rc = load(r, &c);
	if (rc != 0)
		return rc;
	const char *home = r->scope.region_code;
	if (r->user.role != ROLE_OFFICE || !region_in_subtree(home, c.region_code) ||
	    strcmp(home, c.region_code) == 0)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL,
				  "只有下级区划的安委办可以承接上级部署的专项行动");
	struct campaign copy = c;
	copy.region_code = (char *)home;
	copy.parent_id = c.id;
	copy.created_by = r->user.id;
	copy.created_at = r->now;
	if (in_has(r, "doc_number"))
		TRY(in_str(r, "doc_number", true, 64, (const char **)&copy.doc_number));
	rc = store_campaign_adopt(r->db, &copy);
	if (rc == DB_ERR_UNIQUE)
		return reply_fail(r, QLE_CONFLICT, "duplicate", NULL, "本辖区已承接该专项行动");
	if (rc < 0 || (rc = audit_with_body(r, "campaign.adopt", "campaign", copy.id)) < 0)
		return reply_db(r, rc);
	if ((rc = store_campaign_get(r->db, r->a, copy.id, &copy)) < 0)
		return reply_db(r, rc);
	view_campaign(reply_json(r), &copy);
	return 201;
}

static const char SQL_REQ_CTX[] =
	"SELECT c.id, c.region_code, p.due, r.due, t.id FROM task_requirements r"
	" JOIN campaign_tasks t ON t.id = r.task_id JOIN campaigns c ON c.id = t.campaign_id"
	" LEFT JOIN task_requirements p ON p.id = r.parent_requirement_id WHERE r.id = ?";
static const char SQL_TASK_CTX[] =
	"SELECT c.id, c.region_code, (SELECT max(due) FROM task_requirements q"
	" WHERE q.task_id = t.parent_task_id), NULL, t.id FROM campaign_tasks t"
	" JOIN campaigns c ON c.id = t.campaign_id WHERE t.id = ?";

/* Where a requirement (or task) stands: its campaign's region and the
 * latest deadline allowed by the level above (NULL: none). */
struct req_ctx {
	int64_t id, campaign_id, task_id;
	char region[16], limit[11], due[11];
};

static int load_ctx(struct req *r, const char *sql, struct req_ctx *x, const char *what)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	struct db_stmt *st = db_stmt(r->db, sql);
	db_bind_int(st, 1, id);
	memset(x, 0, sizeof *x);
	x->id = id;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		x->campaign_id = db_col_int(st, 0);
		snprintf(x->region, sizeof x->region, "%s", db_col_text(st, 1));
		snprintf(x->limit, sizeof x->limit, "%s", db_col_is_null(st, 2) ? "" : db_col_text(st, 2));
		snprintf(x->due, sizeof x->due, "%s", db_col_is_null(st, 3) ? "" : db_col_text(st, 3));
		x->task_id = db_col_int(st, 4);
	}
	db_done(st);
	if (rc < 0)
		return reply_db(r, rc);
	if (rc != DB_ROW || !visible(r, x->region))
		return reply_not_found(r, what);
	if (r->user.role != ROLE_OFFICE || strcmp(x->region, r->scope.region_code) != 0)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL,
				  "只有该专项行动所属区划的安委办可以修改其任务清单");
	return 0;
}

/* A lower level may set an earlier deadline, never a later one. */
static int check_due(struct req *r, const struct req_ctx *x, const char *due)
{
	if (due && x->limit[0] && strcmp(due, x->limit) > 0)
		return ql_fail(&r->err, QLE_INVALID, "later_than_parent", "due",
			       "完成时间不能晚于上级要求的完成时间（%s）", x->limit);
	return 0;
}

static const char SQL_REQ_UPDATE[] =
	"UPDATE task_requirements SET due = ?, recurring = NULL, text = coalesce(?, text) WHERE id = ?";

static int update_requirement(struct req *r)
{
	struct req_ctx x;
	int rc = load_ctx(r, SQL_REQ_CTX, &x, "具体要求");
	if (rc != 0)
		return rc;
	const char *due, *text = NULL;
	TRY(in_body_object(r));
	TRY(in_date(r, "due", true, &due));
	TRY(in_str(r, "text", false, 2000, &text));
	TRY(check_due(r, &x, due));
	struct db_stmt *st = db_stmt(r->db, SQL_REQ_UPDATE);
	db_bind_text(st, 1, due);
	db_bind_text(st, 2, text);
	db_bind_int(st, 3, x.id);
	if ((rc = db_run(st)) < 0 ||
	    (rc = audit(r, "requirement.update", "requirement",
			arena_printf(r->a, "%lld", (long long)x.id), NULL, NULL)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", x.id);
	jw_kstr(w, "due", due);
	jw_kstr(w, "limit", x.limit[0] ? x.limit : NULL);
	jw_obj_end(w);
	return 200;
}

static const char SQL_REQ_ADD[] =
	"INSERT INTO task_requirements (task_id, position, text, due_text, due, recurring, note,"
	" source_line, parent_requirement_id) SELECT ?, coalesce(max(position), 0) + 1, ?, ?, ?, NULL,"
	" ?, NULL, NULL FROM task_requirements WHERE task_id = ? RETURNING id";

/* A lower level breaks a task down into a further requirement of its own. */
static int add_requirement(struct req *r)
{
	struct req_ctx x;
	int rc = load_ctx(r, SQL_TASK_CTX, &x, "任务");
	if (rc != 0)
		return rc;
	const char *text, *due, *note = NULL;
	TRY(in_body_object(r));
	TRY(in_str(r, "text", true, 2000, &text));
	TRY(in_date(r, "due", true, &due));
	TRY(in_str(r, "note", false, 500, &note));
	TRY(check_due(r, &x, due));
	struct db_stmt *st = db_stmt(r->db, SQL_REQ_ADD);
	db_bind_int(st, 1, x.task_id);
	db_bind_text(st, 2, text);
	db_bind_text(st, 3, due);
	db_bind_text(st, 4, due);
	db_bind_text(st, 5, note);
	db_bind_int(st, 6, x.task_id);
	int64_t id;
	if ((rc = db_insert_id(st, &id)) < 0 ||
	    (rc = audit(r, "requirement.create", "requirement",
			arena_printf(r->a, "%lld", (long long)id), NULL, NULL)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "task_id", x.task_id);
	jw_kstr(w, "due", due);
	jw_obj_end(w);
	return 201;
}

static const char SQL_PROGRESS[] =
	"INSERT INTO requirement_progress (requirement_id, unit, percent, text, reported_by,"
	" reported_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

/* The caller's unit: its region (office) or its department (regulator). */
static const char *unit_of(struct req *r)
{
	if (r->scope.kind == SCOPE_DEPARTMENT)
		return arena_printf(r->a, "department:%lld", (long long)r->scope.department_id);
	return arena_printf(r->a, "region:%s", r->scope.region_code);
}

static int report_progress(struct req *r)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	struct db_stmt *st = db_stmt(r->db, SQL_REQ_CTX);
	db_bind_int(st, 1, id);
	char region[16] = "";
	if (db_step(st) == DB_ROW)
		snprintf(region, sizeof region, "%s", db_col_text(st, 1));
	db_done(st);
	if (!region[0] || !visible(r, region))
		return reply_not_found(r, "具体要求");
	int64_t percent;
	const char *text;
	TRY(in_body_object(r));
	TRY(in_int(r, "percent", true, &percent));
	if (percent < 0 || percent > 100)
		return reply_fail(r, QLE_INVALID, "out_of_range", "percent", "完成进度应为 0 到 100");
	TRY(in_str(r, "text", true, 2000, &text));
	st = db_stmt(r->db, SQL_PROGRESS);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, unit_of(r));
	db_bind_int(st, 3, percent);
	db_bind_text(st, 4, text);
	db_bind_int(st, 5, r->user.id);
	db_bind_int(st, 6, r->now);
	int64_t pid;
	int rc = db_insert_id(st, &pid);
	if (rc < 0 || (rc = audit_with_body(r, "requirement.progress", "requirement", id)) < 0)
		return reply_db(r, rc);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kint(w, "id", pid);
	jw_kint(w, "requirement_id", id);
	jw_kstr(w, "unit", unit_of(r));
	jw_kint(w, "percent", percent);
	jw_obj_end(w);
	return 201;
}

static const char SQL_PROGRESS_CTX[] =
	"SELECT p.unit, c.region_code FROM requirement_progress p"
	" JOIN task_requirements q ON q.id = p.requirement_id JOIN campaign_tasks t ON t.id = q.task_id"
	" JOIN campaigns c ON c.id = t.campaign_id WHERE p.id = ?";

/* The progress report of the path's first id, if its campaign is visible. */
static int progress_in_scope(struct req *r, int64_t *id, char **unit)
{
	TRY(in_path_id(r, 0, id));
	struct db_stmt *st = db_stmt(r->db, SQL_PROGRESS_CTX);
	db_bind_int(st, 1, *id);
	char *region = NULL;
	*unit = NULL;
	if (db_step(st) == DB_ROW) {
		*unit = arena_strdup(r->a, db_col_text(st, 0));
		region = arena_strdup(r->a, db_col_text(st, 1));
	}
	db_done(st);
	if (!region || !visible(r, region))
		return reply_not_found(r, "进展报告");
	return 0;
}

/* Evidence 佐证材料 of a progress report: photos or documents, added by
 * the unit that reported. */
static int add_evidence(struct req *r)
{
	int64_t id;
	char *unit;
	int rc = progress_in_scope(r, &id, &unit);
	if (rc != 0)
		return rc;
	if (strcmp(unit, unit_of(r)) != 0)
		return reply_fail(r, QLE_FORBIDDEN, "forbidden", NULL, "只有报送该进展的单位可以上传佐证材料");
	struct attachment att = {.progress_id = id, .uploaded_by = r->user.id,
				 .uploaded_by_name = r->user.name};
	TRY(attachment_receive(r, false, &att));
	if ((rc = store_attachment_insert(r->db, &att)) < 0 ||
	    (rc = audit(r, "progress.evidence", "progress", arena_printf(r->a, "%lld", (long long)id),
			NULL, NULL)) < 0)
		return reply_db(r, rc);
	attachment_view(reply_json(r), &att,
			arena_printf(r->a, "/api/v1/progress/%lld/evidence", (long long)id));
	return 201;
}

static int get_evidence(struct req *r)
{
	int64_t id, aid;
	char *unit;
	int rc = progress_in_scope(r, &id, &unit);
	if (rc != 0)
		return rc;
	TRY(in_path_id(r, 1, &aid));
	struct attachment att;
	rc = store_attachment_get_of(r->db, r->a, AO_PROGRESS, id, aid, &att);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "佐证材料");
	return attachment_reply_file(r, &att, false);
}

#define CAMPAIGN_READERS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR) | R_BIT(ROLE_EXPERT))

const struct route campaign_routes[] = {
	{"POST", "/api/v1/campaigns", create, R_BIT(ROLE_OFFICE), 0},
	{"GET", "/api/v1/campaigns", list, CAMPAIGN_READERS, 0},
	{"GET", "/api/v1/campaigns/{id}", get_one, CAMPAIGN_READERS, 0},
	{"POST", "/api/v1/campaigns/{id}/schedule", import_schedule, R_BIT(ROLE_OFFICE), ROUTE_UPLOAD},
	{"GET", "/api/v1/campaigns/{id}/tasks", tasks, CAMPAIGN_READERS, 0},
	{"POST", "/api/v1/campaigns/{id}/adopt", adopt, R_BIT(ROLE_OFFICE), 0},
	{"POST", "/api/v1/tasks/{id}/requirements", add_requirement, R_BIT(ROLE_OFFICE), 0},
	{"PATCH", "/api/v1/requirements/{id}", update_requirement, R_BIT(ROLE_OFFICE), 0},
	{"POST", "/api/v1/requirements/{id}/progress", report_progress,
	 R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR), 0},
	{"POST", "/api/v1/progress/{id}/evidence", add_evidence,
	 R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR), ROUTE_UPLOAD},
	{"GET", "/api/v1/progress/{id}/evidence/{aid}", get_evidence, CAMPAIGN_READERS, 0},
	{NULL, NULL, NULL, 0, 0},
};
