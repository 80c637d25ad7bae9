/*
 * unit_db.h - a migrated SQLite database in a temporary file for the unit
 * tests that need the schema: fresh() makes one, drop() removes it.
 */
#ifndef QL_UNIT_DB_H
#define QL_UNIT_DB_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/migrate.h"
#include "store/store.h"

static inline struct db *fresh(char *path)
{
	strcpy(path, "/tmp/qingling-unit-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct ql_error err = {0};
	struct db *db = db_open(path, &err);
	assert_non_null(db);
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
