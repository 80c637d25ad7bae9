/*
 * jobs.c - what the periodic jobs of `qingling serve` read and write (see
 * store.h): the once-a-day record of job_runs (0011_jobs.sql, 0012) and the
 * open hazards whose deadline is near or past, read in batches through
 * the (status, deadline) index so that a province of millions of hazards
 * costs only the rows that are due.
 */
#include "store.h"

#include <string.h>

static const char SQL_DAY_GET[] =
	"SELECT done, resume_at FROM job_runs WHERE job = ? AND day = ?";
static const char SQL_DAY_SAVE[] =
	"INSERT INTO job_runs (job, day, ran_at, instance, resume_at, done) VALUES (?, ?, ?, ?, ?, ?)"
	" ON CONFLICT (job, day) DO UPDATE SET ran_at = excluded.ran_at,"
	" instance = excluded.instance, resume_at = excluded.resume_at, done = excluded.done";

int store_job_day(struct db *db, struct arena *a, const char *job, const char *day,
		  const char **resume_at)
{
	*resume_at = "";
	struct db_stmt *st = db_stmt(db, SQL_DAY_GET);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, job);
	db_bind_text(st, 2, day);
	int rc = db_step(st);
	int state = 0;
	if (rc == DB_ROW) {
		state = db_col_int(st, 0) ? 2 : 1;
		const char *at = db_col_text(st, 1);
		*resume_at = arena_strdup(a, at ? at : "");
	}
	db_done(st);
	return rc < 0 ? rc : state;
}

int store_job_day_save(struct db *db, const char *job, const char *day, int64_t now,
		       const char *instance, const char *resume_at)
{
	struct db_stmt *st = db_stmt(db, SQL_DAY_SAVE);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, job);
	db_bind_text(st, 2, day);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, instance);
	db_bind_text(st, 5, resume_at);
	db_bind_int(st, 6, resume_at == NULL);
	return db_run(st);
}

/* The row comparison walks (deadline, id) in order; the extra lower bound
 * on deadline lets both backends start the index range at the key. */
static const char SQL_DUE[] =
	"SELECT h.id, h.code, h.location, h.deadline, h.enterprise_id, e.main_person_name,"
	" e.main_person_phone FROM hazards h JOIN enterprises e ON e.id = h.enterprise_id"
	" WHERE h.status = ? AND h.deadline >= ? AND h.deadline <= ? AND (h.deadline, h.id) > (?, ?)"
	" ORDER BY h.deadline, h.id LIMIT ?";

int store_hazards_due(struct db *db, struct arena *a, const char *status, const char *until,
		      const char *after_deadline, int64_t after_id, int limit,
		      struct due_hazard **items)
{
	*items = NULL;
	struct db_stmt *st = db_stmt_planned(db, SQL_DUE); /* its dates decide */
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, after_deadline);
	db_bind_text(st, 3, until);
	db_bind_text(st, 4, after_deadline);
	db_bind_int(st, 5, after_id);
	db_bind_int(st, 6, limit);
	int n = 0, cap = 0, rc;
	struct due_hazard *out = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		out = arena_grow(a, out, sizeof *out, n, &cap);
		struct due_hazard *h = &out[n++];
		h->id = db_col_int(st, 0);
		h->code = arena_strdup(a, db_col_text(st, 1));
		h->location = arena_strdup(a, db_col_text(st, 2));
		h->deadline = arena_strdup(a, db_col_text(st, 3));
		h->enterprise_id = db_col_int(st, 4);
		h->person_name = arena_strdup(a, db_col_text(st, 5));
		h->person_phone = arena_strdup(a, db_col_text(st, 6));
	}
	db_done(st);
	if (rc < 0)
		return rc;
	*items = out;
	return n;
}
