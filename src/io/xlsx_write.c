/*
 * xlsx_write.c - writing a table as an .xlsx workbook with libxlsxwriter.
 * The library writes to a file, so the workbook goes to a private
 * temporary file that is read back and removed.
 */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_WIDTH 40 /* characters of "0"; longer text wraps */

/* One sheet: header row bold and frozen, widths fitted, a filter; printed
 * as a ledger - A4 landscape, one page wide, the header on every page,
 * ruled cells, the sheet's name above and page numbers below. */
static void write_sheet(lxw_workbook *wb, lxw_format *head, lxw_format *cell,
			const struct table *t, const char *sheet, const unsigned char *numeric)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
	int ncols = t->nrows ? t->rows[0].ncells : 0;
	double width[256] = {0};
	for (int i = 0; i < t->nrows; i++)
		for (int j = 0; j < t->rows[i].ncells && j < 256; j++) {
			const char *s = t->rows[i].cells[j];
			if (!s)
				continue;
			/* A Chinese character is about two Latin characters wide. */
			double w = 0;
			for (const unsigned char *p = (const unsigned char *)s; *p; p++)
				w += *p >= 0xE0 ? 2.0 : (*p & 0xC0) == 0x80 ? 0 : 1.0;
			if (w > width[j])
				width[j] = w;
			lxw_format *f = i == 0 ? head : cell;
			if (i > 0 && numeric && j < ncols && numeric[j] && *s)
				worksheet_write_number(ws, (lxw_row_t)i, (lxw_col_t)j, strtod(s, NULL), f);
			else
				worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)j, s, f);
		}
	double col[256];
	for (int j = 0; j < ncols && j < 256; j++) {
		double w = width[j] + 2;
		col[j] = w < 8 ? 8 : w > MAX_WIDTH ? MAX_WIDTH : w;
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, col[j], NULL);
	}
	/* Rows as tall as their longest wrapped cell (at most 8 lines). */
	for (int i = 1; i < t->nrows; i++) {
		int lines = 1;
		for (int j = 0; j < t->rows[i].ncells && j < ncols && j < 256; j++) {
			int l = xlsx_text_lines(t->rows[i].cells[j], col[j]);
			lines = l > lines ? l : lines;
		}
		if (lines > 1)
			worksheet_set_row(ws, (lxw_row_t)i, 14.5 * (lines > 8 ? 8 : lines) + 3, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	char header[128];
	snprintf(header, sizeof header, "&C&14%s", sheet);
	worksheet_set_header(ws, header);
	worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
	if (t->nrows > 1 && ncols > 0)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)(t->nrows - 1), (lxw_col_t)(ncols - 1));
}

int xlsx_write_book(const struct xlsx_sheet *sheets, int n, struct buf *out,
		    struct ql_error *err)
{
	char path[] = "/tmp/qingling-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "无法创建临时文件");
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = "/tmp"};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb) {
		unlink(path);
		return ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "无法生成 Excel 文件");
	}
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	lxw_format *cell = workbook_add_format(wb);
	format_set_border(cell, LXW_BORDER_THIN);
	format_set_text_wrap(cell);
	format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
	for (int i = 0; i < n; i++)
		write_sheet(wb, head, cell, sheets[i].table, sheets[i].name, sheets[i].numeric);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		unlink(path);
		return ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "生成 Excel 文件失败：%s",
			       lxw_strerror(e));
	}
	int rc = 0;
	if (buf_read_file(out, path) < 0)
		rc = ql_fail(err, QLE_INTERNAL, "xlsx", NULL, "无法读取生成的 Excel 文件");
	unlink(path);
	return rc;
}

int xlsx_write(const struct table *t, const char *sheet, const unsigned char *numeric,
	       struct buf *out, struct ql_error *err)
{
	struct xlsx_sheet one = {sheet, t, numeric};
	return xlsx_write_book(&one, 1, out, err);
}
