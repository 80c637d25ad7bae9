/*
 * hazards.c - hazards, their history, supervision listings and the
 * notification outbox in the database (see store.h).  Lists and
 * statistics are assembled from fixed fragments with the caller's scope
 * in the WHERE clause; the indexes of 0002_hazards.sql serve them.
 */
#include "query.h"
#include "../core/validate.h"

#include <string.h>

#define HZ_COLS                                                                               \
	"h.id, h.code, h.enterprise_id, e.name, h.region_code, h.industry_code, h.level,"        \
	" h.category, h.source, h.status, h.location, h.description, h.basis, h.found_on,"       \
	" h.found_by, h.deadline, h.responsible_person, h.measures, h.emergency_plan,"           \
	" h.interim_measures, h.remediation_plan, h.funds_fen, h.rectified_on_spot,"             \
	" h.supervised, h.department_id, h.created_by, h.created_at, h.updated_at, h.closed_at,"  \
	" h.inspection_id"

static char *dup(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

static void hz_row(struct arena *a, struct db_stmt *st, void *out)
{
	struct hazard *h = out;
	memset(h, 0, sizeof *h);
	h->id = db_col_int(st, 0);
	h->code = dup(a, st, 1);
	h->enterprise_id = db_col_int(st, 2);
	h->enterprise_name = dup(a, st, 3);
	h->region_code = dup(a, st, 4);
	h->industry_code = dup(a, st, 5);
	h->level = dup(a, st, 6);
	h->category = dup(a, st, 7);
	h->source = dup(a, st, 8);
	h->status = dup(a, st, 9);
	h->location = dup(a, st, 10);
	h->description = dup(a, st, 11);
	h->basis = dup(a, st, 12);
	h->found_on = dup(a, st, 13);
	h->found_by = dup(a, st, 14);
	h->deadline = dup(a, st, 15);
	h->responsible_person = dup(a, st, 16);
	h->measures = dup(a, st, 17);
	h->emergency_plan = dup(a, st, 18);
	h->interim_measures = dup(a, st, 19);
	h->remediation_plan = dup(a, st, 20);
	h->funds_fen = db_col_is_null(st, 21) ? -1 : db_col_int(st, 21);
	h->rectified_on_spot = db_col_int(st, 22) != 0;
	h->supervised = db_col_int(st, 23) != 0;
	h->department_id = db_col_int(st, 24);
	h->created_by = db_col_int(st, 25);
	h->created_at = db_col_int(st, 26);
	h->updated_at = db_col_int(st, 27);
	h->closed_at = db_col_int(st, 28);
	h->inspection_id = db_col_int(st, 29);
}

static const char SQL_NEXT_NUMBER[] =
	"INSERT INTO hazard_code_seq (county, year, next) VALUES (?, ?, 1)"
	" ON CONFLICT (county, year) DO UPDATE SET next = hazard_code_seq.next + 1 RETURNING next";

int store_hazard_next_number(struct db *db, const char *county, int year, int64_t *n)
{
	struct db_stmt *st = db_stmt(db, SQL_NEXT_NUMBER);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, county);
	db_bind_int(st, 2, year);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*n = db_col_int(st, 0);
		rc = db_step(st);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static const char SQL_HZ_INSERT[] =
	"INSERT INTO hazards (code, enterprise_id, region_code, industry_code, level, category,"
	" source, location, description, basis, found_on, found_by, status, deadline,"
	" rectified_on_spot, department_id, created_by, created_at, updated_at, closed_at, measures,"
	" inspection_id, overdue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, ?) RETURNING id";

int store_hazard_insert(struct db *db, struct hazard *h)
{
	struct db_stmt *st = db_stmt(db, SQL_HZ_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, h->code);
	db_bind_int(st, 2, h->enterprise_id);
	db_bind_text(st, 3, h->region_code);
	db_bind_text(st, 4, h->industry_code);
	db_bind_text(st, 5, h->level);
	db_bind_text(st, 6, h->category);
	db_bind_text(st, 7, h->source);
	db_bind_text(st, 8, h->location);
	db_bind_text(st, 9, h->description);
	db_bind_text(st, 10, h->basis);
	db_bind_text(st, 11, h->found_on);
	db_bind_text(st, 12, h->found_by);
	db_bind_text(st, 13, h->status);
	db_bind_text(st, 14, h->deadline);
	db_bind_bool(st, 15, h->rectified_on_spot);
	db_bind_opt_int(st, 16, h->department_id);
	db_bind_int(st, 17, h->created_by);
	db_bind_int(st, 18, h->created_at);
	db_bind_int(st, 19, h->updated_at);
	db_bind_opt_int(st, 20, h->closed_at);
	db_bind_text(st, 21, h->measures);
	db_bind_opt_int(st, 22, h->inspection_id);
	bool overdue = hazard_overdue_now(h->status, h->deadline);
	db_bind_bool(st, 23, overdue);
	int rc = db_insert_id(st, &h->id);
	if (rc < 0)
		return rc;
	struct hazard_key k = {h->region_code, h->level, h->source, h->status, overdue};
	return store_hazard_count(db, &k, 1);
}

static const char SQL_HZ_UPDATE[] =
	"UPDATE hazards SET status = ?, deadline = ?, responsible_person = ?, measures = ?,"
	" funds_fen = ?, emergency_plan = ?, interim_measures = ?, remediation_plan = ?,"
	" supervised = ?, closed_at = ?, updated_at = ?, overdue = ? WHERE id = ?";

int store_hazard_update(struct db *db, const struct hazard *h)
{
	struct arena *a = arena_new();
	bool overdue = hazard_overdue_now(h->status, h->deadline);
	struct hazard_key was, now;
	int rc = store_hazard_key(db, a, h->id, &was);
	if (rc == DB_ROW) {
		now = was;
		now.status = h->status;
		now.overdue = overdue;
		rc = store_hazard_recount(db, &was, &now);
	}
	arena_free(a);
	if (rc < 0)
		return rc;
	struct db_stmt *st = db_stmt(db, SQL_HZ_UPDATE);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, h->status);
	db_bind_text(st, 2, h->deadline);
	db_bind_text(st, 3, h->responsible_person);
	db_bind_text(st, 4, h->measures);
	if (h->funds_fen >= 0)
		db_bind_int(st, 5, h->funds_fen);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, h->emergency_plan);
	db_bind_text(st, 7, h->interim_measures);
	db_bind_text(st, 8, h->remediation_plan);
	db_bind_bool(st, 9, h->supervised);
	db_bind_opt_int(st, 10, h->closed_at);
	db_bind_int(st, 11, h->updated_at);
	db_bind_bool(st, 12, overdue);
	db_bind_int(st, 13, h->id);
	return db_run(st);
}

