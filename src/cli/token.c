/*
 * token.c - `qingling token create`: a bearer token for a machine client.
 * The token is printed once; the database keeps only its SHA-256.
 */
#include "cli.h"
#include "../lib/clock.h"
#include "../lib/crypto.h"

#include <stdio.h>
#include <string.h>

static const char USAGE[] =
	"用法：qingling token create --db DB --login L\n"
	"  为账号 L 生成一个访问令牌（Authorization: Bearer 令牌），只在此显示一次。\n";

int cmd_token(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		fputs(USAGE, argc < 3 ? stderr : stdout);
		return argc < 3 ? 2 : 0;
	}
	if (strcmp(argv[2], "create") != 0)
		return cli_fail("token", "未知子命令 %s（可用：create）", argv[2]);
	const char *target = NULL, *login = NULL;
	const struct cli_opt opts[] = {
		{"--db", &target, NULL}, {"--login", &login, NULL}, {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 3, opts, NULL, 0, "token create", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (!login)
		return cli_fail("token create", "缺少 --login");
	struct db *db = cli_open_db("token create", target, true);
	if (!db)
		return 1;
	struct arena *a = arena_new();
	struct user u;
	int rc = store_user_by_login(db, a, login, &u);
	char token[CRYPTO_TOKEN_MAX], hash[CRYPTO_HASH_HEX];
	int status = 0;
	if (rc <= 0) {
		status = rc < 0 ? cli_fail("token create", "数据库错误：%s", db_errmsg(db))
				: cli_fail("token create", "用户 %s 不存在", login);
		goto out;
	}
	if (u.disabled) {
		status = cli_fail("token create", "用户 %s 已停用", login);
		goto out;
	}
	crypto_token("qlt_", token, sizeof token);
	crypto_sha256_hex(token, strlen(token), hash);
	int64_t now = clock_now();
	rc = db_begin(db);
	if (rc == 0)
		rc = store_token_insert(db, hash, u.id, now);
	if (rc == 0)
		rc = store_audit_append(db, &cli_actor, now, "token.create", "user", u.login, NULL,
					NULL, "ok");
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc != 0) {
		status = cli_fail("token create", "保存令牌失败：%s", db_errmsg(db));
		goto out;
	}
	printf("%s\n", token);
out:
	arena_free(a);
	db_close(db);
	return status;
}
