/*
 * org.c - regions and departments in the database (see store.h).
 */
#include "store.h"
#include "../lib/clock.h"

#include <string.h>

static char *col_dup(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

static const char SQL_REGION_GET[] =
	"SELECT code, name, parent_code, level FROM regions WHERE code = ?";

static void region_row(struct arena *a, struct db_stmt *st, struct region *r)
{
	r->code = col_dup(a, st, 0);
	r->name = col_dup(a, st, 1);
	r->parent_code = col_dup(a, st, 2);
	r->level = (int)db_col_int(st, 3);
}

int store_region_get(struct db *db, struct arena *a, const char *code, struct region *out)
{
	struct db_stmt *st = db_stmt(db, SQL_REGION_GET);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW)
		region_row(a, st, out);
	db_done(st);
	return rc;
}

static const char SQL_REGION_INSERT[] =
	"INSERT INTO regions (code, name, parent_code, level, created_at) VALUES (?, ?, ?, ?, ?)";

int store_region_insert(struct db *db, const struct region *r)
{
	struct db_stmt *st = db_stmt(db, SQL_REGION_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, r->code);
	db_bind_text(st, 2, r->name);
	db_bind_text(st, 3, r->parent_code);
	db_bind_int(st, 4, r->level);
	db_bind_int(st, 5, clock_now());
	return db_run(st);
}

/* The filters are bound as values; an absent filter binds a pattern that
 * matches everything, so one statement serves every combination. */
static const char SQL_REGION_COUNT[] =
	"SELECT count(*) FROM regions WHERE code LIKE ? AND coalesce(parent_code, '') LIKE ?";
static const char SQL_REGION_LIST[] =
	"SELECT code, name, parent_code, level FROM regions"
	" WHERE code LIKE ? AND coalesce(parent_code, '') LIKE ?"
	" ORDER BY code LIMIT ? OFFSET ?";

int store_region_list(struct db *db, struct arena *a, const char *under, const char *parent,
		      int64_t offset, int64_t limit, struct region **items, int64_t *total)
{
	const char *under_pat = under ? arena_printf(a, "%s%%", under) : "%";
	const char *parent_pat = parent ? parent : "%";
	struct db_stmt *st = db_stmt(db, SQL_REGION_COUNT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, under_pat);
	db_bind_text(st, 2, parent_pat);
	*total = db_one_int(st, 0);
	st = db_stmt(db, SQL_REGION_LIST);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, under_pat);
	db_bind_text(st, 2, parent_pat);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	*items = arena_alloc(a, sizeof(struct region) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc = DB_DONE;
	while (n < limit && (rc = db_step(st)) == DB_ROW)
		region_row(a, st, &(*items)[n++]);
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char SQL_DEPT_GET[] = "SELECT id, name, region_code FROM departments WHERE id = ?";

static void dept_row(struct arena *a, struct db_stmt *st, struct department *d)
{
	d->id = db_col_int(st, 0);
	d->name = col_dup(a, st, 1);
	d->region_code = col_dup(a, st, 2);
}

int store_department_get(struct db *db, struct arena *a, int64_t id, struct department *out)
{
	struct db_stmt *st = db_stmt(db, SQL_DEPT_GET);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		dept_row(a, st, out);
	db_done(st);
	return rc;
}

static const char SQL_DEPT_INSERT[] =
	"INSERT INTO departments (name, region_code, created_at) VALUES (?, ?, ?) RETURNING id";

int store_department_insert(struct db *db, struct department *d)
{
	struct db_stmt *st = db_stmt(db, SQL_DEPT_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, d->name);
	db_bind_text(st, 2, d->region_code);
	db_bind_int(st, 3, clock_now());
	return db_insert_id(st, &d->id);
}

static const char SQL_DEPT_COUNT[] = "SELECT count(*) FROM departments WHERE region_code LIKE ?";
static const char SQL_DEPT_LIST[] =
	"SELECT id, name, region_code FROM departments WHERE region_code LIKE ?"
	" ORDER BY region_code, id LIMIT ? OFFSET ?";

int store_department_list(struct db *db, struct arena *a, const char *region, int64_t offset,
			  int64_t limit, struct department **items, int64_t *total)
{
	const char *pat = region ? arena_printf(a, "%s%%", region) : "%";
	struct db_stmt *st = db_stmt(db, SQL_DEPT_COUNT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, pat);
	*total = db_one_int(st, 0);
	st = db_stmt(db, SQL_DEPT_LIST);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, pat);
	db_bind_int(st, 2, limit);
	db_bind_int(st, 3, offset);
	*items = arena_alloc(a, sizeof(struct department) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc = DB_DONE;
	while (n < limit && (rc = db_step(st)) == DB_ROW)
		dept_row(a, st, &(*items)[n++]);
	db_done(st);
	return rc < 0 ? rc : n;
}
