/*
 * table.c - the in-memory table shared by the CSV and xlsx readers.
 */
#include "table.h"
#include "../lib/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void table_free(struct table *t)
{
	for (int i = 0; i < t->nrows; i++) {
		for (int j = 0; j < t->rows[i].ncells; j++)
			free(t->rows[i].cells[j]);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t->merges);
	memset(t, 0, sizeof *t);
}

void table_add_row(struct table *t, char **cells, int n, int line)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, sizeof *t->rows * (size_t)t->cap);
	}
	t->rows[t->nrows].cells = cells;
	t->rows[t->nrows].ncells = n;
	t->rows[t->nrows].line = line;
	t->nrows++;
}

const char *table_cell(const struct table *t, int i, int j)
{
	if (i < 0 || i >= t->nrows || j < 0 || j >= t->rows[i].ncells || !t->rows[i].cells[j])
		return "";
	return t->rows[i].cells[j];
}

int table_read_file(const char *path, struct table *t, struct ql_error *err)
{
	const char *dot = strrchr(path, '.');
	if (dot && strcasecmp(dot, ".csv") == 0)
		return csv_read_file(path, t, err);
	if (dot && strcasecmp(dot, ".xlsx") == 0)
		return xlsx_read_file(path, t, err);
	return ql_fail(err, QLE_UNSUPPORTED_MEDIA, "unsupported_format", "file",
		       "只支持 .csv（UTF-8）和 .xlsx 文件");
}

/* Sets cell (i, j), growing the row; takes ownership of v. */
static void set_cell(struct table *t, int i, int j, char *v)
{
	struct table_row *row = &t->rows[i];
	if (j >= row->ncells) {
		row->cells = xrealloc(row->cells, sizeof *row->cells * (size_t)(j + 1));
		for (int k = row->ncells; k <= j; k++)
			row->cells[k] = NULL;
		row->ncells = j + 1;
	}
	free(row->cells[j]);
	row->cells[j] = v;
}

void table_fill_merged(struct table *t)
{
	for (int m = 0; m < t->nmerges; m++) {
		int r1 = t->merges[m].r1, r2 = t->merges[m].r2, c1 = t->merges[m].c1,
		    c2 = t->merges[m].c2;
		const char *src = NULL;
		for (int i = 0; i < t->nrows && !src; i++)
			if (t->rows[i].line == r1)
				src = table_cell(t, i, c1);
		if (!src || !*src)
			continue;
		char *value = xstrdup(src);
		for (int i = 0; i < t->nrows; i++) {
			if (t->rows[i].line < r1 || t->rows[i].line > r2)
				continue;
			for (int j = c1; j <= c2; j++)
				if (!(t->rows[i].line == r1 && j == c1))
					set_cell(t, i, j, xstrdup(value));
		}
		free(value);
	}
}

int xlsx_text_lines(const char *s, double width)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE0 ? 1.8 : 1;
	}
	int per = (int)width - 1;
	if (per < 1)
		per = 1;
	return w <= per ? 1 : (int)((w + per - 1) / per);
}
