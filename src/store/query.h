/*
 * query.h - assembling a query from fixed SQL fragments with bound values,
 * for lists whose filters vary (hazards, enterprises), and the data-scope
 * clause every business query carries.
 *
 * Only string literals are ever appended as SQL; every value goes through
 * qb_text()/qb_int() as a parameter.  The number of distinct texts is
 * bounded by the combinations of fragments, so the statement cache stays
 * small.
 */
#ifndef QL_QUERY_H
#define QL_QUERY_H

#include "store.h"

#define QB_MAX 48

struct qb {
	struct buf sql;
	int n;
	struct {
		const char *text;
		int64_t num;
		bool is_num;
	} v[QB_MAX];
};

void qb_init(struct qb *q);
void qb_free(struct qb *q);
void qb_sql(struct qb *q, const char *fragment);
/* Bind values for the `?` in the fragment just appended, in order. */
void qb_text(struct qb *q, const char *v);
void qb_int(struct qb *q, int64_t v);
/* Prepares (cached by text; on PostgreSQL planned at each execution with
 * its values, db_stmt_planned) and binds; NULL on a preparation error. */
struct db_stmt *qb_prepare(struct qb *q, struct db *db);
/* Prepares a query whose plan its text already decides (the indexes it
 * can use and the order it reads in), so that the database may keep one
 * plan for it whatever its values (db_stmt). */
struct db_stmt *qb_prepare_shaped(struct qb *q, struct db *db);

/* The statuses of a hazard not yet closed or voided (core/hazard.h
 * hazard_status_is_open), as an SQL list. */
#define HZ_OPEN_STATUSES "('open', 'rectifying', 'awaiting_acceptance', 'awaiting_verification')"
/* The same test as the condition of the index hazards_due (0013), which a
 * query must state as the index does for the index to serve it. */
#define HZ_OPEN_EITHER                                                                  \
	"(status = 'open' OR status = 'rectifying' OR status = 'awaiting_acceptance'" \
	" OR status = 'awaiting_verification')"

/* The scope columns of a query on hazards aliased `h` (hazards.c, and the
 * attachments, which are a hazard's). */
#define HZ_REGION_RANGE "h.region_code >= ? AND h.region_code < ?"
#define HZ_IN_DEPT \
	"h.enterprise_id IN (SELECT enterprise_id FROM enterprise_departments WHERE department_id = ?)"
#define HZ_EQ "h.enterprise_id = ?"

/* Runs the query for at most one row, a row by its id (prepared once,
 * db_stmt, even on PostgreSQL): frees q, and on a row fills *out with
 * row(a, st, out).  DB_ROW, DB_DONE (none) or an error. */
int qb_one(struct qb *q, struct db *db, struct arena *a,
	   void (*row)(struct arena *a, struct db_stmt *st, void *out), void *out);

/* Appends " AND <scope>" for rows of a table whose region column is
 * `region_col` and whose enterprise id column is `ent_col` (fixed names
 * chosen by the caller from literals). */
void qb_scope(struct qb *q, struct arena *a, const struct scope *s, const char *region_range,
	      const char *ent_in_dept, const char *ent_eq);
/* Appends the range test for a region subtree: fragment must be
 * "col >= ? AND col < ?". */
void qb_region(struct qb *q, struct arena *a, const char *fragment, const char *prefix);
/* The exclusive upper bound of a code prefix's subtree ("2103" -> "2104"). */
char *region_upper_bound(struct arena *a, const char *prefix);

#endif
