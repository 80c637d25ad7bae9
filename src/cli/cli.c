/*
 * cli.c - option parsing and helpers shared by the subcommands.
 */
#include "cli.h"
#include "../store/migrate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct actor cli_actor = {0, "cli", "system", "local"};

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "qingling %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts, const char **pos,
	      int npos, const char *cmd, const char *usage)
{
	int np = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (a[0] != '-' || a[1] == 0) {
			if (np >= npos) {
				cli_fail(cmd, "多余的参数：%s（用 --help 查看用法）", a);
				return -1;
			}
			pos[np++] = a;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		const struct cli_opt *o = opts;
		while (o->name && !(strlen(o->name) == nl && strncmp(o->name, a, nl) == 0))
			o++;
		if (!o->name) {
			cli_fail(cmd, "未知选项：%s（用 --help 查看用法）", a);
			return -1;
		}
		if (o->flag) {
			*o->flag = true;
			continue;
		}
		if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			cli_fail(cmd, "选项 %s 缺少取值", o->name);
			return -1;
		}
	}
	return 0;
}

struct db *cli_open_db(const char *cmd, const char *target, bool check_schema)
{
	if (!target) {
		cli_fail(cmd, "缺少 --db（SQLite 文件路径或 postgresql:// URI）");
		return NULL;
	}
	struct ql_error err = {0};
	struct db *db = db_open(target, &err);
	if (!db) {
		cli_fail(cmd, "%s", err.message);
		return NULL;
	}
	if (check_schema && migrate_check(db, &err) < 0) {
		cli_fail(cmd, "%s", err.message);
		db_close(db);
		return NULL;
	}
	return db;
}
