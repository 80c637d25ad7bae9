/*
 * arena.h - a bump-pointer memory pool.
 *
 * Every HTTP request owns one arena; everything the request allocates comes
 * from it and is released at once by arena_free() when the request ends, so
 * handlers never free piecemeal and cannot leak.  Out of memory aborts.
 */
#ifndef QL_ARENA_H
#define QL_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct arena;

/* Creates an empty arena; the caller frees it with arena_free(). */
struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Returns n zeroed bytes aligned for any type, owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
/* Makes room for one more element in an arena array of n elements of
 * size bytes with capacity *cap: returns the array (moved and doubled when
 * full; the old copy stays in the arena until it is freed). */
void *arena_grow(struct arena *a, void *array, size_t size, int n, int *cap);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
