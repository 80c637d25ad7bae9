/*
 * role.c - roles and their scopes (see role.h).
 */
#include "role.h"

#include <string.h>

static const struct {
	const char *name, *label;
	enum scope_kind scope;
} ROLES[ROLE_COUNT] = {
	[ROLE_NONE] = {"", "", SCOPE_NONE},
	[ROLE_SYSADMIN] = {"sysadmin", "系统管理员", SCOPE_NONE},
	[ROLE_SECADMIN] = {"secadmin", "安全管理员", SCOPE_NONE},
	[ROLE_AUDITOR] = {"auditor", "安全审计员", SCOPE_NONE},
	[ROLE_OFFICE] = {"office", "安委办", SCOPE_REGION},
	[ROLE_REGULATOR] = {"regulator", "行业部门", SCOPE_DEPARTMENT},
	[ROLE_ENTERPRISE] = {"enterprise", "企业", SCOPE_ENTERPRISE},
	[ROLE_EXPERT] = {"expert", "专家", SCOPE_REGION},
};

enum role role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	for (int r = 1; r < ROLE_COUNT; r++)
		if (strcmp(s, ROLES[r].name) == 0)
			return (enum role)r;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	return r > 0 && r < ROLE_COUNT ? ROLES[r].name : "";
}

const char *role_label(enum role r)
{
	return r > 0 && r < ROLE_COUNT ? ROLES[r].label : "";
}

bool role_is_admin(enum role r)
{
	return r == ROLE_SYSADMIN || r == ROLE_SECADMIN || r == ROLE_AUDITOR;
}

enum scope_kind role_scope(enum role r)
{
	return r > 0 && r < ROLE_COUNT ? ROLES[r].scope : SCOPE_NONE;
}

bool role_scope_ok(enum role r, enum scope_kind given)
{
	if (r == ROLE_EXPERT)
		return given != SCOPE_NONE;
	return role_scope(r) == given;
}
