/*
 * pg.c - the PostgreSQL backend of db.h, over libpq.
 *
 * Statements are prepared once per connection as s1, s2, ... with `?`
 * rewritten to `$1`, `$2`, ...; parameters travel as text and the server
 * infers their types from the statement.  A whole result is fetched at
 * once; queries that might return many rows carry a LIMIT.
 */
#include "db_impl.h"
#include "../lib/util.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(db) ((PGconn *)(db)->native)

static void quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Classifies a failed result and records its message. */
static int map_result(struct db *db, PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(NATIVE(db));
	snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : "");
	char *nl = strchr(db->errmsg, '\n');
	if (nl)
		*nl = 0;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return DB_ERR;
	if (strcmp(state, "23505") == 0)
		return DB_ERR_UNIQUE;
	if (strcmp(state, "23503") == 0)
		return DB_ERR_FK;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return DB_ERR_BUSY;
	if (strcmp(state, "25006") == 0)
		return DB_ERR_READONLY;
	return DB_ERR;
}

static int exec_now(struct db *db, const char *sql)
{
	PGresult *res = PQexec(NATIVE(db), sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY)
		rc = map_result(db, res);
	PQclear(res);
	return rc;
}

/* Round trips.  A statement sent alone is one: the request's thread
 * sleeps until the answer comes, and PostgreSQL's backend wakes for it.
 * On a 20-row list page those sleeps and wake-ups were the largest part
 * of the server's CPU, so a transaction saves two of them:
 *   - its BEGIN waits for the first statement and goes with it, in one
 *     pipeline (a transaction that sends nothing sends no BEGIN either);
 *   - a read-only transaction's COMMIT is sent without waiting for the
 *     answer, which is read when the connection is next used, by when it
 *     has arrived.  It can report nothing that matters: the transaction
 *     wrote nothing.  A write's COMMIT is awaited, its answer being the
 *     data's durability. */
static void settle(struct db *db)
{
	if (!db->commit_sent)
		return;
	db->commit_sent = false;
	PGresult *res;
	while ((res = PQgetResult(NATIVE(db))) != NULL)
		PQclear(res);
}

/* Sends the BEGIN still waiting, alone (before what cannot go with it). */
static int begin_now(struct db *db)
{
	settle(db);
	const char *sql = db->begin_sql;
	db->begin_sql = NULL;
	return sql ? exec_now(db, sql) : 0;
}

/* How PostgreSQL plans a statement.  A prepared statement (db_stmt) is
 * planned once, without its values (plan_cache_mode =
 * force_generic_plan): a lookup by key, or a query whose text decides its
 * plan (hazards.c chooses a list's index by the words of its query).
 * Planning at every execution cost a 20-row list page more than half of
 * PostgreSQL's time for it, and the automatic choice kept doing so, its
 * estimate of the generic plan being made without the region's values.
 * A statement whose plan depends on its values (db_stmt_planned) is sent
 * unnamed and planned with them; it needs plan_cache_mode = auto, under
 * which an unnamed statement is always planned with its values.  The mode
 * is set only when it changes, so a request of prepared statements alone
 * sends no SET. */
static int set_plan_mode(struct db *db, int mode)
{
	if (db->plan_mode == mode)
		return 0;
	/* before a BEGIN still waiting: a SET outside the transaction */
	settle(db);
	int rc = exec_now(db, mode == PLAN_MODE_GENERIC ? "SET plan_cache_mode = force_generic_plan"
							: "SET plan_cache_mode = auto");
	db->plan_mode = rc == 0 ? mode : PLAN_MODE_UNKNOWN;
	return rc;
}

/* The session's settings, on a new connection or one made again (a
 * reset loses them), and what pg.c knows of its state. */
static int session_setup(struct db *db)
{
	db->plan_mode = PLAN_MODE_UNKNOWN;
	db->begin_sql = NULL;
	db->commit_sent = false;
	/* Many short requests at once: a query that starts parallel workers
	 * costs more in their start-up than it saves, and takes the cores
	 * the other requests need. */
	int rc = exec_now(db, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
			      "SET synchronous_commit = on; SET max_parallel_workers_per_gather = 0");
	return rc ? rc : set_plan_mode(db, PLAN_MODE_GENERIC);
}

struct db *pg_open(const char *uri, struct ql_error *err)
{
	PGconn *conn = PQconnectdb(uri);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		const char *m = conn ? PQerrorMessage(conn) : "内存不足";
		char msg[400];
		snprintf(msg, sizeof msg, "%s", m);
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = 0;
		ql_fail(err, QLE_INTERNAL, "db_open", "db", "无法连接 PostgreSQL：%s", msg);
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, quiet_notice, NULL);
	struct db *db = xcalloc(1, sizeof *db);
	db->kind = DB_PG;
	db->native = conn;
	if (session_setup(db) != 0) {
		ql_fail(err, QLE_INTERNAL, "db_open", "db", "无法设置 PostgreSQL 会话：%s",
			db->errmsg);
		pg_close(db);
		return NULL;
	}
	return db;
}

