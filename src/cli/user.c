/*
 * user.c - `qingling user add`: create an account from the command line
 * (the first system administrator is made this way).  The same rules as
 * POST /api/v1/users apply (store/accounts.c).
 */
#include "cli.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
	"用法：qingling user add --db DB --login L --name N --role ROLE\n"
	"                        [--region CODE | --department ID | --enterprise ID]\n"
	"                        --password-stdin\n"
	"  ROLE：sysadmin 系统管理员、secadmin 安全管理员、auditor 安全审计员、\n"
	"        office 安委办（须 --region）、regulator 行业部门（须 --department）、\n"
	"        enterprise 企业（须 --enterprise）、expert 专家（三者之一）。\n"
	"  密码从标准输入读一行：至少 8 位，含大写、小写、数字、符号中的至少三类。\n";

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int user_add(int argc, char **argv)
{
	const char *target = NULL, *login = NULL, *name = NULL, *role = NULL, *region = NULL,
		   *dept = NULL, *ent = NULL;
	bool pw_stdin = false;
	const struct cli_opt opts[] = {
		{"--db", &target, NULL},	 {"--login", &login, NULL},
		{"--name", &name, NULL},	 {"--role", &role, NULL},
		{"--region", &region, NULL},	 {"--department", &dept, NULL},
		{"--enterprise", &ent, NULL},	 {"--password-stdin", NULL, &pw_stdin},
		{NULL, NULL, NULL},
	};
	int p = cli_parse(argc, argv, 3, opts, NULL, 0, "user add", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (!login)
		return cli_fail("user add", "缺少 --login");
	if (!name)
		return cli_fail("user add", "缺少 --name");
	if (!role)
		return cli_fail("user add", "缺少 --role");
	if (!pw_stdin)
		return cli_fail("user add", "须用 --password-stdin 从标准输入提供密码");
	struct user u = {0};
	u.login = (char *)login;
	u.name = (char *)name;
	u.role = role_parse(role);
	if (u.role == ROLE_NONE)
		return cli_fail("user add", "未知角色 %s（sysadmin、secadmin、auditor、office、"
					    "regulator、enterprise、expert）", role);
	u.region_code = (char *)region;
	if (dept && parse_id(dept, &u.department_id) < 0)
		return cli_fail("user add", "--department 应为部门编号（正整数）");
	if (ent && parse_id(ent, &u.enterprise_id) < 0)
		return cli_fail("user add", "--enterprise 应为企业编号（正整数）");

	char pw[512];
	if (!fgets(pw, sizeof pw, stdin))
		return cli_fail("user add", "未能从标准输入读到密码");
	pw[strcspn(pw, "\r\n")] = 0;

	struct db *db = cli_open_db("user add", target, true);
	if (!db)
		return 1;
	struct arena *a = arena_new();
	struct ql_error err = {0};
	int rc = db_begin(db);
	if (rc == 0 && account_create(db, a, &u, pw, &cli_actor, clock_now(), &err) == 0)
		rc = db_commit(db);
	else {
		if (rc != 0)
			db_fail(db, rc, &err);
		db_rollback(db);
		rc = -1;
	}
	if (rc != 0 && err.kind == QLE_NONE)
		db_fail(db, rc, &err);
	memset(pw, 0, sizeof pw);
	arena_free(a);
	db_close(db);
	if (rc != 0)
		return err.field ? cli_fail("user add", "%s（字段 %s）", err.message, err.field)
				 : cli_fail("user add", "%s", err.message);
	printf("%lld\n", (long long)u.id);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		fputs(USAGE, argc < 3 ? stderr : stdout);
		return argc < 3 ? 2 : 0;
	}
	if (strcmp(argv[2], "add") == 0)
		return user_add(argc, argv);
	return cli_fail("user", "未知子命令 %s（可用：add）", argv[2]);
}
