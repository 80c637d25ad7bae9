/*
 * util.h - allocation that aborts on out-of-memory, and small helpers used
 * everywhere.  Out of memory is not an error we pass up: like Redis and h2o
 * we abort, because nothing sensible can continue.
 */
#ifndef QL_UTIL_H
#define QL_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
