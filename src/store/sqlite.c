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

int sqlite_exec(struct db *db, const char *sql)
{
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