int pg_reconnect(struct db *db)
{
	PQreset(NATIVE(db));
	return PQstatus(NATIVE(db)) == CONNECTION_OK ? session_setup(db) : DB_ERR;
}

void pg_close(struct db *db)
{
	PQfinish(NATIVE(db));
	free(db);
}

int pg_begin(struct db *db, const char *sql)
{
	settle(db);
	db->begin_sql = sql;
	return 0;
}

/* Whether the transaction sent nothing: its BEGIN, still waiting, is
 * dropped, and there is nothing to end. */
static bool nothing_sent(struct db *db)
{
	settle(db);
	bool none = db->begin_sql != NULL;
	db->begin_sql = NULL;
	return none;
}

int pg_commit(struct db *db, bool read_only)
{
	if (nothing_sent(db))
		return 0;
	if (!read_only)
		return exec_now(db, "COMMIT");
	if (!PQsendQuery(NATIVE(db), "COMMIT"))
		return map_result(db, NULL);
	db->commit_sent = true;
	return 0;
}

int pg_rollback(struct db *db)
{
	return nothing_sent(db) ? 0 : exec_now(db, "ROLLBACK");
}

int pg_exec(struct db *db, const char *sql)
{
	int rc = begin_now(db);
	return rc ? rc : exec_now(db, sql);
}

/* Runs st, with the transaction's BEGIN before it in one pipeline when
 * that is still to be sent; the statement's result, or the failure of
 * either (a NULL result if the connection failed). */
