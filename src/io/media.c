/*
 * media.c - sniffing uploaded bytes and making photo thumbnails with
 * gdk-pixbuf (see media.h).
 *
 * Decoding is the risky part of accepting photos: the picture's size is
 * read from its header before any pixel is decoded (the loader's
 * "size-prepared" signal), a picture claiming more than its type's
 * max_pixels is refused there, and the loader is asked for the thumbnail's size
 * straight away, so that a JPEG decodes at 1/2 to 1/8 scale (libjpeg's
 * DCT scaling) instead of at full size.  Only the loader of the sniffed
 * format is used, never gdk-pixbuf's guess.
 */
#include "media.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#define OOXML_SHEET "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define OOXML_WORD "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/* A JPEG decodes at a fraction of its size, so a 100-megapixel photo
 * costs a few MiB; a PNG decodes whole (4 bytes a pixel) before it is
 * scaled, so it is held to 25 megapixels (100 MiB). */
static const struct media_type JPEG = {"image/jpeg", "photo", ".jpg", "jpeg", 100000000};
static const struct media_type PNG = {"image/png", "photo", ".png", "png", 25000000};
static const struct media_type PDF = {"application/pdf", "document", ".pdf", NULL, 0};
static const struct media_type XLSX = {OOXML_SHEET, "document", ".xlsx", NULL, 0};
static const struct media_type DOCX = {OOXML_WORD, "document", ".docx", NULL, 0};

/* A zip is .xlsx or .docx by the main part it holds. */
static const struct media_type *sniff_ooxml(const void *data, size_t n)
{
	zip_error_t ze;
	zip_error_init(&ze);
	const struct media_type *t = NULL;
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (z) {
		if (zip_name_locate(z, "[Content_Types].xml", 0) >= 0) {
			if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0)
				t = &XLSX;
			else if (zip_name_locate(z, "word/document.xml", 0) >= 0)
				t = &DOCX;
		}
		zip_discard(z);
	} else if (src) {
		zip_source_free(src);
	}
	zip_error_fini(&ze);
	return t;
}

const struct media_type *media_sniff(const void *data, size_t n)
{
	const unsigned char *b = data;
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return &JPEG;
	if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return &PNG;
	if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return &PDF;
	if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
		return sniff_ooxml(data, n);
	return NULL;
}

/* The size that fits w x h into box x box, keeping the aspect ratio and
 * never enlarging. */
static void fit(int w, int h, int box, int *tw, int *th)
{
	*tw = w;
	*th = h;
	if (w <= box && h <= box)
		return;
	if (w >= h) {
		*tw = box;
		*th = (int)(((int64_t)h * box + w / 2) / w);
	} else {
		*th = box;
		*tw = (int)(((int64_t)w * box + h / 2) / h);
	}
	if (*tw < 1)
		*tw = 1;
	if (*th < 1)
		*th = 1;
}

static size_t be16(const unsigned char *p)
{
	return (size_t)p[0] << 8 | p[1];
}

static size_t be32(const unsigned char *p)
{
	return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

/* True if the PNG's chunks, from IHDR on, run whole up to IEND. */
static bool png_complete(const unsigned char *b, size_t n)
{
	size_t i = 8;
	for (bool first = true; n - i >= 12; first = false) {
		size_t len = be32(b + i);
		const unsigned char *type = b + i + 4;
		if (len > n - i - 12 || (first && memcmp(type, "IHDR", 4) != 0))
			return false;
		i += 12 + len;
		if (memcmp(type, "IEND", 4) == 0)
			return true;
	}
	return false;
}

/* True if the JPEG's segments and scans run whole up to EOI.  Bytes after
 * EOI (a phone's motion-photo trailer) are allowed. */
static bool jpeg_complete(const unsigned char *b, size_t n)
{
	size_t i = 2;
	while (i + 1 < n) {
		if (b[i] != 0xff)
			return false;
		unsigned char m = b[i + 1];
		if (m == 0xff) {	/* fill byte */
			i++;
			continue;
		}
		i += 2;
		if (m == 0xd9)		/* EOI */
			return true;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;	/* markers without a length */
		if (n - i < 2 || be16(b + i) < 2 || be16(b + i) > n - i)
			return false;
		i += be16(b + i);
		if (m != 0xda)
			continue;
		/* After SOS, entropy-coded data up to the next marker: 0xff is
		 * followed there only by a stuffed 0x00 or a restart marker. */
		while (i + 1 < n &&
		       !(b[i] == 0xff && b[i + 1] != 0x00 && !(b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7)))
			i++;
	}
	return false;
}

struct decode {
	int width, height, box;
	long long max_pixels;
	bool too_big;
};

/* Called with the picture's size before its pixels: a size of 0 x 0
 * makes the PNG and JPEG loaders stop with an error. */
static void on_size_prepared(GdkPixbufLoader *loader, int w, int h, gpointer data)
{
	struct decode *d = data;
	d->width = w;
	d->height = h;
	if (w <= 0 || h <= 0 || (long long)w * h > d->max_pixels) {
		d->too_big = true;
		gdk_pixbuf_loader_set_size(loader, 0, 0);
		return;
	}
	int tw, th;
	fit(w, h, d->box, &tw, &th);
	gdk_pixbuf_loader_set_size(loader, tw, th);
}

/* Renders src into a new opaque RGB pixbuf of box size, on white. */
static GdkPixbuf *flatten(GdkPixbuf *src, int box)
{
	int w = gdk_pixbuf_get_width(src), h = gdk_pixbuf_get_height(src), tw, th;
	fit(w, h, box, &tw, &th);
	GdkPixbuf *dst = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, tw, th);
	if (!dst)
		return NULL;
	gdk_pixbuf_fill(dst, 0xffffffffu);
	gdk_pixbuf_composite(src, dst, 0, 0, tw, th, 0, 0, (double)tw / w, (double)th / h,
			     GDK_INTERP_BILINEAR, 255);
	return dst;
}

