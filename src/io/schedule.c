/*
 * schedule.c - a schedule table read into tasks (see schedule.h).
 */
#include "schedule.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { COL_SECTION, COL_CONTENT, COL_REQ, COL_DUE, COL_UNITS, COL_NOTE, NCOLS };

static const char *const HEADERS[NCOLS] = {"任务名称", "任务内容", "具体要求", "完成时间", "责任单位",
					   "备注"};

static bool is_space(const char *p)
{
	return *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
}

/* The text without tags (<b>…</b>), trimmed, and without the white
 * space that a conversion left inside Chinese words: a space goes only
 * when a Chinese character (a byte >= 0x80) stands on either side. */
static char *clean(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *tmp = arena_alloc(a, n + 1), *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (const char *p = s; *p;) {
		if (*p == '<') {
			const char *e = strchr(p, '>');
			if (e && e - p < 16) {
				p = e + 1;
				continue;
			}
		}
		if (strncmp(p, "\u3000", 3) == 0) { /* ideographic space */
			tmp[k++] = ' ';
			p += 3;
			continue;
		}
		tmp[k++] = *p++;
	}
	tmp[k] = 0;
	size_t o = 0;
	for (size_t i = 0; i < k; i++) {
		if (is_space(tmp + i)) {
			size_t j = i;
			while (j < k && is_space(tmp + j))
				j++;
			bool cjk_before = o > 0 && (unsigned char)out[o - 1] >= 0x80;
			bool cjk_after = j < k && (unsigned char)tmp[j] >= 0x80;
			if (o > 0 && j < k && !cjk_before && !cjk_after)
				out[o++] = ' ';
			i = j - 1;
			continue;
		}
		out[o++] = tmp[i];
	}
	out[o] = 0;
	return out;
}

/* "11. text", "11．text", "11、text": the number and where the text starts. */
static bool numbered(const char *s, int *no, const char **rest)
{
	const char *p = s;
	int n = 0, d = 0;
	while (*p >= '0' && *p <= '9' && d < 3) {
		n = n * 10 + (*p++ - '0');
		d++;
	}
	if (!d)
		return false;
	while (*p == ' ')
		p++;
	if (*p == '.')
		p++;
	else if (strncmp(p, "．", 3) == 0 || strncmp(p, "、", 3) == 0)
		p += 3;
	else
		return false;
	while (*p == ' ')
		p++;
	*no = n;
	*rest = p;
	return true;
}

/* A section's name as one spelling: （一）, without a closing full stop. */
static char *section_name(struct arena *a, const char *s)
{
	const char *p = s;
	struct buf b = BUF_INIT;
	if (*p == '(') {
		const char *close = strchr(p, ')');
		if (close && close - p <= 10) {
			buf_puts(&b, "（");
			buf_add(&b, p + 1, (size_t)(close - p - 1));
			buf_puts(&b, "）");
			p = close + 1;
		}
	}
	buf_puts(&b, p);
	char *out = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	size_t n = strlen(out);
	while (n >= 3 && strcmp(out + n - 3, "。") == 0)
		out[n -= 3] = 0;
	return out;
}

/* Splits 责任单位 on 、，,；; and line ends; a name's trailing 等部门 /
 * 等单位 / 等 goes. */
static void split_units(struct arena *a, const char *s, struct sched_req *r)
{
	static const char *const SEPS[] = {"、", "，", "；", ",", ";", "\n", " "};
	int cap = 0;
	r->units = arena_grow(a, NULL, sizeof *r->units, 0, &cap);
	const char *p = s;
	while (*p) {
		const char *end = p + strlen(p);
		size_t sep = 0;
		for (size_t i = 0; i < sizeof SEPS / sizeof SEPS[0]; i++) {
			const char *f = strstr(p, SEPS[i]);
			if (f && f < end) {
				end = f;
				sep = strlen(SEPS[i]);
			}
		}
		char *name = clean(a, arena_strndup(a, p, (size_t)(end - p)));
		static const char *const TAILS[] = {"等部门", "等单位", "等"};
		for (size_t i = 0; i < sizeof TAILS / sizeof TAILS[0]; i++) {
			size_t n = strlen(name), t = strlen(TAILS[i]);
			if (n > t && strcmp(name + n - t, TAILS[i]) == 0)
				name[n - t] = 0;
		}
		if (*name) {
			bool seen = false;
			for (int i = 0; i < r->nunits; i++)
				seen = seen || strcmp(r->units[i], name) == 0;
			if (!seen) {
				r->units = arena_grow(a, r->units, sizeof *r->units, r->nunits, &cap);
				r->units[r->nunits++] = name;
			}
		}
		p = *end ? end + sep : end;
	}
}

