/*
 * session.c - logging in and out, the current session, and changing one's
 * own password.
 *
 * Lock-out: after `lockout_threshold` consecutive failures (5 by default)
 * the account refuses every login, right or wrong, for `lockout_minutes`
 * (15).  Each failure is committed and audited even though the answer is
 * an error, so that guessing cannot be hidden by the rollback.
 */
#include "auth.h"
#include "views.h"
#include "../core/validate.h"
#include "../lib/crypto.h"

#include <microhttpd.h>
#include <string.h>

static int reply_session(struct req *r, int status)
{
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_key(w, "user");
	view_user(w, &r->user);
	jw_kstr(w, "csrf_token", r->csrf_token);
	jw_obj_end(w);
	return status;
}

static int login_failed(struct req *r, const char *login, const char *why)
{
	r->commit_on_error = true;
	struct actor who = {0, login, NULL, r->address};
	store_audit_append(r->db, &who, r->now, "session.login_failed", "user", login, NULL, NULL,
			   why);
	return reply_fail(r, QLE_UNAUTHENTICATED, "invalid_credentials", NULL, "用户名或密码错误");
}

static int login(struct req *r)
{
	const char *login, *password;
	TRY(in_body_object(r));
	TRY(in_str(r, "login", true, 64, &login));
	TRY(in_secret(r, "password", 256, &password));

	struct user u;
	int rc = store_user_by_login(r->db, r->a, login, &u);
	if (rc < 0)
		return reply_db(r, rc);
	if (rc == 0)
		return login_failed(r, login, "no_such_user");
	struct actor who = {u.id, u.login, role_name(u.role), r->address};
	if (u.locked_until > r->now) {
		r->commit_on_error = true;
		store_audit_append(r->db, &who, r->now, "session.login_failed", "user", u.login, NULL,
				   NULL, "locked");
		int minutes = (int)((u.locked_until - r->now + 59) / 60);
		return reply_fail(r, QLE_TOO_MANY, "account_locked", NULL,
				  "密码连续错误次数过多，账号已锁定，请 %d 分钟后再试或联系安全管理员解锁",
				  minutes);
	}
	if (u.disabled)
		return login_failed(r, login, "disabled");
	if (!crypto_password_verify(u.password_hash, password)) {
		struct security_settings cfg;
		if ((rc = store_settings_get(r->db, &cfg)) < 0)
			return reply_db(r, rc);
		/* Counted in the database, not from u.failed_count: failures
		 * arriving together at several servers must all count. */
		int failed;
		if ((rc = store_user_add_failure(r->db, u.id, &failed)) < 0)
			return reply_db(r, rc);
		int64_t until = 0;
		if (failed >= cfg.lockout_threshold) {
			until = r->now + (int64_t)cfg.lockout_minutes * 60;
			if ((rc = store_user_set_failures(r->db, u.id, 0, until)) < 0)
				return reply_db(r, rc);
		}
		r->commit_on_error = true;
		store_audit_append(r->db, &who, r->now, "session.login_failed", "user", u.login, NULL,
				   NULL, until ? "wrong_password_locked" : "wrong_password");
		if (until)
			return reply_fail(r, QLE_UNAUTHENTICATED, "invalid_credentials", NULL,
					  "用户名或密码错误；已连续错误 %d 次，账号锁定 %d 分钟",
					  cfg.lockout_threshold, cfg.lockout_minutes);
		return reply_fail(r, QLE_UNAUTHENTICATED, "invalid_credentials", NULL,
				  "用户名或密码错误（再错 %d 次将锁定账号）",
				  cfg.lockout_threshold - failed);
	}
	if (u.failed_count || u.locked_until)
		if ((rc = store_user_set_failures(r->db, u.id, 0, 0)) < 0)
			return reply_db(r, rc);

	char token[CRYPTO_TOKEN_MAX], csrf[CRYPTO_TOKEN_MAX], hash[CRYPTO_HASH_HEX];
	crypto_token("", token, sizeof token);
	crypto_token("", csrf, sizeof csrf);
	crypto_sha256_hex(token, strlen(token), hash);
	if ((rc = store_session_insert(r->db, hash, u.id, csrf, r->address, r->now)) < 0)
		return reply_db(r, rc);
	if ((rc = store_audit_append(r->db, &who, r->now, "session.login", "user", u.login, NULL,
				     NULL, "ok")) < 0)
		return reply_db(r, rc);
	r->user = u;
	r->csrf_token = arena_strdup(r->a, csrf);
	/* Behind a TLS-terminating proxy the cookie is also marked Secure. */
	const char *proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	bool tls = proto && strcmp(proto, "https") == 0;
	r->set_cookie = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
				     SESSION_COOKIE, token, tls ? "; Secure" : "");
	return reply_session(r, 200);
}

static int current(struct req *r)
{
	return reply_session(r, 200);
}

static int logout(struct req *r)
{
	int rc;
	if (r->session_id && (rc = store_session_end(r->db, r->session_id, r->now)) < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "session.logout", "user", r->user.login, NULL, NULL)) < 0)
		return reply_db(r, rc);
	r->set_cookie = arena_printf(r->a, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
				     SESSION_COOKIE);
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_kstr(w, "status", "ok");
	jw_obj_end(w);
	return 200;
}

static int change_password(struct req *r)
{
	const char *old_pw, *new_pw;
	TRY(in_body_object(r));
	TRY(in_secret(r, "old_password", 256, &old_pw));
	TRY(in_secret(r, "new_password", 256, &new_pw));
	if (!crypto_password_verify(r->user.password_hash, old_pw))
		return reply_fail(r, QLE_INVALID, "wrong_password", "old_password", "原密码不正确");
	struct security_settings cfg;
	int rc = store_settings_get(r->db, &cfg);
	if (rc < 0)
		return reply_db(r, rc);
	if (!password_acceptable(new_pw, r->user.login, cfg.password_min_length))
		return reply_fail(r, QLE_INVALID, "weak_password", "new_password",
				  "新密码不符合要求：至少 %d 位，并包含大写字母、小写字母、数字、"
				  "符号中的至少三类，且不能与用户名相同",
				  cfg.password_min_length);
	if (strcmp(old_pw, new_pw) == 0)
		return reply_fail(r, QLE_INVALID, "same_password", "new_password",
				  "新密码不能与原密码相同");
	char hash[CRYPTO_PWHASH_MAX];
	if (crypto_password_hash(new_pw, hash) != 0)
		return reply_fail(r, QLE_INTERNAL, "internal", NULL, "密码处理失败");
	if ((rc = store_user_set_password(r->db, r->user.id, hash, false, r->now)) < 0)
		return reply_db(r, rc);
	if ((rc = audit(r, "user.password_change", "user", r->user.login, NULL, NULL)) < 0)
		return reply_db(r, rc);
	r->user.must_change_password = false;
	return reply_session(r, 200);
}

const struct route session_routes[] = {
	{"POST", "/api/v1/session", login, R_ANY, ROUTE_PUBLIC},
	{"GET", "/api/v1/session", current, R_ANY, ROUTE_ANY_PASSWORD},
	{"DELETE", "/api/v1/session", logout, R_ANY, ROUTE_ANY_PASSWORD},
	{"POST", "/api/v1/session/password", change_password, R_ANY, ROUTE_ANY_PASSWORD},
	{NULL, NULL, NULL, 0, 0},
};
