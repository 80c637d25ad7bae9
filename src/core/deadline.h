/*
 * deadline.h - the deadline expressions of a schedule table 序时进度表
 * (seed 003's 完成时间 column) read as dates, pure.
 *
 *   "2024年底", "2024年底前", "2024年年底", "2024年末"  -> 2024-12-31
 *   "2025年"                                          -> 2025-12-31
 *   "2025年6月", "2025年6月底"                        -> 2025-06-30
 *   "2025年6月15日", "2025-06-15", "2025.6.15"        -> that day
 *   "3月30日前" (the campaign's year)                  -> YYYY-03-30
 *   "2025年上半年" / "下半年", "2025年第一季度" …     -> the period's last day
 *   "各年度序时推动", "每年"                          -> recurring yearly, no date
 *   "长期坚持", "持续推进", "长期"                    -> no deadline
 *
 * A trailing 前 / 以前 / 之前 (before) changes nothing: the last day of
 * the period named is the deadline.  Anything else - two dates in one
 * cell among them - is DL_UNPARSED and reported to the user, never
 * guessed.
 */
#ifndef QL_DEADLINE_H
#define QL_DEADLINE_H

enum deadline_kind {
	DL_DATE,	/* due set */
	DL_YEARLY,	/* recurring every year, no single date */
	DL_NONE,	/* an open-ended duty: no deadline */
	DL_EMPTY,	/* the cell is empty */
	DL_UNPARSED,	/* not understood */
};

struct deadline {
	enum deadline_kind kind;
	char due[11];	/* YYYY-MM-DD when kind is DL_DATE */
};

/* Reads text; campaign_year supplies the year of "3月30日前". */
void deadline_parse(const char *text, int campaign_year, struct deadline *out);

#endif
