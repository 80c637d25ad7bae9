/*
 * sqlite.c - the SQLite backend of db.h.
 *
 * Each connection runs in WAL mode with foreign keys enforced, a busy
 * timeout so that concurrent writers queue instead of failing, and
 * synchronous=FULL so that a committed transaction - and so every 2xx
 * answer - survives a power cut, not only a crash of the process.
 */
#include "db_impl.h"
#include "../lib/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(db) ((sqlite3 *)(db)->native)
#define STMT(st) ((sqlite3_stmt *)(st)->native)

static int map_rc(struct db *db, int rc)
{
	snprintf(db->errmsg, sizeof db->errmsg, "%s", sqlite3_errmsg(NATIVE(db)));
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DB_ERR_UNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return DB_ERR_FK;
	case SQLITE_READONLY:
		return DB_ERR_READONLY;
	}
	switch (rc & 0xFF) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_ERR_BUSY;
	case SQLITE_READONLY:
		return DB_ERR_READONLY;
	}
	return DB_ERR;
}

struct db *sqlite_open(const char *path, struct ql_error *err)
{
	sqlite3 *conn = NULL;
	int rc = sqlite3_open_v2(path, &conn,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ql_fail(err, QLE_INTERNAL, "db_open", "db", "无法打开数据库 %s：%s", path,
			conn ? sqlite3_errmsg(conn) : "内存不足");
		sqlite3_close(conn);
		return NULL;
	}
	sqlite3_extended_result_codes(conn, 1);
	sqlite3_busy_timeout(conn, 10000);
	struct db *db = xcalloc(1, sizeof *db);
	db->kind = DB_SQLITE;
	db->native = conn;
	if (sqlite_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			    "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY") != 0) {
		ql_fail(err, QLE_INTERNAL, "db_open", "db", "无法打开数据库 %s：%s", path,
			db->errmsg);
		sqlite_close(db);
		return NULL;
	}
	return db;
}

void sqlite_close(struct db *db)
{
	sqlite3_close_v2(NATIVE(db));
	free(db);
}

/* In a read-only transaction, statements that would write are refused
 * before they run.  (PRAGMA query_only would do the same, but setting it
 * expires every prepared statement of the connection, so that each
 * request would prepare its statements again.) */
static bool refused_write(struct db *db, sqlite3_stmt *s)
{
	if (!db->read_only || sqlite3_stmt_readonly(s))
		return false;
	snprintf(db->errmsg, sizeof db->errmsg, "write attempted in a read-only transaction");
	return true;
}

static int exec_read_only(struct db *db, const char *sql)
{
	while (sql && *sql) {
		sqlite3_stmt *s = NULL;
		const char *tail = NULL;
		if (sqlite3_prepare_v2(NATIVE(db), sql, -1, &s, &tail) != SQLITE_OK)
			return map_rc(db, sqlite3_extended_errcode(NATIVE(db)));
		int rc = SQLITE_DONE;
		if (s && refused_write(db, s))
			rc = -1;
		while (s && rc != -1 && (rc = sqlite3_step(s)) == SQLITE_ROW)
			;
		sqlite3_finalize(s);
		if (rc == -1)
			return DB_ERR_READONLY;
		if (rc != SQLITE_DONE)
			return map_rc(db, sqlite3_extended_errcode(NATIVE(db)));
		sql = tail;
	}
	return 0;
}

int sqlite_exec(struct db *db, const char *sql)
{
	if (db->read_only)
		return exec_read_only(db, sql);
	char *msg = NULL;
	int rc = sqlite3_exec(NATIVE(db), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int mapped = map_rc(db, sqlite3_extended_errcode(NATIVE(db)));
		if (msg)
			snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
		sqlite3_free(msg);
		return mapped;
	}
	return 0;
}

int sqlite_prepare(struct db *db, struct db_stmt *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v3(NATIVE(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		map_rc(db, rc);
		return -1;
	}
	st->native = s;
	st->nparams = sqlite3_bind_parameter_count(s);
	return 0;
}

void sqlite_finalize(struct db_stmt *st)
{
	sqlite3_finalize(STMT(st));
}

void sqlite_reset(struct db_stmt *st)
{
	sqlite3_reset(STMT(st));
	sqlite3_clear_bindings(STMT(st));
}

void sqlite_bind_text(struct db_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(STMT(st), i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(STMT(st), i);
}

void sqlite_bind_int(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(STMT(st), i, v);
}

int sqlite_step(struct db_stmt *st)
{
	if (refused_write(st->db, STMT(st)))
		return DB_ERR_READONLY;
	int rc = sqlite3_step(STMT(st));
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		st->db->changes = sqlite3_changes64(NATIVE(st->db));
		return DB_DONE;
	}
	int mapped = map_rc(st->db, sqlite3_extended_errcode(NATIVE(st->db)));
	sqlite3_reset(STMT(st));
	return mapped;
}

const char *sqlite_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(STMT(st), i);
}

int64_t sqlite_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(STMT(st), i);
}

bool sqlite_col_is_null(struct db_stmt *st, int i)
{
	return sqlite3_column_type(STMT(st), i) == SQLITE_NULL;
}

int sqlite_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(STMT(st));
}

void sqlite_reset_all(struct db *db)
{
	sqlite3_stmt *s = NULL;
	while ((s = sqlite3_next_stmt(NATIVE(db), s)) != NULL)
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
}