int store_hazard_get(struct db *db, struct arena *a, const struct scope *s, int64_t id,
		     struct hazard *out)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT " HZ_COLS " FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id"
		   " WHERE h.id = ?");
	qb_int(&q, id);
	qb_scope(&q, a, s, HZ_REGION_RANGE, HZ_IN_DEPT, HZ_EQ);
	return qb_one(&q, db, a, hz_row, out);
}

/* How a page of a list is read.  With the counters' exact numbers the
 * choice is ours, not left to estimates: walking newest first along an
 * index and testing each row reads about (offset + limit) * walked / total
 * rows; reading the region's rows by the region index and sorting those
 * that match reads in_region. */
enum hz_plan {
	PLAN_ANY,    /* the database's planner chooses */
	PLAN_WALK,   /* along (status, id), the overdue hazards' ids or the table, newest first */
	PLAN_REGION, /* the region index, then a sort */
};

/* The scope range in a form no index serves (the walk tests it). */
#define HZ_REGION_TESTED "coalesce(h.region_code, '') >= ? AND coalesce(h.region_code, '') < ?"

static void hz_overdue(struct qb *q, const struct hazard_filter *f, enum hz_plan plan,
		       bool flags_current)
{
	if (f->overdue < 0)
		return;
	if (flags_current) {
		/* the value in the words: the overdue walk's index holds only
		 * overdue = 1 (0014), and a query must say so to use it */
		bool indexed = plan == PLAN_ANY || (plan == PLAN_WALK && !f->status);
		if (indexed)
			qb_sql(q, f->overdue ? " AND h.overdue = 1" : " AND h.overdue = 0");
		else
			qb_sql(q, f->overdue ? " AND h.overdue + 0 = 1" : " AND h.overdue + 0 = 0");
	} else if (f->overdue == 1) {
		qb_sql(q, " AND h.status IN " HZ_OPEN_STATUSES " AND h.deadline < ?");
		qb_text(q, f->today);
	} else {
		qb_sql(q, " AND (h.status NOT IN " HZ_OPEN_STATUSES
			  " OR h.deadline IS NULL OR h.deadline >= ?)");
		qb_text(q, f->today);
	}
}

