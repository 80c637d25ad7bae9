/*
 * input.c - reading request input.  Each helper either stores the value
 * or fills r->err with a Chinese message naming the field (Redis-style
 * "...OrReply" helpers), so that handlers stay straight-line with TRY().
 */
#include "http.h"
#include "../core/date.h"
#include "../core/validate.h"
#include "../lib/clock.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

int in_body_object(struct req *r)
{
	if (r->json)
		return 0;
	if (!r->body || r->body_len == 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid_json", NULL, "请求体为空，应为 JSON 对象");
	json_error_t e;
	json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid_json", NULL,
			       "请求体不是合法的 JSON（第 %d 行第 %d 列）", e.line, e.column);
	if (!json_is_object(j)) {
		json_decref(j);
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid_json", NULL, "请求体应为 JSON 对象");
	}
	r->json = j;
	return 0;
}

bool in_has(struct req *r, const char *key)
{
	return r->json && json_object_get(r->json, key) != NULL;
}

static json_t *get_in(struct req *r, json_t *obj, const char *key, bool required, int *rc)
{
	*rc = 0;
	json_t *v = obj ? json_object_get(obj, key) : NULL;
	if (!v || json_is_null(v)) {
		if (required)
			*rc = ql_fail(&r->err, QLE_INVALID, "required", key, "缺少必填字段 %s", key);
		return NULL;
	}
	return v;
}

static json_t *get(struct req *r, const char *key, bool required, int *rc)
{
	return get_in(r, r->json, key, required, rc);
}

int in_str(struct req *r, const char *key, bool required, size_t max_chars, const char **out)
{
	return in_str_at(r, r->json, key, key, required, max_chars, out);
}

int in_str_at(struct req *r, json_t *obj, const char *key, const char *field, bool required,
	      size_t max_chars, const char **out)
{
	int rc;
	json_t *v = get_in(r, obj, key, false, &rc);
	if (!v && required)
		return ql_fail(&r->err, QLE_INVALID, "required", field, "缺少必填字段 %s", field);
	*out = NULL;
	if (!v)
		return rc;
	if (!json_is_string(v))
		return ql_fail(&r->err, QLE_INVALID, "type", field, "字段 %s 应为字符串", field);
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return ql_fail(&r->err, QLE_INVALID, "invalid", field, "字段 %s 含有非法字符", field);
	/* Trim surrounding blanks: a name of spaces is no name. */
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	char *t = arena_strndup(r->a, s, n);
	if (n == 0) {
		if (required)
			return ql_fail(&r->err, QLE_INVALID, "required", field, "必填字段 %s 不能为空", field);
		return 0;
	}
	long chars = utf8_length(t);
	if (max_chars && chars > (long)max_chars)
		return ql_fail(&r->err, QLE_INVALID, "too_long", field, "字段 %s 过长（最多 %zu 个字符）",
			       field, max_chars);
	*out = t;
	return 0;
}

int in_int(struct req *r, const char *key, bool required, int64_t *out)
{
	int rc;
	json_t *v = get(r, key, required, &rc);
	if (!v)
		return rc;
	if (!json_is_integer(v))
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为整数", key);
	*out = json_integer_value(v);
	return 0;
}

int in_bool(struct req *r, const char *key, bool required, bool *out)
{
	int rc;
	json_t *v = get(r, key, required, &rc);
	if (!v)
		return rc;
	if (!json_is_boolean(v))
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为 true 或 false", key);
	*out = json_is_true(v);
	return 0;
}

const char *query(struct req *r, const char *key)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
	return v && *v ? v : NULL;
}

static int parse_pos(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 9)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	*out = strtoll(s, NULL, 10);
	return *out >= 1 ? 0 : -1;
}

int in_page(struct req *r, int64_t *page, int64_t *per_page)
{
	*page = 1;
	*per_page = 20;
	const char *p = query(r, "page"), *pp = query(r, "per_page");
	if (p && parse_pos(p, page) < 0)
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "page", "页码 page 应为正整数");
	if (pp && (parse_pos(pp, per_page) < 0 || *per_page > 100))
		return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", "per_page",
			       "每页条数 per_page 应为 1 到 100 的整数");
	return 0;
}

int in_path_id(struct req *r, int i, int64_t *out)
{
	if (parse_pos(r->params[i], out) < 0)
		return ql_fail(&r->err, QLE_NOT_FOUND, "not_found", NULL, "记录不存在或无权访问");
	return 0;
}

int in_object(struct req *r, const char *key, bool required, json_t **out)
{
	int rc;
	json_t *v = get(r, key, required, &rc);
	*out = NULL;
	if (!v)
		return rc;
	if (!json_is_object(v))
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为 JSON 对象", key);
	*out = v;
	return 0;
}

int in_id_array(struct req *r, const char *key, int64_t **ids, int *n)
{
	*ids = NULL;
	*n = 0;
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > 100)
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为编号数组（最多 100 个）",
			       key);
	*ids = arena_alloc(r->a, sizeof(int64_t) * (json_array_size(v) + 1));
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_integer(x) || json_integer_value(x) <= 0)
			return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 的元素应为正整数编号",
				       key);
		(*ids)[(*n)++] = json_integer_value(x);
	}
	return 0;
}

int in_amount(struct req *r, const char *key, bool required, int64_t *fen)
{
	int rc;
	json_t *v = get(r, key, required, &rc);
	if (!v)
		return rc;
	if (!json_is_number(v))
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为金额（元，数字）", key);
	double d = json_number_value(v);
	if (d < 0 || d > 1e12)
		return ql_fail(&r->err, QLE_INVALID, "out_of_range", key, "字段 %s 金额超出范围", key);
	double cents = d * 100.0;
	int64_t f = (int64_t)(cents + 0.5);
	if (cents - (double)f > 1e-6 || (double)f - cents > 1e-6)
		return ql_fail(&r->err, QLE_INVALID, "precision", key, "字段 %s 金额最多保留两位小数",
			       key);
	*fen = f;
	return 0;
}

int in_date(struct req *r, const char *key, bool required, const char **out)
{
	const char *s;
	if (in_str(r, key, required, 10, &s) < 0) {
		if (r->err.code && strcmp(r->err.code, "too_long") == 0)
			return ql_fail(&r->err, QLE_INVALID, "invalid_date", key,
				       "字段 %s 应为日期（YYYY-MM-DD）", key);
		return -1;
	}
	*out = s;
	if (!s)
		return 0;
	int64_t days;
	if (date_parse(s, &days) < 0)
		return ql_fail(&r->err, QLE_INVALID, "invalid_date", key,
			       "字段 %s 不是有效日期（应为 YYYY-MM-DD 格式的真实日期）", key);
	return 0;
}

int in_past_date(struct req *r, const char *key, bool required, const char **out)
{
	if (in_date(r, key, required, out) < 0)
		return -1;
	char today[16];
	clock_format_date_cn(r->now, today, sizeof today);
	if (*out && strcmp(*out, today) > 0)
		return ql_fail(&r->err, QLE_INVALID, "future_date", key, "日期不能晚于今天（%s）", today);
	return 0;
}

int in_secret(struct req *r, const char *key, size_t max_bytes, const char **out)
{
	int rc;
	json_t *v = get(r, key, true, &rc);
	*out = NULL;
	if (!v)
		return rc;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return ql_fail(&r->err, QLE_INVALID, "type", key, "字段 %s 应为非空字符串", key);
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || strlen(s) > max_bytes)
		return ql_fail(&r->err, QLE_INVALID, "invalid", key, "字段 %s 过长或含有非法字符", key);
	*out = arena_strdup(r->a, s);
	return 0;
}
