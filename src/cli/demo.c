/*
 * demo.c - `qingling demo`: fills a fresh database with a believable
 * county (岫岩满族自治县 of 鞍山市, Liaoning, the county of seed 003) -
 * its towns, the county safety committee office, member departments and
 * one account per role - so that a newcomer sees Qingling working.
 * Every change goes through the same store functions as the API and is
 * audited.  Refuses to run on a database that already has users.
 */
#include "cli.h"
#include "../core/validate.h"
#include "../lib/clock.h"
#include "../store/migrate.h"

#include <stdio.h>
#include <string.h>

static const char USAGE[] =
	"用法：qingling demo --db DB [--password P]\n"
	"  在一个新建的数据库中生成演示数据（区划、部门、各角色账号）。\n"
	"  所有演示账号的密码为 P（默认 Demo@2026）。\n";

static const struct {
	const char *code, *name;
} REGIONS[] = {
	{"21", "辽宁省"},
	{"2103", "鞍山市"},
	{"210323", "岫岩满族自治县"},
	{"210323100", "岫岩镇"},
	{"210323101", "兴隆街道"},
	{"210323102", "雅河街道"},
	{"210323103", "前营子镇"},
	{"210323104", "偏岭镇"},
	{"210323105", "哈达碑镇"},
	{"210323106", "石庙子镇"},
	{"210323107", "黄花甸镇"},
	{"210323108", "大营子镇"},
};

static const char *const DEPARTMENTS[] = {
	"县应急管理局",	    "县住房城乡建设局", "县交通运输局", "县工业和信息化局",
	"县农业农村局",	    "县市场监管局",	"县消防救援大队", "县自然资源局",
};

struct demo_user {
	const char *login, *name, *role;
	int scope; /* 0 none, 1 county region, 2 first department, 3 town */
};

static const struct demo_user USERS[] = {
	{"admin", "系统管理员", "sysadmin", 0},
	{"secadmin", "安全管理员", "secadmin", 0},
	{"auditor", "安全审计员", "auditor", 0},
	{"county_office", "县安委办 王主任", "office", 1},
	{"town_office", "岫岩镇安委办 李干事", "office", 3},
	{"yjj_inspector", "县应急管理局 赵科长", "regulator", 2},
};

int cmd_demo(int argc, char **argv)
{
	const char *target = NULL, *password = "Demo@2026";
	const struct cli_opt opts[] = {
		{"--db", &target, NULL}, {"--password", &password, NULL}, {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 2, opts, NULL, 0, "demo", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	struct db *db = cli_open_db("demo", target, true);
	if (!db)
		return 1;
	struct arena *a = arena_new();
	struct ql_error err = {0};
	int64_t now = clock_now();
	int status = 0, rc;
	int64_t users = db_one_int(db_stmt(db, "SELECT count(*) FROM users"), 0);
	if (users > 0) {
		status = cli_fail("demo", "数据库中已有账号，演示数据只能写入新建的数据库");
		goto out;
	}
	if ((rc = db_begin(db)) != 0) {
		status = cli_fail("demo", "数据库错误：%s", db_errmsg(db));
		goto out;
	}
	for (size_t i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++) {
		struct region g = {(char *)REGIONS[i].code, (char *)REGIONS[i].name, NULL, 0};
		size_t pl = region_parent_len(strlen(g.code));
		g.parent_code = pl ? arena_strndup(a, g.code, pl) : NULL;
		g.level = region_level(g.code);
		if ((rc = store_region_insert(db, &g)) < 0 ||
		    (rc = store_audit_append(db, &cli_actor, now, "region.create", "region", g.code,
					     NULL, NULL, "ok")) < 0)
			goto fail;
	}
	int64_t first_dept = 0;
	for (size_t i = 0; i < sizeof DEPARTMENTS / sizeof DEPARTMENTS[0]; i++) {
		struct department d = {0, (char *)DEPARTMENTS[i], "210323"};
		if ((rc = store_department_insert(db, &d)) < 0 ||
		    (rc = store_audit_append(db, &cli_actor, now, "department.create", "department",
					     arena_printf(a, "%lld", (long long)d.id), NULL, NULL,
					     "ok")) < 0)
			goto fail;
		if (!first_dept)
			first_dept = d.id;
	}
	for (size_t i = 0; i < sizeof USERS / sizeof USERS[0]; i++) {
		struct user u = {0};
		u.login = (char *)USERS[i].login;
		u.name = (char *)USERS[i].name;
		u.role = role_parse(USERS[i].role);
		if (USERS[i].scope == 1)
			u.region_code = "210323";
		else if (USERS[i].scope == 3)
			u.region_code = "210323100";
		else if (USERS[i].scope == 2)
			u.department_id = first_dept;
		if (account_create(db, a, &u, password, &cli_actor, now, &err) < 0) {
			db_rollback(db);
			status = cli_fail("demo", "%s", err.message);
			goto out;
		}
	}
	if ((rc = db_commit(db)) != 0)
		goto fail;
	printf("演示数据已写入：%zu 个区划、%zu 个部门、%zu 个账号（密码 %s）\n",
	       sizeof REGIONS / sizeof REGIONS[0], sizeof DEPARTMENTS / sizeof DEPARTMENTS[0],
	       sizeof USERS / sizeof USERS[0], password);
	goto out;
fail:
	status = cli_fail("demo", "写入演示数据失败：%s", db_errmsg(db));
	db_rollback(db);
out:
	arena_free(a);
	db_close(db);
	return status;
}
