/*
 * enterprises.c - enterprises and their supervising departments in the
 * database (see store.h).  Every read carries the caller's scope in its
 * WHERE clause: an enterprise outside it is simply not found.
 */
#include "query.h"

#include <string.h>

#define ENT_COLS                                                                              \
	"e.id, e.uscc, e.name, e.region_code, e.industry_code, e.high_risk, e.main_person_name," \
	" e.main_person_phone, e.controller_name, e.controller_phone, e.uscc_override,"          \
	" e.created_at, e.updated_at"

static void ent_row(struct arena *a, struct db_stmt *st, void *out)
{
	struct enterprise *e = out;
	memset(e, 0, sizeof *e);
	e->id = db_col_int(st, 0);
	e->uscc = arena_strdup(a, db_col_text(st, 1));
	e->name = arena_strdup(a, db_col_text(st, 2));
	e->region_code = arena_strdup(a, db_col_text(st, 3));
	e->industry_code = arena_strdup(a, db_col_text(st, 4));
	e->high_risk = db_col_int(st, 5) != 0;
	e->main_person.name = arena_strdup(a, db_col_text(st, 6));
	e->main_person.phone = arena_strdup(a, db_col_text(st, 7));
	e->controller.name = arena_strdup(a, db_col_text(st, 8));
	e->controller.phone = arena_strdup(a, db_col_text(st, 9));
	e->uscc_override = arena_strdup(a, db_col_text(st, 10));
	e->created_at = db_col_int(st, 11);
	e->updated_at = db_col_int(st, 12);
}

static const char SQL_ENT_DEPTS[] =
	"SELECT department_id FROM enterprise_departments WHERE enterprise_id = ?"
	" ORDER BY department_id";

static int load_departments(struct db *db, struct arena *a, struct enterprise *e)
{
	struct db_stmt *st = db_stmt(db, SQL_ENT_DEPTS);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, e->id);
	int cap = 0, rc;
	e->department_ids = arena_grow(a, NULL, sizeof(int64_t), 0, &cap);
	e->ndepartments = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		e->department_ids = arena_grow(a, e->department_ids, sizeof(int64_t), e->ndepartments, &cap);
		e->department_ids[e->ndepartments++] = db_col_int(st, 0);
	}
	db_done(st);
	return rc;
}

/* Fixed fragments of the scope clause for the enterprises table. */
#define ENT_REGION_RANGE "e.region_code >= ? AND e.region_code < ?"
#define ENT_IN_DEPT "e.id IN (SELECT enterprise_id FROM enterprise_departments WHERE department_id = ?)"
#define ENT_EQ "e.id = ?"

int store_enterprise_get(struct db *db, struct arena *a, const struct scope *s, int64_t id,
			 struct enterprise *out)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT " ENT_COLS " FROM enterprises e WHERE e.id = ?");
	qb_int(&q, id);
	qb_scope(&q, a, s, ENT_REGION_RANGE, ENT_IN_DEPT, ENT_EQ);
	int rc = qb_one(&q, db, a, ent_row, out);
	if (rc == DB_ROW) {
		int r2 = load_departments(db, a, out);
		if (r2 < 0)
			return r2;
	}
	return rc;
}

static const char SQL_ENT_BY_USCC[] = "SELECT " ENT_COLS " FROM enterprises e WHERE e.uscc = ?";

int store_enterprise_by_uscc(struct db *db, struct arena *a, const char *uscc,
			     struct enterprise *out)
{
	struct db_stmt *st = db_stmt(db, SQL_ENT_BY_USCC);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, uscc);
	int rc = db_step(st);
	if (rc == DB_ROW)
		ent_row(a, st, out);
	db_done(st);
	return rc;
}

static const char SQL_ENT_INSERT[] =
	"INSERT INTO enterprises (uscc, name, region_code, industry_code, high_risk,"
	" main_person_name, main_person_phone, controller_name, controller_phone, uscc_override,"
	" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

static void bind_ent(struct db_stmt *st, const struct enterprise *e)
{
	db_bind_text(st, 1, e->uscc);
	db_bind_text(st, 2, e->name);
	db_bind_text(st, 3, e->region_code);
	db_bind_text(st, 4, e->industry_code);
	db_bind_bool(st, 5, e->high_risk);
	db_bind_text(st, 6, e->main_person.name);
	db_bind_text(st, 7, e->main_person.phone);
	db_bind_text(st, 8, e->controller.name);
	db_bind_text(st, 9, e->controller.phone);
	db_bind_text(st, 10, e->uscc_override);
}

int store_enterprise_insert(struct db *db, struct enterprise *e)
{
	struct db_stmt *st = db_stmt(db, SQL_ENT_INSERT);
	if (!st)
		return DB_ERR;
	bind_ent(st, e);
	db_bind_int(st, 11, e->created_at);
	db_bind_int(st, 12, e->updated_at);
	return db_insert_id(st, &e->id);
}

