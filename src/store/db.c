/*
 * db.c - the backend-neutral half of the connection interface (see db.h):
 * choosing the backend, the per-connection statement cache, parameter
 * bookkeeping, transactions and convenience helpers.
 */
#include "db_impl.h"
#include "../lib/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool db_is_pg_uri(const char *t)
{
	return strncmp(t, "postgresql://", 13) == 0 || strncmp(t, "postgres://", 11) == 0;
}

struct db *db_open(const char *target, struct ql_error *err)
{
	if (!target || !*target) {
		ql_fail(err, QLE_BAD_REQUEST, "db", "db", "未指定数据库（--db）");
		return NULL;
	}
	return db_is_pg_uri(target) ? pg_open(target, err) : sqlite_open(target, err);
}

static void stmt_free(struct db_stmt *st)
{
	if (st->db->kind == DB_SQLITE)
		sqlite_finalize(st);
	else
		pg_finalize(st);
	free((char *)st->key);
	free(st);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->cache_cap; i++)
		if (db->cache[i].st)
			stmt_free(db->cache[i].st);
	free(db->cache);
	db_set_tx_memo(db, NULL, NULL);
	if (db->kind == DB_SQLITE)
		sqlite_close(db);
	else
		pg_close(db);
}

enum db_kind db_kind(const struct db *db)
{
	return db->kind;
}

int db_exec(struct db *db, const char *sql)
{
	return db->kind == DB_SQLITE ? sqlite_exec(db, sql) : pg_exec(db, sql);
}

/* FNV-1a over the SQL text: statements are cached by their text, so
 * SQL assembled at run time from fixed fragments is prepared once too. */
static uint64_t text_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t slot_of(const struct db *db, uint64_t hash)
{
	return (size_t)(hash >> 7) & (db->cache_cap - 1);
}

static void cache_put(struct db *db, struct db_stmt *st)
{
	if ((db->cache_len + 1) * 2 > db->cache_cap) {
		struct stmt_slot *old = db->cache;
		size_t oldcap = db->cache_cap;
		db->cache_cap = oldcap ? oldcap * 2 : 64;
		db->cache = xcalloc(db->cache_cap, sizeof *db->cache);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].st) {
				size_t j = slot_of(db, old[i].hash);
				while (db->cache[j].st)
					j = (j + 1) & (db->cache_cap - 1);
				db->cache[j] = old[i];
			}
		free(old);
	}
	uint64_t h = text_hash(st->key);
	size_t j = slot_of(db, h);
	while (db->cache[j].st)
		j = (j + 1) & (db->cache_cap - 1);
	db->cache[j].key = st->key;
	db->cache[j].hash = h;
	db->cache[j].st = st;
	db->cache_len++;
}

static struct db_stmt *cache_get(struct db *db, const char *key)
{
	if (!db->cache_cap)
		return NULL;
	uint64_t h = text_hash(key);
	size_t j = slot_of(db, h);
	while (db->cache[j].st) {
		if (db->cache[j].hash == h && strcmp(db->cache[j].key, key) == 0)
			return db->cache[j].st;
		j = (j + 1) & (db->cache_cap - 1);
	}
	return NULL;
}

static void params_clear(struct db_stmt *st)
{
	for (int i = 0; i < DB_MAX_PARAMS; i++) {
		free(st->params[i]);
		st->params[i] = NULL;
	}
}

static struct db_stmt *stmt_get(struct db *db, const char *sql, bool plan_each)
{
	struct db_stmt *st = cache_get(db, sql);
	if (st) {
		if (db->kind == DB_SQLITE)
			sqlite_reset(st);
		else
			pg_reset(st);
		params_clear(st);
		return st;
	}
	st = xcalloc(1, sizeof *st);
	st->db = db;
	st->key = xstrdup(sql);
	st->plan_each = plan_each;
	int rc = db->kind == DB_SQLITE ? sqlite_prepare(db, st, sql) : pg_prepare(db, st, sql);
	if (rc != 0) {
		free((char *)st->key);
		free(st);
		return NULL;
	}
	cache_put(db, st);
	return st;
}

struct db_stmt *db_stmt(struct db *db, const char *sql)
{
	return stmt_get(db, sql, false);
}

