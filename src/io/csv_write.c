/*
 * csv_write.c - writing a table as CSV for Excel: UTF-8 with BOM, CRLF,
 * fields quoted when they hold a comma, quote or line break.  A field that
 * starts with = + - @ is prefixed with a quote mark so that a spreadsheet
 * does not run it as a formula (CSV injection).
 */
#include "table.h"

#include <string.h>

static void field(struct buf *out, const char *s)
{
	if (!s)
		return;
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

void csv_write(const struct table *t, struct buf *out)
{
	buf_puts(out, "\xEF\xBB\xBF");
	for (int i = 0; i < t->nrows; i++) {
		for (int j = 0; j < t->rows[i].ncells; j++) {
			if (j)
				buf_putc(out, ',');
			field(out, t->rows[i].cells[j]);
		}
		buf_puts(out, "\r\n");
	}
}
