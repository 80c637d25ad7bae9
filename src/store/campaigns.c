/*
 * campaigns.c - campaigns and their imported task lists in the database
 * (see store.h).
 */
#include "store.h"
#include "../io/schedule.h"

#include <string.h>

static const char SQL_INSERT[] =
	"INSERT INTO campaigns (doc_number, title, region_code, starts_on, ends_on, created_by,"
	" created_at, parent_id, phases) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_campaign_insert(struct db *db, struct campaign *c)
{
	struct db_stmt *st = db_stmt(db, SQL_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, c->doc_number);
	db_bind_text(st, 2, c->title);
	db_bind_text(st, 3, c->region_code);
	db_bind_text(st, 4, c->starts_on);
	db_bind_text(st, 5, c->ends_on);
	db_bind_int(st, 6, c->created_by);
	db_bind_int(st, 7, c->created_at);
	db_bind_opt_int(st, 8, c->parent_id);
	db_bind_text(st, 9, c->phases);
	return db_insert_id(st, &c->id);
}

static const char SQL_GET[] =
	"SELECT id, doc_number, title, region_code, starts_on, ends_on, created_at,"
	" (SELECT count(*) FROM campaign_tasks t WHERE t.campaign_id = campaigns.id), parent_id,"
	" (SELECT count(*) FROM campaigns l WHERE l.parent_id = campaigns.id), phases"
	" FROM campaigns WHERE id = ?";

int store_campaign_get(struct db *db, struct arena *a, int64_t id, struct campaign *c)
{
	struct db_stmt *st = db_stmt(db, SQL_GET);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		c->id = db_col_int(st, 0);
		c->doc_number = arena_strdup(a, db_col_text(st, 1));
		c->title = arena_strdup(a, db_col_text(st, 2));
		c->region_code = arena_strdup(a, db_col_text(st, 3));
		c->starts_on = arena_strdup(a, db_col_text(st, 4));
		c->ends_on = arena_strdup(a, db_col_text(st, 5));
		c->created_at = db_col_int(st, 6);
		c->ntasks = db_col_int(st, 7);
		c->parent_id = db_col_int(st, 8);
		c->nadopted = db_col_int(st, 9);
		c->phases = arena_strdup(a, db_col_text(st, 10));
	}
	db_done(st);
	return rc;
}

/* Delete the old list bottom up, then write the new one top down. */
static const char *const SQL_CLEAR[] = {
	"DELETE FROM requirement_units WHERE requirement_id IN (SELECT r.id FROM task_requirements r"
	" JOIN campaign_tasks t ON t.id = r.task_id WHERE t.campaign_id = ?)",
	"DELETE FROM task_requirements WHERE task_id IN"
	" (SELECT id FROM campaign_tasks WHERE campaign_id = ?)",
	"DELETE FROM campaign_tasks WHERE campaign_id = ?",
};
static const char SQL_TASK[] =
	"INSERT INTO campaign_tasks (campaign_id, no, section, title, position, source_line)"
	" VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_REQ[] =
	"INSERT INTO task_requirements (task_id, position, text, due_text, due, recurring, note,"
	" source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_UNIT[] =
	"INSERT INTO requirement_units (requirement_id, position, name, department_id)"
	" VALUES (?, ?, ?, ?) RETURNING id";
static const char SQL_DEPT_BY_NAME[] =
	"SELECT id FROM departments WHERE name = ? AND region_code >= ? AND region_code < ?"
	" ORDER BY length(region_code), id LIMIT 1";

int store_campaign_department_by_name(struct db *db, const char *name, const char *lo,
				      const char *hi, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_DEPT_BY_NAME);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, lo);
	db_bind_text(st, 3, hi);
	int rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

