/*
 * multipart.c - the multipart/form-data reader (see multipart.h).
 *
 * The body is a sequence of parts, each after a delimiter line
 * "--BOUNDARY" and ended by CRLF "--BOUNDARY" (the CRLF belongs to the
 * delimiter, not to the data), the last delimiter followed by "--".  A
 * part's header section ends at the first empty line.  Header values are
 * what browsers send (HTML's form submission algorithm): parameters as
 * tokens or quoted strings, a quote inside a file name sent as %22 (left
 * as it is) or, by some clients, as \" (unescaped).  File names in RFC
 * 5987 form (filename*=UTF-8''…) are decoded and preferred.
 */
#include "multipart.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && is_ws(**s))
		(*s)++;
	while (*e > *s && is_ws((*e)[-1]))
		(*e)--;
}

/* True if [s, s+n) is word, ASCII case ignored. */
static bool eq_word(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* Reads the next parameter of a header value ("; attr=value"): returns 1
 * with the attribute and its value (unquoted, in the arena; NULL for an
 * attribute without value), 0 at the end, -1 for an unterminated quoted
 * string. */
static int next_param(struct arena *a, const char **pp, const char *end, const char **attr,
		      size_t *alen, char **val)
{
	const char *s = *pp;
	while (s < end && (is_ws(*s) || *s == ';'))
		s++;
	if (s == end)
		return 0;
	const char *as = s;
	while (s < end && *s != '=' && *s != ';' && !is_ws(*s))
		s++;
	*attr = as;
	*alen = (size_t)(s - as);
	while (s < end && is_ws(*s))
		s++;
	*val = NULL;
	if (s == end || *s != '=') {
		*pp = s;
		return 1;
	}
	s++;
	while (s < end && is_ws(*s))
		s++;
	if (s < end && *s == '"') {
		s++;
		char *out = arena_alloc(a, (size_t)(end - s) + 1);
		size_t n = 0;
		while (s < end && *s != '"') {
			if (*s == '\\' && s + 1 < end && (s[1] == '"' || s[1] == '\\'))
				s++;
			out[n++] = *s++;
		}
		if (s == end)
			return -1;
		s++;
		out[n] = 0;
		*val = out;
	} else {
		const char *vs = s;
		while (s < end && *s != ';' && !is_ws(*s))
			s++;
		*val = arena_strndup(a, vs, (size_t)(s - vs));
	}
	*pp = s;
	return 1;
}

/* A boundary of RFC 2046: 1-70 of bchars, not ending in a space. */
static bool boundary_valid(const char *b)
{
	size_t n = strlen(b);
	if (n < 1 || n > 70 || b[n - 1] == ' ')
		return false;
	for (const char *c = b; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      strchr("'()+_,-./:=? ", *c)))
			return false;
	return true;
}

