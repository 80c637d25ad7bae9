/*
 * multipart.h - reading a multipart/form-data request body (RFC 7578,
 * framed as RFC 2046 §5.1.1): the boundary from the Content-Type header,
 * then the parts with their name, file name and Content-Type.
 *
 * The parser copies nothing but the header values: a part's bytes are
 * pointers into the body, which must outlive the parts.  Everything else
 * is allocated in the caller's arena.
 */
#ifndef QL_MULTIPART_H
#define QL_MULTIPART_H

#include <stddef.h>

#include "../core/error.h"
#include "../lib/arena.h"

#define MULTIPART_MAX_PARTS 16
#define MULTIPART_MAX_HEADER 8192	/* bytes of one part's header section */

struct multipart_part {
	const char *name;		/* the form field (never NULL) */
	const char *filename;		/* as sent (filename*=UTF-8'' decoded); NULL if none */
	const char *content_type;	/* media type, lower case, without parameters; or NULL */
	const char *data;		/* the part's bytes, inside the body */
	size_t len;
};

/* The boundary of a Content-Type value "multipart/form-data; boundary=…"
 * (quoted or not), in the arena; NULL if the value is not
 * multipart/form-data or has no valid boundary (1 to 70 characters). */
const char *multipart_boundary(struct arena *a, const char *content_type);

/* Splits body into its parts: *parts becomes an arena array.  Returns the
 * number of parts, or -1 with err (QLE_BAD_REQUEST, field NULL) when the
 * body is not well-formed: no opening or closing delimiter, a part
 * without Content-Disposition: form-data; name=…, a header section
 * longer than MULTIPART_MAX_HEADER or more than MULTIPART_MAX_PARTS parts. */
int multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len,
		    struct multipart_part **parts, struct ql_error *err);

/* The first part called name, or NULL. */
const struct multipart_part *multipart_find(const struct multipart_part *parts, int n,
					    const char *name);

#endif
