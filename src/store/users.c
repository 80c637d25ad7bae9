/*
 * users.c - accounts, sessions, bearer tokens and security settings in
 * the database (see store.h).
 */
#include "store.h"
#include "../lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Qualified, so that the same list serves the joins with sessions and
 * tokens; user_row() reads them as columns 0-12. */
#define USER_COLS                                                                          \
	"users.id, users.login, users.name, users.role, users.region_code,"                \
	" users.department_id, users.enterprise_id, users.password_hash,"                  \
	" users.must_change_password, users.failed_count, users.locked_until, users.disabled," \
	" users.created_at"
#define USER_NCOLS 13

static void user_row(struct arena *a, struct db_stmt *st, struct user *u)
{
	u->id = db_col_int(st, 0);
	u->login = arena_strdup(a, db_col_text(st, 1));
	u->name = arena_strdup(a, db_col_text(st, 2));
	u->role = role_parse(db_col_text(st, 3));
	u->region_code = arena_strdup(a, db_col_text(st, 4));
	u->department_id = db_col_int(st, 5);
	u->enterprise_id = db_col_int(st, 6);
	u->password_hash = arena_strdup(a, db_col_text(st, 7));
	u->must_change_password = db_col_int(st, 8) != 0;
	u->failed_count = (int)db_col_int(st, 9);
	u->locked_until = db_col_int(st, 10);
	u->disabled = db_col_int(st, 11) != 0;
	u->created_at = db_col_int(st, 12);
}

/* The settings table, read once per transaction (db_tx_memo): a request
 * asks for the security settings, the overdue day and the risk matrix,
 * and each would otherwise be a query.  Its rows come with the caller's
 * session or token (WITH_SETTINGS), so that authenticating and reading
 * the settings are one statement: on PostgreSQL each is a round trip. */
#define MAX_SETTINGS 64
struct settings_memo {
	int n;
	char key[MAX_SETTINGS][48];
	int val[MAX_SETTINGS];
};

static void memo_add(struct settings_memo *m, const char *key, const char *value)
{
	if (m->n < MAX_SETTINGS) {
		snprintf(m->key[m->n], sizeof m->key[0], "%s", key);
		m->val[m->n++] = atoi(value);
	}
}

/* The settings' rows after a lookup of n columns: n NULLs, the tag 1,
 * key and value; the lookup's own row has the tag 0. */
#define NULLS_13 "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
#define WITH_SETTINGS(nulls) " UNION ALL SELECT " nulls ", 1, key, value FROM settings"

/* Steps through a lookup WITH_SETTINGS of ncols columns: each settings row
 * goes to the memo, kept for the transaction; on the lookup's own row
 * (tag 0) takes it with take(arg, st).  Returns DB_ROW when that row was
 * there, DB_DONE when not, or an error. */
static int with_settings(struct db *db, struct db_stmt *st, int ncols,
			 void (*take)(void *arg, struct db_stmt *st), void *arg)
{
	struct settings_memo *m = xmalloc(sizeof *m);
	m->n = 0;
	int rc, found = DB_DONE;
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_int(st, ncols) == 0) {
			take(arg, st);
			found = DB_ROW;
		} else {
			memo_add(m, db_col_text(st, ncols + 1), db_col_text(st, ncols + 2));
		}
	}
	db_done(st);
	if (rc < 0) {
		free(m);
		return rc;
	}
	db_set_tx_memo(db, m, free); /* outside a transaction, freed at once */
	return found;
}

static int user_one(struct db_stmt *st, struct arena *a, struct user *out)
{
	int rc = db_step(st);
	if (rc == DB_ROW)
		user_row(a, st, out);
	db_done(st);
	return rc;
}

static const char SQL_USER_BY_LOGIN[] = "SELECT " USER_COLS " FROM users WHERE login = ?";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id = ?";

int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user *out)
{
	struct db_stmt *st = db_stmt(db, SQL_USER_BY_LOGIN);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, login);
	return user_one(st, a, out);
}

int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user *out)
{
	struct db_stmt *st = db_stmt(db, SQL_USER_BY_ID);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	return user_one(st, a, out);
}

static const char SQL_USER_INSERT[] =
	"INSERT INTO users (login, name, role, region_code, department_id, enterprise_id,"
	" password_hash, must_change_password, created_at, password_changed_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

