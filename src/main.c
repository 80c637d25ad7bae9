/*
 * main.c - the qingling binary: a dispatch table of subcommands (Fossil,
 * git), each implemented in src/cli/<name>.c.
 */
#include "cli/cli.h"
#include "lib/clock.h"
#include "lib/crypto.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} COMMANDS[] = {
	{"init", cmd_init, "创建或升级数据库"},
	{"serve", cmd_serve, "启动 HTTP 服务"},
	{"user", cmd_user, "管理账号（user add）"},
	{"token", cmd_token, "生成访问令牌（token create）"},
	{"audit", cmd_audit, "校验审计日志（audit verify）"},
	{"import", cmd_import, "批量导入（import enterprises）"},
	{"report", cmd_report, "生成报表（report dispatch 月度调度表）"},
	{"demo", cmd_demo, "写入演示数据"},
	{"generate", cmd_generate, "生成性能测试用的合成省份数据"},
};

static void usage(FILE *f)
{
	fputs("清零 Qingling —— 安全生产专项整治与事故隐患闭环管理系统\n"
	      "用法：qingling <命令> [选项]，qingling <命令> --help 查看各命令的用法\n\n命令：\n",
	      f);
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		fprintf(f, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (clock_init() < 0) {
		fprintf(stderr, "qingling: 环境变量 QINGLING_NOW 不是有效的 RFC 3339 时间\n");
		return 2;
	}
	if (crypto_init() < 0) {
		fprintf(stderr, "qingling: 无法初始化加密库\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
		if (strcmp(argv[1], COMMANDS[i].name) == 0)
			return COMMANDS[i].fn(argc, argv);
	fprintf(stderr, "qingling: 未知命令 %s（用 qingling --help 查看可用命令）\n", argv[1]);
	return 2;
}
