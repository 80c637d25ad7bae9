/*
 * jsonw.c - the streaming JSON writer (see jsonw.h).
 */
#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jsonw *w, struct buf *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
}

/* Emits the separator that must precede a value at the current level. */
static void before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			buf_putc(w->out, ',');
		w->need_comma[w->depth] = true;
	}
}

static void open(struct jsonw *w, char c)
{
	before_value(w);
	buf_putc(w->out, c);
	if (w->depth < JSONW_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_(struct jsonw *w, char c)
{
	buf_putc(w->out, c);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(struct jsonw *w) { open(w, '{'); }
void jw_obj_end(struct jsonw *w) { close_(w, '}'); }
void jw_arr(struct jsonw *w) { open(w, '['); }
void jw_arr_end(struct jsonw *w) { close_(w, ']'); }

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void json_escape(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_putc(b, '"');
	/* Bytes that stand as they are go out in runs, one copy per run. */
	size_t i = 0, run = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len = c >= 0x80 ? utf8_seq(s + i, n - i) : 0;
		if (len > 0 || (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')) {
			i += len > 0 ? len : 1;
			continue;
		}
		buf_add(b, s + run, i - run);
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else /* not UTF-8 */
				buf_puts(b, "\xEF\xBF\xBD");
		}
		run = ++i;
	}
	buf_add(b, s + run, i - run);
	buf_putc(b, '"');
}

void jw_key(struct jsonw *w, const char *key)
{
	before_value(w);
	json_escape(w->out, key, strlen(key));
	buf_putc(w->out, ':');
	w->after_key = true;
}

void jw_strn(struct jsonw *w, const char *s, size_t n)
{
	before_value(w);
	json_escape(w->out, s, n);
}

void jw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_int(struct jsonw *w, int64_t v)
{
	before_value(w);
	/* by hand: printf was a tenth of a list page's JSON */
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	do
		*--p = (char)('0' + a % 10);
	while ((a /= 10) > 0);
	if (v < 0)
		*--p = '-';
	buf_add(w->out, p, (size_t)(tmp + sizeof tmp - p));
}

void jw_bool(struct jsonw *w, bool v)
{
	before_value(w);
	buf_puts(w->out, v ? "true" : "false");
}

void jw_null(struct jsonw *w)
{
	before_value(w);
	buf_puts(w->out, "null");
}

void jw_double(struct jsonw *w, double v, int decimals)
{
	before_value(w);
	if (!isfinite(v)) {
		buf_puts(w->out, "null");
		return;
	}
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	/* Trim trailing zeros after the point, then a bare point. */
	if (strchr(tmp, '.')) {
		char *e = tmp + strlen(tmp) - 1;
		while (*e == '0')
			*e-- = 0;
		if (*e == '.')
			*e = 0;
	}
	if (strcmp(tmp, "-0") == 0)
		strcpy(tmp, "0");
	buf_puts(w->out, tmp);
}

void jw_fen(struct jsonw *w, int64_t fen)
{
	before_value(w);
	const char *sign = fen < 0 ? "-" : "";
	uint64_t a = fen < 0 ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
	if (a % 100 == 0)
		buf_printf(w->out, "%s%" PRIu64, sign, a / 100);
	else if (a % 10 == 0)
		buf_printf(w->out, "%s%" PRIu64 ".%" PRIu64, sign, a / 100, (a % 100) / 10);
	else
		buf_printf(w->out, "%s%" PRIu64 ".%02" PRIu64, sign, a / 100, a % 100);
}

void jw_raw(struct jsonw *w, const char *json)
{
	before_value(w);
	buf_puts(w->out, json);
}

void jw_kstr(struct jsonw *w, const char *k, const char *v) { jw_key(w, k); jw_str(w, v); }
void jw_kint(struct jsonw *w, const char *k, int64_t v) { jw_key(w, k); jw_int(w, v); }
void jw_kbool(struct jsonw *w, const char *k, bool v) { jw_key(w, k); jw_bool(w, v); }
void jw_knull(struct jsonw *w, const char *k) { jw_key(w, k); jw_null(w); }

void jw_kid(struct jsonw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	if (v)
		jw_int(w, v);
	else
		jw_null(w);
}
