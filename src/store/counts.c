/*
 * counts.c - the exact hazard counters (table hazard_counts, migration
 * 0010) and the stored overdue flag.
 *
 * Every write to a hazard's region, level, source, status or overdue flag
 * moves one unit from the counters of its old key to those of its new key,
 * in the same transaction, at its own region (own = 1) and at every region
 * above it (own = 0).  Lists and statistics of a region's subtree then
 * read a few rows instead of scanning millions.  The counters are never an
 * estimate: whatever cannot be answered from them exactly (a department's
 * scope, a text search, a date range) is counted from the hazards.
 */
#include "query.h"
#include "../core/date.h"
#include "../core/hazard.h"
#include "../core/validate.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <string.h>

/* The lengths of region codes, province to village (GB/T 2260 and the
 * town and village extensions). */
static const int DEPTHS[] = {2, 4, 6, 9, 12};

bool hazard_overdue_now(const char *status, const char *deadline)
{
	char today[16];
	clock_format_date_cn(clock_now(), today, sizeof today);
	return hazard_overdue(hazard_status_parse(status), deadline, today);
}

static const char SQL_ADD[] =
	"INSERT INTO hazard_counts (own, depth, region_code, level, source, status, overdue, n)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (own, depth, region_code, level, source,"
	" status, overdue) DO UPDATE SET n = hazard_counts.n + excluded.n";

static int add_row(struct db *db, bool own, const char *region, size_t depth,
		   const struct hazard_key *k, int64_t delta)
{
	char code[16];
	if (depth >= sizeof code)
		return DB_ERR;
	memcpy(code, region, depth);
	code[depth] = 0;
	struct db_stmt *st = db_stmt(db, SQL_ADD);
	if (!st)
		return DB_ERR;
	db_bind_bool(st, 1, own);
	db_bind_int(st, 2, (int64_t)depth);
	db_bind_text(st, 3, code);
	db_bind_text(st, 4, k->level);
	db_bind_text(st, 5, k->source);
	db_bind_text(st, 6, k->status);
	db_bind_bool(st, 7, k->overdue);
	db_bind_int(st, 8, delta);
	return db_run(st);
}

int store_hazard_count(struct db *db, const struct hazard_key *k, int64_t delta)
{
	size_t len = strlen(k->region);
	int rc = add_row(db, true, k->region, len, k, delta);
	for (size_t i = 0; rc >= 0 && i < sizeof DEPTHS / sizeof DEPTHS[0]; i++)
		if ((size_t)DEPTHS[i] <= len)
			rc = add_row(db, false, k->region, (size_t)DEPTHS[i], k, delta);
	return rc;
}

int store_hazard_recount(struct db *db, const struct hazard_key *was, const struct hazard_key *now)
{
	if (strcmp(was->region, now->region) == 0 && strcmp(was->level, now->level) == 0 &&
	    strcmp(was->source, now->source) == 0 && strcmp(was->status, now->status) == 0 &&
	    was->overdue == now->overdue)
		return 0;
	int rc = store_hazard_count(db, was, -1);
	return rc < 0 ? rc : store_hazard_count(db, now, 1);
}

/* The key of a hazard from the first five columns of a row: region_code,
 * level, source, status, overdue. */
#define KEY_COLS "region_code, level, source, status, overdue"

static struct hazard_key key_of_row(struct arena *a, struct db_stmt *st)
{
	return (struct hazard_key){arena_strdup(a, db_col_text(st, 0)),
				   arena_strdup(a, db_col_text(st, 1)),
				   arena_strdup(a, db_col_text(st, 2)),
				   arena_strdup(a, db_col_text(st, 3)), db_col_int(st, 4) != 0};
}

static const char SQL_KEY_OF[] =
	"SELECT " KEY_COLS " FROM hazards WHERE id = ?";

int store_hazard_key(struct db *db, struct arena *a, int64_t id, struct hazard_key *k)
{
	struct db_stmt *st = db_stmt(db, SQL_KEY_OF);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*k = key_of_row(a, st);
	db_done(st);
	return rc;
}

static const char SQL_KEYS_OF_ENTERPRISE[] =
	"SELECT " KEY_COLS ", count(*) FROM hazards WHERE enterprise_id = ? GROUP BY " KEY_COLS;