static const char SQL_ENT_UPDATE[] =
	"UPDATE enterprises SET uscc = ?, name = ?, region_code = ?, industry_code = ?,"
	" high_risk = ?, main_person_name = ?, main_person_phone = ?, controller_name = ?,"
	" controller_phone = ?, uscc_override = ?, updated_at = ? WHERE id = ?";
/* A hazard keeps its enterprise's region and industry for scoped queries. */
static const char SQL_ENT_HAZARDS_SYNC[] =
	"UPDATE hazards SET region_code = ?, industry_code = ? WHERE enterprise_id = ?"
	" AND (region_code <> ? OR industry_code <> ?)";

int store_enterprise_update(struct db *db, const struct enterprise *e)
{
	struct db_stmt *st = db_stmt(db, SQL_ENT_UPDATE);
	if (!st)
		return DB_ERR;
	bind_ent(st, e);
	db_bind_int(st, 11, e->updated_at);
	db_bind_int(st, 12, e->id);
	int rc = db_run(st);
	if (rc < 0)
		return rc;
	/* The counters follow the hazards to the new region. */
	struct arena *a = arena_new();
	rc = store_hazard_count_enterprise(db, a, e->id, -1);
	st = rc < 0 ? NULL : db_stmt(db, SQL_ENT_HAZARDS_SYNC);
	if (st) {
		db_bind_text(st, 1, e->region_code);
		db_bind_text(st, 2, e->industry_code);
		db_bind_int(st, 3, e->id);
		db_bind_text(st, 4, e->region_code);
		db_bind_text(st, 5, e->industry_code);
		rc = db_run(st);
	} else if (rc >= 0) {
		rc = DB_ERR;
	}
	if (rc >= 0)
		rc = store_hazard_count_enterprise(db, a, e->id, 1);
	arena_free(a);
	return rc;
}

static const char SQL_ENT_DEPT_CLEAR[] = "DELETE FROM enterprise_departments WHERE enterprise_id = ?";
static const char SQL_ENT_DEPT_ADD[] =
	"INSERT INTO enterprise_departments (enterprise_id, department_id) VALUES (?, ?)"
	" ON CONFLICT DO NOTHING";

int store_enterprise_set_departments(struct db *db, int64_t id, const int64_t *ids, int n)
{
	struct db_stmt *st = db_stmt(db, SQL_ENT_DEPT_CLEAR);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	int rc = db_run(st);
	for (int i = 0; rc >= 0 && i < n; i++) {
		st = db_stmt(db, SQL_ENT_DEPT_ADD);
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, ids[i]);
		rc = db_run(st);
	}
	return rc;
}

/* Builds the WHERE clause shared by the count and the page. */
static void ent_where(struct qb *q, struct arena *a, const struct scope *s,
		      const struct enterprise_filter *f)
{
	qb_sql(q, " FROM enterprises e WHERE 1 = 1");
	qb_scope(q, a, s, ENT_REGION_RANGE, ENT_IN_DEPT, ENT_EQ);
	if (f->region) {
		qb_sql(q, " AND ");
		qb_region(q, a, ENT_REGION_RANGE, f->region);
	}
	if (f->q) {
		const char *pat = arena_printf(a, "%%%s%%", f->q);
		qb_sql(q, " AND (e.name LIKE ? OR e.uscc LIKE ?)");
		qb_text(q, pat);
		qb_text(q, pat);
	}
}

int store_enterprise_list(struct db *db, struct arena *a, const struct scope *s,
			  const struct enterprise_filter *f, struct enterprise **items,
			  int64_t *total)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT count(*)");
	ent_where(&q, a, s, f);
	struct db_stmt *st = qb_prepare(&q, db);
	qb_free(&q);
	if (!st)
		return DB_ERR;
	*total = db_one_int(st, 0);

	qb_init(&q);
	qb_sql(&q, "SELECT " ENT_COLS);
	ent_where(&q, a, s, f);
	qb_sql(&q, " ORDER BY e.id LIMIT ? OFFSET ?");
	qb_int(&q, f->limit);
	qb_int(&q, f->offset);
	st = qb_prepare(&q, db);
	qb_free(&q);
	if (!st)
		return DB_ERR;
	*items = arena_alloc(a, sizeof(struct enterprise) * (size_t)(f->limit > 0 ? f->limit : 1));
	int n = 0, rc = DB_DONE;
	while (n < f->limit && (rc = db_step(st)) == DB_ROW)
		ent_row(a, st, &(*items)[n++]);
	db_done(st);
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = load_departments(db, a, &(*items)[i]);
	return rc < 0 ? rc : n;
}
