/*
 * dispatch_xlsx.c - the monthly return in the layout of the paper form:
 * a title, the unit and dates, then the four sections with the section
 * name merged down its rows and two numbered items per row (序号, 项目,
 * 数值), and the signature lines (填报人, 审核人) and the form's note.
 */
#include "dispatch_xlsx.h"
#include "dispatch_form.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Column widths (in widths of "0"); a CJK character takes about 1.8. */
static const double WIDTHS[7] = {16, 5, 40, 18, 5, 40, 18};
#define ROW_POINTS 14.5

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

	for (lxw_col_t c = 0; c < 7; c++)
		worksheet_set_column(ws, c, c, WIDTHS[c], NULL);

	char line[512];
	worksheet_set_row(ws, 0, 30, NULL);
	worksheet_merge_range(ws, 0, 0, 0, 6, FORM_TITLE, title);
	form_info_line(d, now, line, sizeof line);
	worksheet_merge_range(ws, 1, 0, 1, 6, line, plain);
	for (int c = 0; c < 7; c++)
		worksheet_write_string(ws, 2, (lxw_col_t)c, FORM_HEADS[c], head);

	struct form_item items[FORM_MAX_ITEMS];
	int n = form_items(d, items);
	lxw_row_t row = 3;
	for (int s = 1; s <= FORM_SECTIONS; s++) {
		lxw_row_t first = row;
		int k = 0;
		int lines = 1;
		for (int i = 0; i < n; i++) {
			if (items[i].section != s)
				continue;
			lxw_col_t col = (lxw_col_t)(k % 2 ? 4 : 1);
			if (k % 2 == 0)
				lines = 1;
			int l1 = xlsx_text_lines(items[i].label, WIDTHS[col + 1]);
			int l2 = xlsx_text_lines(items[i].value, WIDTHS[col + 2]);
			lines = l1 > lines ? l1 : lines;
			lines = l2 > lines ? l2 : lines;
			worksheet_set_row(ws, row, ROW_POINTS * lines + 3, NULL);
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
			worksheet_merge_range(ws, first, 0, row - 1, 0, FORM_SECTION_NAMES[s], center);
		else
			worksheet_write_string(ws, first, 0, FORM_SECTION_NAMES[s], center);
	}
	row++;
	form_signature_line(d, line, sizeof line);
	worksheet_merge_range(ws, row, 0, row, 6, line, plain);
	row++;
	worksheet_set_row(ws, row, 48, NULL);
	worksheet_merge_range(ws, row, 0, row, 6, FORM_NOTE, plain);
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