/* The FROM and WHERE of a hazard list; the enterprises are joined only
 * to search their names. */
static void hz_where(struct qb *q, struct arena *a, const struct scope *s,
		     const struct hazard_filter *f, enum hz_plan plan, bool flags_current)
{
	if (f->q)
		qb_sql(q, " FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id WHERE 1 = 1");
	else
		qb_sql(q, " FROM hazards h WHERE 1 = 1");
	const char *range = plan == PLAN_WALK ? HZ_REGION_TESTED : HZ_REGION_RANGE;
	/* A region filter inside a region scope is the one range to test:
	 * two ranges on one column leave the index the wider one. */
	bool inside = f->region && s->kind == SCOPE_REGION &&
		      region_in_subtree(f->region, s->region_code);
	if (!inside)
		qb_scope(q, a, s, range, HZ_IN_DEPT, HZ_EQ);
	if (f->region) {
		qb_sql(q, " AND ");
		qb_region(q, a, range, f->region);
	}
	if (f->enterprise_id) {
		qb_sql(q, " AND h.enterprise_id = ?");
		qb_int(q, f->enterprise_id);
	}
	if (f->level) {
		/* walking, not by the major hazards' index and a sort */
		qb_sql(q, plan == PLAN_WALK ? " AND coalesce(h.level, '') = ?" : " AND h.level = ?");
		qb_text(q, f->level);
	}
	if (f->status) {
		qb_sql(q, plan == PLAN_REGION ? " AND coalesce(h.status, '') = ?" : " AND h.status = ?");
		qb_text(q, f->status);
	}
	if (f->source) {
		qb_sql(q, " AND h.source = ?");
		qb_text(q, f->source);
	}
	if (f->found_from) {
		qb_sql(q, " AND h.found_on >= ?");
		qb_text(q, f->found_from);
	}
	if (f->found_to) {
		qb_sql(q, " AND h.found_on <= ?");
		qb_text(q, f->found_to);
	}
	hz_overdue(q, f, plan, flags_current);
	if (f->supervised >= 0) {
		qb_sql(q, " AND h.supervised = ?");
		qb_int(q, f->supervised);
	}
	if (f->q) {
		const char *pat = arena_printf(a, "%%%s%%", f->q);
		qb_sql(q, " AND (h.location LIKE ? OR h.description LIKE ? OR h.code LIKE ?"
			  " OR e.name LIKE ?)");
		for (int i = 0; i < 4; i++)
			qb_text(q, pat);
	}
}

/* Sortable columns: the name in the API and the fixed SQL it stands for. */
static const struct {
	const char *name, *asc, *desc;
} SORTS[] = {
	{"created_at", " ORDER BY h.id", " ORDER BY h.id DESC"},
	{"found_on", " ORDER BY h.found_on, h.id", " ORDER BY h.found_on DESC, h.id DESC"},
	{"deadline", " ORDER BY h.deadline, h.id", " ORDER BY h.deadline DESC, h.id DESC"},
	{"code", " ORDER BY h.code", " ORDER BY h.code DESC"},
	{"updated_at", " ORDER BY h.updated_at, h.id", " ORDER BY h.updated_at DESC, h.id DESC"},
};

