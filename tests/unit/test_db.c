/*
 * test_db.c - the SQLite side of the database layer (store/db.c,
 * store/sqlite.c): a read-only transaction refuses writes, by prepared
 * statement and by SQL text, and the connection writes again after it;
 * a transaction's memo lives exactly as long as the transaction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/error.h"
#include "store/db.h"
#include "unit_db.h"

static void test_read_only_transaction_refuses_writes(void **state)
{
	(void)state;
	char path[64];
	struct db *db = temp_db(path);
	assert_int_equal(db_exec(db, "CREATE TABLE t (x INTEGER)"), 0);

	assert_int_equal(db_begin_read(db), 0);
	struct db_stmt *ins = db_stmt(db, "INSERT INTO t (x) VALUES (?)");
	assert_non_null(ins);
	db_bind_int(ins, 1, 1);
	assert_int_equal(db_run(ins), DB_ERR_READONLY);
	assert_int_equal(db_exec(db, "SELECT 1; INSERT INTO t (x) VALUES (2)"), DB_ERR_READONLY);
	assert_int_equal(db_one_int(db_stmt(db, "SELECT count(*) FROM t"), -1), 0);
	assert_int_equal(db_commit(db), 0);

	/* the same cached statement writes in a writing transaction */
	assert_int_equal(db_begin(db), 0);
	ins = db_stmt(db, "INSERT INTO t (x) VALUES (?)");
	db_bind_int(ins, 1, 3);
	assert_int_equal(db_run(ins), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_one_int(db_stmt(db, "SELECT sum(x) FROM t"), -1), 3);
	drop(db, path);
}

static int freed;
static void count_free(void *p)
{
	freed++;
	free(p);
}

static void test_memo_lives_for_one_transaction(void **state)
{
	(void)state;
	struct ql_error err = {0};
	struct db *db = db_open(":memory:", &err);
	assert_non_null(db);
	freed = 0;
	/* outside a transaction nothing is kept */
	db_set_tx_memo(db, malloc(8), count_free);
	assert_null(db_tx_memo(db));
	assert_int_equal(freed, 1);

	assert_int_equal(db_begin_read(db), 0);
	void *m = malloc(8);
	db_set_tx_memo(db, m, count_free);
	assert_ptr_equal(db_tx_memo(db), m);
	db_set_tx_memo(db, malloc(8), count_free); /* replaced: the first freed */
	assert_int_equal(freed, 2);
	assert_int_equal(db_commit(db), 0);
	assert_null(db_tx_memo(db));
	assert_int_equal(freed, 3);

	assert_int_equal(db_begin(db), 0);
	db_set_tx_memo(db, malloc(8), count_free);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(freed, 4);
	assert_int_equal(db_begin(db), 0);
	assert_null(db_tx_memo(db)); /* not carried into the next one */
	db_set_tx_memo(db, malloc(8), count_free);
	db_close(db); /* nor leaked by closing inside a transaction */
	assert_int_equal(freed, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_only_transaction_refuses_writes),
		cmocka_unit_test(test_memo_lives_for_one_transaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
