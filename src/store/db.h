/*
 * db.h - one connection to the database, whichever backend it is.
 *
 * The domain's SQL is written once, in the common subset of SQLite and
 * PostgreSQL, with `?` placeholders; sqlite.c and pg.c implement this
 * interface and keep every difference between the two inside them (the
 * PostgreSQL backend rewrites `?` to `$n`).  Values are always bound as
 * parameters, never formatted into SQL text.
 *
 * A connection is used by one thread at a time.  Statements are prepared
 * once per connection and cached by their SQL text, so callers do not
 * finalise: db_stmt() returns a reset statement ready for binding, valid
 * until the next db_stmt() with the same text on the same connection.
 * SQL assembled at run time must come from fixed fragments only (values
 * are always bound), which also bounds the number of cached statements.
 */
#ifndef QL_DB_H
#define QL_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/error.h"

enum db_kind { DB_SQLITE, DB_PG };

/* Result of db_step() and the classes of failure callers react to. */
enum {
	DB_ROW = 1,
	DB_DONE = 0,
	DB_ERR = -1,		/* any other failure */
	DB_ERR_UNIQUE = -2,	/* unique / primary key violation */
	DB_ERR_FK = -3,		/* foreign key violation */
	DB_ERR_BUSY = -4,	/* lock timeout, serialization failure */
	DB_ERR_READONLY = -5,	/* write attempted in a read-only transaction */
};

struct db;
struct db_stmt;

/* Opens a connection: a `postgresql://` or `postgres://` URI selects
 * PostgreSQL, anything else is a SQLite file path (created if missing).
 * Returns NULL and fills err on failure.  Close with db_close(). */
struct db *db_open(const char *target, struct ql_error *err);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
bool db_is_pg_uri(const char *target);

/* Runs SQL text without parameters (may hold several statements). */
int db_exec(struct db *db, const char *sql);

/* Returns the cached prepared statement for sql (reset, bindings
 * cleared), or NULL on a preparation error (see db_errmsg). */
struct db_stmt *db_stmt(struct db *db, const char *sql);
/* The same, for a query whose best plan depends on its values (ranges of
 * region codes and dates, filters that vary): PostgreSQL plans it at each
 * execution with the values bound.  A prepared statement gets, after five
 * executions, a generic plan that PostgreSQL may prefer on estimates made
 * without the values: a province's enforcement pass, estimated at one
 * row, ran three times slower by the wrong index.  SQLite: as db_stmt. */
struct db_stmt *db_stmt_planned(struct db *db, const char *sql);
/* Parameters are numbered from 1. */
void db_bind_text(struct db_stmt *st, int i, const char *v); /* NULL binds NULL */
void db_bind_int(struct db_stmt *st, int i, int64_t v);
void db_bind_null(struct db_stmt *st, int i);
void db_bind_bool(struct db_stmt *st, int i, bool v);
/* Binds an optional id or time: 0 binds NULL. */
void db_bind_opt_int(struct db_stmt *st, int i, int64_t v);
/* Runs / advances: DB_ROW, DB_DONE or a negative DB_ERR_* code. */
int db_step(struct db_stmt *st);
/* Columns are numbered from 0; text is valid until the next step. */
const char *db_col_text(struct db_stmt *st, int i); /* NULL for SQL NULL */
int64_t db_col_int(struct db_stmt *st, int i);
bool db_col_is_null(struct db_stmt *st, int i);
int db_col_count(struct db_stmt *st);
/* Ends the use of a statement early (frees result rows). */
void db_done(struct db_stmt *st);

/* Transactions.  db_begin_read() is read-only where the backend can
 * enforce it (a second line of defence for GET handlers). */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
bool db_in_tx(const struct db *db);
/* Inside a write transaction (db_begin), takes the lock named by key,
 * shared by every process on the same database, until the transaction
 * ends: 1 if taken, 0 if another connection holds it, or a negative
 * DB_ERR_* code.  Periodic jobs use it so that one server of several runs
 * them.  PostgreSQL: pg_try_advisory_xact_lock(key).  SQLite: the write
 * lock BEGIN IMMEDIATE took serialises every writer already, so 1. */
int db_try_lock(struct db *db, int64_t key);

/* A value read once per transaction (the settings): db_tx_memo() returns
 * the one set since the transaction began, or NULL.  db_set_tx_memo()
 * replaces it; free_fn frees it when the transaction ends or it is
 * replaced.  Outside a transaction nothing is kept: the value is freed at
 * once and db_tx_memo() stays NULL. */
void *db_tx_memo(struct db *db);
void db_set_tx_memo(struct db *db, void *memo, void (*free_fn)(void *));

const char *db_errmsg(struct db *db);

/* Convenience: runs a statement expected to produce no rows; returns
 * DB_DONE (0) or a negative error code. */
int db_run(struct db_stmt *st);
/* Runs an INSERT ... RETURNING id: stores the id; returns DB_DONE (0) or
 * a negative error code. */
int db_insert_id(struct db_stmt *st, int64_t *id);
/* Runs a query expected to return one integer; def when no row. */
int64_t db_one_int(struct db_stmt *st, int64_t def);

/* The rows changed by the last statement. */
int64_t db_changes(struct db *db);

/* Bulk loading: rows streamed into one table, their values given in the
 * order of `columns` (a fixed fragment, like any SQL text): COPY FROM
 * STDIN on PostgreSQL, one reused INSERT on SQLite.  Inside a
 * transaction; while a load is open nothing else runs on its connection.
 * db_load_begin() returns NULL on error (see db_errmsg); values are
 * copied when given; db_load_end() sends what is left, ends the load and
 * frees it, whatever it returns. */
struct db_load;
struct db_load *db_load_begin(struct db *db, const char *table, const char *columns);
void db_load_text(struct db_load *l, const char *v); /* NULL loads NULL */
void db_load_int(struct db_load *l, int64_t v);
void db_load_opt_int(struct db_load *l, int64_t v); /* 0 loads NULL */
/* Ends a row: DB_DONE (0) or a negative error code (the load is then
 * spoilt: end it). */
int db_load_row(struct db_load *l);
int db_load_end(struct db_load *l);

/* Settles a connection for filling a fresh database that would be built
 * again rather than recovered after a crash (benchmark provinces): no
 * syncs, a large page cache, the database held exclusively. */
int db_bulk_mode(struct db *db);
/* Ends the bulk mode after the load has committed: the usual journal
 * and locking again, and the planner's statistics gathered (on
 * PostgreSQL with VACUUM, so that index-only scans work at once). */
int db_bulk_done(struct db *db);
/* The secondary indexes of table that a bulk load may drop and build
 * again afterwards (not those behind a primary key or unique
 * constraint): fills up to max names and CREATE statements, malloc'd,
 * which the caller frees.  Returns how many, or a negative error code. */
int db_secondary_indexes(struct db *db, const char *table, char **names, char **creates,
			 int max);

/* Maps a negative db code to a ql_error (500, except busy -> 503). */
int db_fail(struct db *db, int rc, struct ql_error *err);

#endif