int store_hazard_count_enterprise(struct db *db, struct arena *a, int64_t enterprise_id, int sign)
{
	struct db_stmt *st = db_stmt(db, SQL_KEYS_OF_ENTERPRISE);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, enterprise_id);
	struct hazard_key *keys = NULL;
	int64_t *ns = NULL;
	int n = 0, cap = 0, ncap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		keys = arena_grow(a, keys, sizeof *keys, n, &cap);
		ns = arena_grow(a, ns, sizeof *ns, n, &ncap);
		keys[n] = key_of_row(a, st);
		ns[n++] = db_col_int(st, 5);
	}
	db_done(st);
	for (int i = 0; rc >= 0 && i < n; i++)
		rc = store_hazard_count(db, &keys[i], sign * ns[i]);
	return rc < 0 ? rc : 0;
}

/* The counters from the hazards themselves: after a bulk load, and when
 * the table is first made. */

int store_hazard_counts_rebuild(struct db *db)
{
	int rc = db_exec(db, "DELETE FROM hazard_counts");
	if (rc < 0)
		return rc;
	struct db_stmt *st = db_stmt(
		db, "INSERT INTO hazard_counts (own, depth, region_code, level, source, status,"
		    " overdue, n) SELECT 1, length(region_code), region_code, level, source, status,"
		    " overdue, count(*) FROM hazards GROUP BY region_code, level, source, status,"
		    " overdue");
	if (!st || (rc = db_run(st)) < 0)
		return st ? rc : DB_ERR;
	for (size_t i = 0; i < sizeof DEPTHS / sizeof DEPTHS[0]; i++) {
		/* From the own rows, which are far fewer than the hazards. */
		st = db_stmt(db, "INSERT INTO hazard_counts (own, depth, region_code, level, source,"
				 " status, overdue, n) SELECT 0, CAST(? AS INTEGER), substr(region_code, 1, ?),"
				 " level, source, status, overdue, sum(n) FROM hazard_counts WHERE own = 1"
				 " AND depth >= ? GROUP BY 3, 4, 5, 6, 7");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, DEPTHS[i]);
		db_bind_int(st, 2, DEPTHS[i]);
		db_bind_int(st, 3, DEPTHS[i]);
		if ((rc = db_run(st)) < 0)
			return rc;
	}
	return 0;
}

/* --- the overdue flag as days pass ----------------------------------------- */

static const char *const MARKED_KEY[] = {"overdue_marked_day"};

int store_overdue_current(struct db *db, const char *today)
{
	int64_t day;
	int v[1] = {0};
	if (date_parse(today, &day) < 0)
		return 0;
	int rc = store_settings_read(db, MARKED_KEY, v, 1);
	return rc < 0 ? rc : v[0] >= day;
}

static const char SQL_DUE[] =
	"SELECT " KEY_COLS ", id FROM hazards WHERE overdue = 0"
	" AND " HZ_OPEN_EITHER " AND deadline < ? ORDER BY deadline, id LIMIT 1000";
static const char SQL_MARK[] = "UPDATE hazards SET overdue = 1 WHERE id = ?";

int store_hazards_mark_overdue(struct db *db, const char *today, int64_t *marked)
{
	int64_t day;
	if (date_parse(today, &day) < 0)
		return DB_ERR;
	*marked = 0;
	int current = store_overdue_current(db, today);
	if (current < 0)
		return current;
	struct arena *a = arena_new();
	int rc = 0, n;
	do {
		/* In batches, so that the rows read are not held while written. */
		struct db_stmt *st = db_stmt_planned(db, SQL_DUE); /* today decides */
		if (!st) {
			rc = DB_ERR;
			break;
		}
		db_bind_text(st, 1, today);
		int64_t ids[1000];
		struct hazard_key keys[1000];
		n = 0;
		while (n < 1000 && (rc = db_step(st)) == DB_ROW) {
			ids[n] = db_col_int(st, 5);
			keys[n] = key_of_row(a, st);
			n++;
		}
		db_done(st);
		if (rc < 0)
			break;
		for (int i = 0; rc >= 0 && i < n; i++) {
			if (!(st = db_stmt(db, SQL_MARK))) {
				rc = DB_ERR;
				break;
			}
			db_bind_int(st, 1, ids[i]);
			if ((rc = db_run(st)) < 0)
				break;
			struct hazard_key now = keys[i];
			now.overdue = true;
			rc = store_hazard_recount(db, &keys[i], &now);
		}
		*marked += n;
		arena_free(a);
		a = arena_new();
	} while (rc >= 0 && n == 1000);
	arena_free(a);
	if (rc < 0 || (current && *marked == 0))
		return rc; /* nothing new today: no write */
	int v[1] = {(int)day};
	return store_settings_write(db, MARKED_KEY, v, 1);
}

