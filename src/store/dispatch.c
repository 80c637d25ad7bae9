/*
 * dispatch.c - counting the monthly return 调度表 from the records (see
 * core/dispatch.h and API.md): one query per value, each carrying the
 * unit's scope - a region's subtree (全口径) or one department's own
 * records and the hazards of the enterprises it supervises.
 */
#include "query.h"
#include "../core/date.h"
#include "../core/dispatch.h"
#include "../core/validate.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The computed values come from one pass over each table in the unit's
 * scope and window, so that a province's return reads each record once:
 * the major hazards (by source, and those closed by the window's end), the
 * supervision listings, the spot checks (distinct enterprises, by what
 * was found wrong), the enforcement records and activities (by kind) and
 * the tip-off rewards.
 */
enum scope_col { ON_HAZARDS, ON_RECORDS, ON_TIPS };

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

static void set(int64_t *values, const char *key, int64_t v)
{
	values[dispatch_item(key) - DISPATCH_ITEMS] = v;
}

/* Runs q (scope and window appended by the caller) and hands each row to
 * row(); frees q. */
static int each_row(struct qb *q, struct db *db, void (*row)(struct db_stmt *st, void *ctx),
		    void *ctx)
{
	struct db_stmt *st = qb_prepare(q, db);
	qb_free(q);
	if (!st)
		return DB_ERR;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		row(st, ctx);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void window(struct qb *q, const char *col, const struct dispatch_window *win)
{
	qb_sql(q, " AND ");
	qb_sql(q, col);
	qb_sql(q, " >= ? AND ");
	qb_sql(q, col);
	qb_sql(q, " <= ?");
	qb_text(q, win->since);
	qb_text(q, win->until);
}

static const char *const HAZARD_KEYS[] = {"self_major", "self_major_closed", "dept_major",
					  "dept_major_closed"};
static const char *const LISTED_KEYS[] = {"supervised_major", "supervised_major_closed"};
static const char *const TIP_KEYS[] = {"tip_rewards", "anonymous_tip_rewards"};

struct into {
	int64_t *values;
	const char *const *keys;
	int n;
};

static void take_columns(struct db_stmt *st, void *ctx)
{
	struct into *in = ctx;
	for (int i = 0; i < in->n; i++)
		set(in->values, in->keys[i], db_col_int(st, i));
}

#define CLOSED_BY "x.status = 'closed' AND x.closed_at <= ?"

static int count_hazards(struct db *db, struct arena *a, const struct dispatch_unit *u,
			 const struct dispatch_window *win, int64_t *values)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT coalesce(sum(CASE WHEN x.source = 'self' THEN 1 ELSE 0 END), 0),"
		   " coalesce(sum(CASE WHEN x.source = 'self' AND " CLOSED_BY " THEN 1 ELSE 0 END), 0),"
		   " coalesce(sum(CASE WHEN x.source <> 'self' THEN 1 ELSE 0 END), 0),"
		   " coalesce(sum(CASE WHEN x.source <> 'self' AND " CLOSED_BY " THEN 1 ELSE 0 END), 0)"
		   " FROM hazards x WHERE x.status <> 'void' AND x.level = 'major'");
	qb_int(&q, win->until_ts);
	qb_int(&q, win->until_ts);
	unit_scope(&q, a, u, ON_HAZARDS);
	window(&q, "x.found_on", win);
	struct into in = {values, HAZARD_KEYS, 4};
	int rc = each_row(&q, db, take_columns, &in);
	if (rc < 0)
		return rc;
	/* major hazards listed for supervision in the window */
	qb_init(&q);
	qb_sql(&q, "SELECT count(DISTINCT v.hazard_id), count(DISTINCT CASE WHEN " CLOSED_BY
		   " THEN v.hazard_id END) FROM hazard_supervisions v JOIN hazards x ON x.id ="
		   " v.hazard_id WHERE x.status <> 'void' AND x.level = 'major'");
	qb_int(&q, win->until_ts);
	unit_scope(&q, a, u, ON_HAZARDS);
	qb_sql(&q, " AND v.listed_at >= ? AND v.listed_at <= ?");
	qb_int(&q, win->since_ts);
	qb_int(&q, win->until_ts);
	in = (struct into){values, LISTED_KEYS, 2};
	return each_row(&q, db, take_columns, &in);
}

/* Spot checks count enterprises, not visits: each enterprise once, and
 * once for each thing any of its checks found wrong.  Distinct counting is
 * done here over (enterprise, findings) pairs sorted in memory, one read
 * of the covering index whatever the size of the scope. */
