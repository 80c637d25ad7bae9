/*
 * test_sessions.c - finding a session's or a bearer token's user
 * (store/users.c) brings the settings in the same statement: in that
 * transaction they are read without a query, found or not; and outside a
 * transaction nothing is kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "store/store.h"
#include "unit_db.h"

/* A user with a session "s-hash" and a token "t-hash", and a lock-out
 * threshold of 7 instead of the default 5. */
static int64_t setup(struct db *db)
{
	assert_int_equal(db_exec(db, "INSERT INTO users (login, name, role, password_hash,"
				     " created_at, password_changed_at)"
				     " VALUES ('admin1', '管理员', 'sysadmin', 'x', 1, 1)"),
			 0);
	int64_t uid = db_one_int(db_stmt(db, "SELECT id FROM users WHERE login = 'admin1'"), 0);
	assert_true(uid > 0);
	assert_int_equal(store_session_insert(db, "s-hash", uid, "csrf-1", "127.0.0.1", 100), 0);
	assert_int_equal(store_token_insert(db, "t-hash", uid, 100), 0);
	struct security_settings cfg;
	assert_int_equal(store_settings_get(db, &cfg), 0);
	cfg.lockout_threshold = 7;
	assert_int_equal(store_settings_put(db, &cfg), 0);
	return uid;
}

/* The settings as the transaction has them, with their table gone. */
static void settings_without_table(struct db *db)
{
	assert_int_equal(db_exec(db, "DROP TABLE settings"), 0);
	struct security_settings cfg = {0};
	assert_int_equal(store_settings_get(db, &cfg), 0);
	assert_int_equal(cfg.lockout_threshold, 7);
	assert_int_equal(cfg.session_idle_minutes, 30);
}

/* A lookup by session (token false) or by bearer token. */
static int lookup(struct db *db, struct arena *a, bool token, const char *hash, struct session *s,
		  struct user *u)
{
	return token ? store_token_user(db, a, hash, u) : store_session_user(db, a, hash, s, u);
}

static void test_lookup_brings_the_settings(void **state)
{
	(void)state;
	static const char *const KNOWN[2] = {"s-hash", "t-hash"};
	static const char *const END[2] = {"UPDATE sessions SET ended_at = 200",
					   "UPDATE api_tokens SET revoked_at = 200"};
	for (int token = 0; token < 2; token++) {
		char path[64];
		struct db *db = fresh(path);
		int64_t uid = setup(db);
		struct arena *a = arena_new();
		struct session s = {0};
		struct user u = {0};

		assert_int_equal(db_begin(db), 0);
		assert_int_equal(lookup(db, a, token, KNOWN[token], &s, &u), DB_ROW);
		assert_int_equal(u.id, uid);
		assert_string_equal(u.name, "管理员");
		if (!token) {
			assert_int_equal(s.user_id, uid);
			assert_string_equal(s.csrf_token, "csrf-1");
			assert_int_equal(s.last_seen, 100);
		}
		settings_without_table(db);
		assert_int_equal(db_rollback(db), 0);

		/* unknown, or ended / revoked: not found, the settings all the same */
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(lookup(db, a, token, "no-such", &s, &u), DB_DONE);
		settings_without_table(db);
		assert_int_equal(db_rollback(db), 0);
		assert_int_equal(db_exec(db, END[token]), 0);
		assert_int_equal(db_begin(db), 0);
		assert_int_equal(lookup(db, a, token, KNOWN[token], &s, &u), DB_DONE);
		settings_without_table(db);
		assert_int_equal(db_rollback(db), 0);

		/* outside a transaction the settings are not kept */
		assert_int_equal(lookup(db, a, token, "no-such", &s, &u), DB_DONE);
		assert_null(db_tx_memo(db));
		arena_free(a);
		drop(db, path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_brings_the_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
