/*
 * report.c - `qingling report dispatch`: the monthly return of a unit,
 * the same as GET /api/v1/reports/dispatch, written to a file (or to
 * standard output for JSON).  The command line is an operator's tool and
 * reads every unit.
 */
#include "cli.h"
#include "../io/dispatch_pdf.h"
#include "../io/dispatch_xlsx.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <string.h>

static const char USAGE[] =
	"用法：qingling report dispatch --db DB --unit UNIT --period YYYY-MM --since YYYY-MM-DD\n"
	"                               [--format json|xlsx|pdf] [-o FILE]\n"
	"  生成月度调度表（截至当月 24 日的累计）。UNIT 为 region:区划代码 或 department:部门编号；\n"
	"  --since 为专项行动开始日期。json 默认输出到标准输出，xlsx 和 pdf 须用 -o 指定文件。\n";

static int report_dispatch(int argc, char **argv)
{
	const char *target = NULL, *unit = NULL, *period = NULL, *since = NULL, *format = "json",
		   *file = NULL;
	const struct cli_opt opts[] = {
		{"--db", &target, NULL},   {"--unit", &unit, NULL},     {"--period", &period, NULL},
		{"--since", &since, NULL}, {"--format", &format, NULL}, {"-o", &file, NULL},
		{"--output", &file, NULL}, {NULL, NULL, NULL},
	};
	int p = cli_parse(argc, argv, 3, opts, NULL, 0, "report dispatch", USAGE);
	if (p != 0)
		return p < 0 ? 2 : 0;
	bool xlsx = strcmp(format, "xlsx") == 0, pdf = strcmp(format, "pdf") == 0;
	if (strcmp(format, "json") != 0 && !xlsx && !pdf)
		return cli_fail("report dispatch", "--format 应为 json、xlsx 或 pdf");
	if ((xlsx || pdf) && !file)
		return cli_fail("report dispatch", "%s 格式须用 -o 指定输出文件", format);
	struct db *db = cli_open_db("report dispatch", target, true);
	if (!db)
		return 1;
	struct arena *a = arena_new();
	struct ql_error err = {0};
	struct dispatch_return d;
	struct buf out = BUF_INIT;
	int status = 0;
	if (db_begin_read(db) != 0 || dispatch_build(db, a, unit, period, since, &d, &err) < 0) {
		status = cli_fail("report dispatch", "%s", err.message[0] ? err.message : db_errmsg(db));
		goto done;
	}
	if (xlsx || pdf) {
		int rc = xlsx ? dispatch_xlsx(&d, clock_now(), &out, &err)
			      : dispatch_pdf(&d, clock_now(), &out, &err);
		if (rc < 0) {
			status = cli_fail("report dispatch", "%s", err.message);
			goto done;
		}
	} else {
		struct jsonw w;
		jw_init(&w, &out);
		dispatch_write_json(&w, &d);
		buf_putc(&out, '\n');
	}
	FILE *f = file ? fopen(file, "wb") : stdout;
	if (!f) {
		status = cli_fail("report dispatch", "无法写入文件 %s", file);
		goto done;
	}
	if (fwrite(out.data, 1, out.len, f) != out.len || (file && fclose(f) != 0))
		status = cli_fail("report dispatch", "写入 %s 失败", file ? file : "标准输出");
done:
	db_rollback(db);
	buf_free(&out);
	arena_free(a);
	db_close(db);
	return status;
}

int cmd_report(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		fputs(USAGE, argc < 3 ? stderr : stdout);
		return argc < 3 ? 2 : 0;
	}
	if (strcmp(argv[2], "dispatch") == 0)
		return report_dispatch(argc, argv);
	return cli_fail("report", "未知的报表 %s（可用：dispatch）", argv[2]);
}
