/*
 * jsonw.h - a streaming JSON writer.
 *
 * Answers are written straight into a struct buf as the rows come out of
 * the database, without building a tree first.  The writer tracks nesting
 * so that callers never place commas; a key is always followed by exactly
 * one value.  Strings are escaped per RFC 8259 and invalid UTF-8 bytes are
 * replaced by U+FFFD so that the output is always valid JSON.
 */
#ifndef QL_JSONW_H
#define QL_JSONW_H

#include <stdint.h>
#include <stdbool.h>
#include "buf.h"

#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct buf *out;
	int depth;
	bool need_comma[JSONW_MAX_DEPTH];
	bool after_key;
};

void jw_init(struct jsonw *w, struct buf *out);
void jw_obj(struct jsonw *w);
void jw_obj_end(struct jsonw *w);
void jw_arr(struct jsonw *w);
void jw_arr_end(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);
void jw_str(struct jsonw *w, const char *s);      /* NULL writes null */
void jw_strn(struct jsonw *w, const char *s, size_t n);
void jw_int(struct jsonw *w, int64_t v);
void jw_bool(struct jsonw *w, bool v);
void jw_null(struct jsonw *w);
void jw_double(struct jsonw *w, double v, int decimals);
/* Writes already-serialised JSON text as one value. */
void jw_raw(struct jsonw *w, const char *json);
/* Writes fen (1/100 yuan) as a yuan number with up to 2 decimals. */
void jw_fen(struct jsonw *w, int64_t fen);

/* Key + value shorthands. */
void jw_kstr(struct jsonw *w, const char *k, const char *v);
void jw_kint(struct jsonw *w, const char *k, int64_t v);
void jw_kbool(struct jsonw *w, const char *k, bool v);
void jw_knull(struct jsonw *w, const char *k);
/* A key with a positive number, or null for 0 (an absent id or size). */
void jw_kid(struct jsonw *w, const char *k, int64_t v);

/* Appends s as a JSON string literal (with quotes) to b. */
void json_escape(struct buf *b, const char *s, size_t n);

#endif
