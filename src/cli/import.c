/*
 * import.c - `qingling import enterprises`: register enterprises from a
 * .csv (UTF-8, BOM or not) or .xlsx file, all or nothing.
 *
 * The header row names the columns, in Chinese (统一社会信用代码, 单位名称,
 * 所属区划代码, 行业代码, 高危行业（是/否）, 主要负责人, 主要负责人电话,
 * 实际控制人, 实际控制人电话, 监管部门编号) or as the API's field names.
 * Every row goes through the same rules as POST /api/v1/enterprises in
 * one transaction; the first bad row stops the import, names its row and
 * field, and nothing is written.
 */
#include "cli.h"
#include "../io/table.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] =
	"用法：qingling import enterprises --db DB FILE\n"
	"  从 .csv（UTF-8）或 .xlsx 文件批量登记企业；任一行有误则全部不导入。\n"
	"  表头（中文或接口字段名）：统一社会信用代码 uscc、单位名称 name、所属区划代码 region_code、\n"
	"  行业代码 industry_code、高危行业（是/否） high_risk、主要负责人 main_person.name、\n"
	"  主要负责人电话 main_person.phone、实际控制人 controller.name、实际控制人电话 controller.phone、\n"
	"  监管部门编号 department_ids（可选，多个用分号分隔）。\n";

enum col {
	COL_USCC, COL_NAME, COL_REGION, COL_INDUSTRY, COL_HIGH_RISK, COL_MAIN_NAME, COL_MAIN_PHONE,
	COL_CTRL_NAME, COL_CTRL_PHONE, COL_DEPTS, COL_COUNT
};

static const struct {
	const char *field;	/* the API field name, used in errors */
	const char *names[4];	/* accepted headers */
	bool required;
} COLS[COL_COUNT] = {
	[COL_USCC] = {"uscc", {"统一社会信用代码", "uscc"}, true},
	[COL_NAME] = {"name", {"单位名称", "企业名称", "name"}, true},
	[COL_REGION] = {"region_code", {"所属区划代码", "区划代码", "region_code"}, true},
	[COL_INDUSTRY] = {"industry_code", {"行业代码", "industry_code"}, true},
	[COL_HIGH_RISK] = {"high_risk", {"高危行业", "high_risk"}, false},
	[COL_MAIN_NAME] = {"main_person.name", {"主要负责人", "main_person.name", "main_person_name"}, true},
	[COL_MAIN_PHONE] = {"main_person.phone", {"主要负责人电话", "main_person.phone", "main_person_phone"}, true},
	[COL_CTRL_NAME] = {"controller.name", {"实际控制人", "controller.name", "controller_name"}, true},
	[COL_CTRL_PHONE] = {"controller.phone", {"实际控制人电话", "controller.phone", "controller_phone"}, true},
	[COL_DEPTS] = {"department_ids", {"监管部门编号", "department_ids"}, false},
};

/* Header text without blanks and without a trailing "(是/否)" remark. */
static void normalise(const char *in, char *out, size_t n)
{
	size_t j = 0;
	for (const char *p = in; *p && j + 1 < n; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (*p == '(' || strncmp(p, "（", strlen("（")) == 0)
			break;
		out[j++] = *p;
	}
	out[j] = 0;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"是", "Y", "y", "yes", "true", "TRUE", "1", "高危"};
	static const char *const no[] = {"否", "N", "n", "no", "false", "FALSE", "0", ""};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, 0;
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, 0;
	return -1;
}

static char *trimmed(struct arena *a, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

static int parse_departments(struct arena *a, const char *s, struct enterprise *e)
{
	e->department_ids = arena_alloc(a, sizeof(int64_t) * 64);
	e->ndepartments = 0;
	const char *p = s;
	while (*p) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p || v <= 0 || e->ndepartments >= 64)
			return -1;
		e->department_ids[e->ndepartments++] = v;
		p = end;
		while (*p == ';' || *p == ',' || *p == ' ' || strncmp(p, "；", 3) == 0 ||
		       strncmp(p, "，", 3) == 0)
			p += (*p == ';' || *p == ',' || *p == ' ') ? 1 : 3;
	}
	return 0;
}

