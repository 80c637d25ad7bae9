/*
 * error.h - the error every layer passes up.
 *
 * A function that can fail returns 0 / a negative value (or NULL) and
 * fills a struct ql_error owned by the caller.  The kind says what went
 * wrong in terms the API maps to an HTTP status in exactly one place
 * (api/respond.c); `code` is the stable machine-readable string of the
 * API's error body, `field` the request field at fault (or NULL) and
 * `message` the Chinese text a user reads.
 */
#ifndef QL_ERROR_H
#define QL_ERROR_H

enum ql_err_kind {
	QLE_NONE = 0,
	QLE_BAD_REQUEST,	/* 400: malformed JSON, bad query string */
	QLE_UNAUTHENTICATED,	/* 401 */
	QLE_FORBIDDEN,		/* 403 */
	QLE_NOT_FOUND,		/* 404 */
	QLE_METHOD,		/* 405 */
	QLE_CONFLICT,		/* 409: duplicate, wrong state */
	QLE_TOO_LARGE,		/* 413 */
	QLE_UNSUPPORTED_MEDIA,	/* 415 */
	QLE_INVALID,		/* 422: a field's value is wrong */
	QLE_TOO_MANY,		/* 429: locked account, rate limit */
	QLE_INTERNAL,		/* 500 */
	QLE_UNAVAILABLE,	/* 503 */
};

struct ql_error {
	enum ql_err_kind kind;
	const char *code;	/* static string */
	const char *field;	/* static string or NULL */
	char message[512];	/* UTF-8, Chinese for users */
};

/* Fills e and returns -1, so that `return ql_fail(e, ...)` reads well. */
int ql_fail(struct ql_error *e, enum ql_err_kind kind, const char *code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