static int header_row(const struct table *t, int col[NCOLS])
{
	for (int i = 0; i < t->nrows; i++) {
		for (int c = 0; c < NCOLS; c++)
			col[c] = -1;
		for (int j = 0; j < t->rows[i].ncells; j++) {
			char h[64];
			const char *v = table_cell(t, i, j);
			size_t k = 0;
			for (const char *p = v; *p && k + 1 < sizeof h; p++)
				if (!is_space(p))
					h[k++] = *p;
			h[k] = 0;
			for (int c = 0; c < NCOLS; c++)
				if (strcmp(h, HEADERS[c]) == 0)
					col[c] = j;
		}
		if (col[COL_CONTENT] >= 0 && col[COL_REQ] >= 0 && col[COL_DUE] >= 0)
			return i;
	}
	return -1;
}

static struct sched_task *new_task(struct arena *a, struct schedule *s, int no,
				   const char *section, const char *title, int line)
{
	s->tasks = arena_grow(a, s->tasks, sizeof *s->tasks, s->ntasks, &s->cap);
	struct sched_task *t = &s->tasks[s->ntasks++];
	memset(t, 0, sizeof *t);
	t->no = arena_printf(a, "%d", no);
	t->section = (char *)section;
	t->title = (char *)title;
	t->line = line;
	return t;
}

int schedule_read(struct arena *a, const struct table *t, int campaign_year, struct schedule *out,
		  struct ql_error *err)
{
	memset(out, 0, sizeof *out);
	int col[NCOLS];
	int h = header_row(t, col);
	if (h < 0)
		return ql_fail(err, QLE_INVALID, "no_header", "file",
			       "找不到表头：应有“任务内容”“具体要求”“完成时间”等列");
	const char *section = NULL;
	struct sched_task *task = NULL;
	for (int i = h + 1; i < t->nrows; i++) {
		const char *v[NCOLS];
		int filled = 0;
		for (int c = 0; c < NCOLS; c++) {
			v[c] = col[c] >= 0 ? clean(a, table_cell(t, i, col[c])) : "";
			filled += *v[c] != 0;
		}
		if (!filled || strcmp(v[COL_CONTENT], HEADERS[COL_CONTENT]) == 0)
			continue; /* blank, or the header again on a new page */
		if (filled == 1 && (strstr(v[COL_SECTION], "进度表") || v[COL_SECTION][0] == '#'))
			continue; /* the table's title repeated on a page */
		int no;
		const char *rest;
		if (numbered(v[COL_SECTION], &no, &rest) && !numbered(v[COL_CONTENT], &no, &rest)) {
			/* Shifted one column left: the task stands in 任务名称. */
			for (int c = COL_NOTE; c > COL_SECTION; c--)
				v[c] = v[c - 1];
			v[COL_SECTION] = "";
		}
		if (*v[COL_SECTION] && !numbered(v[COL_SECTION], &no, &rest))
			section = section_name(a, v[COL_SECTION]);
		if (numbered(v[COL_CONTENT], &no, &rest)) {
			char *no_text = arena_printf(a, "%d", no);
			if (!task || strcmp(task->no, no_text) != 0)
				task = new_task(a, out, no, section, arena_strdup(a, rest),
						t->rows[i].line);
		} else if (*v[COL_CONTENT] && !*v[COL_REQ] && !*v[COL_DUE]) {
			task = NULL; /* a section's introduction */
			continue;
		}
		if (!*v[COL_REQ] && !*v[COL_DUE] && !*v[COL_UNITS])
			continue;
		if (!task) {
			out->orphan_lines = arena_grow(a, out->orphan_lines, sizeof(int),
						       out->norphans, &out->orphan_cap);
			out->orphan_lines[out->norphans++] = t->rows[i].line;
			continue;
		}
		task->reqs = arena_grow(a, task->reqs, sizeof *task->reqs, task->nreqs, &task->cap);
		struct sched_req *r = &task->reqs[task->nreqs++];
		memset(r, 0, sizeof *r);
		r->text = (char *)(*v[COL_REQ] ? v[COL_REQ] : task->title);
		r->due_text = (char *)v[COL_DUE];
		r->note = *v[COL_NOTE] ? (char *)v[COL_NOTE] : NULL;
		r->line = t->rows[i].line;
		deadline_parse(r->due_text, campaign_year, &r->due);
		split_units(a, v[COL_UNITS], r);
		if (!r->nunits && task->nreqs > 1) { /* merged down in the original */
			r->units = task->reqs[task->nreqs - 2].units;
			r->nunits = task->reqs[task->nreqs - 2].nunits;
		}
		out->nreqs++;
	}
	return 0;
}