int store_user_insert(struct db *db, struct user *u)
{
	struct db_stmt *st = db_stmt(db, SQL_USER_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, u->login);
	db_bind_text(st, 2, u->name);
	db_bind_text(st, 3, role_name(u->role));
	db_bind_text(st, 4, u->region_code);
	db_bind_opt_int(st, 5, u->department_id);
	db_bind_opt_int(st, 6, u->enterprise_id);
	db_bind_text(st, 7, u->password_hash);
	db_bind_bool(st, 8, u->must_change_password);
	db_bind_int(st, 9, u->created_at);
	db_bind_int(st, 10, u->created_at);
	return db_insert_id(st, &u->id);
}

static const char SQL_USER_COUNT[] = "SELECT count(*) FROM users";
static const char SQL_USER_LIST[] =
	"SELECT " USER_COLS " FROM users ORDER BY id LIMIT ? OFFSET ?";

int store_user_list(struct db *db, struct arena *a, int64_t offset, int64_t limit,
		    struct user **items, int64_t *total)
{
	*total = db_one_int(db_stmt(db, SQL_USER_COUNT), 0);
	struct db_stmt *st = db_stmt(db, SQL_USER_LIST);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, limit);
	db_bind_int(st, 2, offset);
	*items = arena_alloc(a, sizeof(struct user) * (size_t)(limit > 0 ? limit : 1));
	int n = 0, rc = DB_DONE;
	while (n < limit && (rc = db_step(st)) == DB_ROW)
		user_row(a, st, &(*items)[n++]);
	db_done(st);
	return rc < 0 ? rc : n;
}

static const char SQL_USER_FAILURES[] =
	"UPDATE users SET failed_count = ?, locked_until = ? WHERE id = ?";

int store_user_set_failures(struct db *db, int64_t id, int failed_count, int64_t locked_until)
{
	struct db_stmt *st = db_stmt(db, SQL_USER_FAILURES);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, failed_count);
	db_bind_int(st, 2, locked_until);
	db_bind_int(st, 3, id);
	return db_run(st);
}

/* One statement, so the row lock it takes orders concurrent failures (on
 * PostgreSQL a read-then-write would let two servers both write 1). */
static const char SQL_USER_ADD_FAILURE[] =
	"UPDATE users SET failed_count = failed_count + 1 WHERE id = ? RETURNING failed_count";

int store_user_add_failure(struct db *db, int64_t id, int *failed)
{
	struct db_stmt *st = db_stmt(db, SQL_USER_ADD_FAILURE);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	int64_t n = 0;
	int rc = db_insert_id(st, &n);
	*failed = (int)n;
	return rc;
}

static const char SQL_USER_PASSWORD[] =
	"UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?"
	" WHERE id = ?";

int store_user_set_password(struct db *db, int64_t id, const char *hash, bool must_change,
			    int64_t now)
{
	struct db_stmt *st = db_stmt(db, SQL_USER_PASSWORD);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, hash);
	db_bind_bool(st, 2, must_change);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	return db_run(st);
}

static const char SQL_ENTERPRISE_EXISTS[] = "SELECT count(*) FROM enterprises WHERE id = ?";

int store_enterprise_exists(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, SQL_ENTERPRISE_EXISTS);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	return db_one_int(st, 0) > 0;
}

static const char SQL_SESSION_INSERT[] =
	"INSERT INTO sessions (token_hash, user_id, csrf_token, address, created_at, last_seen)"
	" VALUES (?, ?, ?, ?, ?, ?)";

int store_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
			 const char *address, int64_t now)
{
	struct db_stmt *st = db_stmt(db, SQL_SESSION_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_text(st, 4, address);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	return db_run(st);
}

/* The session and its user in one statement, with the settings: every
 * request asks all three. */
static const char SQL_SESSION_USER[] =
	"SELECT " USER_COLS ", s.id, s.csrf_token, s.created_at, s.last_seen, 0, NULL, NULL"
	" FROM sessions s JOIN users ON users.id = s.user_id"
	" WHERE s.token_hash = ? AND s.ended_at IS NULL"
	WITH_SETTINGS(NULLS_13 ", NULL, NULL, NULL, NULL");

struct session_user {
	struct arena *a;
	struct session *s;
	struct user *u;
};

static void take_session_user(void *arg, struct db_stmt *st)
{
	struct session_user *x = arg;
	user_row(x->a, st, x->u);
	x->s->user_id = x->u->id;
	x->s->id = db_col_int(st, USER_NCOLS);
	x->s->csrf_token = arena_strdup(x->a, db_col_text(st, USER_NCOLS + 1));
	x->s->created_at = db_col_int(st, USER_NCOLS + 2);
	x->s->last_seen = db_col_int(st, USER_NCOLS + 3);
}

static void take_user_row(void *arg, struct db_stmt *st)
{
	struct session_user *x = arg;
	user_row(x->a, st, x->u);
}

int store_session_user(struct db *db, struct arena *a, const char *token_hash,
		       struct session *s, struct user *u)
{
	struct db_stmt *st = db_stmt(db, SQL_SESSION_USER);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, token_hash);
	struct session_user x = {a, s, u};
	return with_settings(db, st, USER_NCOLS + 4, take_session_user, &x);
}

