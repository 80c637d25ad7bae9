/*
 * auth.c - authenticating requests (see auth.h).
 *
 * Cookie values and bearer tokens are random 256-bit strings; the database
 * keeps only their SHA-256, so a copy of the database lets nobody log in.
 * A session idle longer than the security setting (30 minutes by default)
 * is ended on its next use.
 */
#include "auth.h"
#include "../lib/crypto.h"

#include <microhttpd.h>
#include <string.h>

void auth_set_actor(struct req *r)
{
	r->actor.user_id = r->user.id;
	r->actor.login = r->user.login;
	r->actor.role = role_name(r->user.role);
	r->actor.address = r->address;
}

int auth_load_scope(struct req *r)
{
	struct scope *s = &r->scope;
	memset(s, 0, sizeof *s);
	if (role_is_admin(r->user.role))
		return 0;
	if (r->user.region_code) {
		s->kind = SCOPE_REGION;
		s->region_code = r->user.region_code;
	} else if (r->user.department_id) {
		struct department d;
		int rc = store_department_get(r->db, r->a, r->user.department_id, &d);
		if (rc < 0)
			return db_fail(r->db, rc, &r->err);
		if (rc == 0)
			return 0;
		s->kind = SCOPE_DEPARTMENT;
		s->department_id = d.id;
		s->region_code = d.region_code;
	} else if (r->user.enterprise_id) {
		s->kind = SCOPE_ENTERPRISE;
		s->enterprise_id = r->user.enterprise_id;
	}
	return 0;
}

/* The user read with the session or token: an enabled account, its
 * actor and scope. */
static int take_user(struct req *r)
{
	if (r->user.disabled)
		return ql_fail(&r->err, QLE_UNAUTHENTICATED, "unauthenticated", NULL,
			       "账号不存在或已停用，请重新登录");
	r->authed = true;
	auth_set_actor(r);
	return auth_load_scope(r);
}

static int from_bearer(struct req *r, const char *token)
{
	char hash[CRYPTO_HASH_HEX];
	crypto_sha256_hex(token, strlen(token), hash);
	int rc = store_token_user(r->db, r->a, hash, &r->user);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc == 0)
		return ql_fail(&r->err, QLE_UNAUTHENTICATED, "unauthenticated", NULL,
			       "访问令牌无效或已吊销");
	return take_user(r);
}

static int from_cookie(struct req *r, const char *cookie)
{
	char hash[CRYPTO_HASH_HEX];
	crypto_sha256_hex(cookie, strlen(cookie), hash);
	struct session s;
	int rc = store_session_user(r->db, r->a, hash, &s, &r->user);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	if (rc == 0)
		return ql_fail(&r->err, QLE_UNAUTHENTICATED, "unauthenticated", NULL,
			       "登录已失效，请重新登录");
	struct security_settings cfg;
	rc = store_settings_get(r->db, &cfg);
	if (rc < 0)
		return db_fail(r->db, rc, &r->err);
	r->session_id = s.id;
	if (r->now - s.last_seen > (int64_t)cfg.session_idle_minutes * 60) {
		r->session_upkeep = SESSION_END;
		return ql_fail(&r->err, QLE_UNAUTHENTICATED, "session_expired", NULL,
			       "超过 %d 分钟未操作，登录已超时，请重新登录",
			       cfg.session_idle_minutes);
	}
	/* Refreshed at most once a minute: a GET should not cost a write
	 * each time. */
	if (r->now - s.last_seen >= 60)
		r->session_upkeep = SESSION_TOUCH;
	r->csrf_token = s.csrf_token;
	r->via_cookie = true;
	return take_user(r);
}

void auth_session_upkeep(struct req *r)
{
	if (!r->db || db_in_tx(r->db))
		return;
	if (r->session_upkeep == SESSION_TOUCH)
		store_session_touch(r->db, r->session_id, r->now);
	else if (r->session_upkeep == SESSION_END)
		store_session_end(r->db, r->session_id, r->now);
	r->session_upkeep = SESSION_KEEP;
}

int auth_authenticate(struct req *r)
{
	const char *authz =
		MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (authz) {
		if (strncmp(authz, "Bearer ", 7) != 0 || !authz[7])
			return ql_fail(&r->err, QLE_UNAUTHENTICATED, "unauthenticated", NULL,
				       "Authorization 头格式应为 Bearer 令牌");
		return from_bearer(r, authz + 7);
	}
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (cookie && *cookie)
		return from_cookie(r, cookie);
	return ql_fail(&r->err, QLE_UNAUTHENTICATED, "unauthenticated", NULL, "请先登录");
}

int auth_check_csrf(struct req *r)
{
	const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	if (!t || !r->csrf_token || !crypto_str_equal(t, r->csrf_token))
		return ql_fail(&r->err, QLE_FORBIDDEN, "csrf", NULL,
			       "缺少或错误的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试");
	return 0;
}
