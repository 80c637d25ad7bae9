/*
 * pg_db.c - the PostgreSQL side of the database layer (store/pg.c): a
 * prepared statement is planned once, without its values; a statement
 * planned at each execution (db_stmt_planned) runs under plan_cache_mode
 * = auto; a rollback, which undoes a SET made in it, leaves the layer
 * setting the mode again.  And the round trips a transaction saves: its
 * BEGIN goes with its first statement, a read-only COMMIT is not awaited,
 * a write's COMMIT is; a pooled connection made again after it broke has
 * its session's settings again.  Needs QL_TEST_PG, the URI of a database it may
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
#include <unistd.h>

#include "core/error.h"
#include "store/db.h"
#include "store/store.h"

static struct db *open_test_db(void)
{
	const char *uri = getenv("QL_TEST_PG");
	if (!uri || !*uri)
		fail_msg("QL_TEST_PG is not set (the URI of a PostgreSQL database)");
	struct ql_error err = {0};
	struct db *db = db_open(uri, &err);
	if (!db)
		fail_msg("cannot connect: %s", err.message);
	/* a failed test may leave its connection holding plan_t: fail, not wait */
	assert_int_equal(db_exec(db, "SET lock_timeout = '10s'"), 0);
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
	run_range(db, 1, 10); /* BEGIN goes with it: the SET below is inside */
	char *in = mode_as(db, true); /* set to auto inside the transaction */
	assert_string_equal(in, "auto");
	assert_int_equal(db_rollback(db), 0); /* PostgreSQL undoes that SET */
	char *after = mode_as(db, true);
	assert_string_equal(after, "auto");
	char *prepared = mode_as(db, false);
	assert_string_equal(prepared, "force_generic_plan");
	assert_int_equal(db_begin(db), 0);
	run_range(db, 1, 10);
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

static struct db *open_other(void)
{
	struct ql_error err = {0};
	struct db *db = db_open(getenv("QL_TEST_PG"), &err);
	if (!db)
		fail_msg("cannot connect: %s", err.message);
	return db;
}

/* The first column of sql's first row, as text (freed by the caller). */
static char *text_of(struct db *db, const char *sql)
{
	struct db_stmt *st = db_stmt(db, sql);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	char *v = strdup(db_col_text(st, 0) ? db_col_text(st, 0) : "(null)");
	db_done(st);
	return v;
}

static int64_t int_of(struct db *db, const char *sql)
{
	struct db_stmt *st = db_stmt(db, sql);
	assert_non_null(st);
	return db_one_int(st, -1);
}

static void test_read_transaction_begins_with_its_first_statement(void **state)
{
	(void)state;
	struct db *db = open_test_db(), *other = open_other();
	assert_int_equal(db_begin_read(db), 0);
	char *iso = text_of(db, "SELECT current_setting('transaction_isolation')");
	char *ro = text_of(db, "SELECT current_setting('transaction_read_only')");
	assert_string_equal(iso, "repeatable read");
	assert_string_equal(ro, "on");
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5000);
	/* written meanwhile: not in the snapshot the first statement took */
	assert_int_equal(db_exec(other, "INSERT INTO plan_t VALUES (6000, 'x')"), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5000);
	assert_int_equal(db_commit(db), 0);
	/* the next statement, after a COMMIT not awaited, sees it */
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5001);
	free(iso);
	free(ro);
	db_close(other);
	db_close(db);
}

/* A read transaction whose COMMIT is sent and its answer left unread. */
static void read_and_leave_commit_unread(struct db *db)
{
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5000);
	assert_int_equal(db_commit(db), 0);
}

static void test_read_commit_not_awaited_still_ends_the_transaction(void **state)
{
	(void)state;
	struct db *db = open_test_db(), *other = open_other();
	char *pid = text_of(db, "SELECT pg_backend_pid()::text");
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT state FROM pg_stat_activity WHERE pid = %s", pid);
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5000);
	char *during = text_of(other, sql);
	assert_string_equal(during, "idle in transaction");
	assert_int_equal(db_commit(db), 0);
	/* PostgreSQL ends it on its own, the connection untouched meanwhile */
	char *after = NULL;
	for (int i = 0; i < 500; i++) {
		free(after);
		after = text_of(other, sql);
		if (strcmp(after, "idle") == 0)
			break;
		usleep(10000);
	}
	assert_string_equal(after, "idle");
	/* and whatever comes next on it reads the COMMIT's answer first */
	read_and_leave_commit_unread(db);
	assert_int_equal(db_exec(db, "CREATE TEMP TABLE after_commit (v TEXT)"), 0);
	read_and_leave_commit_unread(db);
	assert_int_equal(int_of(db, "SELECT count(*) FROM after_commit"), 0); /* prepared now */
	read_and_leave_commit_unread(db);
	struct db_load *l = db_load_begin(db, "after_commit", "v");
	assert_non_null(l);
	db_load_text(l, "loaded");
	assert_int_equal(db_load_row(l), 0);
	assert_int_equal(db_load_end(l), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM after_commit"), 1);
	free(pid);
	free(during);
	free(after);
	db_close(other);
	db_close(db);
}