/* --- answering from the counters ------------------------------------------ */

/* The one region whose subtree is the scope and the region filter
 * together: 1 with *root set, 0 when the scope is not a region's subtree
 * (a department's or an enterprise's: counted from the hazards), -1 when
 * the two do not meet (nothing to count). */
static int counted_root(const struct scope *s, const char *region, const char **root)
{
	if (s->kind != SCOPE_REGION)
		return 0;
	*root = s->region_code;
	if (!region)
		return 1;
	if (region_in_subtree(region, s->region_code)) {
		*root = region;
		return 1;
	}
	return region_in_subtree(s->region_code, region) ? 1 : -1;
}

#define SUMS                                                                  \
	" sum(c.n), sum(CASE WHEN c.status = 'closed' THEN c.n ELSE 0 END),"      \
	" sum(CASE WHEN c.overdue = 1 THEN c.n ELSE 0 END)"

/* Region groups: the subtree rows of the regions at key_len under root,
 * and the own rows of regions above that level (their hazards group under
 * their own, shorter code, as substr() does in the scan). */
static const char SQL_BY_REGION[] =
	"SELECT c.region_code," SUMS " FROM hazard_counts c WHERE c.status <> 'void' AND"
	" c.region_code >= ? AND c.region_code < ? AND ((c.own = 0 AND c.depth = ?)"
	" OR (c.own = 1 AND c.depth IN (?, ?, ?, ?))) GROUP BY c.region_code HAVING sum(c.n) > 0"
	" ORDER BY 1";
static const struct {
	const char *name, *sql;
} BY_KEY[] = {
#define BY_COLUMN(col)                                                                       \
	{col, "SELECT c." col "," SUMS " FROM hazard_counts c WHERE c.status <> 'void' AND"   \
	      " c.own = 0 AND c.depth = ? AND c.region_code = ? GROUP BY c." col                \
	      " HAVING sum(c.n) > 0 ORDER BY 1"}
	BY_COLUMN("level"),
	BY_COLUMN("status"),
	BY_COLUMN("source"),
#undef BY_COLUMN
};

int store_hazard_stats_counted(struct db *db, struct arena *a, const struct scope *s,
			       const char *region, const char *group_by, int key_len,
			       const char *today, struct stats_group **groups, bool *counted)
{
	const char *root;
	*groups = NULL;
	*counted = false;
	const char *sql = strcmp(group_by, "region") == 0 ? SQL_BY_REGION : NULL;
	for (size_t i = 0; !sql && i < sizeof BY_KEY / sizeof BY_KEY[0]; i++)
		if (strcmp(group_by, BY_KEY[i].name) == 0)
			sql = BY_KEY[i].sql;
	int rc = counted_root(s, region, &root);
	if (!sql || rc == 0)
		return 0;
	*counted = true;
	if (rc < 0)
		return 0; /* the scope and the filter do not meet: no groups */
	if ((rc = store_overdue_current(db, today)) <= 0) {
		*counted = false;
		return rc;
	}
	struct db_stmt *st = db_stmt_planned(db, sql); /* a province or a town */
	if (!st)
		return DB_ERR;
	if (sql == SQL_BY_REGION) {
		db_bind_text(st, 1, root);
		db_bind_text(st, 2, region_upper_bound(a, root));
		db_bind_int(st, 3, key_len);
		/* the levels above key_len, as a list the index can seek */
		for (int i = 0; i < 4; i++)
			db_bind_int(st, 4 + i, DEPTHS[i] < key_len ? DEPTHS[i] : 0);
	} else {
		db_bind_int(st, 1, (int64_t)strlen(root));
		db_bind_text(st, 2, root);
	}
	int cap = 0, n = 0;
	*groups = arena_grow(a, NULL, sizeof **groups, 0, &cap);
	while ((rc = db_step(st)) == DB_ROW) {
		*groups = arena_grow(a, *groups, sizeof **groups, n, &cap);
		struct stats_group *g = &(*groups)[n++];
		g->key = arena_strdup(a, db_col_text(st, 0));
		g->total = db_col_int(st, 1);
		g->closed = db_col_int(st, 2);
		g->overdue = db_col_int(st, 3);
	}
	db_done(st);
	return rc < 0 ? rc : n;
}

