/*
 * dispatch.c - counting the monthly return 调度表 from the records (see
 * core/dispatch.h and API.md): one query per value, each carrying the
 * unit's scope - a region's subtree (全口径) or one department's own
 * records and the hazards of the enterprises it supervises.
 */
#include "query.h"
#include "../core/dispatch.h"

#include <string.h>

/* What the value counts, in fixed SQL: the table's alias is always x. */
enum scope_col { ON_HAZARDS, ON_RECORDS, ON_TIPS, ON_ACTIVITIES };
enum window { BY_DATE, BY_DATE_CLOSED, BY_LISTED, BY_LISTED_CLOSED };

struct counter {
	const char *key;
	const char *select;	/* "SELECT count(*) FROM hazards x WHERE 1 = 1" */
	const char *cond;	/* fixed extra condition, may be "" */
	enum scope_col scope;
	enum window window;
	const char *date_col;	/* the column compared with since / until */
};

#define HZ_COUNT "SELECT count(*) FROM hazards x WHERE x.status <> 'void'"
#define SUP_COUNT                                                                   \
	"SELECT count(DISTINCT v.hazard_id) FROM hazard_supervisions v"              \
	" JOIN hazards x ON x.id = v.hazard_id WHERE x.status <> 'void'"
#define INSP_DISTINCT "SELECT count(DISTINCT x.enterprise_id) FROM inspections x WHERE x.spot_check = 1"
#define ENF "FROM enforcement x WHERE x.kind = "

static const struct counter COUNTERS[] = {
	{"self_major", HZ_COUNT, " AND x.level = 'major' AND x.source = 'self'", ON_HAZARDS, BY_DATE, "x.found_on"},
	{"self_major_closed", HZ_COUNT, " AND x.level = 'major' AND x.source = 'self'", ON_HAZARDS, BY_DATE_CLOSED, "x.found_on"},
	{"dept_major", HZ_COUNT, " AND x.level = 'major' AND x.source <> 'self'", ON_HAZARDS, BY_DATE, "x.found_on"},
	{"dept_major_closed", HZ_COUNT, " AND x.level = 'major' AND x.source <> 'self'", ON_HAZARDS, BY_DATE_CLOSED, "x.found_on"},
	{"supervised_major", SUP_COUNT, " AND x.level = 'major'", ON_HAZARDS, BY_LISTED, NULL},
	{"supervised_major_closed", SUP_COUNT, " AND x.level = 'major'", ON_HAZARDS, BY_LISTED_CLOSED, NULL},
	{"spot_checked", INSP_DISTINCT, "", ON_RECORDS, BY_DATE, "x.date"},
	{"leader_not_studied", INSP_DISTINCT, " AND x.leader_not_studied = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"leader_no_inspection", INSP_DISTINCT, " AND x.leader_no_inspection = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"no_duty_list", INSP_DISTINCT, " AND x.no_duty_list = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"no_safety_org", INSP_DISTINCT, " AND x.no_safety_org = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"uncertified_operators", INSP_DISTINCT, " AND x.uncertified_operators = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"outsourcing_chaos", INSP_DISTINCT, " AND x.outsourcing_chaos = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"no_drill", INSP_DISTINCT, " AND x.no_drill = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"assistance", "SELECT count(*) " ENF "'assistance'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"assistance_key", "SELECT count(*) " ENF "'assistance'", " AND x.key_enterprise = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"penalties", "SELECT count(*) " ENF "'penalty'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"penalty_amount", "SELECT coalesce(sum(x.amount_fen), 0) " ENF "'penalty'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"double_penalties", "SELECT count(*) " ENF "'double_penalty'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"judicial_transfers", "SELECT coalesce(sum(x.persons), 0) " ENF "'judicial_transfer'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"suspensions", "SELECT count(DISTINCT x.enterprise_id) " ENF "'suspension'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"exposed", "SELECT count(DISTINCT x.enterprise_id) " ENF "'exposure'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"typical_cases", "SELECT count(*) " ENF "'typical_case'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"dangerous_operation_cases", "SELECT count(*) " ENF "'typical_case'", " AND x.dangerous_operation = 1", ON_RECORDS, BY_DATE, "x.date"},
	{"accountability", "SELECT coalesce(sum(x.persons), 0) " ENF "'accountability'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"region_interviews", "SELECT count(*) " ENF "'region_interview'", "", ON_RECORDS, BY_DATE, "x.date"},
	{"study_sessions", "SELECT count(*) FROM activities x WHERE x.kind = 'study_session'", "", ON_ACTIVITIES, BY_DATE, "x.date"},
	{"special_research", "SELECT count(*) FROM activities x WHERE x.kind = 'special_research'", "", ON_ACTIVITIES, BY_DATE, "x.date"},
	{"onsite_supervision", "SELECT count(*) FROM activities x WHERE x.kind = 'onsite_supervision'", "", ON_ACTIVITIES, BY_DATE, "x.date"},
	{"member_visits", "SELECT count(*) FROM activities x WHERE x.kind = 'member_visit'", "", ON_ACTIVITIES, BY_DATE, "x.date"},
	{"tip_rewards", "SELECT coalesce(sum(x.reward_fen), 0) FROM tips x WHERE x.status = 'verified'", "", ON_TIPS, BY_DATE, "x.reviewed_on"},
	{"anonymous_tip_rewards", "SELECT coalesce(sum(x.reward_fen), 0) FROM tips x WHERE x.status = 'verified'", " AND x.anonymous = 1", ON_TIPS, BY_DATE, "x.reviewed_on"},
	{"assessment_inspections", "SELECT count(*) FROM activities x WHERE x.kind = 'assessment_inspection'", "", ON_ACTIVITIES, BY_DATE, "x.date"},
};

static void unit_scope(struct qb *q, struct arena *a, const struct dispatch_unit *u,
		       enum scope_col col)
{
	qb_sql(q, " AND ");
	if (u->region) {
		qb_region(q, a, "x.region_code >= ? AND x.region_code < ?", u->region);
		return;
	}
	switch (col) {
	case ON_HAZARDS:
		qb_sql(q, "x.enterprise_id IN (SELECT enterprise_id FROM enterprise_departments"
			  " WHERE department_id = ?)");
		break;
	case ON_TIPS:
		qb_sql(q, "x.reviewer_department_id = ?");
		break;
	default:
		qb_sql(q, "x.department_id = ?");
		break;
	}
	qb_int(q, u->department_id);
}

int store_dispatch_compute(struct db *db, struct arena *a, const struct dispatch_unit *u,
			   const struct dispatch_window *win, int64_t *values)
{
	for (size_t i = 0; i < sizeof COUNTERS / sizeof COUNTERS[0]; i++) {
		const struct counter *c = &COUNTERS[i];
		struct qb q;
		qb_init(&q);
		qb_sql(&q, c->select);
		qb_sql(&q, c->cond);
		unit_scope(&q, a, u, c->scope);
		if (c->window == BY_LISTED || c->window == BY_LISTED_CLOSED) {
			qb_sql(&q, " AND v.listed_at >= ? AND v.listed_at <= ?");
			qb_int(&q, win->since_ts);
			qb_int(&q, win->until_ts);
		} else {
			qb_sql(&q, " AND ");
			qb_sql(&q, c->date_col);
			qb_sql(&q, " >= ? AND ");
			qb_sql(&q, c->date_col);
			qb_sql(&q, " <= ?");
			qb_text(&q, win->since);
			qb_text(&q, win->until);
		}
		if (c->window == BY_DATE_CLOSED || c->window == BY_LISTED_CLOSED) {
			qb_sql(&q, " AND x.status = 'closed' AND x.closed_at <= ?");
			qb_int(&q, win->until_ts);
		}
		struct db_stmt *st = qb_prepare(&q, db);
		qb_free(&q);
		if (!st)
			return DB_ERR;
		const struct dispatch_item *it = dispatch_item(c->key);
		values[it - DISPATCH_ITEMS] = db_one_int(st, 0);
	}
	return 0;
}

static const char SQL_ENTRIES[] =
	"SELECT key, value FROM dispatch_entries WHERE unit = ? AND period = ?";

int store_dispatch_entries(struct db *db, const char *unit, const char *period,
			   void (*each)(void *ctx, const char *key, const char *value), void *ctx)
{
	struct db_stmt *st = db_stmt(db, SQL_ENTRIES);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, period);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		each(ctx, db_col_text(st, 0), db_col_text(st, 1));
	db_done(st);
	return rc;
}