int media_thumbnail(const struct media_type *t, const void *data, size_t n, int box, int quality,
		    struct media_image *out, struct ql_error *err)
{
	memset(out, 0, sizeof *out);
	/* gdk-pixbuf shows a cut-off image with its missing part blank, and
	 * says nothing: completeness is checked here. */
	bool whole = t == &PNG ? png_complete(data, n) : jpeg_complete(data, n);
	if (!whole)
		return ql_fail(err, QLE_INVALID, "corrupt_image", "file",
			       "图片不完整或已损坏（%s 文件的数据未到结尾就中断了）",
			       t == &PNG ? "PNG" : "JPEG");
	struct decode d = {.box = box, .max_pixels = t->max_pixels};
	GError *gerr = NULL;
	GdkPixbuf *oriented = NULL, *flat = NULL;
	gchar *jpeg = NULL;
	gsize jpeg_len = 0;
	int rc = -1;
	GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type(t->loader, &gerr);
	if (!loader) {
		ql_fail(err, QLE_INTERNAL, "image_loader", "file", "服务器缺少 %s 图片解码器", t->loader);
		goto out;
	}
	g_signal_connect(loader, "size-prepared", G_CALLBACK(on_size_prepared), &d);
	/* Fed in pieces, so that decoding stops once the size is refused. */
	const unsigned char *p = data;
	bool ok = true;
	for (size_t off = 0; off < n && ok && !d.too_big; off += 65536) {
		size_t len = n - off < 65536 ? n - off : 65536;
		ok = gdk_pixbuf_loader_write(loader, p + off, len, &gerr);
	}
	if (!gdk_pixbuf_loader_close(loader, ok && !d.too_big ? &gerr : NULL))
		ok = false;
	if (d.too_big) {
		ql_fail(err, QLE_INVALID, "image_too_large", "file",
			"图片尺寸过大（%d×%d 像素），最多 %lld 万像素", d.width, d.height,
			t->max_pixels / 10000);
		goto out;
	}
	GdkPixbuf *pb = ok ? gdk_pixbuf_loader_get_pixbuf(loader) : NULL;
	if (!pb) {
		ql_fail(err, QLE_INVALID, "corrupt_image", "file", "图片无法解码（文件已损坏或不是完整的 %s 图片）",
			t->loader[0] == 'p' ? "PNG" : "JPEG");
		goto out;
	}
	/* EXIF orientations 5 to 8 turn the picture a quarter. */
	const char *o = gdk_pixbuf_get_option(pb, "orientation");
	bool turned = o && o[0] >= '5' && o[0] <= '8' && !o[1];
	out->width = turned ? d.height : d.width;
	out->height = turned ? d.width : d.height;
	oriented = gdk_pixbuf_apply_embedded_orientation(pb);
	flat = oriented ? flatten(oriented, box) : NULL;
	char q[8];
	snprintf(q, sizeof q, "%d", quality);
	if (!flat ||
	    !gdk_pixbuf_save_to_buffer(flat, &jpeg, &jpeg_len, "jpeg", &gerr, "quality", q, NULL)) {
		ql_fail(err, QLE_INTERNAL, "thumbnail", "file", "生成缩略图失败");
		goto out;
	}
	buf_add(&out->thumb, jpeg, jpeg_len);
	rc = 0;
out:
	g_free(jpeg);
	if (flat)
		g_object_unref(flat);
	if (oriented)
		g_object_unref(oriented);
	if (loader)
		g_object_unref(loader);
	if (gerr)
		g_error_free(gerr);
	return rc;
}
