/*
 * unit_db.h - an SQLite database in a temporary file for the unit
 * tests: temp_db() makes one, fresh() one with the schema, drop() removes it.
 */
#ifndef QL_UNIT_DB_H
#define QL_UNIT_DB_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/store.h"

/* An SQLite database in a new temporary file, named in path (64 bytes). */
static inline struct db *temp_db(char *path)
{
	strcpy(path, "/tmp/qingling-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct ql_error err = {0};
	struct db *db = db_open(path, &err);
	assert_non_null(db);
	return db;
}

/* The same with the schema. */
static inline struct db *fresh(char *path)
{
	struct db *db = temp_db(path);
	struct ql_error err = {0};
	assert_true(migrate_apply(db, &err) >= 1);
	return db;
}

static inline void drop(struct db *db, const char *path)
{
	db_close(db);
	unlink(path);
	char side[300];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

#endif