static PGresult *send_stmt(struct db_stmt *st)
{
	PGconn *c = NATIVE(st->db);
	const char *const *params = (const char *const *)st->params;
	settle(st->db);
	if (!st->db->begin_sql)
		return st->plan_each ? PQexecParams(c, st->native, st->nparams, NULL, params, NULL,
						    NULL, 0)
				     : PQexecPrepared(c, st->native, st->nparams, params, NULL, NULL, 0);
	const char *begin = st->db->begin_sql;
	st->db->begin_sql = NULL;
	if (!PQenterPipelineMode(c))
		return NULL;
	int sent = PQsendQueryParams(c, begin, 0, NULL, NULL, NULL, NULL, 0) &&
		   (st->plan_each ? PQsendQueryParams(c, st->native, st->nparams, NULL, params,
						      NULL, NULL, 0)
				  : PQsendQueryPrepared(c, st->native, st->nparams, params, NULL,
							NULL, 0)) &&
		   PQpipelineSync(c);
	/* BEGIN's result, NULL, the statement's, NULL, the sync; a broken
	 * connection answers NULL from then on. */
	PGresult *got[2] = {NULL, NULL}, *res;
	int n = 0, nulls = 0;
	while (sent && nulls < 2) {
		if (!(res = PQgetResult(c))) {
			nulls++;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (n < 2)
			got[n++] = res;
		else
			PQclear(res);
	}
	PQexitPipelineMode(c);
	if (got[0] && PQresultStatus(got[0]) == PGRES_COMMAND_OK) {
		PQclear(got[0]);
		return got[1];
	}
	PQclear(got[1]);
	return got[0];
}

int pg_prepare(struct db *db, struct db_stmt *st, const char *sql)
{
	struct buf b = BUF_INIT;
	int n = 0;
	bool in_str = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			in_str = !in_str;
		if (*p == '?' && !in_str)
			buf_printf(&b, "$%d", ++n);
		else
			buf_putc(&b, *p);
	}
	if (n > DB_MAX_PARAMS)
		abort();
	if (st->plan_each) {
		st->native = buf_detach(&b);
		st->nparams = n;
		return 0;
	}
	char name[32];
	snprintf(name, sizeof name, "s%d", ++db->next_stmt_no);
	settle(db);
	PGresult *res = PQprepare(NATIVE(db), name, buf_str(&b), n, NULL);
	buf_free(&b);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		map_result(db, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	st->native = xstrdup(name);
	st->nparams = n;
	return 0;
}

void pg_reset(struct db_stmt *st)
{
	if (st->result)
		PQclear(st->result);
	st->result = NULL;
	st->executed = false;
	st->row = st->nrows = 0;
}

void pg_finalize(struct db_stmt *st)
{
	pg_reset(st);
	for (int i = 0; i < DB_MAX_PARAMS; i++)
		free(st->params[i]);
	free(st->native);
}

int pg_step(struct db_stmt *st)
{
	if (!st->executed) {
		st->executed = true;
		int rc = set_plan_mode(st->db, st->plan_each ? PLAN_MODE_AUTO : PLAN_MODE_GENERIC);
		if (rc != 0)
			return rc;
		PGresult *res = send_stmt(st);
		ExecStatusType s = PQresultStatus(res);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			int rc = map_result(st->db, res);
			PQclear(res);
			return rc;
		}
		st->result = res;
		st->nrows = PQntuples(res);
		st->row = -1;
		const char *ct = PQcmdTuples(res);
		st->db->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
	}
	if (st->row + 1 < st->nrows) {
		st->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

const char *pg_col_text(struct db_stmt *st, int i)
{
	if (!st->result || PQgetisnull(st->result, st->row, i))
		return NULL;
	return PQgetvalue(st->result, st->row, i);
}

bool pg_col_is_null(struct db_stmt *st, int i)
{
	return !st->result || PQgetisnull(st->result, st->row, i);
}

int pg_col_count(struct db_stmt *st)
{
	return st->result ? PQnfields(st->result) : 0;
}

/* Bulk loading: COPY FROM STDIN in text format, rows gathered in the
 * load's buffer and sent in pieces of about 256 KiB. */
#define COPY_CHUNK (256 * 1024)

int pg_load_begin(struct db_load *l, const char *table, const char *columns)
{
	int rc = begin_now(l->db);
	if (rc)
		return rc;
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
	PGresult *res = PQexec(NATIVE(l->db), buf_str(&sql));
	buf_free(&sql);
	rc = PQresultStatus(res) == PGRES_COPY_IN ? 0 : map_result(l->db, res);
	PQclear(res);
	return rc;
}

static void copy_separator(struct db_load *l)
{
	if (l->col > 0)
		buf_putc(&l->data, '\t');
}

void pg_load_text(struct db_load *l, const char *v)
{
	copy_separator(l);
	for (const char *p = v; *p; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n"
				: *p == '\r' ? "\\r" : NULL;
		if (esc)
			buf_puts(&l->data, esc);
		else
			buf_putc(&l->data, *p);
	}
}

void pg_load_int(struct db_load *l, int64_t v)
{
	copy_separator(l);
	buf_printf(&l->data, "%lld", (long long)v);
}

void pg_load_null(struct db_load *l)
{
	copy_separator(l);
	buf_puts(&l->data, "\\N");
}

static int copy_flush(struct db_load *l)
{
	if (l->data.len && PQputCopyData(NATIVE(l->db), l->data.data, (int)l->data.len) != 1)
		return map_result(l->db, NULL);
	buf_reset(&l->data);
	return 0;
}

int pg_load_row(struct db_load *l)
{
	buf_putc(&l->data, '\n');
	return l->data.len >= COPY_CHUNK ? copy_flush(l) : 0;
}

int pg_load_end(struct db_load *l)
{
	PGconn *conn = NATIVE(l->db);
	int rc = l->failed ? DB_ERR : copy_flush(l);
	if (PQputCopyEnd(conn, rc == 0 ? NULL : "load abandoned") != 1 && rc == 0)
		rc = map_result(l->db, NULL);
	PGresult *res;
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = map_result(l->db, res);
		PQclear(res);
	}
	return rc;
}

/* Foreign keys are checked by per-row triggers, which a superuser may
 * leave off for the session (the rows of a bulk load are consistent by
 * construction); without the right, they stay on and the load is slower. */
int pg_bulk_mode(struct db *db)
{
	/* The load commits synchronously: VACUUM (pg_bulk_done) marks a page
	 * all-visible only when its rows' commit is flushed, and without that
	 * every index-only scan reads the table as well. */
	int rc = pg_exec(db, "SET maintenance_work_mem = '256MB'");
	if (rc == 0)
		pg_exec(db, "SET session_replication_role = replica");
	return rc;
}

int pg_bulk_done(struct db *db)
{
	pg_exec(db, "SET session_replication_role = DEFAULT");
	return pg_exec(db, "VACUUM ANALYZE");
}

int pg_secondary_indexes(struct db *db, const char *table, char **names, char **creates,
			 int max)
{
	int rc = begin_now(db);
	if (rc)
		return rc;
	const char *params[1] = {table};
	PGresult *res = PQexecParams(
		NATIVE(db),
		"SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
		" AND i.tablename = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
		" WHERE c.conname = i.indexname) ORDER BY i.indexname",
		1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = map_result(db, res);
		PQclear(res);
		return rc;
	}
	int n = 0;
	for (; n < max && n < PQntuples(res); n++) {
		names[n] = xstrdup(PQgetvalue(res, n, 0));
		creates[n] = xstrdup(PQgetvalue(res, n, 1));
	}
	PQclear(res);
	return n;
}

/* The advisory lock is released by the end of the transaction, COMMIT or
 * ROLLBACK, so a job that fails cannot leave it held. */
int pg_try_lock(struct db *db, int64_t key)
{
	struct db_stmt *st = db_stmt(db, "SELECT pg_try_advisory_xact_lock(?::bigint)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, key);
	int rc = db_step(st);
	int taken = rc == DB_ROW && strcmp(db_col_text(st, 0), "t") == 0;
	db_done(st);
	return rc < 0 ? rc : taken;
}
