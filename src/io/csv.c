/*
 * csv.c - reading CSV (RFC 4180) into a table.
 *
 * Fields may be quoted; a quote inside a quoted field is doubled; quoted
 * fields may hold commas and line breaks.  A UTF-8 byte order mark at the
 * start is skipped (Excel writes one).  Text that is not valid UTF-8 is
 * refused with the line it is on, rather than stored garbled: files saved
 * as GBK by old Excel versions must be re-saved as UTF-8.
 */
#include "table.h"
#include "../core/validate.h"
#include "../lib/buf.h"
#include "../lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int csv_read_mem(const char *data, size_t n, struct table *t, struct ql_error *err)
{
	size_t i = 0;
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	int line = 1, row_line = 1;
	struct buf field = BUF_INIT;
	char **cells = NULL;
	int ncells = 0, cap = 0;
	bool quoted = false, in_quotes = false, any = false;
	int rc = 0;
	for (;; i++) {
		bool end = i >= n;
		char c = end ? '\n' : data[i];
		if (in_quotes && !end) {
			if (c == '"') {
				if (i + 1 < n && data[i + 1] == '"') {
					buf_putc(&field, '"');
					i++;
				} else {
					in_quotes = false;
				}
			} else {
				if (c == '\n')
					line++;
				buf_putc(&field, c);
			}
			continue;
		}
		if (in_quotes && end) {
			rc = ql_fail(err, QLE_INVALID, "csv_quote", "file", "第 %d 行：引号未闭合", row_line);
			break;
		}
		if (c == '"' && field.len == 0 && !quoted) {
			quoted = in_quotes = true;
			any = true;
			continue;
		}
		if (c == ',' || c == '\n' || (c == '\r' && i + 1 < n && data[i + 1] == '\n') ||
		    (c == '\r' && i + 1 >= n)) {
			if (c == '\r') {
				if (i + 1 < n)
					i++;
				c = '\n';
			}
			if (ncells == cap) {
				cap = cap ? cap * 2 : 16;
				cells = xrealloc(cells, sizeof *cells * (size_t)cap);
			}
			const char *s = buf_str(&field);
			if (utf8_length(s) < 0) {
				rc = ql_fail(err, QLE_INVALID, "csv_encoding", "file",
					     "第 %d 行含有非 UTF-8 字符，请将文件另存为 UTF-8 编码的 CSV", row_line);
				break;
			}
			cells[ncells++] = field.len || quoted ? xstrdup(s) : NULL;
			if (field.len)
				any = true;
			buf_reset(&field);
			quoted = false;
			if (c == '\n') {
				if (any)
					table_add_row(t, cells, ncells, row_line);
				else {
					for (int k = 0; k < ncells; k++)
						free(cells[k]);
					free(cells);
				}
				cells = NULL;
				ncells = cap = 0;
				any = false;
				line++;
				row_line = line;
				if (end)
					break;
			}
			continue;
		}
		/* Text after a closing quote is kept, as spreadsheets do. */
		buf_putc(&field, c);
		any = true;
	}
	if (cells) {
		for (int k = 0; k < ncells; k++)
			free(cells[k]);
		free(cells);
	}
	buf_free(&field);
	return rc;
}

int csv_read_file(const char *path, struct table *t, struct ql_error *err)
{
	struct buf b = BUF_INIT;
	if (buf_read_file(&b, path) < 0) {
		buf_free(&b);
		return ql_fail(err, QLE_BAD_REQUEST, "file", "file", "无法读取文件 %s", path);
	}
	int rc = csv_read_mem(buf_str(&b), b.len, t, err);
	buf_free(&b);
	return rc;
}
