/*
 * clock.c - current time with the QINGLING_NOW override (see clock.h).
 */
#include "clock.h"
#include "../core/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t frozen = -1;

int clock_init(void)
{
	const char *s = getenv("QINGLING_NOW");
	if (!s || !*s)
		return 0;
	int64_t t;
	if (clock_parse_rfc3339(s, &t) < 0)
		return -1;
	frozen = t;
	return 0;
}

int64_t clock_now(void)
{
	if (frozen >= 0)
		return frozen;
	return (int64_t)time(NULL);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int clock_parse_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) < 20)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se))
		return -1;
	if (!date_valid(y, mo, d) || h > 23 || mi > 59 || se > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*out = date_to_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return 0;
}

void clock_format_rfc3339(int64_t t, char *out, size_t n)
{
	int y, mo, d;
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;
	date_from_days(days, &y, &mo, &d);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, (int)(secs / 3600),
		 (int)(secs % 3600 / 60), (int)(secs % 60));
}

void clock_format_date_cn(int64_t t, char *out, size_t n)
{
	int y, mo, d;
	int64_t local = t + 8 * 3600;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	date_from_days(days, &y, &mo, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, mo, d);
}
