/*
 * risks.c - a risk list's rows in the database (see store.h; the
 * assessment is core/risk.c's).
 */
#include "store.h"

static const char SQL_INSERT[] =
	"INSERT INTO risks (enterprise_id, region_code, risk_point, hazard_source, dictionary,"
	" accident_types, method, l10, e10, c10, likelihood, severity, score, level,"
	" control_measures, control_level, responsible_person, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_risk_insert(struct db *db, const struct risk *k, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_INSERT);
	if (!st)
		return DB_ERR;
	int i = 1;
	db_bind_int(st, i++, k->enterprise_id);
	db_bind_text(st, i++, k->region_code);
	db_bind_text(st, i++, k->risk_point);
	db_bind_text(st, i++, k->hazard_source);
	db_bind_text(st, i++, k->dictionary);
	db_bind_text(st, i++, k->accident_types);
	db_bind_text(st, i++, k->method);
	db_bind_opt_int(st, i++, k->l10);
	db_bind_opt_int(st, i++, k->e10);
	db_bind_opt_int(st, i++, k->c10);
	db_bind_opt_int(st, i++, k->likelihood);
	db_bind_opt_int(st, i++, k->severity);
	db_bind_int(st, i++, k->score);
	db_bind_text(st, i++, k->level);
	db_bind_text(st, i++, k->control_measures);
	db_bind_text(st, i++, k->control_level);
	db_bind_text(st, i++, k->responsible_person);
	db_bind_int(st, i++, k->created_by);
	db_bind_int(st, i++, k->created_at);
	return db_insert_id(st, id);
}