static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_seen = ? WHERE id = ?";
static const char SQL_SESSION_END[] =
	"UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL";
static const char SQL_SESSION_END_ALL[] =
	"UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL";

static int two_ints(struct db *db, const char *sql, int64_t a, int64_t b)
{
	struct db_stmt *st = db_stmt(db, sql);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	return db_run(st);
}

int store_session_touch(struct db *db, int64_t id, int64_t now)
{
	return two_ints(db, SQL_SESSION_TOUCH, now, id);
}

int store_session_end(struct db *db, int64_t id, int64_t now)
{
	return two_ints(db, SQL_SESSION_END, now, id);
}

int store_session_end_all(struct db *db, int64_t user_id, int64_t now)
{
	return two_ints(db, SQL_SESSION_END_ALL, now, user_id);
}

static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)";
static const char SQL_TOKEN_USER[] =
	"SELECT " USER_COLS ", 0, NULL, NULL FROM api_tokens t JOIN users ON users.id = t.user_id"
	" WHERE t.token_hash = ? AND t.revoked_at IS NULL" WITH_SETTINGS(NULLS_13);

int store_token_insert(struct db *db, const char *token_hash, int64_t user_id, int64_t now)
{
	struct db_stmt *st = db_stmt(db, SQL_TOKEN_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, now);
	return db_run(st);
}

int store_token_user(struct db *db, struct arena *a, const char *token_hash, struct user *out)
{
	struct db_stmt *st = db_stmt(db, SQL_TOKEN_USER);
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, token_hash);
	struct session_user x = {a, NULL, out};
	return with_settings(db, st, USER_NCOLS, take_user_row, &x);
}

static const char SQL_SETTINGS_GET[] = "SELECT key, value FROM settings";
static const char SQL_SETTINGS_PUT[] =
	"INSERT INTO settings (key, value) VALUES (?, ?)"
	" ON CONFLICT (key) DO UPDATE SET value = excluded.value";

static int settings_load(struct db *db, struct settings_memo *m)
{
	struct db_stmt *st = db_stmt(db, SQL_SETTINGS_GET);
	if (!st)
		return DB_ERR;
	int rc;
	m->n = 0;
	while ((rc = db_step(st)) == DB_ROW)
		memo_add(m, db_col_text(st, 0), db_col_text(st, 1));
	db_done(st);
	return rc < 0 ? rc : 0;
}

int store_settings_read(struct db *db, const char *const *keys, int *vals, int n)
{
	struct settings_memo *m = db_tx_memo(db), *loaded = NULL;
	if (!m) {
		loaded = m = xmalloc(sizeof *m);
		int rc = settings_load(db, m);
		if (rc < 0) {
			free(m);
			return rc;
		}
	}
	for (int i = 0; i < n; i++)
		for (int k = 0; k < m->n; k++)
			if (strcmp(m->key[k], keys[i]) == 0)
				vals[i] = m->val[k];
	if (loaded) /* kept for the transaction; outside one, freed at once */
		db_set_tx_memo(db, loaded, free);
	return 0;
}

int store_settings_write(struct db *db, const char *const *keys, const int *vals, int n)
{
	db_set_tx_memo(db, NULL, NULL);
	for (int i = 0; i < n; i++) {
		struct db_stmt *st = db_stmt(db, SQL_SETTINGS_PUT);
		if (!st)
			return DB_ERR;
		char v[16];
		snprintf(v, sizeof v, "%d", vals[i]);
		db_bind_text(st, 1, keys[i]);
		db_bind_text(st, 2, v);
		int rc = db_run(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const char *const SECURITY_KEYS[4] = {"lockout_threshold", "lockout_minutes",
					     "session_idle_minutes", "password_min_length"};

int store_settings_get(struct db *db, struct security_settings *out)
{
	int v[4] = {5, 15, 30, 8};
	int rc = store_settings_read(db, SECURITY_KEYS, v, 4);
	*out = (struct security_settings){v[0], v[1], v[2], v[3]};
	return rc;
}

int store_settings_put(struct db *db, const struct security_settings *s)
{
	const int v[4] = {s->lockout_threshold, s->lockout_minutes, s->session_idle_minutes,
			  s->password_min_length};
	return store_settings_write(db, SECURITY_KEYS, v, 4);
}
