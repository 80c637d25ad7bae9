/*
 * records.c - inspections, enforcement and activities in the database
 * (see store.h).
 */
#include "store.h"

static const char SQL_INSPECTION[] =
	"INSERT INTO inspections (enterprise_id, region_code, department_id, date, method,"
	" inspectors, experts, spot_check, leader_not_studied, leader_no_inspection, no_duty_list,"
	" no_safety_org, uncertified_operators, outsourcing_chaos, no_drill, note, created_by,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_inspection_insert(struct db *db, const struct inspection *i, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_INSPECTION);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, i->enterprise_id);
	db_bind_text(st, 2, i->region_code);
	db_bind_int(st, 3, i->department_id);
	db_bind_text(st, 4, i->date);
	db_bind_text(st, 5, i->method);
	db_bind_text(st, 6, i->inspectors);
	db_bind_text(st, 7, i->experts);
	db_bind_bool(st, 8, i->spot_check);
	for (int k = 0; k < 7; k++)
		db_bind_bool(st, 9 + k, i->flags[k]);
	db_bind_text(st, 16, i->note);
	db_bind_int(st, 17, i->created_by);
	db_bind_int(st, 18, i->created_at);
	return db_insert_id(st, id);
}

static const char SQL_ENFORCEMENT[] =
	"INSERT INTO enforcement (kind, date, department_id, enterprise_id, region_code, amount_fen,"
	" persons, key_enterprise, dangerous_operation, inspection_id, hazard_id, note, created_by,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_enforcement_insert(struct db *db, const struct enforcement *e, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_ENFORCEMENT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, e->kind);
	db_bind_text(st, 2, e->date);
	db_bind_int(st, 3, e->department_id);
	db_bind_opt_int(st, 4, e->enterprise_id);
	db_bind_text(st, 5, e->region_code);
	db_bind_int(st, 6, e->amount_fen);
	db_bind_int(st, 7, e->persons);
	db_bind_bool(st, 8, e->key_enterprise);
	db_bind_bool(st, 9, e->dangerous_operation);
	db_bind_opt_int(st, 10, e->inspection_id);
	db_bind_opt_int(st, 11, e->hazard_id);
	db_bind_text(st, 12, e->note);
	db_bind_int(st, 13, e->created_by);
	db_bind_int(st, 14, e->created_at);
	return db_insert_id(st, id);
}

static const char SQL_ACTIVITY[] =
	"INSERT INTO activities (kind, date, region_code, department_id, note, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_activity_insert(struct db *db, const char *kind, const char *date, const char *region,
			  int64_t department_id, const char *note, int64_t by, int64_t now,
			  int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_ACTIVITY);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, region);
	db_bind_opt_int(st, 4, department_id);
	db_bind_text(st, 5, note);
	db_bind_int(st, 6, by);
	db_bind_int(st, 7, now);
	return db_insert_id(st, id);
}

static const char SQL_INSPECTION_GET[] =
	"SELECT enterprise_id, department_id FROM inspections WHERE id = ?";

int store_inspection_get(struct db *db, int64_t id, int64_t *enterprise_id, int64_t *department_id)
{
	struct db_stmt *st = db_stmt(db, SQL_INSPECTION_GET);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*enterprise_id = db_col_int(st, 0);
		*department_id = db_col_int(st, 1);
	}
	db_done(st);
	return rc;
}
