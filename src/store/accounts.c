/*
 * accounts.c - creating an account, shared by `qingling user add` and
 * POST /api/v1/users so that both apply the same rules: login format,
 * role, exactly the scope the role needs (and that it exists), password
 * policy, argon2id hash, audit entry.
 */
#include "store.h"
#include "../core/validate.h"
#include "../lib/crypto.h"

#include <stdio.h>

static int check_scope(struct db *db, struct arena *a, const struct user *u,
		       struct ql_error *err)
{
	enum scope_kind given = SCOPE_NONE;
	int n = (u->region_code != NULL) + (u->department_id != 0) + (u->enterprise_id != 0);
	if (n > 1)
		return ql_fail(err, QLE_INVALID, "scope", "region_code",
			       "只能指定一个数据范围（区划、部门或企业之一）");
	if (u->region_code)
		given = SCOPE_REGION;
	else if (u->department_id)
		given = SCOPE_DEPARTMENT;
	else if (u->enterprise_id)
		given = SCOPE_ENTERPRISE;
	if (!role_scope_ok(u->role, given)) {
		switch (role_scope(u->role)) {
		case SCOPE_NONE:
			return ql_fail(err, QLE_INVALID, "scope", "role",
				       "%s不能指定数据范围（三员分立：管理员不接触业务数据）",
				       role_label(u->role));
		case SCOPE_REGION:
			if (u->role == ROLE_EXPERT)
				return ql_fail(err, QLE_INVALID, "scope_required", "region_code",
					       "专家账号须指定区划、部门或企业之一作为数据范围");
			return ql_fail(err, QLE_INVALID, "scope_required", "region_code",
				       "安委办账号须指定所属区划（region_code）");
		case SCOPE_DEPARTMENT:
			return ql_fail(err, QLE_INVALID, "scope_required", "department_id",
				       "行业部门账号须指定所属部门（department_id）");
		case SCOPE_ENTERPRISE:
			return ql_fail(err, QLE_INVALID, "scope_required", "enterprise_id",
				       "企业账号须指定所属企业（enterprise_id）");
		}
	}
	int rc = 1;
	const char *field = NULL, *what = NULL;
	if (u->region_code) {
		struct region g;
		rc = region_code_valid(u->region_code)
			     ? store_region_get(db, a, u->region_code, &g) : 0;
		field = "region_code", what = "区划";
	} else if (u->department_id) {
		struct department d;
		rc = store_department_get(db, a, u->department_id, &d);
		field = "department_id", what = "部门";
	} else if (u->enterprise_id) {
		rc = store_enterprise_exists(db, u->enterprise_id);
		field = "enterprise_id", what = "企业";
	}
	if (rc < 0)
		return db_fail(db, rc, err);
	if (rc == 0)
		return ql_fail(err, QLE_INVALID, "unknown_scope", field, "指定的%s不存在", what);
	return 0;
}

int account_create(struct db *db, struct arena *a, struct user *u, const char *password,
		   const struct actor *who, int64_t now, struct ql_error *err)
{
	if (!login_valid(u->login))
		return ql_fail(err, QLE_INVALID, "invalid", "login",
			       "用户名应为 3 到 64 位字母、数字或 _ . @ -");
	if (!u->name || !*u->name)
		return ql_fail(err, QLE_INVALID, "required", "name", "缺少姓名");
	if (u->role == ROLE_NONE)
		return ql_fail(err, QLE_INVALID, "invalid", "role",
			       "角色应为 sysadmin、secadmin、auditor、office、regulator、enterprise、"
			       "expert 之一");
	if (check_scope(db, a, u, err) < 0)
		return -1;
	struct security_settings cfg;
	int rc = store_settings_get(db, &cfg);
	if (rc < 0)
		return db_fail(db, rc, err);
	if (!password_acceptable(password, u->login, cfg.password_min_length))
		return ql_fail(err, QLE_INVALID, "weak_password", "password",
			       "密码不符合要求：至少 %d 位，并包含大写字母、小写字母、数字、符号中的"
			       "至少三类，且不能与用户名相同",
			       cfg.password_min_length);
	char hash[CRYPTO_PWHASH_MAX];
	if (crypto_password_hash(password, hash) != 0)
		return ql_fail(err, QLE_INTERNAL, "internal", NULL, "密码处理失败（内存不足）");
	u->password_hash = hash;
	u->created_at = now;
	rc = store_user_insert(db, u);
	u->password_hash = NULL;
	if (rc == DB_ERR_UNIQUE)
		return ql_fail(err, QLE_CONFLICT, "duplicate", "login", "用户名 %s 已存在", u->login);
	if (rc < 0)
		return db_fail(db, rc, err);
	char id[24], after[600];
	snprintf(id, sizeof id, "%lld", (long long)u->id);
	snprintf(after, sizeof after, "{\"login\":\"%s\",\"role\":\"%s\"}", u->login,
		 role_name(u->role));
	rc = store_audit_append(db, who, now, "user.create", "user", id, NULL, after, "ok");
	if (rc < 0)
		return db_fail(db, rc, err);
	return 0;
}
