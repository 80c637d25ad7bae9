/*
 * audit.c - the append-only, hash-chained audit trail (see store.h).
 *
 * Each row's hash is SM3 over a canonical text of all its fields,
 * including the previous row's hash, so altering any field of any row,
 * removing a row, or reordering rows breaks the chain at that row.
 * audit_head keeps the last sequence number and hash: removing the last
 * rows is caught there.  Appends lock audit_head (an UPDATE inside the
 * caller's transaction), which orders concurrent writers on PostgreSQL
 * and costs nothing extra on SQLite, where writers are serial already.
 */
#include "store.h"
#include "../lib/crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void field(struct buf *out, const char *name, const char *v)
{
	if (v)
		buf_printf(out, "%s:%zu:%s\n", name, strlen(v), v);
	else
		buf_printf(out, "%s:-\n", name);
}

void audit_canonical(const struct audit_entry *e, struct buf *out)
{
	buf_printf(out, "seq:%" PRId64 "\nat:%" PRId64 "\nactor_id:%" PRId64 "\n", e->seq, e->at,
		   e->actor_id);
	field(out, "actor_login", e->actor_login);
	field(out, "actor_role", e->actor_role);
	field(out, "address", e->address);
	field(out, "action", e->action);
	field(out, "object_type", e->object_type);
	field(out, "object_id", e->object_id);
	field(out, "before", e->before_json);
	field(out, "after", e->after_json);
	field(out, "outcome", e->outcome);
	field(out, "prev", e->prev_hash);
}

static void entry_hash(const struct audit_entry *e, char out[CRYPTO_HASH_HEX])
{
	struct buf b = BUF_INIT;
	audit_canonical(e, &b);
	crypto_sm3_hex(b.data, b.len, out);
	buf_free(&b);
}

static const char SQL_HEAD_BUMP[] =
	"UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
static const char SQL_HEAD_SET[] = "UPDATE audit_head SET hash = ? WHERE id = 1";
static const char SQL_AUDIT_INSERT[] =
	"INSERT INTO audit_log (seq, at, actor_id, actor_login, actor_role, address, action,"
	" object_type, object_id, before_json, after_json, outcome, prev_hash, hash)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int store_audit_append(struct db *db, const struct actor *who, int64_t at, const char *action,
		       const char *object_type, const char *object_id, const char *before_json,
		       const char *after_json, const char *outcome)
{
	struct db_stmt *st = db_stmt(db, SQL_HEAD_BUMP);
	if (!st)
		return DB_ERR;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : DB_ERR;
	}
	char prev[CRYPTO_HASH_HEX];
	struct audit_entry e = {
		.seq = db_col_int(st, 0),
		.at = at,
		.actor_id = who ? who->user_id : 0,
		.actor_login = who ? who->login : NULL,
		.actor_role = who ? who->role : NULL,
		.address = who ? who->address : NULL,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.before_json = before_json,
		.after_json = after_json,
		.outcome = outcome ? outcome : "ok",
		.prev_hash = prev,
	};
	snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
	db_done(st);
	char hash[CRYPTO_HASH_HEX];
	entry_hash(&e, hash);

	st = db_stmt(db, SQL_AUDIT_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, e.seq);
	db_bind_int(st, 2, e.at);
	db_bind_int(st, 3, e.actor_id);
	db_bind_text(st, 4, e.actor_login);
	db_bind_text(st, 5, e.actor_role);
	db_bind_text(st, 6, e.address);
	db_bind_text(st, 7, e.action);
	db_bind_text(st, 8, e.object_type);
	db_bind_text(st, 9, e.object_id);
	db_bind_text(st, 10, e.before_json);
	db_bind_text(st, 11, e.after_json);
	db_bind_text(st, 12, e.outcome);
	db_bind_text(st, 13, e.prev_hash);
	db_bind_text(st, 14, hash);
	rc = db_run(st);
	if (rc < 0)
		return rc;
	st = db_stmt(db, SQL_HEAD_SET);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, hash);
	return db_run(st);
}

#define AUDIT_COLS                                                                      \
	"seq, at, actor_id, actor_login, actor_role, address, action, object_type, object_id," \
	" before_json, after_json, outcome, prev_hash, hash"

