/*
 * dispatch_xlsx.c - the monthly return in the layout of the paper form:
 * a title, the unit and dates, then the four sections with the section
 * name merged down its rows and two numbered items per row (序号, 项目,
 * 数值), and the signature lines (填报人, 审核人) and the form's note.
 */
#include "dispatch_xlsx.h"
#include "../core/dispatch.h"
#include "../lib/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *const SECTION_NAMES[] = {"", "总体情况", "对企业自查自改进行抽查检查情况",
					    "部门精准严格执法情况", "党委政府组织领导情况"};

/* One numbered item of the form: one or two values (e.g. 次 and 万元). */
struct form_item {
	int section, no;
	const char *label;
	char value[96];
};

static void format_value(const struct dispatch_item *it, int64_t v, char *out, size_t n)
{
	if (it->type == DT_BOOL)
		snprintf(out, n, "%s", v ? "是" : "否");
	else if (it->type == DT_AMOUNT) {
		int64_t yuan = (v + 50) / 100;
		char tmp[48];
		snprintf(tmp, sizeof tmp, "%lld.%04lld", (long long)(yuan / 10000), (long long)(yuan % 10000));
		char *e = tmp + strlen(tmp) - 1;
		while (*e == '0')
			*e-- = 0;
		if (*e == '.')
			*e = 0;
		snprintf(out, n, "%s", tmp);
	} else
		snprintf(out, n, "%lld", (long long)v);
}

static int collect(const struct dispatch_return *d, struct form_item *items)
{
	int n = 0;
	for (int i = 0; i < DISPATCH_ITEM_COUNT; i++) {
		const struct dispatch_item *it = &DISPATCH_ITEMS[i];
		char v[48];
		format_value(it, d->values[i], v, sizeof v);
		if (n > 0 && items[n - 1].section == it->section && items[n - 1].no == it->item) {
			/* The second value of the same numbered item. */
			size_t len = strlen(items[n - 1].value);
			snprintf(items[n - 1].value + len, sizeof items[n - 1].value - len,
				 "；%s %s%s", strncmp(it->label, "其中", 6) == 0 ? it->label : "金额", v,
				 it->unit);
			continue;
		}
		items[n].section = it->section;
		items[n].no = it->item;
		items[n].label = it->label;
		snprintf(items[n].value, sizeof items[n].value, "%s%s", v,
			 it->type == DT_BOOL ? "" : it->unit);
		n++;
	}
	return n;
}

int dispatch_xlsx(const struct dispatch_return *d, int64_t now, struct buf *out,
		  struct ql_error *err)
{
	char path[] = "/tmp/qingling-dispatch-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "无法创建临时文件");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		return ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "无法生成 Excel 文件");
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "调度表");
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 16);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *plain = workbook_add_format(wb);
	format_set_text_wrap(plain);
	format_set_align(plain, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *cell = workbook_add_format(wb);
	format_set_border(cell, LXW_BORDER_THIN);
	format_set_text_wrap(cell);
	format_set_align(cell, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *center = workbook_add_format(wb);
	format_set_border(center, LXW_BORDER_THIN);
	format_set_text_wrap(center);
	format_set_align(center, LXW_ALIGN_CENTER);
	format_set_align(center, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *head = workbook_add_format(wb);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_align(head, LXW_ALIGN_CENTER);

	worksheet_set_column(ws, 0, 0, 16, NULL);
	worksheet_set_column(ws, 1, 1, 5, NULL);
	worksheet_set_column(ws, 2, 2, 34, NULL);
	worksheet_set_column(ws, 3, 3, 16, NULL);
	worksheet_set_column(ws, 4, 4, 5, NULL);
	worksheet_set_column(ws, 5, 5, 34, NULL);
	worksheet_set_column(ws, 6, 6, 16, NULL);

	char line[512], today[16];
	worksheet_set_row(ws, 0, 30, NULL);
	worksheet_merge_range(ws, 0, 0, 0, 6, "重大事故隐患专项排查整治行动进展情况调度表", title);
	clock_format_date_cn(now, today, sizeof today);
	snprintf(line, sizeof line, "填报单位：%s（加盖公章）    统计期间：%s 至 %s（截至当月 24 日累计）"
		 "    填表时间：%.4s年%.2s月%.2s日",
		 d->unit_name, d->since, d->until, today, today + 5, today + 8);
	worksheet_merge_range(ws, 1, 0, 1, 6, line, plain);
	const char *heads[] = {"类别", "序号", "项目", "数值", "序号", "项目", "数值"};
	for (int c = 0; c < 7; c++)
		worksheet_write_string(ws, 2, (lxw_col_t)c, heads[c], head);

	struct form_item items[64];
	int n = collect(d, items);
	lxw_row_t row = 3;
	for (int s = 1; s <= 4; s++) {
		lxw_row_t first = row;
		int k = 0;
		for (int i = 0; i < n; i++) {
			if (items[i].section != s)
				continue;
			lxw_col_t col = (lxw_col_t)(k % 2 ? 4 : 1);
			char no[8];
			snprintf(no, sizeof no, "%d", items[i].no);
			worksheet_write_string(ws, row, col, no, center);
			worksheet_write_string(ws, row, col + 1, items[i].label, cell);
			worksheet_write_string(ws, row, col + 2, items[i].value, center);
			if (k % 2)
				row++;
			k++;
		}
		if (k % 2) {
			for (lxw_col_t c = 4; c <= 6; c++)
				worksheet_write_blank(ws, row, c, cell);
			row++;
		}
		if (row - 1 > first)
			worksheet_merge_range(ws, first, 0, row - 1, 0, SECTION_NAMES[s], center);
		else
			worksheet_write_string(ws, first, 0, SECTION_NAMES[s], center);
	}
	row++;
	snprintf(line, sizeof line, "填表人：%s                    审核人：%s",
		 d->filler ? d->filler : "________", d->reviewer ? d->reviewer : "________");
	worksheet_merge_range(ws, row, 0, row, 6, line, plain);
	row++;
	worksheet_set_row(ws, row, 48, NULL);
	worksheet_merge_range(ws, row, 0, row, 6,
			      "注：每月 25 日上报截至本月 24 日的累计情况，如遇节假日提前上报。"
			      "“数值”中除填报项外均由系统根据隐患、检查、执法、举报和活动记录自动统计。",
			      plain);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 1);
	worksheet_set_paper(ws, 9);
	lxw_error e = workbook_close(wb);
	int rc = 0;
	if (e != LXW_NO_ERROR) {
		rc = ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "生成 Excel 文件失败：%s", lxw_strerror(e));
	} else {
		if (buf_read_file(out, path) < 0)
			rc = ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "无法读取生成的 Excel 文件");
	}
	unlink(path);
	return rc;
}
