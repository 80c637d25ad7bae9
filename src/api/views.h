/*
 * views.h - how records are written as JSON, shared by the handlers that
 * answer them (so a user looks the same in /session and /users/{id}).
 */
#ifndef QL_VIEWS_H
#define QL_VIEWS_H

#include "http.h"

/* Each view writes one record; the record is passed as const void * so
 * that view_json() can render any of them for the audit trail. */
typedef void (*view_fn)(struct jsonw *w, const void *record);
void view_user(struct jsonw *w, const void *user);
void view_region(struct jsonw *w, const void *region);
void view_department(struct jsonw *w, const void *department);
/* Renders a record with its view into a string in the arena. */
char *view_json(struct arena *a, view_fn fn, const void *record);
/* Writes a timestamp as RFC 3339 (UTC); 0 writes null. */
void view_time(struct jsonw *w, const char *key, int64_t t);

/* A key with the integer of column col, or null where the column is NULL. */
void view_col_int(struct jsonw *w, const char *key, struct db_stmt *st, int col);

#endif