static void entry_row(struct arena *a, struct db_stmt *st, struct audit_entry *e)
{
	e->seq = db_col_int(st, 0);
	e->at = db_col_int(st, 1);
	e->actor_id = db_col_int(st, 2);
	const char **s[] = {&e->actor_login, &e->actor_role, &e->address, &e->action,
			    &e->object_type, &e->object_id,  &e->before_json, &e->after_json,
			    &e->outcome,     &e->prev_hash,  &e->hash};
	for (int i = 0; i < 11; i++)
		*s[i] = arena_strdup(a, db_col_text(st, 3 + i));
}

static const char SQL_AUDIT_COUNT[] = "SELECT count(*) FROM audit_log WHERE at >= ? AND at <= ?";
static const char SQL_AUDIT_LIST[] = "SELECT " AUDIT_COLS " FROM audit_log"
				     " WHERE at >= ? AND at <= ? ORDER BY seq DESC LIMIT ? OFFSET ?";

int store_audit_list(struct db *db, struct arena *a, int64_t from, int64_t to, int64_t offset,
		     int64_t limit, struct audit_entry **items, int64_t *total)
{
	/* planned with the dates: a day and ten years want different plans */
	struct db_stmt *st = db_stmt_planned(db, SQL_AUDIT_COUNT);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, to);
	*total = db_one_int(st, 0);
	st = db_stmt_planned(db, SQL_AUDIT_LIST);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, to);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	*items = arena_alloc(a, sizeof(struct audit_entry) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc = DB_DONE;
	while (n < limit && (rc = db_step(st)) == DB_ROW)
		entry_row(a, st, &(*items)[n++]);
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char SQL_AUDIT_BATCH[] =
	"SELECT " AUDIT_COLS " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 5000";
static const char SQL_HEAD_GET[] = "SELECT seq, hash FROM audit_head WHERE id = 1";

int store_audit_verify(struct db *db, int64_t *bad_seq, char *why, size_t why_len,
		       int64_t *checked)
{
	char prev[CRYPTO_HASH_HEX] =
		"0000000000000000000000000000000000000000000000000000000000000000";
	int64_t last = 0;
	*checked = 0;
	for (;;) {
		struct db_stmt *st = db_stmt(db, SQL_AUDIT_BATCH);
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, last);
		int rc, n = 0;
		while ((rc = db_step(st)) == DB_ROW) {
			struct arena *a = arena_new();
			struct audit_entry e;
			entry_row(a, st, &e);
			char h[CRYPTO_HASH_HEX];
			const char *problem = NULL;
			if (e.seq != last + 1) {
				*bad_seq = last + 1;
				snprintf(why, why_len, "第 %" PRId64 " 条记录缺失（其后为第 %" PRId64 " 条）",
					 last + 1, e.seq);
				arena_free(a);
				db_done(st);
				return 1;
			}
			if (!e.prev_hash || strcmp(e.prev_hash, prev) != 0)
				problem = "前一条的哈希不符（链已断开）";
			else {
				entry_hash(&e, h);
				if (!e.hash || strcmp(e.hash, h) != 0)
					problem = "内容与哈希不符（记录被修改）";
			}
			if (problem) {
				*bad_seq = e.seq;
				snprintf(why, why_len, "第 %" PRId64 " 条记录%s", e.seq, problem);
				arena_free(a);
				db_done(st);
				return 1;
			}
			snprintf(prev, sizeof prev, "%s", e.hash);
			last = e.seq;
			n++;
			(*checked)++;
			arena_free(a);
		}
		db_done(st);
		if (rc < 0)
			return rc;
		if (n == 0)
			break;
	}
	struct db_stmt *st = db_stmt(db, SQL_HEAD_GET);
	if (!st)
		return DB_ERR;
	int rc = db_step(st);
	if (rc != DB_ROW) {
		db_done(st);
		*bad_seq = last + 1;
		snprintf(why, why_len, "审计链头记录缺失");
		return rc < 0 ? rc : 1;
	}
	int64_t head_seq = db_col_int(st, 0);
	const char *head_hash = db_col_text(st, 1);
	int bad = head_seq != last || !head_hash || strcmp(head_hash, prev) != 0;
	db_done(st);
	if (bad) {
		*bad_seq = last + 1;
		snprintf(why, why_len, "链头记录为第 %" PRId64 " 条，而日志只到第 %" PRId64
			 " 条（末尾记录被删除或链头被修改）", head_seq, last);
		return 1;
	}
	return 0;
}