int store_hazard_list(struct db *db, struct arena *a, const struct scope *s,
		      const struct hazard_filter *f, struct hazard **items, int64_t *total)
{
	struct hazard_count c;
	int rc = store_hazard_list_counted(db, s, f, &c);
	if (rc < 0)
		return rc;
	struct qb q;
	struct db_stmt *st;
	if (c.counted) {
		*total = c.total;
	} else {
		qb_init(&q);
		qb_sql(&q, "SELECT count(*)");
		hz_where(&q, a, s, f, PLAN_ANY, c.flags_current);
		st = qb_prepare(&q, db);
		qb_free(&q);
		if (!st)
			return DB_ERR;
		*total = db_one_int(st, 0);
	}
	*items = arena_alloc(a, sizeof(struct hazard) * (size_t)(f->limit > 0 ? f->limit : 1));
	if (*total <= f->offset)
		return 0;

	const char *order = SORTS[0].desc;
	for (size_t i = 0; i < sizeof SORTS / sizeof SORTS[0]; i++)
		if (f->sort && strcmp(f->sort, SORTS[i].name) == 0)
			order = f->desc ? SORTS[i].desc : SORTS[i].asc;
	enum hz_plan plan = PLAN_ANY;
	if (c.counted && (order == SORTS[0].desc || order == SORTS[0].asc))
		plan = (double)(f->offset + f->limit) * (double)c.walked <
				       (double)c.in_region * (double)c.total
			       ? PLAN_WALK
			       : PLAN_REGION;
	/* The page's ids first, from the indexes where they suffice; then
	 * only those rows, with their enterprise's name.  PostgreSQL joins
	 * the ids, and its nested loops keep their order: with `IN` it
	 * gathered them in a hash, then sorted the rows again, and read a
	 * first page at 2 M hazards a third slower (pgbench, 9.1k against
	 * 14.5k pages/s).  SQLite reads `IN` faster (73 against 83 µs). */
	bool pg = db_kind(db) == DB_PG;
	qb_init(&q);
	qb_sql(&q, pg ? "SELECT " HZ_COLS " FROM (SELECT h.id"
		      : "SELECT " HZ_COLS " FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id"
			" WHERE h.id IN (SELECT h.id");
	hz_where(&q, a, s, f, plan, c.flags_current);
	qb_sql(&q, order);
	qb_sql(&q, " LIMIT ? OFFSET ?)");
	qb_int(&q, f->limit);
	qb_int(&q, f->offset);
	if (pg)
		qb_sql(&q, " p JOIN hazards h ON h.id = p.id JOIN enterprises e ON e.id = h.enterprise_id");
	qb_sql(&q, order);
	st = plan == PLAN_ANY ? qb_prepare(&q, db) : qb_prepare_shaped(&q, db);
	qb_free(&q);
	if (!st)
		return DB_ERR;
	int n = 0;
	rc = DB_DONE;
	while (n < f->limit && (rc = db_step(st)) == DB_ROW)
		hz_row(a, st, &(*items)[n++]);
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char SQL_EVENT_INSERT[] =
	"INSERT INTO hazard_events (hazard_id, action, from_status, to_status, user_id, user_name,"
	" at, note, data_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

int store_hazard_event_insert(struct db *db, const struct hazard_event *e)
{
	struct db_stmt *st = db_stmt(db, SQL_EVENT_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, e->hazard_id);
	db_bind_text(st, 2, e->action);
	db_bind_text(st, 3, e->from_status);
	db_bind_text(st, 4, e->to_status);
	db_bind_int(st, 5, e->user_id);
	db_bind_text(st, 6, e->user_name);
	db_bind_int(st, 7, e->at);
	db_bind_text(st, 8, e->note);
	db_bind_text(st, 9, e->data_json);
	return db_run(st);
}

static const char SQL_EVENTS[] =
	"SELECT id, hazard_id, action, from_status, to_status, user_id, user_name, at, note,"
	" data_json FROM hazard_events WHERE hazard_id = ? ORDER BY id";

int store_hazard_events(struct db *db, struct arena *a, int64_t hazard_id,
			struct hazard_event **items)
{
	struct db_stmt *st = db_stmt(db, SQL_EVENTS);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, hazard_id);
	int cap = 0, n = 0, rc;
	*items = arena_grow(a, NULL, sizeof **items, 0, &cap);
	while ((rc = db_step(st)) == DB_ROW) {
		*items = arena_grow(a, *items, sizeof **items, n, &cap);
		struct hazard_event *e = &(*items)[n++];
		e->id = db_col_int(st, 0);
		e->hazard_id = db_col_int(st, 1);
		e->action = dup(a, st, 2);
		e->from_status = dup(a, st, 3);
		e->to_status = dup(a, st, 4);
		e->user_id = db_col_int(st, 5);
		e->user_name = dup(a, st, 6);
		e->at = db_col_int(st, 7);
		e->note = dup(a, st, 8);
		e->data_json = dup(a, st, 9);
	}
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char SQL_SUP_INSERT[] =
	"INSERT INTO hazard_supervisions (hazard_id, region_code, listed_by, listed_at, deadline,"
	" note) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";

int store_supervision_insert(struct db *db, struct hazard_supervision *v)
{
	struct db_stmt *st = db_stmt(db, SQL_SUP_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, v->hazard_id);
	db_bind_text(st, 2, v->region_code);
	db_bind_int(st, 3, v->listed_by);
	db_bind_int(st, 4, v->listed_at);
	db_bind_text(st, 5, v->deadline);
	db_bind_text(st, 6, v->note);
	return db_insert_id(st, &v->id);
}

#define SUP_COLS                                                                         \
	"id, hazard_id, region_code, listed_by, listed_at, deadline, note, delisted_by," \
	" delisted_at"

static void sup_row(struct arena *a, struct db_stmt *st, struct hazard_supervision *v)
{
	v->id = db_col_int(st, 0);
	v->hazard_id = db_col_int(st, 1);
	v->region_code = dup(a, st, 2);
	v->listed_by = db_col_int(st, 3);
	v->listed_at = db_col_int(st, 4);
	v->deadline = dup(a, st, 5);
	v->note = dup(a, st, 6);
	v->delisted_by = db_col_int(st, 7);
	v->delisted_at = db_col_int(st, 8);
}

static const char SQL_SUP_ACTIVE[] = "SELECT " SUP_COLS " FROM hazard_supervisions"
				     " WHERE hazard_id = ? AND delisted_at IS NULL";
static const char SQL_SUP_ALL[] =
	"SELECT " SUP_COLS " FROM hazard_supervisions WHERE hazard_id = ? ORDER BY id";
static const char SQL_SUP_DELIST[] =
	"UPDATE hazard_supervisions SET delisted_by = ?, delisted_at = ? WHERE id = ?";

int store_supervision_active(struct db *db, struct arena *a, int64_t hazard_id,
			     struct hazard_supervision *out)
{
	struct db_stmt *st = db_stmt(db, SQL_SUP_ACTIVE);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, hazard_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		sup_row(a, st, out);
	db_done(st);
	return rc;
}

int store_supervision_delist(struct db *db, int64_t id, int64_t by, int64_t at)
{
	struct db_stmt *st = db_stmt(db, SQL_SUP_DELIST);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, by);
	db_bind_int(st, 2, at);
	db_bind_int(st, 3, id);
	return db_run(st);
}