struct db_stmt *db_stmt_planned(struct db *db, const char *sql)
{
	return stmt_get(db, sql, true);
}

void db_bind_text(struct db_stmt *st, int i, const char *v)
{
	if (i < 1 || i > DB_MAX_PARAMS)
		abort();
	if (st->db->kind == DB_SQLITE) {
		sqlite_bind_text(st, i, v);
		return;
	}
	free(st->params[i - 1]);
	st->params[i - 1] = v ? xstrdup(v) : NULL;
}

void db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	if (st->db->kind == DB_SQLITE) {
		sqlite_bind_int(st, i, v);
		return;
	}
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%" PRId64, v);
	db_bind_text(st, i, tmp);
}

void db_bind_null(struct db_stmt *st, int i)
{
	db_bind_text(st, i, NULL);
}

void db_bind_bool(struct db_stmt *st, int i, bool v)
{
	db_bind_int(st, i, v ? 1 : 0);
}

void db_bind_opt_int(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

int db_step(struct db_stmt *st)
{
	return st->db->kind == DB_SQLITE ? sqlite_step(st) : pg_step(st);
}

const char *db_col_text(struct db_stmt *st, int i)
{
	return st->db->kind == DB_SQLITE ? sqlite_col_text(st, i) : pg_col_text(st, i);
}

int64_t db_col_int(struct db_stmt *st, int i)
{
	if (st->db->kind == DB_SQLITE)
		return sqlite_col_int(st, i);
	const char *s = pg_col_text(st, i);
	return s ? strtoll(s, NULL, 10) : 0;
}

bool db_col_is_null(struct db_stmt *st, int i)
{
	return st->db->kind == DB_SQLITE ? sqlite_col_is_null(st, i) : pg_col_is_null(st, i);
}

int db_col_count(struct db_stmt *st)
{
	return st->db->kind == DB_SQLITE ? sqlite_col_count(st) : pg_col_count(st);
}

void db_done(struct db_stmt *st)
{
	if (st->db->kind == DB_SQLITE)
		sqlite_reset(st);
	else
		pg_reset(st);
}

int db_run(struct db_stmt *st)
{
	if (!st)
		return DB_ERR;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	db_done(st);
	return rc;
}

int db_insert_id(struct db_stmt *st, int64_t *id)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = db_step(st);
	}
	db_done(st);
	return rc;
}