static const char *const FINDINGS[] = {"leader_not_studied", "leader_no_inspection",
				       "no_duty_list",	     "no_safety_org",
				       "uncertified_operators", "outsourcing_chaos", "no_drill"};
#define NFINDINGS 7

struct visits {
	uint64_t *v;
	int n, cap;
	bool oom;
};

static void take_visit(struct db_stmt *st, void *ctx)
{
	struct visits *vs = ctx;
	if (vs->n == vs->cap) {
		int cap = vs->cap ? vs->cap * 2 : 4096;
		uint64_t *v = realloc(vs->v, sizeof *v * (size_t)cap);
		if (!v) {
			vs->oom = true;
			return;
		}
		vs->v = v;
		vs->cap = cap;
	}
	vs->v[vs->n++] = (uint64_t)db_col_int(st, 0) << 8 | (uint64_t)db_col_int(st, 1);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

static int count_spot_checks(struct db *db, struct arena *a, const struct dispatch_unit *u,
			     const struct dispatch_window *win, int64_t *values)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT x.enterprise_id, x.leader_not_studied + 2 * x.leader_no_inspection"
		   " + 4 * x.no_duty_list + 8 * x.no_safety_org + 16 * x.uncertified_operators"
		   " + 32 * x.outsourcing_chaos + 64 * x.no_drill FROM inspections x"
		   " WHERE x.spot_check = 1");
	unit_scope(&q, a, u, ON_RECORDS);
	window(&q, "x.date", win);
	struct visits vs = {0};
	int rc = each_row(&q, db, take_visit, &vs);
	if (rc == 0 && vs.oom)
		rc = DB_ERR;
	int64_t firms = 0, found[NFINDINGS] = {0};
	if (rc == 0 && vs.n > 0) {
		qsort(vs.v, (size_t)vs.n, sizeof *vs.v, cmp_u64);
		for (int i = 0; i < vs.n;) {
			uint64_t ent = vs.v[i] >> 8, bits = 0;
			for (; i < vs.n && vs.v[i] >> 8 == ent; i++)
				bits |= vs.v[i] & 0xff;
			firms++;
			for (int k = 0; k < NFINDINGS; k++)
				found[k] += (bits >> k) & 1;
		}
	}
	free(vs.v);
	if (rc < 0)
		return rc;
	set(values, "spot_checked", firms);
	for (int k = 0; k < NFINDINGS; k++)
		set(values, FINDINGS[k], found[k]);
	return 0;
}

/* Enforcement by kind: how many records, amounts, persons, key
 * enterprises, dangerous-operation cases and distinct enterprises. */
enum { E_COUNT, E_AMOUNT, E_PERSONS, E_KEY, E_DANGEROUS, E_FIRMS };
static const struct {
	const char *key, *kind;
	int col;
} ENFORCEMENT[] = {
	{"assistance", "assistance", E_COUNT},
	{"assistance_key", "assistance", E_KEY},
	{"penalties", "penalty", E_COUNT},
	{"penalty_amount", "penalty", E_AMOUNT},
	{"double_penalties", "double_penalty", E_COUNT},
	{"judicial_transfers", "judicial_transfer", E_PERSONS},
	{"suspensions", "suspension", E_FIRMS},
	{"exposed", "exposure", E_FIRMS},
	{"typical_cases", "typical_case", E_COUNT},
	{"dangerous_operation_cases", "typical_case", E_DANGEROUS},
	{"accountability", "accountability", E_PERSONS},
	{"region_interviews", "region_interview", E_COUNT},
	/* activities: only counted */
	{"study_sessions", "study_session", E_COUNT},
	{"special_research", "special_research", E_COUNT},
	{"onsite_supervision", "onsite_supervision", E_COUNT},
	{"member_visits", "member_visit", E_COUNT},
	{"assessment_inspections", "assessment_inspection", E_COUNT},
};

static void take_kind(struct db_stmt *st, void *ctx)
{
	int64_t *values = ctx;
	const char *kind = db_col_text(st, 0);
	for (size_t i = 0; i < sizeof ENFORCEMENT / sizeof ENFORCEMENT[0]; i++)
		if (kind && strcmp(kind, ENFORCEMENT[i].kind) == 0)
			set(values, ENFORCEMENT[i].key, db_col_int(st, 1 + ENFORCEMENT[i].col));
}