int store_campaign_replace_tasks(struct db *db, int64_t campaign_id, const struct schedule *s,
				 int64_t *const *unit_departments)
{
	int rc;
	for (size_t k = 0; k < sizeof SQL_CLEAR / sizeof SQL_CLEAR[0]; k++) {
		struct db_stmt *st = db_stmt(db, SQL_CLEAR[k]);
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, campaign_id);
		if ((rc = db_run(st)) < 0)
			return rc;
	}
	int req_index = 0;
	for (int i = 0; i < s->ntasks; i++) {
		const struct sched_task *t = &s->tasks[i];
		struct db_stmt *st = db_stmt(db, SQL_TASK);
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, campaign_id);
		db_bind_text(st, 2, t->no);
		db_bind_text(st, 3, t->section);
		db_bind_text(st, 4, t->title);
		db_bind_int(st, 5, i + 1);
		db_bind_int(st, 6, t->line);
		int64_t task_id;
		if ((rc = db_insert_id(st, &task_id)) < 0)
			return rc;
		for (int j = 0; j < t->nreqs; j++, req_index++) {
			const struct sched_req *r = &t->reqs[j];
			st = db_stmt(db, SQL_REQ);
			if (!st)
				return DB_ERR;
			db_bind_int(st, 1, task_id);
			db_bind_int(st, 2, j + 1);
			db_bind_text(st, 3, r->text);
			db_bind_text(st, 4, r->due_text);
			db_bind_text(st, 5, r->due.kind == DL_DATE ? r->due.due : NULL);
			db_bind_text(st, 6, r->due.kind == DL_YEARLY ? "yearly" : NULL);
			db_bind_text(st, 7, r->note);
			db_bind_int(st, 8, r->line);
			int64_t req_id, unit_id;
			if ((rc = db_insert_id(st, &req_id)) < 0)
				return rc;
			for (int u = 0; u < r->nunits; u++) {
				st = db_stmt(db, SQL_UNIT);
				if (!st)
					return DB_ERR;
				db_bind_int(st, 1, req_id);
				db_bind_int(st, 2, u + 1);
				db_bind_text(st, 3, r->units[u]);
				db_bind_opt_int(st, 4, unit_departments[req_index][u]);
				if ((rc = db_insert_id(st, &unit_id)) < 0)
					return rc;
			}
		}
	}
	return 0;
}

/* A lower region's copy: the tasks, their requirements and units, each
 * pointing at what it was copied from.  Set-based, in the caller's
 * transaction. */
static const char *const SQL_ADOPT[] = {
	"INSERT INTO campaign_tasks (campaign_id, no, section, title, position, source_line,"
	" parent_task_id) SELECT ?, no, section, title, position, source_line, id"
	" FROM campaign_tasks WHERE campaign_id = ?",
	"INSERT INTO task_requirements (task_id, position, text, due_text, due, recurring, note,"
	" source_line, parent_requirement_id) SELECT nt.id, r.position, r.text, r.due_text, r.due,"
	" r.recurring, r.note, r.source_line, r.id FROM task_requirements r"
	" JOIN campaign_tasks nt ON nt.parent_task_id = r.task_id WHERE nt.campaign_id = ? AND ? > 0",
	"INSERT INTO requirement_units (requirement_id, position, name, department_id)"
	" SELECT nr.id, u.position, u.name, u.department_id FROM requirement_units u"
	" JOIN task_requirements nr ON nr.parent_requirement_id = u.requirement_id"
	" JOIN campaign_tasks nt ON nt.id = nr.task_id WHERE nt.campaign_id = ? AND ? > 0",
};

int store_campaign_adopt(struct db *db, struct campaign *copy)
{
	int rc = store_campaign_insert(db, copy);
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < sizeof SQL_ADOPT / sizeof SQL_ADOPT[0]; k++) {
		struct db_stmt *st = db_stmt(db, SQL_ADOPT[k]);
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, copy->id);
		db_bind_int(st, 2, k == 0 ? copy->parent_id : 1);
		if ((rc = db_run(st)) < 0)
			return rc;
	}
	return 0;
}
