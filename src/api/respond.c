/*
 * respond.c - writing answers: the one place where error kinds become
 * HTTP statuses, the error body of API.md, and list envelopes.
 */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>

int http_status_of(enum ql_err_kind kind)
{
	switch (kind) {
	case QLE_NONE: return 200;
	case QLE_BAD_REQUEST: return 400;
	case QLE_UNAUTHENTICATED: return 401;
	case QLE_FORBIDDEN: return 403;
	case QLE_NOT_FOUND: return 404;
	case QLE_METHOD: return 405;
	case QLE_CONFLICT: return 409;
	case QLE_TOO_LARGE: return 413;
	case QLE_UNSUPPORTED_MEDIA: return 415;
	case QLE_INVALID: return 422;
	case QLE_TOO_MANY: return 429;
	case QLE_UNAVAILABLE: return 503;
	case QLE_INTERNAL: break;
	}
	return 500;
}

struct jsonw *reply_json(struct req *r)
{
	buf_reset(&r->out);
	jw_init(&r->w, &r->out);
	r->content_type = "application/json; charset=utf-8";
	return &r->w;
}

int reply_error(struct req *r)
{
	if (r->err.kind == QLE_NONE)
		ql_fail(&r->err, QLE_INTERNAL, "internal", NULL, "服务器内部错误");
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_key(w, "error");
	jw_obj(w);
	jw_kstr(w, "code", r->err.code ? r->err.code : "error");
	jw_kstr(w, "message", r->err.message);
	jw_kstr(w, "field", r->err.field);
	jw_obj_end(w);
	jw_obj_end(w);
	return http_status_of(r->err.kind);
}

int reply_fail(struct req *r, enum ql_err_kind kind, const char *code, const char *field,
	       const char *fmt, ...)
{
	r->err.kind = kind;
	r->err.code = code;
	r->err.field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err.message, sizeof r->err.message, fmt, ap);
	va_end(ap);
	return reply_error(r);
}

int reply_db(struct req *r, int rc)
{
	if (rc == 0)
		return reply_not_found(r, "记录");
	db_fail(r->db, rc, &r->err);
	return reply_error(r);
}

int reply_not_found(struct req *r, const char *what)
{
	return reply_fail(r, QLE_NOT_FOUND, "not_found", NULL, "%s不存在或无权访问", what);
}

int reply_list(struct req *r, const void *items, int n, size_t size,
	       void (*view)(struct jsonw *w, const void *item), int64_t total, int64_t page,
	       int64_t per_page)
{
	struct jsonw *w = reply_list_open(r);
	for (int i = 0; i < n; i++)
		view(w, (const char *)items + (size_t)i * size);
	jw_arr_end(w);
	return reply_list_tail(w, total, page, per_page);
}

struct jsonw *reply_list_open(struct req *r)
{
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_key(w, "items");
	jw_arr(w);
	return w;
}

int reply_list_tail(struct jsonw *w, int64_t total, int64_t page, int64_t per_page)
{
	jw_kint(w, "total", total);
	jw_kint(w, "page", page);
	jw_kint(w, "per_page", per_page);
	jw_obj_end(w);
	return 200;
}