/* Bulk loading: rows gathered in batches, each sent by one INSERT of
 * many rows (an AUTOINCREMENT table pays its bookkeeping once per
 * statement, not per row); their text values kept in the load's buffer
 * and bound without a copy. */
#define LOAD_BATCH_PARAMS 512

static int load_prepare(struct db_load *l, const char *table, const char *columns, int rows,
			void **out)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "INSERT INTO %s (%s) VALUES ", table, columns);
	for (int r = 0; r < rows; r++) {
		buf_puts(&sql, r ? ", (?" : "(?");
		for (int i = 1; i < l->ncols; i++)
			buf_puts(&sql, ", ?");
		buf_putc(&sql, ')');
	}
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(NATIVE(l->db), buf_str(&sql), -1, &s, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK)
		return map_rc(l->db, rc);
	*out = s;
	return 0;
}

int sqlite_load_begin(struct db_load *l, const char *table, const char *columns)
{
	l->batch = LOAD_BATCH_PARAMS / l->ncols;
	if (l->batch < 1)
		l->batch = 1;
	size_t n = (size_t)l->batch * (size_t)l->ncols;
	l->kind = xcalloc(n, 1);
	l->off = xcalloc(n, sizeof *l->off);
	l->ival = xcalloc(n, sizeof *l->ival);
	int rc = load_prepare(l, table, columns, 1, &l->stmt1);
	if (rc == 0 && l->batch > 1)
		rc = load_prepare(l, table, columns, l->batch, &l->stmt);
	if (rc != 0)
		sqlite_load_end(l);
	return rc;
}

static size_t load_slot(struct db_load *l)
{
	return (size_t)l->pending * (size_t)l->ncols + (size_t)l->col;
}

void sqlite_load_text(struct db_load *l, const char *v)
{
	size_t k = load_slot(l);
	l->kind[k] = 't';
	l->off[k] = l->data.len;
	buf_add(&l->data, v, strlen(v) + 1);
}

void sqlite_load_int(struct db_load *l, int64_t v)
{
	size_t k = load_slot(l);
	l->kind[k] = 'i';
	l->ival[k] = v;
}

void sqlite_load_null(struct db_load *l)
{
	l->kind[load_slot(l)] = 'n';
}

/* Runs s on the values of rows first .. first + rows - 1. */
static int load_send(struct db_load *l, sqlite3_stmt *s, int first, int rows)
{
	size_t base = (size_t)first * (size_t)l->ncols;
	int n = rows * l->ncols;
	for (int i = 0; i < n; i++) {
		size_t k = base + (size_t)i;
		if (l->kind[k] == 't')
			sqlite3_bind_text(s, i + 1, l->data.data + l->off[k], -1, SQLITE_STATIC);
		else if (l->kind[k] == 'i')
			sqlite3_bind_int64(s, i + 1, l->ival[k]);
		else
			sqlite3_bind_null(s, i + 1);
	}
	int rc = sqlite3_step(s) == SQLITE_DONE
			 ? 0 : map_rc(l->db, sqlite3_extended_errcode(NATIVE(l->db)));
	sqlite3_reset(s);
	return rc;
}

/* Sends the pending rows: a whole batch at once, fewer one by one. */
static int load_flush(struct db_load *l)
{
	int rc = 0;
	if (l->pending == l->batch && l->batch > 1)
		rc = load_send(l, l->stmt, 0, l->batch);
	else
		for (int r = 0; r < l->pending && rc == 0; r++)
			rc = load_send(l, l->stmt1, r, 1);
	l->pending = 0;
	buf_reset(&l->data);
	return rc;
}

int sqlite_load_row(struct db_load *l)
{
	return ++l->pending == l->batch ? load_flush(l) : 0;
}

int sqlite_load_end(struct db_load *l)
{
	int rc = l->failed ? DB_ERR : load_flush(l);
	sqlite3_finalize(l->stmt);
	sqlite3_finalize(l->stmt1);
	free(l->kind);
	free(l->off);
	free(l->ival);
	return rc;
}

/* CREATE INDEX sorts the table's keys in runs the size of the cache,
 * written to temporary files, with threads = 2 two runs at a time on the
 * two cores.  Runs of 8 MB sort in the processor's cache; temp_store =
 * MEMORY (the server's setting) keeps the runs in memory and sorts them on
 * one core.  Measured at 2 M hazards, the rebuild of their 8 indexes took
 * 8.1 s with both as here, 14.1 s with a 64 MB cache in memory, 22 s with
 * a 1 GB cache; loading the rows takes the same time with either cache. */
int sqlite_bulk_mode(struct db *db)
{
	return sqlite_exec(db, "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;"
			       " PRAGMA cache_size = -8192; PRAGMA locking_mode = EXCLUSIVE;"
			       " PRAGMA threads = 2; PRAGMA temp_store = FILE; PRAGMA foreign_keys = OFF");
}

int sqlite_bulk_done(struct db *db)
{
	return sqlite_exec(db, "PRAGMA locking_mode = NORMAL; PRAGMA journal_mode = WAL;"
			       " PRAGMA synchronous = FULL; PRAGMA threads = 0; PRAGMA temp_store = MEMORY;"
			       " PRAGMA foreign_keys = ON; ANALYZE");
}

int sqlite_secondary_indexes(struct db *db, const char *table, char **names, char **creates,
			     int max)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(NATIVE(db),
				    "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
				    " AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return map_rc(db, rc);
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	int n = 0;
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		names[n] = xstrdup((const char *)sqlite3_column_text(s, 0));
		creates[n++] = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	return n;
}
