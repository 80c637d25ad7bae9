/*
 * init.c - `qingling init`: create or migrate the database (idempotent).
 */
#include "cli.h"
#include "../store/migrate.h"

#include <stdio.h>

static const char USAGE[] =
	"用法：qingling init --db DB\n"
	"  创建数据库或升级到本程序的版本；可重复执行。\n"
	"  DB 为 SQLite 文件路径或 postgresql:// URI。\n";

int cmd_init(int argc, char **argv)
{
	const char *target = NULL;
	const struct cli_opt opts[] = {{"--db", &target, NULL}, {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 2, opts, NULL, 0, "init", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	struct db *db = cli_open_db("init", target, false);
	if (!db)
		return 1;
	struct ql_error err = {0};
	int n = migrate_apply(db, &err);
	db_close(db);
	if (n < 0)
		return cli_fail("init", "%s", err.message);
	if (n > 0)
		fprintf(stderr, "qingling init: 已应用 %d 个迁移，数据库版本 %d\n", n, migrate_latest());
	return 0;
}