static void test_write_commit_is_awaited(void **state)
{
	(void)state;
	struct db *db = open_test_db();
	/* a constraint checked at COMMIT: only an awaited COMMIT reports it */
	assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS deferred_t"), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE deferred_t (x INTEGER UNIQUE"
				     " DEFERRABLE INITIALLY DEFERRED)"),
			 0);
	assert_int_equal(db_begin(db), 0);
	struct db_stmt *st = db_stmt(db, "INSERT INTO deferred_t VALUES (1), (1)");
	assert_non_null(st);
	assert_int_equal(db_run(st), 0);
	assert_int_not_equal(db_commit(db), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM deferred_t"), 0);
	/* and one that holds is there for every connection once it returns */
	struct db *other = open_other();
	assert_int_equal(db_begin(db), 0);
	st = db_stmt(db, "INSERT INTO deferred_t VALUES (2)");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(int_of(other, "SELECT count(*) FROM deferred_t"), 1);
	assert_int_equal(db_exec(db, "DROP TABLE deferred_t"), 0);
	db_close(other);
	db_close(db);
}

static void test_transaction_that_sends_nothing_leaves_no_begin(void **state)
{
	(void)state;
	struct db *db = open_test_db();
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(db_commit(db), 0);
	char *a = text_of(db, "SELECT current_setting('transaction_read_only')");
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(db_rollback(db), 0);
	char *b = text_of(db, "SELECT current_setting('transaction_read_only')");
	/* outside a transaction, each statement commits on its own */
	assert_int_equal(db_exec(db, "INSERT INTO plan_t VALUES (6001, 'y')"), 0);
	assert_string_equal(a, "off");
	assert_string_equal(b, "off");
	free(a);
	free(b);
	db_close(db);
}

static void test_first_statement_failing_with_its_begin(void **state)
{
	(void)state;
	struct db *db = open_test_db();
	assert_int_equal(db_begin(db), 0);
	struct db_stmt *st = db_stmt(db, "SELECT 1 / (count(*) - count(*)) FROM plan_t");
	assert_non_null(st);
	assert_true(db_step(st) < 0);
	db_done(st);
	assert_non_null(strstr(db_errmsg(db), "division by zero"));
	assert_int_equal(db_rollback(db), 0);
	/* the connection goes on, in and out of transactions */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5000);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(int_of(db, "SELECT count(*) FROM plan_t"), 5000);
	db_close(db);
}

static void test_connection_made_again_has_its_settings(void **state)
{
	(void)state;
	struct ql_error err = {0};
	struct store *s = store_open(getenv("QL_TEST_PG"), 1, &err);
	assert_non_null(s);
	struct db *db = store_acquire(s), *other = open_other();
	char *pid = text_of(db, "SELECT pg_backend_pid()::text");
	/* a read transaction's COMMIT is left unread when it breaks */
	assert_int_equal(db_begin_read(db), 0);
	assert_int_equal(int_of(db, "SELECT 1"), 1);
	assert_int_equal(db_commit(db), 0);
	store_release(s, db);
	char sql[120];
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s)::text", pid);
	char *killed = text_of(other, sql);
	assert_string_equal(killed, "true");
	for (int i = 0; i < 500; i++) { /* until PostgreSQL has ended it */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", pid);
		if (int_of(other, sql) == 0)
			break;
		usleep(10000);
	}
	/* the pool finds it broken once it has been used */
	db = store_acquire(s);
	assert_int_equal(int_of(db, "SELECT 1"), -1);
	store_release(s, db);
	db = store_acquire(s);
	char *pid2 = text_of(db, "SELECT pg_backend_pid()::text");
	assert_string_not_equal(pid, pid2);
	const char *want[][2] = {{"plan_cache_mode", "force_generic_plan"},
				 {"max_parallel_workers_per_gather", "0"},
				 {"TimeZone", "UTC"},
				 {"client_encoding", "UTF8"}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT current_setting('%s')", want[i][0]);
		char *v = text_of(db, sql);
		assert_string_equal(v, want[i][1]);
		free(v);
	}
	/* a planned statement still sets its mode */
	char *planned = mode_as(db, true);
	assert_string_equal(planned, "auto");
	free(planned);
	store_release(s, db);
	free(pid);
	free(pid2);
	free(killed);
	db_close(other);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepared_statement_is_planned_once),
		cmocka_unit_test(test_planned_statement_runs_under_auto),
		cmocka_unit_test(test_mode_is_set_again_after_a_rollback),
		cmocka_unit_test(test_read_transaction_begins_with_its_first_statement),
		cmocka_unit_test(test_read_commit_not_awaited_still_ends_the_transaction),
		cmocka_unit_test(test_write_commit_is_awaited),
		cmocka_unit_test(test_transaction_that_sends_nothing_leaves_no_begin),
		cmocka_unit_test(test_first_statement_failing_with_its_begin),
		cmocka_unit_test(test_connection_made_again_has_its_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