static int count_by_kind(struct db *db, struct arena *a, const struct dispatch_unit *u,
			 const struct dispatch_window *win, int64_t *values)
{
	static const char *const SQL[2] = {
		"SELECT x.kind, count(*), coalesce(sum(x.amount_fen), 0), coalesce(sum(x.persons), 0),"
		" coalesce(sum(x.key_enterprise), 0), coalesce(sum(x.dangerous_operation), 0),"
		" count(DISTINCT CASE WHEN x.kind IN ('suspension', 'exposure') THEN x.enterprise_id"
		" END) FROM enforcement x WHERE 1 = 1",
		"SELECT x.kind, count(*), 0, 0, 0, 0, 0 FROM activities x WHERE 1 = 1",
	};
	for (size_t i = 0; i < sizeof ENFORCEMENT / sizeof ENFORCEMENT[0]; i++)
		set(values, ENFORCEMENT[i].key, 0);
	for (int k = 0; k < 2; k++) {
		struct qb q;
		qb_init(&q);
		qb_sql(&q, SQL[k]);
		unit_scope(&q, a, u, ON_RECORDS);
		window(&q, "x.date", win);
		qb_sql(&q, " GROUP BY x.kind");
		int rc = each_row(&q, db, take_kind, values);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int count_tips(struct db *db, struct arena *a, const struct dispatch_unit *u,
		      const struct dispatch_window *win, int64_t *values)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT coalesce(sum(x.reward_fen), 0), coalesce(sum(CASE WHEN x.anonymous = 1"
		   " THEN x.reward_fen ELSE 0 END), 0) FROM tips x WHERE x.status = 'verified'");
	unit_scope(&q, a, u, ON_TIPS);
	window(&q, "x.reviewed_on", win);
	struct into in = {values, TIP_KEYS, 2};
	return each_row(&q, db, take_columns, &in);
}

int store_dispatch_compute(struct db *db, struct arena *a, const struct dispatch_unit *u,
			   const struct dispatch_window *win, int64_t *values)
{
	int (*const passes[])(struct db *, struct arena *, const struct dispatch_unit *,
			      const struct dispatch_window *, int64_t *) = {
		count_hazards, count_spot_checks, count_by_kind, count_tips};
	for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++) {
		int rc = passes[i](db, a, u, win, values);
		if (rc < 0)
			return rc;
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

/* --- entered values, summed up the tree ------------------------------------ */

struct entered {
	int64_t v[8];
	bool has[8];
};

static int entered_index(const char *key)
{
	int n = 0;
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++)
		if (DISPATCH_ITEMS[i].entered) {
			if (strcmp(DISPATCH_ITEMS[i].key, key) == 0)
				return n;
			n++;
		}
	return -1;
}

static void take(void *ctx, const char *key, const char *value)
{
	struct entered *e = ctx;
	int i = entered_index(key);
	if (i >= 0) {
		e->v[i] = strcmp(value, "true") == 0 ? 1 : strcmp(value, "false") == 0 ? 0 : atoll(value);
		e->has[i] = true;
	}
}

/* What summing up the tree reads, in three queries whatever its size:
 * every unit's entries for the period, and the regions and departments
 * of the unit's subtree.  Each list is sorted for binary search. */
struct unit_entered {
	const char *unit;
	struct entered e;
};
struct node {
	const char *key;  /* the parent's code (regions) or the region (departments) */
	const char *unit; /* region:CODE or department:ID */
};
struct tree {
	struct unit_entered *ents;
	struct node *regions, *depts;
	int nents, nregions, ndepts;
};

static int load_entries(struct db *db, struct arena *a, const char *period, struct tree *t)
{
	struct db_stmt *st = db_stmt(db, "SELECT unit, key, value FROM dispatch_entries"
					 " WHERE period = ? ORDER BY unit");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, period);
	int cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *unit = db_col_text(st, 0);
		if (!t->nents || strcmp(t->ents[t->nents - 1].unit, unit) != 0) {
			t->ents = arena_grow(a, t->ents, sizeof *t->ents, t->nents, &cap);
			t->ents[t->nents++] = (struct unit_entered){arena_strdup(a, unit), {{0}, {0}}};
		}
		take(&t->ents[t->nents - 1].e, db_col_text(st, 1), db_col_text(st, 2));
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int load_nodes(struct db *db, struct arena *a, const char *sql, const char *root,
		      const char *kind, struct node **out, int *n)
{
	struct db_stmt *st = db_stmt(db, sql);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, root);
	db_bind_text(st, 2, region_upper_bound(a, root));
	int cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		*out = arena_grow(a, *out, sizeof **out, *n, &cap);
		const char *key = db_col_text(st, 1);
		(*out)[(*n)++] = (struct node){arena_strdup(a, key ? key : ""),
					       arena_printf(a, "%s:%s", kind, db_col_text(st, 0))};
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Sorted here, by bytes, whatever the database's collation. */
static int cmp_node(const void *x, const void *y)
{
	return strcmp(((const struct node *)x)->key, ((const struct node *)y)->key);
}

static int cmp_unit(const void *x, const void *y)
{
	return strcmp(((const struct unit_entered *)x)->unit, ((const struct unit_entered *)y)->unit);
}

/* The first of the sorted nodes whose key is key (n if none). */
static int first_of(const struct node *v, int n, const char *key)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct entered *own_entries(const struct tree *t, const char *unit)
{
	int lo = 0, hi = t->nents;
	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp(t->ents[mid].unit, unit);
		if (c == 0)
			return &t->ents[mid].e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void add_entered(struct entered *to, const struct entered *part)
{
	for (int j = 0; j < 8; j++)
		if (part->has[j]) {
			to->v[j] += part->v[j];
			to->has[j] = true;
		}
}

/* A unit's own entries; for a region without any, the sum of its lower
 * units' (child regions and its departments), booleans as "any". */
static void entered_in(const struct tree *t, const char *unit, int depth, struct entered *out)
{
	memset(out, 0, sizeof *out);
	const struct entered *own = own_entries(t, unit);
	bool any = false;
	for (int i = 0; own && i < 8; i++)
		any |= own->has[i];
	if (any) {
		*out = *own;
		return;
	}
	if (strncmp(unit, "region:", 7) != 0 || depth > 6)
		return;
	const char *code = unit + 7;
	const struct node *lists[2] = {t->regions, t->depts};
	int counts[2] = {t->nregions, t->ndepts};
	for (int k = 0; k < 2; k++)
		for (int i = first_of(lists[k], counts[k], code);
		     i < counts[k] && strcmp(lists[k][i].key, code) == 0; i++) {
			struct entered part;
			entered_in(t, lists[k][i].unit, depth + 1, &part);
			add_entered(out, &part);
		}
}

static int entered_of(struct db *db, struct arena *a, const char *unit, const char *period,
		      struct entered *out)
{
	struct tree t = {0};
	int rc = load_entries(db, a, period, &t);
	if (rc == 0 && strncmp(unit, "region:", 7) == 0) {
		rc = load_nodes(db, a, "SELECT code, parent_code FROM regions WHERE code > ? AND code < ?"
				       " ORDER BY parent_code, code", unit + 7, "region",
				&t.regions, &t.nregions);
		if (rc == 0)
			rc = load_nodes(db, a, "SELECT id, region_code FROM departments WHERE"
					       " region_code >= ? AND region_code < ? ORDER BY"
					       " region_code, id", unit + 7, "department",
					&t.depts, &t.ndepts);
	}
	if (rc < 0)
		return rc;
	if (t.nents)
		qsort(t.ents, (size_t)t.nents, sizeof *t.ents, cmp_unit);
	if (t.nregions)
		qsort(t.regions, (size_t)t.nregions, sizeof *t.regions, cmp_node);
	if (t.ndepts)
		qsort(t.depts, (size_t)t.ndepts, sizeof *t.depts, cmp_node);
	entered_in(&t, unit, 0, out);
	return 0;
}

/* --- the whole return --------------------------------------------------------- */

int dispatch_unit_parse(struct db *db, struct arena *a, const char *text, struct dispatch_unit *u,
			const char **name)
{
	memset(u, 0, sizeof *u);
	if (!text)
		return 0;
	if (strncmp(text, "region:", 7) == 0 && region_code_valid(text + 7)) {
		struct region g;
		int rc = store_region_get(db, a, text + 7, &g);
		if (rc > 0) {
			u->region = g.code;
			*name = g.name;
		}
		return rc;
	}
	if (strncmp(text, "department:", 11) == 0) {
		char *end;
		long long id = strtoll(text + 11, &end, 10);
		if (*end || id <= 0)
			return 0;
		struct department d;
		int rc = store_department_get(db, a, id, &d);
		if (rc > 0) {
			u->department_id = id;
			*name = d.name;
		}
		return rc;
	}
	return 0;
}

static int64_t day_start(const char *date)
{
	int64_t d = 0;
	date_parse(date, &d);
	return d * 86400 - 8 * 3600;
}

int dispatch_build(struct db *db, struct arena *a, const char *unit, const char *period,
		   const char *since, struct dispatch_return *out, struct ql_error *err)
{
	memset(out, 0, sizeof *out);
	char until[11];
	if (dispatch_period_end(period, until) < 0)
		return ql_fail(err, QLE_BAD_REQUEST, "invalid", "period", "填报月份 period 应为 YYYY-MM");
	int64_t days;
	if (!since || date_parse(since, &days) < 0)
		return ql_fail(err, QLE_BAD_REQUEST, "invalid", "since",
			       "专项行动开始日期 since 应为 YYYY-MM-DD");
	if (strcmp(since, until) > 0)
		return ql_fail(err, QLE_BAD_REQUEST, "invalid", "since", "开始日期晚于本期截止日（%s）",
			       until);
	int rc = dispatch_unit_parse(db, a, unit, &out->u, &out->unit_name);
	if (rc < 0)
		return db_fail(db, rc, err);
	if (rc == 0)
		return ql_fail(err, QLE_NOT_FOUND, "not_found", "unit",
			       "填报单位不存在（应为 region:区划代码 或 department:部门编号）");
	out->unit = unit;
	out->period = period;
	out->since = since;
	out->until = arena_strdup(a, until);
	out->values = arena_alloc(a, sizeof(int64_t) * (size_t)DISPATCH_ITEM_COUNT);
	struct dispatch_window win = {since, out->until, day_start(since), day_start(until) + 86399};
	if ((rc = store_dispatch_compute(db, a, &out->u, &win, out->values)) < 0)
		return db_fail(db, rc, err);
	struct entered ent;
	if ((rc = entered_of(db, a, unit, period, &ent)) < 0)
		return db_fail(db, rc, err);
	for (int i = 0, e = 0; i < DISPATCH_ITEM_COUNT; i++)
		if (DISPATCH_ITEMS[i].entered) {
			out->values[i] = ent.has[e] ? ent.v[e] : 0;
			e++;
		}
	if ((rc = store_dispatch_signature(db, a, unit, period, &out->filler, &out->reviewer,
					   &out->signed_at)) < 0)
		return db_fail(db, rc, err);
	return 0;
}

void dispatch_write_json(struct jsonw *w, const struct dispatch_return *d)
{
	char as_of[40];
	snprintf(as_of, sizeof as_of, "%sT23:59:59+08:00", d->until);
	jw_obj(w);
	jw_kstr(w, "unit", d->unit);
	jw_kstr(w, "unit_name", d->unit_name);
	jw_kstr(w, "period", d->period);
	jw_kstr(w, "since", d->since);
	jw_kstr(w, "as_of", as_of);
	jw_key(w, "values");
	jw_obj(w);
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++) {
		const struct dispatch_item *it = &DISPATCH_ITEMS[i];
		jw_key(w, it->key);
		if (it->type == DT_BOOL)
			jw_bool(w, d->values[i] != 0);
		else if (it->type == DT_AMOUNT)
			/* fen -> 万元, exact to the yuan. */
			jw_double(w, (double)((d->values[i] + 50) / 100) / 10000.0, 4);
		else
			jw_int(w, d->values[i]);
	}
	jw_obj_end(w);
	jw_key(w, "sources");
	jw_obj(w);
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++)
		jw_kstr(w, DISPATCH_ITEMS[i].key, DISPATCH_ITEMS[i].entered ? "entered" : "computed");
	jw_obj_end(w);
	/* The form's own wording, for a page that shows the return. */
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++) {
		const struct dispatch_item *it = &DISPATCH_ITEMS[i];
		jw_obj(w);
		jw_kstr(w, "key", it->key);
		jw_kint(w, "section", it->section);
		jw_kint(w, "no", it->item);
		jw_kstr(w, "label", it->label);
		jw_kstr(w, "unit", it->unit);
		jw_kstr(w, "type", it->type == DT_BOOL ? "bool" : it->type == DT_AMOUNT ? "amount" : "count");
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "signature");
	if (d->filler) {
		jw_obj(w);
		jw_kstr(w, "filler", d->filler);
		jw_kstr(w, "reviewer", d->reviewer);
		char t[32];
		clock_format_rfc3339(d->signed_at, t, sizeof t);
		jw_kstr(w, "signed_at", t);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_obj_end(w);
}
