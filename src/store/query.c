/*
 * query.c - the fragment-based query builder and the scope clause (see
 * query.h).
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

void qb_init(struct qb *q)
{
	memset(q, 0, sizeof *q);
}

void qb_free(struct qb *q)
{
	buf_free(&q->sql);
}

void qb_sql(struct qb *q, const char *fragment)
{
	buf_puts(&q->sql, fragment);
}

void qb_text(struct qb *q, const char *v)
{
	if (q->n >= QB_MAX)
		abort();
	q->v[q->n].text = v;
	q->v[q->n].is_num = false;
	q->n++;
}

void qb_int(struct qb *q, int64_t v)
{
	if (q->n >= QB_MAX)
		abort();
	q->v[q->n].num = v;
	q->v[q->n].is_num = true;
	q->n++;
}

static struct db_stmt *bind_all(struct qb *q, struct db_stmt *st)
{
	if (!st)
		return NULL;
	for (int i = 0; i < q->n; i++) {
		if (q->v[i].is_num)
			db_bind_int(st, i + 1, q->v[i].num);
		else
			db_bind_text(st, i + 1, q->v[i].text);
	}
	return st;
}

struct db_stmt *qb_prepare(struct qb *q, struct db *db)
{
	return bind_all(q, db_stmt_planned(db, buf_str(&q->sql)));
}

struct db_stmt *qb_prepare_shaped(struct qb *q, struct db *db)
{
	return bind_all(q, db_stmt(db, buf_str(&q->sql)));
}

char *region_upper_bound(struct arena *a, const char *prefix)
{
	char *s = arena_strdup(a, prefix);
	for (size_t i = strlen(s); i-- > 0;) {
		if (s[i] < '9') {
			s[i]++;
			s[i + 1] = 0;
			return s;
		}
	}
	/* All nines: every digit string starting with it sorts below "A". */
	return arena_strdup(a, "A");
}

void qb_region(struct qb *q, struct arena *a, const char *fragment, const char *prefix)
{
	qb_sql(q, fragment);
	qb_text(q, prefix);
	qb_text(q, region_upper_bound(a, prefix));
}

void qb_scope(struct qb *q, struct arena *a, const struct scope *s, const char *region_range,
	      const char *ent_in_dept, const char *ent_eq)
{
	switch (s->kind) {
	case SCOPE_REGION:
		qb_sql(q, " AND ");
		qb_region(q, a, region_range, s->region_code);
		break;
	case SCOPE_DEPARTMENT:
		qb_sql(q, " AND ");
		qb_sql(q, ent_in_dept);
		qb_int(q, s->department_id);
		qb_sql(q, " AND ");
		qb_region(q, a, region_range, s->region_code);
		break;
	case SCOPE_ENTERPRISE:
		qb_sql(q, " AND ");
		qb_sql(q, ent_eq);
		qb_int(q, s->enterprise_id);
		break;
	default:
		qb_sql(q, " AND 1 = 0");
		break;
	}
}

int qb_one(struct qb *q, struct db *db, struct arena *a,
	   void (*row)(struct arena *a, struct db_stmt *st, void *out), void *out)
{
	/* a row by its id: the primary key whatever the values, so the
	 * statement is prepared once and its plan kept */
	struct db_stmt *st = qb_prepare_shaped(q, db);
	qb_free(q);
	if (!st)
		return DB_ERR;
	int rc = db_step(st);
	if (rc == DB_ROW)
		row(a, st, out);
	db_done(st);
	return rc;
}
