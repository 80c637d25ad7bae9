/*
 * error.c - filling a struct ql_error (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int ql_fail(struct ql_error *e, enum ql_err_kind kind, const char *code, const char *field,
	    const char *fmt, ...)
{
	if (!e)
		return -1;
	e->kind = kind;
	e->code = code;
	e->field = field;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return -1;
}