static int import_enterprises(int argc, char **argv)
{
	const char *target = NULL, *file = NULL;
	const struct cli_opt opts[] = {{"--db", &target, NULL}, {NULL, NULL, NULL}};
	int p = cli_parse(argc, argv, 3, opts, &file, 1, "import enterprises", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	if (!file)
		return cli_fail("import enterprises", "缺少要导入的文件（.csv 或 .xlsx）");
	struct table t = {0};
	struct ql_error err = {0};
	if (table_read_file(file, &t, &err) < 0) {
		table_free(&t);
		return cli_fail("import enterprises", "%s", err.message);
	}
	if (t.nrows < 1) {
		table_free(&t);
		return cli_fail("import enterprises", "文件为空：第 1 行应为表头");
	}
	int at[COL_COUNT];
	for (int c = 0; c < COL_COUNT; c++)
		at[c] = -1;
	for (int j = 0; j < t.rows[0].ncells; j++) {
		char h[128];
		normalise(table_cell(&t, 0, j), h, sizeof h);
		for (int c = 0; c < COL_COUNT; c++)
			for (int k = 0; k < 4 && COLS[c].names[k]; k++)
				if (strcmp(h, COLS[c].names[k]) == 0 && at[c] < 0)
					at[c] = j;
	}
	for (int c = 0; c < COL_COUNT; c++)
		if (COLS[c].required && at[c] < 0) {
			table_free(&t);
			return cli_fail("import enterprises", "表头缺少“%s”列（字段 %s）", COLS[c].names[0],
					COLS[c].field);
		}
	struct db *db = cli_open_db("import enterprises", target, true);
	if (!db) {
		table_free(&t);
		return 1;
	}
	int64_t now = clock_now();
	int status = 0, rc = db_begin(db);
	bool tty = isatty(2);
	if (rc != 0) {
		status = cli_fail("import enterprises", "数据库错误：%s", db_errmsg(db));
		goto out;
	}
	for (int i = 1; i < t.nrows; i++) {
		struct arena *a = arena_new();
		struct enterprise e = {0};
		const char *v[COL_COUNT];
		for (int c = 0; c < COL_COUNT; c++)
			v[c] = at[c] >= 0 ? trimmed(a, table_cell(&t, i, at[c])) : NULL;
		e.uscc = (char *)v[COL_USCC];
		e.name = (char *)v[COL_NAME];
		e.region_code = (char *)v[COL_REGION];
		e.industry_code = (char *)v[COL_INDUSTRY];
		e.main_person.name = (char *)v[COL_MAIN_NAME];
		e.main_person.phone = (char *)v[COL_MAIN_PHONE];
		e.controller.name = (char *)v[COL_CTRL_NAME];
		e.controller.phone = (char *)v[COL_CTRL_PHONE];
		int line = t.rows[i].line;
		if (v[COL_HIGH_RISK] && parse_bool(v[COL_HIGH_RISK], &e.high_risk) < 0) {
			status = cli_fail("import enterprises", "第 %d 行，字段 high_risk（高危行业）：应为“是”或“否”",
					  line);
		} else if (v[COL_DEPTS] && parse_departments(a, v[COL_DEPTS], &e) < 0) {
			status = cli_fail("import enterprises",
					  "第 %d 行，字段 department_ids（监管部门编号）：应为用分号分隔的部门编号", line);
		} else if (enterprise_save(db, a, &e, NULL, &cli_actor, now, &err) < 0) {
			status = cli_fail("import enterprises", "第 %d 行，字段 %s：%s", line,
					  err.field ? err.field : "-", err.message);
		}
		arena_free(a);
		if (status)
			break;
		if (i % 1000 == 0 || (tty && i % 100 == 0))
			fprintf(stderr, "qingling import enterprises: 已校验 %d / %d 行\n", i, t.nrows - 1);
	}
	if (status) {
		db_rollback(db);
		fprintf(stderr, "qingling import enterprises: 未导入任何企业\n");
		goto out;
	}
	if ((rc = db_commit(db)) != 0) {
		status = cli_fail("import enterprises", "提交失败，未导入任何企业：%s", db_errmsg(db));
		goto out;
	}
	printf("已导入 %d 家企业\n", t.nrows - 1);
out:
	db_close(db);
	table_free(&t);
	return status;
}

int cmd_import(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		fputs(USAGE, argc < 3 ? stderr : stdout);
		return argc < 3 ? 2 : 0;
	}
	if (strcmp(argv[2], "enterprises") == 0)
		return import_enterprises(argc, argv);
	return cli_fail("import", "未知的导入对象 %s（可用：enterprises）", argv[2]);
}
