/*
 * pg_db.c - the PostgreSQL side of the database layer (store/pg.c): a
 * prepared statement is planned once, without its values; a statement
 * planned at each execution (db_stmt_planned) runs under plan_cache_mode
 * = auto; a rollback, which undoes a SET made in it, leaves the layer
 * setting the mode again.  Needs QL_TEST_PG, the URI of a database it may
 * write in (scripts/run-tests starts a throwaway cluster for it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "store/db.h"

static struct db *open_test_db(void)
{
	const char *uri = getenv("QL_TEST_PG");
	if (!uri || !*uri)
		fail_msg("QL_TEST_PG is not set (the URI of a PostgreSQL database)");
	struct ql_error err = {0};
	struct db *db = db_open(uri, &err);
	if (!db)
		fail_msg("cannot connect: %s", err.message);
	assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS plan_t"), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE plan_t (x INTEGER PRIMARY KEY, y TEXT)"), 0);
	assert_int_equal(db_exec(db, "INSERT INTO plan_t SELECT g, 'r' || g FROM"
				     " generate_series(1, 5000) g"),
			 0);
	assert_int_equal(db_exec(db, "ANALYZE plan_t"), 0);
	return db;
}

/* The plans PostgreSQL has made for this session's prepared statement of
 * sql: generic and custom. */
static void plans_of(struct db *db, const char *sql, int64_t *generic, int64_t *custom)
{
	struct db_stmt *st = db_stmt_planned(
		db, "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
		    " WHERE statement = ?");
	assert_non_null(st);
	db_bind_text(st, 1, sql);
	assert_int_equal(db_step(st), DB_ROW);
	*generic = db_col_int(st, 0);
	*custom = db_col_int(st, 1);
	db_done(st);
}

static const char RANGE[] = "SELECT count(*) FROM plan_t WHERE x >= ? AND x < ?";
/* the same as PostgreSQL keeps it */
static const char RANGE_PG[] = "SELECT count(*) FROM plan_t WHERE x >= $1 AND x < $2";

static void run_range(struct db *db, int64_t from, int64_t to)
{
	struct db_stmt *st = db_stmt(db, RANGE);
	assert_non_null(st);
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, to);
	assert_int_equal(db_one_int(st, -1), to - from);
}

/* What plan_cache_mode is when a statement of each kind runs. */
static char *mode_as(struct db *db, bool planned)
{
	struct db_stmt *st =
		planned ? db_stmt_planned(db, "SELECT current_setting('plan_cache_mode') AS planned")
			: db_stmt(db, "SELECT current_setting('plan_cache_mode') AS prepared");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	char *v = strdup(db_col_text(st, 0));
	db_done(st);
	return v;
}

static void test_prepared_statement_is_planned_once(void **state)
{
	(void)state;
	struct db *db = open_test_db();
	/* PostgreSQL's own choice would plan the first five with their values */
	for (int i = 0; i < 8; i++)
		run_range(db, 1 + i * 100, 1 + i * 100 + (i % 2 ? 4000 : 3));
	int64_t generic, custom;
	plans_of(db, RANGE_PG, &generic, &custom);
	assert_int_equal(custom, 0);
	assert_int_equal(generic, 8);
	db_close(db);
}

static void test_planned_statement_runs_under_auto(void **state)
{
	(void)state;
	struct db *db = open_test_db();
	char *a = mode_as(db, false), *b = mode_as(db, true), *c = mode_as(db, false);
	assert_string_equal(a, "force_generic_plan");
	assert_string_equal(b, "auto");
	assert_string_equal(c, "force_generic_plan");
	free(a);
	free(b);
	free(c);
	/* and the prepared statement between them still has no custom plan */
	run_range(db, 1, 10);
	run_range(db, 1, 4000);
	int64_t generic, custom;
	plans_of(db, RANGE_PG, &generic, &custom);
	assert_int_equal(custom, 0);
	db_close(db);
}

static void test_mode_is_set_again_after_a_rollback(void **state)
{
	(void)state;
	struct db *db = open_test_db();
	assert_int_equal(db_begin(db), 0);
	char *in = mode_as(db, true); /* set to auto inside the transaction */
	assert_string_equal(in, "auto");
	assert_int_equal(db_rollback(db), 0); /* PostgreSQL undoes that SET */
	char *after = mode_as(db, true);
	assert_string_equal(after, "auto");
	char *prepared = mode_as(db, false);
	assert_string_equal(prepared, "force_generic_plan");
	assert_int_equal(db_begin(db), 0);
	char *again = mode_as(db, true);
	assert_int_equal(db_rollback(db), 0); /* back to generic, as before it */
	char *last = mode_as(db, false);
	assert_string_equal(again, "auto");
	assert_string_equal(last, "force_generic_plan");
	free(in);
	free(after);
	free(prepared);
	free(again);
	free(last);
	assert_int_equal(db_exec(db, "DROP TABLE plan_t"), 0);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepared_statement_is_planned_once),
		cmocka_unit_test(test_planned_statement_runs_under_auto),
		cmocka_unit_test(test_mode_is_set_again_after_a_rollback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
