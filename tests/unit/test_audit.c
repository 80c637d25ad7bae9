/*
 * test_audit.c - the audit chain (store/audit.c) on a real SQLite file:
 * an intact chain verifies, and altering, removing or truncating rows is
 * found at the right row.  Also SM3's GB/T 32905 test vector and the JSON
 * writer's escaping, which the chain's contents depend on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/crypto.h"
#include "lib/jsonw.h"
#include "store/migrate.h"
#include "store/store.h"
#include "unit_db.h"

static void append(struct db *db, int n)
{
	struct actor who = {7, "tester", "sysadmin", "127.0.0.1"};
	assert_int_equal(db_begin(db), 0);
	for (int i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i);
		assert_int_equal(store_audit_append(db, &who, 1700000000 + i, "thing.create", "thing",
						    id, NULL, "{\"a\":1}", "ok"),
				 0);
	}
	assert_int_equal(db_commit(db), 0);
}

static int verify(struct db *db, int64_t *bad)
{
	char why[512];
	int64_t checked;
	return store_audit_verify(db, bad, why, sizeof why, &checked);
}

static void test_intact_chain_verifies(void **state)
{
	(void)state;
	char path[64];
	struct db *db = fresh(path);
	append(db, 6);
	int64_t bad = 0, checked = 0;
	char why[512];
	assert_int_equal(store_audit_verify(db, &bad, why, sizeof why, &checked), 0);
	assert_int_equal(checked, 6);
	drop(db, path);
}

static void test_altered_row_is_found(void **state)
{
	(void)state;
	char path[64];
	struct db *db = fresh(path);
	append(db, 6);
	assert_int_equal(db_exec(db, "UPDATE audit_log SET object_id = '99' WHERE seq = 4"), 0);
	int64_t bad = 0;
	assert_int_equal(verify(db, &bad), 1);
	assert_int_equal(bad, 4);
	drop(db, path);
}

static void test_removed_row_is_found(void **state)
{
	(void)state;
	char path[64];
	struct db *db = fresh(path);
	append(db, 6);
	assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 3"), 0);
	int64_t bad = 0;
	assert_int_equal(verify(db, &bad), 1);
	assert_int_equal(bad, 3);
	drop(db, path);
}

static void test_removed_last_row_is_found(void **state)
{
	(void)state;
	char path[64];
	struct db *db = fresh(path);
	append(db, 6);
	assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 6"), 0);
	int64_t bad = 0;
	assert_int_equal(verify(db, &bad), 1);
	assert_int_equal(bad, 6);
	drop(db, path);
}

static void test_rehashed_row_still_breaks_the_chain(void **state)
{
	(void)state;
	/* Whoever edits a row and recomputes its hash breaks the next row's link. */
	char path[64];
	struct db *db = fresh(path);
	append(db, 4);
	assert_int_equal(db_exec(db, "UPDATE audit_log SET hash = 'ff' WHERE seq = 2"), 0);
	int64_t bad = 0;
	assert_int_equal(verify(db, &bad), 1);
	assert_int_equal(bad, 2);
	drop(db, path);
}

static void test_canonical_text_covers_every_field(void **state)
{
	(void)state;
	struct audit_entry base = {1, 2, 3, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", NULL};
	struct buf b0 = BUF_INIT;
	audit_canonical(&base, &b0);
	const char **fields[] = {&base.actor_login, &base.actor_role, &base.address, &base.action,
				 &base.object_type, &base.object_id, &base.before_json,
				 &base.after_json, &base.outcome, &base.prev_hash};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		struct audit_entry e = base;
		const char **f = (const char **)((char *)&e + ((char *)fields[i] - (char *)&base));
		*f = "changed";
		struct buf b = BUF_INIT;
		audit_canonical(&e, &b);
		assert_string_not_equal(buf_str(&b), buf_str(&b0));
		buf_free(&b);
	}
	struct audit_entry e = base;
	e.seq = 9;
	struct buf b = BUF_INIT;
	audit_canonical(&e, &b);
	assert_string_not_equal(buf_str(&b), buf_str(&b0));
	buf_free(&b);
	buf_free(&b0);
}

static void test_sm3_vector(void **state)
{
	(void)state;
	char hex[CRYPTO_HASH_HEX];
	crypto_sm3_hex("abc", 3, hex);
	assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
	crypto_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_password_hash_round_trip(void **state)
{
	(void)state;
	char hash[CRYPTO_PWHASH_MAX];
	assert_int_equal(crypto_password_hash("Passw0rd!x", hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_true(crypto_password_verify(hash, "Passw0rd!x"));
	assert_false(crypto_password_verify(hash, "Passw0rd!y"));
}

static void test_json_writer_escapes_and_nests(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "s", "引号\"反斜杠\\换行\n\x01");
	jw_key(&w, "bad");
	jw_strn(&w, "a\xff" "b", 3);
	jw_key(&w, "arr");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_obj(&w);
	jw_obj_end(&w);
	jw_null(&w);
	jw_arr_end(&w);
	jw_key(&w, "fen");
	jw_arr(&w);
	jw_fen(&w, 0);
	jw_fen(&w, 12345);
	jw_fen(&w, 1230);
	jw_fen(&w, 100);
	jw_fen(&w, -5);
	jw_arr_end(&w);
	jw_obj_end(&w);
	json_error_t e;
	json_t *j = json_loads(buf_str(&b), 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "s")), "引号\"反斜杠\\换行\n\x01");
	assert_string_equal(json_string_value(json_object_get(j, "bad")), "a\xEF\xBF\xBD" "b");
	assert_int_equal(json_array_size(json_object_get(j, "arr")), 3);
	assert_non_null(strstr(buf_str(&b), "\"fen\":[0,123.45,12.3,1,-0.05]"));
	json_decref(j);
	buf_free(&b);
}

static int setup(void **state)
{
	(void)state;
	return crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intact_chain_verifies),
		cmocka_unit_test(test_altered_row_is_found),
		cmocka_unit_test(test_removed_row_is_found),
		cmocka_unit_test(test_removed_last_row_is_found),
		cmocka_unit_test(test_rehashed_row_still_breaks_the_chain),
		cmocka_unit_test(test_canonical_text_covers_every_field),
		cmocka_unit_test(test_sm3_vector),
		cmocka_unit_test(test_password_hash_round_trip),
		cmocka_unit_test(test_json_writer_escapes_and_nests),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
