/*
 * table.h - a spreadsheet read into memory: rows of cells as UTF-8
 * strings, whatever the file was (CSV or xlsx).  Imports read tables; the
 * format readers fill them.
 */
#ifndef QL_TABLE_H
#define QL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/error.h"
#include "../lib/buf.h"

struct table_row {
	char **cells;	/* NULL for an empty cell */
	int ncells;
	int line;	/* 1-based row number in the file (header = 1) */
};

struct table {
	struct table_row *rows;
	int nrows, cap;
	/* Merged ranges (xlsx): the value of the top-left cell is copied into
	 * the others when table_fill_merged() is called. */
	struct { int r1, c1, r2, c2; } *merges;
	int nmerges;
};

void table_free(struct table *t);
/* Appends a row (taking ownership of cells, allocated with malloc). */
void table_add_row(struct table *t, char **cells, int n, int line);
/* Copies the value of each merged range's top-left cell into the range's
 * other cells, so that a row of a merged table reads like a row of a flat
 * one (a section name merged down its rows is on every row). */
void table_fill_merged(struct table *t);
/* The cell at row i, column j, or "" if absent. */
const char *table_cell(const struct table *t, int i, int j);

/* Reads a CSV file (RFC 4180; UTF-8 with or without BOM; CRLF or LF).
 * Returns 0, or -1 with err (the line where the problem is). */
int csv_read_file(const char *path, struct table *t, struct ql_error *err);
int csv_read_mem(const char *data, size_t n, struct table *t, struct ql_error *err);
/* Reads the first worksheet of an .xlsx file. */
int xlsx_read_file(const char *path, struct table *t, struct ql_error *err);
int xlsx_read_mem(const void *data, size_t n, struct table *t, struct ql_error *err);
/* Writes the table as CSV, UTF-8 with a byte order mark so that Excel
 * opens Chinese text correctly, CRLF line ends. */
void csv_write(const struct table *t, struct buf *out);
/* Writes the table as an .xlsx workbook with one sheet: row 0 is the
 * header (bold, frozen), column widths fitted to the text.  Columns whose
 * index is in numeric[] (a 0/1 array of ncols, may be NULL) are written
 * as numbers.  Returns 0 or -1 with err. */
int xlsx_write(const struct table *t, const char *sheet, const unsigned char *numeric,
	       struct buf *out, struct ql_error *err);

/* Lines a cell's text takes when wrapped in a column `width` characters
 * of "0" wide (a CJK character counting about 1.8): neither Excel nor
 * LibreOffice grows a row for wrapped text when it opens a file, so the
 * writers set each row's height from this. */
int xlsx_text_lines(const char *s, double width);

/* Several tables as the sheets of one workbook, each as xlsx_write
 * writes its one. */
struct xlsx_sheet {
	const char *name;
	const struct table *table;
	const unsigned char *numeric;
};
int xlsx_write_book(const struct xlsx_sheet *sheets, int n, struct buf *out,
		    struct ql_error *err);

/* Reads by the file name's extension (.csv or .xlsx). */
int table_read_file(const char *path, struct table *t, struct ql_error *err);

#endif