const char *multipart_boundary(struct arena *a, const char *content_type)
{
	if (!content_type)
		return NULL;
	const char *s = content_type, *end = s + strlen(s);
	const char *semi = memchr(s, ';', (size_t)(end - s));
	const char *te = semi ? semi : end;
	trim(&s, &te);
	if (!eq_word(s, (size_t)(te - s), "multipart/form-data") || !semi)
		return NULL;
	const char *p = semi, *attr;
	size_t alen;
	char *val;
	int rc;
	while ((rc = next_param(a, &p, end, &attr, &alen, &val)) > 0)
		if (eq_word(attr, alen, "boundary"))
			return val && boundary_valid(val) ? val : NULL;
	return NULL;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes an RFC 5987 ext-value "UTF-8'lang'pct-encoded"; NULL if it is
 * not UTF-8 or not well-formed. */
static char *ext_value(struct arena *a, const char *v)
{
	const char *q1 = strchr(v, '\'');
	const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (!q2 || !eq_word(v, (size_t)(q1 - v), "utf-8"))
		return NULL;
	const char *s = q2 + 1;
	char *out = arena_alloc(a, strlen(s) + 1);
	size_t n = 0;
	for (; *s; s++) {
		if (*s != '%') {
			out[n++] = *s;
			continue;
		}
		int hi = hex_digit(s[1]), lo = hi < 0 ? -1 : hex_digit(s[2]);
		if (hi < 0 || lo < 0)
			return NULL;
		out[n++] = (char)(hi * 16 + lo);
		s += 2;
	}
	out[n] = 0;
	return strlen(out) == n ? out : NULL;	/* no %00 */
}

/* Reads one header line [s, e) into part: Content-Disposition and
 * Content-Type; other headers are ignored.  -1 if malformed. */
static int header(struct arena *a, const char *s, const char *e, struct multipart_part *part)
{
	for (const char *c = s; c < e; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
			return -1;
	const char *colon = memchr(s, ':', (size_t)(e - s));
	if (!colon)
		return -1;
	const char *ns = s, *ne = colon, *vs = colon + 1, *ve = e;
	trim(&ns, &ne);
	trim(&vs, &ve);
	const char *semi = memchr(vs, ';', (size_t)(ve - vs));
	const char *te = semi ? semi : ve, *ts = vs;
	trim(&ts, &te);
	if (eq_word(ns, (size_t)(ne - ns), "content-type")) {
		char *t = arena_strndup(a, ts, (size_t)(te - ts));
		for (char *c = t; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		part->content_type = *t ? t : NULL;
		return 0;
	}
	if (!eq_word(ns, (size_t)(ne - ns), "content-disposition"))
		return 0;
	if (!eq_word(ts, (size_t)(te - ts), "form-data"))
		return -1;
	const char *p = te, *attr;
	size_t alen;
	char *val, *ext = NULL;
	int rc;
	while ((rc = next_param(a, &p, ve, &attr, &alen, &val)) > 0) {
		if (!val)
			continue;
		if (eq_word(attr, alen, "name"))
			part->name = val;
		else if (eq_word(attr, alen, "filename"))
			part->filename = val;
		else if (eq_word(attr, alen, "filename*"))
			ext = ext_value(a, val);
	}
	if (rc < 0)
		return -1;
	if (ext)
		part->filename = ext;
	return 0;
}

static int bad(struct ql_error *err, const char *why, int part)
{
	if (part > 0)
		return ql_fail(err, QLE_BAD_REQUEST, "invalid_multipart", NULL,
			       "multipart/form-data 请求体格式错误：第 %d 部分%s", part, why);
	return ql_fail(err, QLE_BAD_REQUEST, "invalid_multipart", NULL,
		       "multipart/form-data 请求体格式错误：%s", why);
}

int multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len,
		    struct multipart_part **parts, struct ql_error *err)
{
	/* The delimiter with its leading CRLF; the first one may open the
	 * body without it (no preamble). */
	const char *delim = arena_printf(a, "\r\n--%s", boundary);
	size_t dl = strlen(delim);
	const char *end = body + len, *p;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
		p = body + dl - 2;
	} else {
		const char *hit = len ? memmem(body, len, delim, dl) : NULL;
		if (!hit)
			return bad(err, "没有找到分隔符（boundary）", 0);
		p = hit + dl;
	}
	int n = 0, cap = 0;
	struct multipart_part *arr = arena_grow(a, NULL, sizeof *arr, 0, &cap);
	for (;;) {
		/* p is just after a delimiter: "--" closes, else padding and CRLF. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && is_ws(*p))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return bad(err, "分隔符后应为换行", n + 1);
		p += 2;
		if (n == MULTIPART_MAX_PARTS)
			return ql_fail(err, QLE_BAD_REQUEST, "invalid_multipart", NULL,
				       "multipart/form-data 请求体的部分过多（最多 %d 个）",
				       MULTIPART_MAX_PARTS);
		struct multipart_part part = {0};
		const char *hs = p;
		for (;;) {
			const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
			if (!eol || eol - hs > MULTIPART_MAX_HEADER)
				return bad(err, "的头部不完整或过长", n + 1);
			if (eol == p) {
				p += 2;
				break;
			}
			if (header(a, p, eol, &part) < 0)
				return bad(err, "的头部格式错误", n + 1);
			p = eol + 2;
		}
		if (!part.name)
			return bad(err, "缺少 Content-Disposition: form-data; name=…", n + 1);
		const char *hit = memmem(p, (size_t)(end - p), delim, dl);
		if (!hit)
			return bad(err, "没有结束分隔符（请求体不完整）", n + 1);
		part.data = p;
		part.len = (size_t)(hit - p);
		arr = arena_grow(a, arr, sizeof *arr, n, &cap);
		arr[n++] = part;
		p = hit + dl;
	}
	*parts = arr;
	return n;
}

const struct multipart_part *multipart_find(const struct multipart_part *parts, int n,
					    const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
