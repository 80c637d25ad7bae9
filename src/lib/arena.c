/*
 * arena.c - the per-request memory pool (see arena.h).
 *
 * Blocks of 16 KiB are chained; a request larger than a quarter block gets
 * a block of its own so that big strings do not waste the tail of a block.
 */
#include "arena.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct block *head;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

static struct block *block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(struct block) + size);
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	if (n > ARENA_BLOCK / 4) {
		/* A big allocation gets its own block behind the head. */
		struct block *b = block_new(n);
		b->used = n;
		if (a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			a->head = b;
		}
		memset(b->data, 0, n);
		return b->data;
	}
	if (!a->head || a->head->size - a->head->used < n) {
		struct block *b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)a->head->data + a->head->used;
	a->head->used += n;
	memset(p, 0, n);
	return p;
}

void *arena_grow(struct arena *a, void *array, size_t size, int n, int *cap)
{
	if (array && n < *cap)
		return array;
	int want = *cap > 0 ? *cap * 2 : 16;
	void *more = arena_alloc(a, size * (size_t)want);
	if (array && n > 0)
		memcpy(more, array, size * (size_t)n);
	*cap = want;
	return more;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
