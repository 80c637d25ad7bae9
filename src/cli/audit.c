/*
 * audit.c - `qingling audit verify`: walks the hash chain of the audit
 * trail; exit 0 if intact, 1 and the first bad row if not.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char USAGE[] =
	"用法：qingling audit verify --db DB\n"
	"  校验审计日志的 SM3 哈希链：完整则退出码 0；\n"
	"  发现被修改、删除的记录则退出码 1，并给出第一条有问题的记录序号。\n";

int cmd_audit(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		fputs(USAGE, argc < 3 ? stderr : stdout);
		return argc < 3 ? 2 : 0;
	}
	if (strcmp(argv[2], "verify") != 0)
		return cli_fail("audit", "未知子命令 %s（可用：verify）", argv[2]);
	const char *target = NULL;
	const struct cli_opt opts[] = {{"--db", &target, NULL}, {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 3, opts, NULL, 0, "audit verify", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	struct db *db = cli_open_db("audit verify", target, true);
	if (!db)
		return 2;
	int64_t bad = 0, checked = 0;
	char why[512] = "";
	int rc = db_begin_read(db);
	if (rc == 0)
		rc = store_audit_verify(db, &bad, why, sizeof why, &checked);
	int status;
	if (rc == 0) {
		printf("审计日志完整：共 %" PRId64 " 条记录，哈希链校验通过\n", checked);
		status = 0;
	} else if (rc == 1) {
		printf("审计日志被篡改：第一条有问题的记录 seq=%" PRId64 "：%s\n", bad, why);
		status = 1;
	} else {
		fprintf(stderr, "qingling audit verify: 数据库错误：%s\n", db_errmsg(db));
		status = 2;
	}
	db_rollback(db);
	db_close(db);
	return status;
}
