/*
 * migrate.h - numbered schema migrations embedded in the binary
 * (src/store/migrations/NNNN_name.sql, turned into C at build time).
 */
#ifndef QL_MIGRATE_H
#define QL_MIGRATE_H

#include "db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migration_count;

/* The newest version this binary knows. */
int migrate_latest(void);
/* Applies every missing migration, each in its own transaction; returns
 * the number applied, or -1 with err filled. */
int migrate_apply(struct db *db, struct ql_error *err);
/* Checks that the database is exactly at this binary's version: -1 with
 * a message if it is newer (refuse to serve) or older (run init). */
int migrate_check(struct db *db, struct ql_error *err);

#endif