static const char SQL_ENTRY_PUT[] =
	"INSERT INTO dispatch_entries (unit, period, key, value, entered_by, entered_at)"
	" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit, period, key) DO UPDATE SET"
	" value = excluded.value, entered_by = excluded.entered_by, entered_at = excluded.entered_at";

int store_dispatch_entry_put(struct db *db, const char *unit, const char *period, const char *key,
			     const char *value, int64_t by, int64_t now)
{
	struct db_stmt *st = db_stmt(db, SQL_ENTRY_PUT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, period);
	db_bind_text(st, 3, key);
	db_bind_text(st, 4, value);
	db_bind_int(st, 5, by);
	db_bind_int(st, 6, now);
	return db_run(st);
}

static const char SQL_SIGNED[] =
	"SELECT filler, reviewer, signed_at FROM dispatch_signatures WHERE unit = ? AND period = ?";

int store_dispatch_signature(struct db *db, struct arena *a, const char *unit, const char *period,
			     char **filler, char **reviewer, int64_t *signed_at)
{
	struct db_stmt *st = db_stmt(db, SQL_SIGNED);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, period);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*filler = arena_strdup(a, db_col_text(st, 0));
		*reviewer = arena_strdup(a, db_col_text(st, 1));
		*signed_at = db_col_int(st, 2);
	}
	db_done(st);
	return rc;
}

static const char SQL_SIGN[] =
	"INSERT INTO dispatch_signatures (unit, period, filler, reviewer, signed_by, signed_at)"
	" VALUES (?, ?, ?, ?, ?, ?)";

int store_dispatch_sign(struct db *db, const char *unit, const char *period, const char *filler,
			const char *reviewer, int64_t by, int64_t now)
{
	struct db_stmt *st = db_stmt(db, SQL_SIGN);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, period);
	db_bind_text(st, 3, filler);
	db_bind_text(st, 4, reviewer);
	db_bind_int(st, 5, by);
	db_bind_int(st, 6, now);
	return db_run(st);
}
