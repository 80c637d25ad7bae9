/*
 * media.h - what uploaded bytes are, judged by their content, and photos
 * sized down for lists.
 *
 * Accepted: JPEG and PNG photos; PDF, Word (.docx) and Excel (.xlsx)
 * documents.  The type comes from the magic bytes (and for the two
 * Office Open XML formats, from the parts inside the zip), never from
 * the name or the Content-Type the client declared, so a file is served
 * back only as one of these five types.
 */
#ifndef QL_MEDIA_H
#define QL_MEDIA_H

#include <stddef.h>

#include "../core/error.h"
#include "../lib/buf.h"

struct media_type {
	const char *content_type;	/* "image/png" */
	const char *kind;		/* "photo" or "document" */
	const char *ext;		/* ".png" */
	const char *loader;		/* gdk-pixbuf's name for a photo's format, else NULL */
	long long max_pixels;		/* a photo claiming more is refused undecoded */
};

/* The type of the bytes, or NULL when they are none of the accepted ones. */
const struct media_type *media_sniff(const void *data, size_t n);

struct media_image {
	int width, height;	/* as displayed (EXIF orientation applied) */
	struct buf thumb;	/* a JPEG; the caller frees it with buf_free() */
};

/* Decodes a photo (t->loader set) and writes a JPEG thumbnail that fits
 * in box x box pixels, aspect ratio kept, never enlarged, transparency
 * shown on white.  Returns 0, or -1 with err (422, field "file") when the
 * image cannot be decoded or claims more than t->max_pixels pixels. */
int media_thumbnail(const struct media_type *t, const void *data, size_t n, int box, int quality,
		    struct media_image *out, struct ql_error *err);

#endif
