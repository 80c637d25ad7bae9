/*
 * xlsx_read.c - reading the first worksheet of an Office Open XML
 * workbook (.xlsx) into a table, with libzip and expat.
 *
 * What is read: shared strings, inline strings, numbers, booleans and
 * formula results (<v>) by cell reference, so empty cells keep their
 * column; merged ranges (<mergeCell ref="A2:A5">) are recorded so that
 * an import can treat a merged cell as repeated down the range, as a
 * person reading the sheet does.
 */
#include "table.h"
#include "../lib/buf.h"
#include "../lib/util.h"

#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_COLS 256
#define MAX_XLSX_PART (64u << 20)

static char *zip_read(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) != 0 || st.size > MAX_XLSX_PART)
		return NULL;
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return NULL;
	char *data = xmalloc(st.size + 1);
	zip_int64_t got = zip_fread(f, data, st.size);
	zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(data);
		return NULL;
	}
	data[st.size] = 0;
	*len = st.size;
	return data;
}

/* Strips a namespace prefix: "x:c" -> "c". */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *key)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), key) == 0)
			return atts[i + 1];
	return NULL;
}

/* --- shared strings ---------------------------------------------------- */
struct sst {
	char **items;
	int n, cap;
	struct buf cur;
	bool in_si, in_t, in_rph;
};

static void sst_start(void *ud, const char *name, const char **atts)
{
	struct sst *s = ud;
	const char *n = local(name);
	(void)atts;
	if (strcmp(n, "si") == 0) {
		s->in_si = true;
		buf_reset(&s->cur);
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph = true; /* phonetic runs are not part of the text */
	} else if (strcmp(n, "t") == 0 && s->in_si && !s->in_rph) {
		s->in_t = true;
	}
}

static void sst_end(void *ud, const char *name)
{
	struct sst *s = ud;
	const char *n = local(name);
	if (strcmp(n, "t") == 0) {
		s->in_t = false;
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph = false;
	} else if (strcmp(n, "si") == 0) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 256;
			s->items = xrealloc(s->items, sizeof *s->items * (size_t)s->cap);
		}
		s->items[s->n++] = xstrdup(buf_str(&s->cur));
		s->in_si = false;
	}
}

static void sst_text(void *ud, const char *txt, int len)
{
	struct sst *s = ud;
	if (s->in_t)
		buf_add(&s->cur, txt, (size_t)len);
}

/* --- the worksheet ------------------------------------------------------ */
struct sheet {
	struct table *t;
	const struct sst *sst;
	char *cells[MAX_COLS];
	int ncells, row_no;
	int col;		/* current cell's column */
	char type[16];		/* current cell's t attribute */
	struct buf val;
	bool in_v, in_t, in_row, in_cell;
	bool failed;
};

/* "BC12" -> column 54 (0-based), row 12. */
static int cell_ref(const char *ref, int *row)
{
	int col = 0;
	const char *p = ref;
	while (*p >= 'A' && *p <= 'Z')
		col = col * 26 + (*p++ - 'A' + 1);
	if (row)
		*row = atoi(p);
	return col - 1;
}

static void flush_row(struct sheet *s)
{
	int n = s->ncells;
	while (n > 0 && !s->cells[n - 1])
		n--;
	bool any = false;
	for (int i = 0; i < n; i++)
		if (s->cells[i] && *s->cells[i])
			any = true;
	if (any) {
		char **cells = xcalloc((size_t)n, sizeof *cells);
		memcpy(cells, s->cells, sizeof *cells * (size_t)n);
		for (int i = n; i < s->ncells; i++)
			free(s->cells[i]);
		table_add_row(s->t, cells, n, s->row_no);
	} else {
		for (int i = 0; i < s->ncells; i++)
			free(s->cells[i]);
	}
	memset(s->cells, 0, sizeof s->cells);
	s->ncells = 0;
}

static void sheet_start(void *ud, const char *name, const char **atts)
{
	struct sheet *s = ud;
	const char *n = local(name);
	if (strcmp(n, "row") == 0) {
		const char *r = attr(atts, "r");
		s->row_no = r ? atoi(r) : s->row_no + 1;
		s->in_row = true;
		s->col = -1;
	} else if (strcmp(n, "c") == 0) {
		const char *r = attr(atts, "r");
		const char *t = attr(atts, "t");
		s->col = r ? cell_ref(r, NULL) : s->col + 1;
		snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
		buf_reset(&s->val);
		s->in_cell = true;
	} else if (strcmp(n, "v") == 0 && s->in_cell) {
		s->in_v = true;
	} else if (strcmp(n, "t") == 0 && s->in_cell) {
		s->in_t = true;
	} else if (strcmp(n, "mergeCell") == 0) {
		const char *ref = attr(atts, "ref");
		const char *colon = ref ? strchr(ref, ':') : NULL;
		if (colon) {
			struct table *t = s->t;
			t->merges = xrealloc(t->merges, sizeof *t->merges * (size_t)(t->nmerges + 1));
			t->merges[t->nmerges].c1 = cell_ref(ref, &t->merges[t->nmerges].r1);
			t->merges[t->nmerges].c2 = cell_ref(colon + 1, &t->merges[t->nmerges].r2);
			t->nmerges++;
		}
	}
}

