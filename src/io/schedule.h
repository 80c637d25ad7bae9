/*
 * schedule.h - a schedule table 序时进度表 (seed 003's attachment) read
 * into numbered tasks and their requirements.
 *
 * Columns are found by their headers: 任务名称 (the section, 专题/行动),
 * 任务内容 (the numbered task, "11. …", or a section's introduction),
 * 具体要求, 完成时间, 责任单位, 备注.  What such a table looks like in
 * practice is understood:
 *   - merged cells (xlsx): the caller fills them first (table_fill_merged),
 *     so a section or task merged down its rows is on each row;
 *   - the header and the table's title repeated on every printed page;
 *   - a row shifted one column left, the numbered task in 任务名称 (a
 *     conversion from PDF does that);
 *   - a task's further requirements on rows with empty 任务内容;
 *   - white space inside words, <b> tags, (一) and （一） for the same section.
 * Deadlines are read by core/deadline.c with the campaign's year.
 */
#ifndef QL_SCHEDULE_H
#define QL_SCHEDULE_H

#include "../core/deadline.h"
#include "../core/error.h"
#include "../lib/arena.h"
#include "table.h"

struct sched_req {
	char *text, *due_text, *note;
	struct deadline due;
	char **units;		/* names as written, split */
	int nunits;
	int line;		/* the file's row */
};

struct sched_task {
	char *no, *section, *title;
	struct sched_req *reqs;
	int nreqs, cap;
	int line;
};

struct schedule {
	struct sched_task *tasks;
	int ntasks, cap;
	int nreqs;
	/* rows with a requirement but no task before them */
	int *orphan_lines;
	int norphans, orphan_cap;
};

/* Reads the table.  -1 with err (422, field "file") when the header row
 * is missing or a column is absent. */
int schedule_read(struct arena *a, const struct table *t, int campaign_year, struct schedule *out,
		  struct ql_error *err);

#endif
