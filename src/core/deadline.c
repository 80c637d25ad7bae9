/*
 * deadline.c - deadline expressions of a schedule table (see deadline.h).
 *
 * The text is read as a sequence of tokens: numbers and the characters
 * 年 月 日 底 末 半 季 度 上 下 第 一 二 三 四, after the "before" suffix
 * and white space are taken off.  A small grammar over them decides.
 */
#include "deadline.h"
#include "date.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool take(const char **p, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool number(const char **p, int *v, int max_digits)
{
	int n = 0, d = 0;
	while (**p >= '0' && **p <= '9' && d < max_digits) {
		n = n * 10 + (**p - '0');
		(*p)++;
		d++;
	}
	if (d == 0)
		return false;
	*v = n;
	return true;
}

/* A Chinese numeral 一 .. 四 (quarters). */
static bool cn_digit(const char **p, int *v)
{
	static const char *const D[] = {"一", "二", "三", "四"};
	for (int i = 0; i < 4; i++)
		if (take(p, D[i])) {
			*v = i + 1;
			return true;
		}
	return number(p, v, 1);
}

static void set_date(struct deadline *out, int y, int m, int d)
{
	if (y < 1900 || y > 2999 || !date_valid(y, m, d)) {
		out->kind = DL_UNPARSED;
		return;
	}
	char t[32];
	snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d);
	memcpy(out->due, t, 10);
	out->due[10] = 0;
	out->kind = DL_DATE;
}

static void month_end(struct deadline *out, int y, int m)
{
	if (m < 1 || m > 12) {
		out->kind = DL_UNPARSED;
		return;
	}
	set_date(out, y, m, date_days_in_month(y, m));
}

/* The text without white space (ASCII and the ideographic space) and
 * without a trailing 前 / 以前 / 之前 or full stop. */
static void normalise(const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in; *p && k + 1 < n;) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (strncmp(p, "\u3000", 3) == 0) {
			p += 3;
			continue;
		}
		out[k++] = *p++;
	}
	out[k] = 0;
	static const char *const TAIL[] = {"。", ".", "以前", "之前", "前"};
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < sizeof TAIL / sizeof TAIL[0]; i++) {
			size_t t = strlen(TAIL[i]);
			if (k >= t && strcmp(out + k - t, TAIL[i]) == 0) {
				k -= t;
				out[k] = 0;
				again = true;
			}
		}
	}
}

void deadline_parse(const char *text, int campaign_year, struct deadline *out)
{
	char s[256];
	memset(out, 0, sizeof *out);
	normalise(text ? text : "", s, sizeof s);
	if (!s[0]) {
		out->kind = DL_EMPTY;
		return;
	}
	static const char *const YEARLY[] = {"各年度序时推动", "各年度", "每年", "逐年推进", "每年度"};
	static const char *const OPEN[] = {"长期坚持", "持续推进", "长期", "持续开展", "常态化推进"};
	for (size_t i = 0; i < sizeof YEARLY / sizeof YEARLY[0]; i++)
		if (strcmp(s, YEARLY[i]) == 0) {
			out->kind = DL_YEARLY;
			return;
		}
	for (size_t i = 0; i < sizeof OPEN / sizeof OPEN[0]; i++)
		if (strcmp(s, OPEN[i]) == 0) {
			out->kind = DL_NONE;
			return;
		}
	out->kind = DL_UNPARSED;
	const char *p = s;
	int a, b, c;
	/* Numeric dates: 2025-06-15, 2025.6.15, 2025/6/15. */
	if (number(&p, &a, 4) && (*p == '-' || *p == '.' || *p == '/')) {
		char sep = *p++;
		if (number(&p, &b, 2) && *p == sep && (p++, number(&p, &c, 2)) && !*p && a >= 1900)
			set_date(out, a, b, c);
		return;
	}
	p = s;
	if (number(&p, &a, 4) && a >= 1900 && take(&p, "年")) {
		int y = a;
		if (!*p || take(&p, "底") || take(&p, "末") || take(&p, "年底") || take(&p, "年末")) {
			if (!*p)
				set_date(out, y, 12, 31);
			return;
		}
		if (take(&p, "上半年")) {
			if (!*p)
				set_date(out, y, 6, 30);
			return;
		}
		if (take(&p, "下半年")) {
			if (!*p)
				set_date(out, y, 12, 31);
			return;
		}
		bool ordinal = take(&p, "第");
		const char *q = p;
		int quarter;
		if (cn_digit(&q, &quarter) && take(&q, "季度")) {
			if (!*q && quarter >= 1 && quarter <= 4)
				month_end(out, y, quarter * 3);
			return;
		}
		if (ordinal)
			return;
		if (number(&p, &b, 2) && take(&p, "月")) {
			if (!*p || ((take(&p, "底") || take(&p, "末")) && !*p)) {
				month_end(out, y, b);
				return;
			}
			if (number(&p, &c, 2) && (take(&p, "日") || take(&p, "号")) && !*p)
				set_date(out, y, b, c);
		}
		return;
	}
	/* A month (and day) of the campaign's year: 3月30日, 6月底, 6月. */
	p = s;
	if (number(&p, &b, 2) && take(&p, "月")) {
		if (!*p || ((take(&p, "底") || take(&p, "末")) && !*p)) {
			month_end(out, campaign_year, b);
			return;
		}
		if (number(&p, &c, 2) && (take(&p, "日") || take(&p, "号")) && !*p)
			set_date(out, campaign_year, b, c);
	}
}