int store_supervisions(struct db *db, struct arena *a, int64_t hazard_id,
		       struct hazard_supervision **items)
{
	struct db_stmt *st = db_stmt(db, SQL_SUP_ALL);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, hazard_id);
	int n = 0, rc = DB_DONE;
	*items = arena_alloc(a, sizeof **items * 16);
	while (n < 16 && (rc = db_step(st)) == DB_ROW)
		sup_row(a, st, &(*items)[n++]);
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char SQL_SUPERVISES[] =
	"SELECT count(*) FROM enterprise_departments WHERE department_id = ? AND enterprise_id = ?";

int store_department_supervises(struct db *db, int64_t department_id, int64_t enterprise_id)
{
	struct db_stmt *st = db_stmt(db, SQL_SUPERVISES);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, department_id);
	db_bind_int(st, 2, enterprise_id);
	return db_one_int(st, 0) > 0;
}

static const char SQL_OUTBOX_ADD[] =
	"INSERT INTO notification_outbox (kind, hazard_id, enterprise_id, recipient, name, phone,"
	" message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

int store_outbox_add(struct db *db, const char *kind, int64_t hazard_id, int64_t enterprise_id,
		     const char *recipient, const char *name, const char *phone,
		     const char *message, int64_t now)
{
	struct db_stmt *st = db_stmt(db, SQL_OUTBOX_ADD);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, hazard_id);
	db_bind_int(st, 3, enterprise_id);
	db_bind_text(st, 4, recipient);
	db_bind_text(st, 5, name);
	db_bind_text(st, 6, phone);
	db_bind_text(st, 7, message);
	db_bind_int(st, 8, now);
	return db_run(st);
}

