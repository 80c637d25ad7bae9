/*
 * attachments.c - photos and documents of a hazard over HTTP: upload
 * (multipart/form-data, one part named "file"), the hazard's list, the
 * bytes and a photo's thumbnail.
 *
 * An attachment is reached through its hazard and the caller's scope, as
 * the hazard itself is: outside the scope it is not found (404).  Whoever
 * may act on the hazard (its enterprise, the office, the supervising
 * department) may add to it while it is open; experts only read.
 *
 * An upload is checked completely before anything is written: the type
 * by the bytes (io/media.c), the size, a photo decoded and its thumbnail
 * made.  Then the bytes go to disk (store/files.c, durable when it
 * returns), then the row and the audit entry in the request's
 * transaction.  If that transaction rolls back, the file stays behind
 * unreferenced: harmless, and reused if the same bytes come again.
 */
#include "http.h"
#include "views.h"
#include "../core/hazard.h"
#include "../core/validate.h"
#include "../io/media.h"
#include "../io/multipart.h"
#include "../store/files.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define THUMB_BOX 320
#define THUMB_QUALITY 80
#define NAME_MAX_CHARS 255

void attachment_view(struct jsonw *w, const struct attachment *x, const char *base)
{
	char url[96];
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kid(w, "hazard_id", x->hazard_id);
	jw_kid(w, "tip_id", x->tip_id);
	jw_kstr(w, "name", x->name);
	jw_kstr(w, "content_type", x->content_type);
	jw_kint(w, "size", x->size);
	jw_kstr(w, "kind", x->kind);
	jw_kid(w, "width", x->width);
	jw_kid(w, "height", x->height);
	jw_kstr(w, "sha256", x->sha256);
	view_time(w, "uploaded_at", x->uploaded_at);
	jw_kid(w, "uploaded_by", x->uploaded_by);
	jw_kstr(w, "uploaded_by_name", x->uploaded_by ? x->uploaded_by_name : "举报人");
	snprintf(url, sizeof url, "%s/%lld", base, (long long)x->id);
	jw_kstr(w, "url", url);
	snprintf(url, sizeof url, "%s/%lld/thumb", base, (long long)x->id);
	jw_kstr(w, "thumb_url", x->thumb_sha256 ? url : NULL);
	jw_obj_end(w);
}

static void view_attachment(struct jsonw *w, const void *item)
{
	attachment_view(w, item, "/api/v1/attachments");
}

/* The "file" part of a multipart/form-data body: 0, or -1 with r->err. */
static int in_file_part(struct req *r, const struct multipart_part **file)
{
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_TYPE);
	const char *boundary = multipart_boundary(r->a, ct);
	if (!boundary)
		return ql_fail(&r->err, QLE_UNSUPPORTED_MEDIA, "not_multipart", NULL,
			       "请求体应为 multipart/form-data（带 boundary），文件放在名为 file 的部分中");
	struct multipart_part *parts;
	int n = multipart_parse(r->a, boundary, r->body, r->body_len, &parts, &r->err);
	if (n < 0)
		return -1;
	*file = multipart_find(parts, n, "file");
	if (!*file)
		return ql_fail(&r->err, QLE_INVALID, "required", "file",
			       "缺少文件：请把文件放在 multipart/form-data 中名为 file 的部分");
	if ((*file)->len == 0)
		return ql_fail(&r->err, QLE_INVALID, "empty_file", "file", "上传的文件是空的");
	if ((*file)->len > UPLOAD_MAX_FILE)
		return ql_fail(&r->err, QLE_TOO_LARGE, "too_large", "file",
			       "上传的文件过大：单个文件不超过 %u MiB", UPLOAD_MAX_FILE >> 20);
	return 0;
}

/* The name to keep: the last path component of what the client sent
 * (old browsers sent whole Windows paths), trimmed, valid UTF-8 without
 * control characters, at most NAME_MAX_CHARS characters; "附件" with the
 * type's extension when nothing is left.  0, or -1 with r->err. */
static int clean_name(struct req *r, const char *sent, const struct media_type *t,
		      const char **out)
{
	const char *s = sent ? sent : "";
	const char *slash = strrchr(s, '/'), *bslash = strrchr(s, '\\');
	if (slash)
		s = slash + 1;
	if (bslash && bslash + 1 > s)
		s = bslash + 1;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *name = arena_strndup(r->a, s, n);
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return ql_fail(&r->err, QLE_INVALID, "invalid_name", "file",
				       "文件名含有控制字符");
	long chars = utf8_length(name);
	if (chars < 0)
		return ql_fail(&r->err, QLE_INVALID, "invalid_name", "file",
			       "文件名不是有效的 UTF-8 文本");
	if (chars > NAME_MAX_CHARS)
		return ql_fail(&r->err, QLE_INVALID, "invalid_name", "file",
			       "文件名过长（最多 %d 个字符）", NAME_MAX_CHARS);
	*out = chars ? name : arena_printf(r->a, "附件%s", t->ext);
	return 0;
}

