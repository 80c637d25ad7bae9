/*
 * audit_api.c - recording writes in the audit trail, and GET /api/v1/audit
 * for the auditor (and nobody else: three-admin separation).
 */
#include "http.h"
#include "views.h"
#include "../core/date.h"
#include "../lib/clock.h"

#include <string.h>

int audit(struct req *r, const char *action, const char *object_type, const char *object_id,
	  const char *before_json, const char *after_json)
{
	return store_audit_append(r->db, &r->actor, r->now, action, object_type, object_id,
				  before_json, after_json, "ok");
}

int audit_with_body(struct req *r, const char *action, const char *object_type, int64_t id)
{
	return audit(r, action, object_type, arena_printf(r->a, "%lld", (long long)id), NULL,
		     r->body ? arena_strndup(r->a, r->body, r->body_len) : NULL);
}

/* Accepts YYYY-MM-DD (a whole day in Asia/Shanghai) or RFC 3339. */
static int parse_bound(struct req *r, const char *key, bool end, int64_t *out)
{
	const char *v = query(r, key);
	if (!v)
		return 0;
	int64_t days;
	if (date_parse(v, &days) == 0) {
		*out = days * 86400 - 8 * 3600 + (end ? 86399 : 0);
		return 0;
	}
	if (clock_parse_rfc3339(v, out) == 0)
		return 0;
	return ql_fail(&r->err, QLE_BAD_REQUEST, "invalid", key,
		       "参数 %s 应为日期（YYYY-MM-DD）或 RFC 3339 时间", key);
}

static void view_entry(struct jsonw *w, const void *item)
{
	const struct audit_entry *e = item;
	jw_obj(w);
	jw_kint(w, "seq", e->seq);
	view_time(w, "at", e->at);
	jw_kid(w, "actor_id", e->actor_id);
	jw_kstr(w, "actor", e->actor_login);
	jw_kstr(w, "actor_role", e->actor_role);
	jw_kstr(w, "address", e->address);
	jw_kstr(w, "action", e->action);
	jw_kstr(w, "object_type", e->object_type);
	jw_kstr(w, "object_id", e->object_id);
	jw_key(w, "before");
	if (e->before_json)
		jw_raw(w, e->before_json);
	else
		jw_null(w);
	jw_key(w, "after");
	if (e->after_json)
		jw_raw(w, e->after_json);
	else
		jw_null(w);
	jw_kstr(w, "outcome", e->outcome);
	jw_kstr(w, "hash", e->hash);
	jw_obj_end(w);
}

static int list(struct req *r)
{
	int64_t page, per_page, from = 0, to = INT64_MAX / 2;
	TRY(in_page(r, &page, &per_page));
	TRY(parse_bound(r, "from", false, &from));
	TRY(parse_bound(r, "to", true, &to));
	struct audit_entry *items;
	int64_t total;
	int n = store_audit_list(r->db, r->a, from, to, (page - 1) * per_page, per_page, &items,
				 &total);
	if (n < 0)
		return reply_db(r, n);
	return reply_list(r, items, n, sizeof *items, view_entry, total, page, per_page);
}

const struct route audit_routes[] = {
	{"GET", "/api/v1/audit", list, R_BIT(ROLE_AUDITOR), 0},
	{NULL, NULL, NULL, 0, 0},
};
