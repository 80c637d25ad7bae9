/*
 * views.c - JSON shapes of the platform's records (see views.h).
 */
#include "views.h"
#include "../lib/clock.h"

void view_time(struct jsonw *w, const char *key, int64_t t)
{
	jw_key(w, key);
	if (t <= 0) {
		jw_null(w);
		return;
	}
	char s[32];
	clock_format_rfc3339(t, s, sizeof s);
	jw_str(w, s);
}

void view_user(struct jsonw *w, const void *record)
{
	const struct user *u = record;
	jw_obj(w);
	jw_kint(w, "id", u->id);
	jw_kstr(w, "login", u->login);
	jw_kstr(w, "name", u->name);
	jw_kstr(w, "role", role_name(u->role));
	jw_kstr(w, "role_label", role_label(u->role));
	jw_kstr(w, "region_code", u->region_code);
	jw_kid(w, "department_id", u->department_id);
	jw_kid(w, "enterprise_id", u->enterprise_id);
	jw_kbool(w, "must_change_password", u->must_change_password);
	jw_kbool(w, "disabled", u->disabled);
	view_time(w, "locked_until", u->locked_until);
	view_time(w, "created_at", u->created_at);
	jw_obj_end(w);
}

void view_region(struct jsonw *w, const void *record)
{
	const struct region *g = record;
	jw_obj(w);
	jw_kstr(w, "code", g->code);
	jw_kstr(w, "name", g->name);
	jw_kstr(w, "parent_code", g->parent_code);
	jw_kint(w, "level", g->level);
	jw_obj_end(w);
}

void view_department(struct jsonw *w, const void *record)
{
	const struct department *d = record;
	jw_obj(w);
	jw_kint(w, "id", d->id);
	jw_kstr(w, "name", d->name);
	jw_kstr(w, "region_code", d->region_code);
	jw_obj_end(w);
}

char *view_json(struct arena *a, view_fn fn, const void *record)
{
	struct buf b = BUF_INIT;
	struct jsonw w;
	jw_init(&w, &b);
	fn(&w, record);
	char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

void view_col_int(struct jsonw *w, const char *key, struct db_stmt *st, int col)
{
	jw_key(w, key);
	if (db_col_is_null(st, col))
		jw_null(w);
	else
		jw_int(w, db_col_int(st, col));
}
