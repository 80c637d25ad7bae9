/*
 * users.c - accounts: the system administrator creates and lists them;
 * the security administrator may also read them and unlock a locked one.
 * Answers never carry a password or its hash.
 */
#include "http.h"
#include "views.h"

#include <stdio.h>

static int create(struct req *r)
{
	struct user u = {0};
	const char *role, *password;
	TRY(in_body_object(r));
	TRY(in_str(r, "login", true, 64, (const char **)&u.login));
	TRY(in_str(r, "name", true, 64, (const char **)&u.name));
	TRY(in_str(r, "role", true, 16, &role));
	TRY(in_secret(r, "password", 256, &password));
	TRY(in_str(r, "region_code", false, 12, (const char **)&u.region_code));
	TRY(in_int(r, "department_id", false, &u.department_id));
	TRY(in_int(r, "enterprise_id", false, &u.enterprise_id));
	bool must_change = true;
	TRY(in_bool(r, "must_change_password", false, &must_change));
	u.role = role_parse(role);
	u.must_change_password = must_change;
	TRY(account_create(r->db, r->a, &u, password, &r->actor, r->now, &r->err));
	struct user saved;
	int rc = store_user_by_id(r->db, r->a, u.id, &saved);
	if (rc <= 0)
		return reply_db(r, rc);
	view_user(reply_json(r), &saved);
	return 201;
}

static int get_one(struct req *r)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	struct user u;
	int rc = store_user_by_id(r->db, r->a, id, &u);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "用户");
	view_user(reply_json(r), &u);
	return 200;
}

static int list(struct req *r)
{
	int64_t page, per_page;
	TRY(in_page(r, &page, &per_page));
	struct user *items;
	int64_t total;
	int n = store_user_list(r->db, r->a, (page - 1) * per_page, per_page, &items, &total);
	if (n < 0)
		return reply_db(r, n);
	return reply_list(r, items, n, sizeof *items, view_user, total, page, per_page);
}

static int unlock(struct req *r)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	struct user u;
	int rc = store_user_by_id(r->db, r->a, id, &u);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "用户");
	if ((rc = store_user_set_failures(r->db, id, 0, 0)) < 0)
		return reply_db(r, rc);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if ((rc = audit(r, "user.unlock", "user", arena_strdup(r->a, sid), NULL, NULL)) < 0)
		return reply_db(r, rc);
	u.failed_count = 0;
	u.locked_until = 0;
	view_user(reply_json(r), &u);
	return 200;
}

const struct route user_routes[] = {
	{"POST", "/api/v1/users", create, R_BIT(ROLE_SYSADMIN), 0},
	{"GET", "/api/v1/users", list, R_BIT(ROLE_SYSADMIN) | R_BIT(ROLE_SECADMIN), 0},
	{"GET", "/api/v1/users/{id}", get_one, R_BIT(ROLE_SYSADMIN) | R_BIT(ROLE_SECADMIN), 0},
	{"POST", "/api/v1/users/{id}/unlock", unlock, R_BIT(ROLE_SECADMIN), 0},
	{NULL, NULL, NULL, 0, 0},
};