int store_hazard_stats(struct db *db, struct arena *a, const struct scope *s, const char *region,
		       const char *group_by, int key_len, const char *today,
		       struct stats_group **groups)
{
	static const struct {
		const char *name, *expr;
	} KEYS[] = {
		{"region", "SELECT substr(h.region_code, 1, ?)"},
		{"industry", "SELECT h.industry_code"},
		{"level", "SELECT h.level"},
		{"status", "SELECT h.status"},
		{"source", "SELECT h.source"},
		{"month", "SELECT substr(h.found_on, 1, 7)"},
	};
	bool counted;
	int rc = store_hazard_stats_counted(db, a, s, region, group_by, key_len, today, groups,
					    &counted);
	if (rc < 0 || counted)
		return rc;
	const char *expr = NULL;
	for (size_t i = 0; i < sizeof KEYS / sizeof KEYS[0]; i++)
		if (strcmp(group_by, KEYS[i].name) == 0)
			expr = KEYS[i].expr;
	if (!expr)
		return DB_ERR;
	struct qb q;
	qb_init(&q);
	qb_sql(&q, expr);
	if (strcmp(group_by, "region") == 0)
		qb_int(&q, key_len);
	qb_sql(&q, ", count(*), sum(CASE WHEN h.status = 'closed' THEN 1 ELSE 0 END),"
		   " sum(CASE WHEN h.status IN " HZ_OPEN_STATUSES " AND h.deadline < ?"
		   " THEN 1 ELSE 0 END) FROM hazards h WHERE h.status <> 'void'");
	qb_text(&q, today);
	qb_scope(&q, a, s, HZ_REGION_RANGE, HZ_IN_DEPT, HZ_EQ);
	if (region) {
		qb_sql(&q, " AND ");
		qb_region(&q, a, HZ_REGION_RANGE, region);
	}
	qb_sql(&q, " GROUP BY 1 ORDER BY 1");
	struct db_stmt *st = qb_prepare(&q, db);
	qb_free(&q);
	if (!st)
		return DB_ERR;
	int cap = 0, n = 0;
	*groups = arena_grow(a, NULL, sizeof **groups, 0, &cap);
	while ((rc = db_step(st)) == DB_ROW) {
		*groups = arena_grow(a, *groups, sizeof **groups, n, &cap);
		struct stats_group *g = &(*groups)[n++];
		g->key = dup(a, st, 0);
		g->total = db_col_int(st, 1);
		g->closed = db_col_int(st, 2);
		g->overdue = db_col_int(st, 3);
	}
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char *const STOCK_SQL[2] = {
	"SELECT count(*), sum(CASE WHEN h.status IN " HZ_OPEN_STATUSES " THEN 1 ELSE 0 END)"
	" FROM hazards h WHERE h.level = 'major' AND h.status <> 'void' AND h.found_on < ?",
	"SELECT count(*), sum(CASE WHEN h.status IN " HZ_OPEN_STATUSES " THEN 1 ELSE 0 END)"
	" FROM hazards h WHERE h.level = 'major' AND h.status <> 'void' AND h.found_on >= ?",
};

int store_major_stock(struct db *db, struct arena *a, const struct scope *s, const char *region,
		      const char *cutoff, int64_t out[4])
{
	for (int k = 0; k < 2; k++) {
		struct qb q;
		qb_init(&q);
		qb_sql(&q, STOCK_SQL[k]);
		qb_text(&q, cutoff);
		qb_scope(&q, a, s, HZ_REGION_RANGE, HZ_IN_DEPT, HZ_EQ);
		if (region) {
			qb_sql(&q, " AND ");
			qb_region(&q, a, HZ_REGION_RANGE, region);
		}
		struct db_stmt *st = qb_prepare(&q, db);
		qb_free(&q);
		if (!st)
			return DB_ERR;
		int rc = db_step(st);
		out[k * 2] = rc == DB_ROW ? db_col_int(st, 0) : 0;
		out[k * 2 + 1] = rc == DB_ROW ? db_col_int(st, 1) : 0;
		db_done(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}
