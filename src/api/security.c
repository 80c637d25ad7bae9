/*
 * security.c - the security settings, kept by the security administrator
 * alone (三员分立): lock-out threshold and duration, session idle timeout,
 * minimum password length.
 */
#include "http.h"
#include "views.h"

#include <stdio.h>

static void view_settings(struct jsonw *w, const void *record)
{
	const struct security_settings *s = record;
	jw_obj(w);
	jw_kint(w, "lockout_threshold", s->lockout_threshold);
	jw_kint(w, "lockout_minutes", s->lockout_minutes);
	jw_kint(w, "session_idle_minutes", s->session_idle_minutes);
	jw_kint(w, "password_min_length", s->password_min_length);
	jw_obj_end(w);
}

static int get(struct req *r)
{
	struct security_settings s;
	int rc = store_settings_get(r->db, &s);
	if (rc < 0)
		return reply_db(r, rc);
	view_settings(reply_json(r), &s);
	return 200;
}

/* Reads one setting if present and checks it against [lo, hi]. */
static int setting(struct req *r, const char *key, int lo, int hi, int *v)
{
	int64_t x = *v;
	if (in_int(r, key, false, &x) < 0)
		return -1;
	if (x < lo || x > hi)
		return ql_fail(&r->err, QLE_INVALID, "out_of_range", key,
			       "%s 应在 %d 到 %d 之间", key, lo, hi);
	*v = (int)x;
	return 0;
}

static int put(struct req *r)
{
	struct security_settings s, before;
	int rc = store_settings_get(r->db, &s);
	if (rc < 0)
		return reply_db(r, rc);
	before = s;
	TRY(in_body_object(r));
	TRY(setting(r, "lockout_threshold", 3, 10, &s.lockout_threshold));
	TRY(setting(r, "lockout_minutes", 1, 1440, &s.lockout_minutes));
	TRY(setting(r, "session_idle_minutes", 5, 30, &s.session_idle_minutes));
	TRY(setting(r, "password_min_length", 8, 64, &s.password_min_length));
	if ((rc = store_settings_put(r->db, &s)) < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "security.settings", "settings", "security",
			view_json(r->a, view_settings, &before), view_json(r->a, view_settings, &s))) < 0)
		return reply_db(r, rc);
	view_settings(reply_json(r), &s);
	return 200;
}

const struct route security_routes[] = {
	{"GET", "/api/v1/security/settings", get, R_BIT(ROLE_SECADMIN), 0},
	{"PUT", "/api/v1/security/settings", put, R_BIT(ROLE_SECADMIN), 0},
	{NULL, NULL, NULL, 0, 0},
};
