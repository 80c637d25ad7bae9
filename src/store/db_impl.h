/*
 * db_impl.h - what db.c shares with the two backends (sqlite.c, pg.c).
 * Nothing outside src/store/ includes this.
 */
#ifndef QL_DB_IMPL_H
#define QL_DB_IMPL_H

#include "db.h"
#include "../lib/buf.h"

#define DB_MAX_PARAMS 64

struct db_stmt {
	struct db *db;
	const char *key;	/* its SQL text (owned), the cache key */
	void *native;		/* sqlite3_stmt*, or the PG statement name */
	int nparams;
	/* PostgreSQL only: bound values and the current result. */
	char *params[DB_MAX_PARAMS];
	void *result;		/* PGresult* */
	int row, nrows;
	bool executed;
	/* PostgreSQL: planned at each execution with its values (native is
	 * then the SQL text with $n), not prepared once (db_stmt_planned). */
	bool plan_each;
};

/* A bulk load (db_load_begin): the values of the pending row(s). */
struct db_load {
	struct db *db;
	int ncols, col;
	bool failed;
	/* PostgreSQL: COPY text of the rows not yet sent.  SQLite: the
	 * pending rows' text values, NUL-terminated, at off[]. */
	struct buf data;
	/* SQLite only: an INSERT of `batch` rows and one of a single row,
	 * and the values of the rows pending (ncols per row). */
	void *stmt, *stmt1;
	int batch, pending;
	char *kind;		/* 't'ext, 'i'nt, 'n'ull */
	size_t *off;
	int64_t *ival;
};

struct stmt_slot {
	const char *key;
	uint64_t hash;
	struct db_stmt *st;
};

struct db {
	enum db_kind kind;
	void *native;		/* sqlite3* or PGconn* */
	bool in_tx, read_only;
	char errmsg[512];
	int64_t changes;
	struct stmt_slot *cache;
	size_t cache_cap, cache_len;
	int next_stmt_no;
	/* PostgreSQL: the session's plan_cache_mode as last set (PLAN_MODE_*;
	 * unknown after a rollback, which undoes a SET made in it). */
	int plan_mode;
	/* PostgreSQL: the BEGIN that goes with the transaction's first
	 * statement, and whether a COMMIT was sent without waiting (pg.c). */
	const char *begin_sql;
	bool commit_sent;
	void *memo;		/* db_tx_memo(), and how to free it */
	void (*memo_free)(void *);
};

enum { PLAN_MODE_UNKNOWN, PLAN_MODE_GENERIC, PLAN_MODE_AUTO };

/* Backend entry points, called by db.c. */
struct db *sqlite_open(const char *path, struct ql_error *err);
void sqlite_close(struct db *db);
int sqlite_exec(struct db *db, const char *sql);
int sqlite_prepare(struct db *db, struct db_stmt *st, const char *sql);
void sqlite_finalize(struct db_stmt *st);
void sqlite_reset(struct db_stmt *st);
void sqlite_bind_text(struct db_stmt *st, int i, const char *v);
void sqlite_bind_int(struct db_stmt *st, int i, int64_t v);
int sqlite_step(struct db_stmt *st);
const char *sqlite_col_text(struct db_stmt *st, int i);
int64_t sqlite_col_int(struct db_stmt *st, int i);
bool sqlite_col_is_null(struct db_stmt *st, int i);
int sqlite_col_count(struct db_stmt *st);
int sqlite_load_begin(struct db_load *l, const char *table, const char *columns);
void sqlite_load_text(struct db_load *l, const char *v);
void sqlite_load_int(struct db_load *l, int64_t v);
void sqlite_load_null(struct db_load *l);
int sqlite_load_row(struct db_load *l);
int sqlite_load_end(struct db_load *l);
int sqlite_bulk_mode(struct db *db);
int sqlite_bulk_done(struct db *db);
int sqlite_secondary_indexes(struct db *db, const char *table, char **names, char **creates,
			     int max);
/* Resets every statement left running, ending its read snapshot. */
void sqlite_reset_all(struct db *db);

struct db *pg_open(const char *uri, struct ql_error *err);
void pg_close(struct db *db);
int pg_exec(struct db *db, const char *sql);
/* Makes a broken connection again, with its session's settings. */
int pg_reconnect(struct db *db);
int pg_begin(struct db *db, const char *sql);
int pg_commit(struct db *db, bool read_only);
int pg_rollback(struct db *db);
int pg_prepare(struct db *db, struct db_stmt *st, const char *sql);
void pg_finalize(struct db_stmt *st);
void pg_reset(struct db_stmt *st);
int pg_step(struct db_stmt *st);
const char *pg_col_text(struct db_stmt *st, int i);
bool pg_col_is_null(struct db_stmt *st, int i);
int pg_col_count(struct db_stmt *st);
int pg_load_begin(struct db_load *l, const char *table, const char *columns);
void pg_load_text(struct db_load *l, const char *v);
void pg_load_int(struct db_load *l, int64_t v);
void pg_load_null(struct db_load *l);
int pg_load_row(struct db_load *l);
int pg_load_end(struct db_load *l);
int pg_bulk_mode(struct db *db);
int pg_bulk_done(struct db *db);
int pg_secondary_indexes(struct db *db, const char *table, char **names, char **creates,
			 int max);
int pg_try_lock(struct db *db, int64_t key);

#endif
