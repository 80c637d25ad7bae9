/*
 * buf.h - a growable byte string (our `sds`): used for response bodies,
 * SQL-free text assembly, CSV lines and the JSON writer's output.
 * The bytes are always NUL-terminated.  buf_free() releases them;
 * buf_detach() hands them to the caller, who frees with free().
 */
#ifndef QL_BUF_H
#define QL_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct buf {
	char *data;
	size_t len, cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
/* One byte: inline, the JSON writer's most frequent call. */
static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_reserve(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = 0;
}
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
char *buf_detach(struct buf *b);
/* Appends a whole file's bytes; -1 if it cannot be opened or read. */
int buf_read_file(struct buf *b, const char *path);
/* Returns the contents, "" for an empty buffer (never NULL). */
const char *buf_str(const struct buf *b);

#endif