int64_t db_one_int(struct db_stmt *st, int64_t def)
{
	if (!st)
		return def;
	int64_t v = def;
	if (db_step(st) == DB_ROW && !db_col_is_null(st, 0))
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

int64_t db_changes(struct db *db)
{
	return db->changes;
}

static int tx(struct db *db, const char *sqlite_sql, const char *pg_sql)
{
	return db->kind == DB_SQLITE ? sqlite_exec(db, sqlite_sql) : pg_begin(db, pg_sql);
}

void *db_tx_memo(struct db *db)
{
	return db->memo;
}

void db_set_tx_memo(struct db *db, void *memo, void (*free_fn)(void *))
{
	if (db->memo && db->memo_free)
		db->memo_free(db->memo);
	db->memo = NULL;
	db->memo_free = NULL;
	if (!db->in_tx) {
		if (memo && free_fn)
			free_fn(memo);
		return;
	}
	db->memo = memo;
	db->memo_free = free_fn;
}

int db_begin(struct db *db)
{
	db_set_tx_memo(db, NULL, NULL);
	int rc = tx(db, "BEGIN IMMEDIATE", "BEGIN");
	if (rc == 0)
		db->in_tx = true, db->read_only = false;
	return rc;
}

int db_begin_read(struct db *db)
{
	db_set_tx_memo(db, NULL, NULL);
	/* One snapshot for the whole answer on both backends (a list's
	 * total and its page agree): SQLite's read transaction is one, and
	 * PostgreSQL's READ COMMITTED would take a new one per statement. */
	int rc = tx(db, "BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (rc == 0)
		db->in_tx = true, db->read_only = true;
	return rc;
}

static void end_read_only(struct db *db)
{
	db->read_only = false;
	db->in_tx = false;
	db_set_tx_memo(db, NULL, NULL);
}

int db_commit(struct db *db)
{
	bool read_only = db->read_only;
	db->read_only = false; /* COMMIT and ROLLBACK may run */
	int rc = db->kind == DB_SQLITE ? sqlite_exec(db, "COMMIT") : pg_commit(db, read_only);
	if (rc != 0)
		db_rollback(db);
	end_read_only(db);
	return rc;
}

int db_rollback(struct db *db)
{
	db->read_only = false;
	db->plan_mode = PLAN_MODE_UNKNOWN; /* a SET made in it is undone */
	int rc = db->kind == DB_SQLITE ? sqlite_exec(db, "ROLLBACK") : pg_rollback(db);
	end_read_only(db);
	return rc;
}

bool db_in_tx(const struct db *db)
{
	return db->in_tx;
}

int db_try_lock(struct db *db, int64_t key)
{
	if (!db->in_tx || db->read_only) {
		snprintf(db->errmsg, sizeof db->errmsg, "db_try_lock outside a write transaction");
		return DB_ERR;
	}
	return db->kind == DB_SQLITE ? 1 : pg_try_lock(db, key);
}

const char *db_errmsg(struct db *db)
{
	return db->errmsg;
}

struct db_load *db_load_begin(struct db *db, const char *table, const char *columns)
{
	struct db_load *l = xcalloc(1, sizeof *l);
	l->db = db;
	l->ncols = 1;
	for (const char *p = columns; *p; p++)
		l->ncols += *p == ',';
	if (l->ncols > DB_MAX_PARAMS)
		abort();
	int rc = db->kind == DB_SQLITE ? sqlite_load_begin(l, table, columns)
				       : pg_load_begin(l, table, columns);
	if (rc != 0) {
		buf_free(&l->data);
		free(l);
		return NULL;
	}
	return l;
}

/* A value beyond the declared columns is a programming error. */
static void load_check(struct db_load *l)
{
	if (l->col >= l->ncols)
		abort();
}

void db_load_text(struct db_load *l, const char *v)
{
	load_check(l);
	bool lite = l->db->kind == DB_SQLITE;
	if (!v && lite)
		sqlite_load_null(l);
	else if (!v)
		pg_load_null(l);
	else if (lite)
		sqlite_load_text(l, v);
	else
		pg_load_text(l, v);
	l->col++;
}

void db_load_int(struct db_load *l, int64_t v)
{
	load_check(l);
	if (l->db->kind == DB_SQLITE)
		sqlite_load_int(l, v);
	else
		pg_load_int(l, v);
	l->col++;
}

void db_load_opt_int(struct db_load *l, int64_t v)
{
	if (v)
		db_load_int(l, v);
	else
		db_load_text(l, NULL);
}

int db_load_row(struct db_load *l)
{
	if (l->col != l->ncols)
		abort();
	int rc = l->failed ? DB_ERR
			   : l->db->kind == DB_SQLITE ? sqlite_load_row(l) : pg_load_row(l);
	if (rc < 0)
		l->failed = true;
	l->col = 0;
	return rc;
}

int db_load_end(struct db_load *l)
{
	int rc = l->db->kind == DB_SQLITE ? sqlite_load_end(l) : pg_load_end(l);
	buf_free(&l->data);
	free(l);
	return rc;
}

int db_bulk_mode(struct db *db)
{
	return db->kind == DB_SQLITE ? sqlite_bulk_mode(db) : pg_bulk_mode(db);
}

int db_bulk_done(struct db *db)
{
	return db->kind == DB_SQLITE ? sqlite_bulk_done(db) : pg_bulk_done(db);
}

int db_secondary_indexes(struct db *db, const char *table, char **names, char **creates,
			 int max)
{
	return db->kind == DB_SQLITE ? sqlite_secondary_indexes(db, table, names, creates, max)
				     : pg_secondary_indexes(db, table, names, creates, max);
}

int db_fail(struct db *db, int rc, struct ql_error *err)
{
	if (rc == DB_ERR_BUSY)
		return ql_fail(err, QLE_UNAVAILABLE, "busy", NULL, "系统繁忙，请稍后重试");
	return ql_fail(err, QLE_INTERNAL, "database", NULL, "数据库错误：%s", db->errmsg);
}
