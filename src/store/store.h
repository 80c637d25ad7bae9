/*
 * store.h - the database as the rest of Qingling sees it.
 *
 * A struct store is a pool of connections to one database (SQLite file or
 * PostgreSQL URI).  A request takes a connection with store_acquire(),
 * runs its transaction, and gives it back with store_release().  The
 * functions below run the domain's SQL on one connection; they never
 * begin or end transactions themselves (the caller does), allocate what
 * they return in the caller's arena, and return 1 (found) / 0 (not found
 * or done) / a negative DB_ERR_* code.
 */
#ifndef QL_STORE_H
#define QL_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "../core/role.h"
#include "../lib/arena.h"
#include "../lib/buf.h"

struct store;

struct store *store_open(const char *target, int nconn, struct ql_error *err);
void store_close(struct store *s);
/* Blocks until a connection is free; never NULL (a broken PostgreSQL
 * connection is reset first). */
struct db *store_acquire(struct store *s);
void store_release(struct store *s, struct db *db);

/* --- who is acting: recorded in the audit trail ------------------------ */
struct actor {
	int64_t user_id;	/* 0 for the command line / the public */
	const char *login;	/* "cli", "public" ... */
	const char *role;
	const char *address;
};

/* --- regions ---------------------------------------------------------- */
struct region {
	char *code, *name, *parent_code;
	int level;
};
int store_region_get(struct db *db, struct arena *a, const char *code, struct region *out);
int store_region_insert(struct db *db, const struct region *r);
/* Lists regions; under = subtree (with itself), parent = direct children
 * (either may be NULL).  Returns the count written into *items. */
int store_region_list(struct db *db, struct arena *a, const char *under, const char *parent,
		      int64_t offset, int64_t limit, struct region **items, int64_t *total);

/* --- departments ------------------------------------------------------ */
struct department {
	int64_t id;
	char *name, *region_code;
};
int store_department_get(struct db *db, struct arena *a, int64_t id, struct department *out);
int store_department_insert(struct db *db, struct department *d); /* sets d->id */
int store_department_list(struct db *db, struct arena *a, const char *region, int64_t offset,
			  int64_t limit, struct department **items, int64_t *total);

/* --- users ------------------------------------------------------------ */
struct user {
	int64_t id;
	char *login, *name;
	enum role role;
	char *region_code;	/* NULL unless region-scoped */
	int64_t department_id;	/* 0 unless department-scoped */
	int64_t enterprise_id;	/* 0 unless enterprise-scoped */
	char *password_hash;
	bool must_change_password, disabled;
	int failed_count;
	int64_t locked_until, created_at;
};
int store_user_by_login(struct db *db, struct arena *a, const char *login, struct user *out);
int store_user_by_id(struct db *db, struct arena *a, int64_t id, struct user *out);
int store_user_insert(struct db *db, struct user *u); /* sets u->id */
int store_user_list(struct db *db, struct arena *a, int64_t offset, int64_t limit,
		    struct user **items, int64_t *total);
int store_user_set_failures(struct db *db, int64_t id, int failed_count, int64_t locked_until);
int store_user_set_password(struct db *db, int64_t id, const char *hash, bool must_change,
			    int64_t now);
/* Validates and creates an account (login, role, scope, password policy),
 * hashing the password with argon2id and auditing the creation; u->id is
 * set.  -1 with err filled (the field at fault named) on refusal. */
int account_create(struct db *db, struct arena *a, struct user *u, const char *password,
		   const struct actor *who, int64_t now, struct ql_error *err);
/* True if the enterprise with this id exists. */
int store_enterprise_exists(struct db *db, int64_t id);

/* --- sessions and tokens ---------------------------------------------- */
struct session {
	int64_t id, user_id, created_at, last_seen;
	char *csrf_token;
};
int store_session_insert(struct db *db, const char *token_hash, int64_t user_id, const char *csrf,
			 const char *address, int64_t now);
/* Finds a live (not ended) session by token hash. */
int store_session_get(struct db *db, struct arena *a, const char *token_hash, struct session *out);
int store_session_touch(struct db *db, int64_t id, int64_t now);
int store_session_end(struct db *db, int64_t id, int64_t now);
int store_session_end_all(struct db *db, int64_t user_id, int64_t now);
int store_token_insert(struct db *db, const char *token_hash, int64_t user_id, int64_t now);
/* Finds the user id of a live bearer token. */
int store_token_user(struct db *db, const char *token_hash, int64_t *user_id);

/* --- security settings ------------------------------------------------ */
struct security_settings {
	int lockout_threshold, lockout_minutes, session_idle_minutes, password_min_length;
};
int store_settings_get(struct db *db, struct security_settings *out);
int store_settings_put(struct db *db, const struct security_settings *s);

/* --- audit trail ------------------------------------------------------ */
struct audit_entry {
	int64_t seq, at, actor_id;
	const char *actor_login, *actor_role, *address, *action, *object_type, *object_id;
	const char *before_json, *after_json, *outcome;
	const char *prev_hash, *hash;
};
/* Appends one entry at time `at`, chained to the last; the caller's
 * transaction makes it durable together with the change it records. */
int store_audit_append(struct db *db, const struct actor *who, int64_t at, const char *action,
		       const char *object_type, const char *object_id, const char *before_json,
		       const char *after_json, const char *outcome);
int store_audit_list(struct db *db, struct arena *a, int64_t from, int64_t to, int64_t offset,
		     int64_t limit, struct audit_entry **items, int64_t *total);
/* Walks the whole chain.  Returns 0 if intact; 1 if broken, with *bad_seq
 * the first bad sequence number and why[] the reason (Chinese); negative
 * on a database error. */
int store_audit_verify(struct db *db, int64_t *bad_seq, char *why, size_t why_len,
		       int64_t *checked);
/* The canonical text an entry's hash is computed over (tested). */
void audit_canonical(const struct audit_entry *e, struct buf *out);

#endif