int attachment_receive(struct req *r, bool photo_only, struct attachment *att)
{
	const struct multipart_part *file = NULL;
	if (in_file_part(r, &file) < 0)
		return -1;
	const struct media_type *t = media_sniff(file->data, file->len);
	if (!t || (photo_only && !t->loader))
		return ql_fail(&r->err, QLE_UNSUPPORTED_MEDIA, "unsupported_media", "file",
			       photo_only ? "不支持的文件类型：只能上传 JPEG、PNG 照片"
					  : "不支持的文件类型：只能上传 JPEG、PNG 照片和 PDF、Word（.docx）、"
					    "Excel（.xlsx）文档（按文件内容判断，与扩展名无关）");
	att->content_type = (char *)t->content_type;
	att->kind = (char *)t->kind;
	att->size = (int64_t)file->len;
	att->uploaded_at = r->now;
	if (clean_name(r, file->filename, t, (const char **)&att->name) < 0)
		return -1;
	char *hex = arena_alloc(r->a, CRYPTO_HASH_HEX), *thumb_hex = arena_alloc(r->a, CRYPTO_HASH_HEX);
	struct media_image img = {0};
	if (t->loader) {
		if (media_thumbnail(t, file->data, file->len, THUMB_BOX, THUMB_QUALITY, &img,
				    &r->err) < 0)
			return -1;
		att->width = img.width;
		att->height = img.height;
		int rc = files_put(r->data_dir, img.thumb.data, img.thumb.len, thumb_hex, &r->err);
		buf_free(&img.thumb);
		if (rc < 0)
			return -1;
		att->thumb_sha256 = thumb_hex;
	}
	if (files_put(r->data_dir, file->data, file->len, hex, &r->err) < 0)
		return -1;
	att->sha256 = hex;
	return 0;
}

static int upload(struct req *r)
{
	struct hazard h;
	int rc = hazard_from_path(r, &h);
	if (rc != 0)
		return rc;
	enum hazard_status hs = hazard_status_parse(h.status);
	if (!hazard_status_is_open(hs))
		return reply_fail(r, QLE_CONFLICT, "hazard_not_open", "status",
				  "隐患已%s，不能再上传附件", hazard_status_label(hs));
	struct attachment att = {.hazard_id = h.id, .uploaded_by = r->user.id,
				 .uploaded_by_name = r->user.name};
	TRY(attachment_receive(r, false, &att));
	if ((rc = store_attachment_insert(r->db, &att)) < 0)
		return reply_db(r, rc);
	const char *after = view_json(r->a, view_attachment, &att);
	if ((rc = audit(r, "attachment.create", "attachment",
			arena_printf(r->a, "%lld", (long long)att.id), NULL, after)) < 0)
		return reply_db(r, rc);
	view_attachment(reply_json(r), &att);
	return 201;
}

static int list(struct req *r)
{
	struct hazard h;
	int rc = hazard_from_path(r, &h);
	if (rc != 0)
		return rc;
	struct attachment *items;
	int n = store_attachment_list(r->db, r->a, AO_HAZARD, h.id, &items);
	if (n < 0)
		return reply_db(r, n);
	return attachment_reply_list(r, items, n, "/api/v1/attachments");
}

int attachment_reply_list(struct req *r, const struct attachment *items, int n, const char *base)
{
	struct jsonw *w = reply_json(r);
	jw_obj(w);
	jw_key(w, "items");
	jw_arr(w);
	for (int i = 0; i < n; i++)
		attachment_view(w, &items[i], base);
	jw_arr_end(w);
	jw_obj_end(w);
	return 200;
}

/* Content-Disposition for a name of any script (RFC 6266 with the RFC
 * 8187 encoding): every byte outside attr-char percent-encoded. */
static const char *disposition(struct req *r, const char *name)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "inline; filename*=UTF-8''");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		if ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    strchr("!#$&+-.^_`|~", *c))
			buf_putc(&b, (char)*c);
		else
			buf_printf(&b, "%%%02X", *c);
	}
	const char *s = arena_strdup(r->a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* Answers with the stored file of hash hex. */
static int reply_stored(struct req *r, const char *hex, const char *content_type)
{
	uint64_t size;
	int fd = files_open(r->data_dir, hex, &size);
	if (fd < 0)
		return reply_fail(r, QLE_INTERNAL, "file_missing", NULL,
				  "附件的文件在服务器上缺失，请联系系统管理员");
	r->has_file = true;
	r->file_fd = fd;
	r->file_size = size;
	r->content_type = content_type;
	r->cache_control = "private, max-age=3600";
	return 200;
}

static int load(struct req *r, struct attachment *att)
{
	int64_t id;
	TRY(in_path_id(r, 0, &id));
	int rc = store_attachment_get(r->db, r->a, &r->scope, id, att);
	if (rc <= 0)
		return rc < 0 ? reply_db(r, rc) : reply_not_found(r, "附件");
	return 0;
}

int attachment_reply_file(struct req *r, const struct attachment *att, bool thumb)
{
	if (!thumb) {
		r->content_disposition = disposition(r, att->name);
		return reply_stored(r, att->sha256, att->content_type);
	}
	if (!att->thumb_sha256)
		return reply_fail(r, QLE_NOT_FOUND, "no_thumbnail", NULL, "该附件不是照片，没有缩略图");
	return reply_stored(r, att->thumb_sha256, "image/jpeg");
}

static int download(struct req *r)
{
	struct attachment att;
	int rc = load(r, &att);
	return rc != 0 ? rc : attachment_reply_file(r, &att, false);
}

static int thumb(struct req *r)
{
	struct attachment att;
	int rc = load(r, &att);
	return rc != 0 ? rc : attachment_reply_file(r, &att, true);
}

#define ATTACHMENT_WRITERS (R_BIT(ROLE_OFFICE) | R_BIT(ROLE_REGULATOR) | R_BIT(ROLE_ENTERPRISE))

const struct route attachment_routes[] = {
	{"POST", "/api/v1/hazards/{id}/attachments", upload, ATTACHMENT_WRITERS, ROUTE_UPLOAD},
	{"GET", "/api/v1/hazards/{id}/attachments", list, R_BUSINESS, 0},
	{"GET", "/api/v1/attachments/{id}", download, R_BUSINESS, 0},
	{"GET", "/api/v1/attachments/{id}/thumb", thumb, R_BUSINESS, 0},
	{NULL, NULL, NULL, 0, 0},
};