/* The filters the counters answer: a region's subtree and any of level,
 * source, status and (when the flags are current) overdue. */
static bool filter_counted(const struct hazard_filter *f)
{
	return !f->enterprise_id && f->supervised < 0 && !f->found_from && !f->found_to && !f->q;
}

/* Appends "c.depth = ? AND c.region_code = ?" for root, or the rows of
 * every province (the whole table) for NULL, and the equalities given. */
static void count_case(struct qb *q, const char *root, const char *level, const char *source,
		       const char *status, int overdue)
{
	if (root) {
		qb_sql(q, "c.depth = ? AND c.region_code = ?");
		qb_int(q, (int64_t)strlen(root));
		qb_text(q, root);
	} else {
		qb_sql(q, "c.depth = 2");
	}
	const struct {
		const char *sql, *v;
	} eq[] = {{" AND c.level = ?", level}, {" AND c.source = ?", source},
		  {" AND c.status = ?", status}};
	for (size_t i = 0; i < sizeof eq / sizeof eq[0]; i++)
		if (eq[i].v) {
			qb_sql(q, eq[i].sql);
			qb_text(q, eq[i].v);
		}
	if (overdue >= 0) {
		qb_sql(q, " AND c.overdue = ?");
		qb_int(q, overdue);
	}
}

/* The list's total, what a walk follows and the region's hazards, in one
 * statement (each is a round trip to PostgreSQL). */
static int count_list(struct db *db, const char *root, const struct hazard_filter *f,
		      struct hazard_count *out)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT coalesce(sum(CASE WHEN ");
	count_case(&q, root, f->level, f->source, f->status, f->overdue);
	qb_sql(&q, " THEN c.n ELSE 0 END), 0), coalesce(sum(CASE WHEN ");
	/* a walk follows (status, id), the overdue hazards (an index of
	 * overdue = 1 alone) or the whole table */
	count_case(&q, NULL, NULL, NULL, f->status, f->status ? -1 : f->overdue == 1 ? 1 : -1);
	qb_sql(&q, " THEN c.n ELSE 0 END), 0), coalesce(sum(CASE WHEN ");
	count_case(&q, root, NULL, NULL, NULL, -1);
	qb_sql(&q, " THEN c.n ELSE 0 END), 0) FROM hazard_counts c WHERE c.own = 0 AND"
		   " (c.depth = 2 OR (c.depth = ? AND c.region_code = ?))");
	qb_int(&q, (int64_t)strlen(root));
	qb_text(&q, root);
	struct db_stmt *st = qb_prepare_shaped(&q, db);
	qb_free(&q);
	if (!st)
		return DB_ERR;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->total = db_col_int(st, 0);
		out->walked = db_col_int(st, 1);
		out->in_region = db_col_int(st, 2);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int store_hazard_list_counted(struct db *db, const struct scope *s, const struct hazard_filter *f,
			      struct hazard_count *out)
{
	memset(out, 0, sizeof *out);
	const char *root;
	int rc = counted_root(s, f->region, &root);
	if (rc == 0 || !filter_counted(f))
		return 0;
	if (rc < 0) {
		out->counted = true; /* the scope and the filter do not meet */
		return 0;
	}
	if ((rc = store_overdue_current(db, f->today)) < 0)
		return rc;
	out->flags_current = rc > 0;
	if (f->overdue >= 0 && !out->flags_current)
		return 0;
	out->counted = true;
	return count_list(db, root, f, out);
}