static void sheet_end(void *ud, const char *name)
{
	struct sheet *s = ud;
	const char *n = local(name);
	if (strcmp(n, "v") == 0) {
		s->in_v = false;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = false;
	} else if (strcmp(n, "c") == 0) {
		s->in_cell = false;
		if (s->col < 0 || s->col >= MAX_COLS)
			return;
		const char *v = buf_str(&s->val);
		char *out = NULL;
		if (strcmp(s->type, "s") == 0) {
			int k = atoi(v);
			if (s->val.len && k >= 0 && k < s->sst->n)
				out = xstrdup(s->sst->items[k]);
		} else if (strcmp(s->type, "b") == 0) {
			out = xstrdup(strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
		} else if (s->val.len) {
			out = xstrdup(v);
		}
		if (out) {
			free(s->cells[s->col]);
			s->cells[s->col] = out;
			if (s->col + 1 > s->ncells)
				s->ncells = s->col + 1;
		}
	} else if (strcmp(n, "row") == 0) {
		flush_row(s);
		s->in_row = false;
	}
}

static void sheet_text(void *ud, const char *txt, int len)
{
	struct sheet *s = ud;
	if (s->in_v || s->in_t)
		buf_add(&s->val, txt, (size_t)len);
}

static int parse_xml(const char *data, size_t len, void *ud, XML_StartElementHandler start,
		     XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	int ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK;
	XML_ParserFree(p);
	return ok ? 0 : -1;
}

/* Finds the first worksheet's part name through the workbook relations. */
struct rels {
	char first_rid[64], target[256];
	bool want_target;
};

static void wb_start(void *ud, const char *name, const char **atts)
{
	struct rels *r = ud;
	if (strcmp(local(name), "sheet") == 0 && !r->first_rid[0]) {
		const char *id = attr(atts, "id");
		if (id)
			snprintf(r->first_rid, sizeof r->first_rid, "%s", id);
	}
}

static void rel_start(void *ud, const char *name, const char **atts)
{
	struct rels *r = ud;
	if (strcmp(local(name), "Relationship") == 0 && !r->target[0]) {
		const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
		if (id && target && strcmp(id, r->first_rid) == 0) {
			if (target[0] == '/')
				snprintf(r->target, sizeof r->target, "%s", target + 1);
			else
				snprintf(r->target, sizeof r->target, "xl/%s", target);
		}
	}
}

static void no_end(void *ud, const char *name) { (void)ud, (void)name; }
static void no_text(void *ud, const char *t, int l) { (void)ud, (void)t, (void)l; }

static int read_zip(zip_t *z, struct table *t, struct ql_error *err)
{
	int rc = 0;
	size_t len;
	struct sst sst = {0};
	struct rels rels = {0};
	char *data = zip_read(z, "xl/workbook.xml", &len);
	if (data) {
		parse_xml(data, len, &rels, wb_start, no_end, no_text);
		free(data);
		data = zip_read(z, "xl/_rels/workbook.xml.rels", &len);
		if (data) {
			parse_xml(data, len, &rels, rel_start, no_end, no_text);
			free(data);
		}
	}
	const char *sheet_name = rels.target[0] ? rels.target : "xl/worksheets/sheet1.xml";
	data = zip_read(z, "xl/sharedStrings.xml", &len);
	if (data) {
		if (parse_xml(data, len, &sst, sst_start, sst_end, sst_text) < 0)
			rc = ql_fail(err, QLE_INVALID, "xlsx", "file", "xlsx 文件的共享字符串表损坏");
		free(data);
	}
	if (rc == 0) {
		data = zip_read(z, sheet_name, &len);
		if (!data) {
			rc = ql_fail(err, QLE_INVALID, "xlsx", "file", "xlsx 文件中找不到工作表");
		} else {
			struct sheet s = {.t = t, .sst = &sst};
			if (parse_xml(data, len, &s, sheet_start, sheet_end, sheet_text) < 0)
				rc = ql_fail(err, QLE_INVALID, "xlsx", "file", "xlsx 工作表内容损坏");
			for (int i = 0; i < MAX_COLS; i++)
				free(s.cells[i]);
			buf_free(&s.val);
			free(data);
		}
	}
	for (int i = 0; i < sst.n; i++)
		free(sst.items[i]);
	free(sst.items);
	buf_free(&sst.cur);
	return rc;
}

int xlsx_read_file(const char *path, struct table *t, struct ql_error *err)
{
	int zerr = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
	if (!z)
		return ql_fail(err, QLE_INVALID, "xlsx", "file", "无法打开 xlsx 文件 %s（不是有效的 Excel 文件）",
			       path);
	int rc = read_zip(z, t, err);
	zip_close(z);
	return rc;
}

int xlsx_read_mem(const void *data, size_t n, struct table *t, struct ql_error *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	if (!src)
		return ql_fail(err, QLE_INVALID, "xlsx", "file", "无法读取 xlsx 内容");
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return ql_fail(err, QLE_INVALID, "xlsx", "file", "不是有效的 xlsx 文件");
	}
	int rc = read_zip(z, t, err);
	zip_close(z);
	zip_error_fini(&ze);
	return rc;
}
