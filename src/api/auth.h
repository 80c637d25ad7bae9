/*
 * auth.h - who is calling: bearer tokens, session cookies, CSRF.
 */
#ifndef QL_AUTH_H
#define QL_AUTH_H

#include "http.h"

#define SESSION_COOKIE "ql_session"

/* Identifies the caller from `Authorization: Bearer` or the session
 * cookie; fills r->user, r->actor.  -1 with r->err (401) if neither
 * identifies a live, enabled account.  Runs inside the request's
 * transaction, which may be read-only: what the session needs written
 * (its last use, or its end when idle too long) is left in
 * r->session_upkeep for auth_session_upkeep(). */
int auth_authenticate(struct req *r);
/* After the request's transaction has ended: records the session's use
 * or ends it, each one statement committed on its own. */
void auth_session_upkeep(struct req *r);
/* -1 with r->err (403) unless X-CSRF-Token matches the session's token. */
int auth_check_csrf(struct req *r);
/* Fills r->scope from r->user (SCOPE_NONE for administrators). */
int auth_load_scope(struct req *r);
/* Fills r->actor from r->user. */
void auth_set_actor(struct req *r);

#endif
