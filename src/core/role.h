/*
 * role.h - the roles of API.md and what scope each one carries.
 *
 * Three-admin separation (三员分立): sysadmin manages organisation and
 * accounts, secadmin the security settings, auditor reads the audit
 * trail; none of the three touches business data.  The business roles
 * carry a data scope: office a region subtree, regulator a department,
 * enterprise one enterprise, expert any one of the three.
 */
#ifndef QL_ROLE_H
#define QL_ROLE_H

#include <stdbool.h>

enum role {
	ROLE_NONE = 0,
	ROLE_SYSADMIN,
	ROLE_SECADMIN,
	ROLE_AUDITOR,
	ROLE_OFFICE,
	ROLE_REGULATOR,
	ROLE_ENTERPRISE,
	ROLE_EXPERT,
	ROLE_COUNT
};

/* Bit masks for route permission tables. */
#define R_BIT(r) (1u << (r))
#define R_PUBLIC 0u
#define R_ADMINS (R_BIT(ROLE_SYSADMIN) | R_BIT(ROLE_SECADMIN) | R_BIT(ROLE_AUDITOR))
#define R_BUSINESS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR) | R_BIT(ROLE_ENTERPRISE) | R_BIT(ROLE_EXPERT))
#define R_ANY (R_ADMINS | R_BUSINESS)

enum scope_kind { SCOPE_NONE, SCOPE_REGION, SCOPE_DEPARTMENT, SCOPE_ENTERPRISE };

enum role role_parse(const char *s);
const char *role_name(enum role r);	/* "office" ... */
const char *role_label(enum role r);	/* Chinese label */
bool role_is_admin(enum role r);
/* The scope a role requires; SCOPE_NONE for administrators.  Experts
 * accept any scope (checked by role_scope_ok). */
enum scope_kind role_scope(enum role r);
bool role_scope_ok(enum role r, enum scope_kind given);

#endif
