/*
 * duties.c - enterprise duty records, certificates and outsourcing
 * contracts in the database, and the counts compliance is judged on
 * (see store.h and core/duty.h).
 */
#include "store.h"
#include "../core/date.h"
#include "../core/duty.h"

#include <stdio.h>

static const char SQL_DUTY[] =
	"INSERT INTO duty_records (enterprise_id, kind, date, title, leader, participants, note,"
	" created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_duty_insert(struct db *db, const struct duty_record *d, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_DUTY);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, d->enterprise_id);
	db_bind_text(st, 2, d->kind);
	db_bind_text(st, 3, d->date);
	db_bind_text(st, 4, d->title);
	db_bind_text(st, 5, d->leader);
	db_bind_int(st, 6, d->participants);
	db_bind_text(st, 7, d->note);
	db_bind_int(st, 8, d->created_by);
	db_bind_int(st, 9, d->created_at);
	return db_insert_id(st, id);
}

static const char SQL_CERT[] =
	"INSERT INTO operator_certificates (enterprise_id, holder, category, number, valid_until,"
	" created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_certificate_insert(struct db *db, const struct certificate *c, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_CERT);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, c->enterprise_id);
	db_bind_text(st, 2, c->holder);
	db_bind_text(st, 3, c->category);
	db_bind_text(st, 4, c->number);
	db_bind_text(st, 5, c->valid_until);
	db_bind_int(st, 6, c->created_by);
	db_bind_int(st, 7, c->created_at);
	return db_insert_id(st, id);
}

static const char SQL_CONTRACT[] =
	"INSERT INTO outsourcing_contracts (enterprise_id, contractor, contractor_uscc, work,"
	" start_date, end_date, safety_agreement, created_by, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_contract_insert(struct db *db, const struct contract *c, int64_t *id)
{
	struct db_stmt *st = db_stmt(db, SQL_CONTRACT);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, c->enterprise_id);
	db_bind_text(st, 2, c->contractor);
	db_bind_text(st, 3, c->contractor_uscc);
	db_bind_text(st, 4, c->work);
	db_bind_text(st, 5, c->start_date);
	db_bind_text(st, 6, c->end_date);
	db_bind_bool(st, 7, c->safety_agreement);
	db_bind_int(st, 8, c->created_by);
	db_bind_int(st, 9, c->created_at);
	return db_insert_id(st, id);
}

/* One statement, seven counts: each a scalar subquery on an index. */
static const char SQL_COUNTS[] =
	"SELECT"
	" (SELECT count(*) FROM duty_records WHERE enterprise_id = ? AND kind = 'leader_inspection'"
	"   AND date >= ? AND date <= ?),"
	" (SELECT count(*) FROM duty_records WHERE enterprise_id = ? AND kind = 'drill'"
	"   AND date >= ? AND date <= ?),"
	" (SELECT count(*) FROM duty_records WHERE enterprise_id = ? AND kind = 'duty_list'"
	"   AND date <= ?),"
	" (SELECT count(*) FROM duty_records WHERE enterprise_id = ? AND kind = 'safety_org'"
	"   AND date <= ?),"
	" (SELECT count(*) FROM operator_certificates WHERE enterprise_id = ? AND valid_until < ?),"
	" (SELECT count(*) FROM operator_certificates WHERE enterprise_id = ? AND valid_until >= ?"
	"   AND valid_until <= ?),"
	" (SELECT count(*) FROM outsourcing_contracts WHERE enterprise_id = ? AND safety_agreement = 0"
	"   AND start_date <= ? AND end_date >= ?)";

int store_duty_counts(struct db *db, int64_t id, const struct duty_window *inspection,
		      const struct duty_window *drill, const struct duty_window *month,
		      const char *judging_day, struct duty_counts *out)
{
	int64_t day;
	char warn[16];
	if (date_parse(judging_day, &day) < 0)
		return DB_ERR;
	int y, m, d;
	date_from_days(day + DUTY_EXPIRY_WARN_DAYS, &y, &m, &d);
	snprintf(warn, sizeof warn, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	struct db_stmt *st = db_stmt(db, SQL_COUNTS);
	if (!st)
		return DB_ERR;
	int i = 1;
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, inspection->from);
	db_bind_text(st, i++, inspection->to);
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, drill->from);
	db_bind_text(st, i++, drill->to);
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, month->to);
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, month->to);
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, judging_day);
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, judging_day);
	db_bind_text(st, i++, warn);
	db_bind_int(st, i++, id);
	db_bind_text(st, i++, month->to);
	db_bind_text(st, i++, month->from);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		int64_t *f[] = {&out->leader_inspections, &out->drills, &out->duty_lists,
				&out->safety_orgs, &out->certs_expired, &out->certs_expiring,
				&out->contracts_unsafe};
		for (int k = 0; k < 7; k++)
			*f[k] = db_col_int(st, k);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : DB_ERR;
}
