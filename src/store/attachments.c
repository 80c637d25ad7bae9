/*
 * attachments.c - the rows that say which stored files belong to which
 * hazard (see store.h; the bytes are in files.c).  An attachment is read
 * through its hazard: whoever may not see the hazard does not find it.
 */
#include "query.h"

#include <string.h>

#define AT_COLS                                                                            \
	"a.id, a.hazard_id, a.sha256, a.name, a.content_type, a.size, a.kind, a.width,"       \
	" a.height, a.thumb_sha256, a.uploaded_by, a.uploaded_at, u.name, a.tip_id, a.progress_id"
/* A reporter's photo has no uploading user. */
#define AT_FROM " FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by"


static void at_row(struct arena *a, struct db_stmt *st, void *out)
{
	struct attachment *x = out;
	memset(x, 0, sizeof *x);
	x->id = db_col_int(st, 0);
	x->hazard_id = db_col_int(st, 1);
	x->sha256 = arena_strdup(a, db_col_text(st, 2));
	x->name = arena_strdup(a, db_col_text(st, 3));
	x->content_type = arena_strdup(a, db_col_text(st, 4));
	x->size = db_col_int(st, 5);
	x->kind = arena_strdup(a, db_col_text(st, 6));
	x->width = db_col_int(st, 7);
	x->height = db_col_int(st, 8);
	x->thumb_sha256 = arena_strdup(a, db_col_text(st, 9));
	x->uploaded_by = db_col_int(st, 10);
	x->uploaded_at = db_col_int(st, 11);
	x->uploaded_by_name = arena_strdup(a, db_col_text(st, 12));
	x->tip_id = db_col_int(st, 13);
	x->progress_id = db_col_int(st, 14);
}

static const char SQL_INSERT[] =
	"INSERT INTO attachments (hazard_id, sha256, name, content_type, size, kind, width, height,"
	" thumb_sha256, uploaded_by, uploaded_at, tip_id, progress_id)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	" RETURNING id";

int store_attachment_insert(struct db *db, struct attachment *att)
{
	struct db_stmt *st = db_stmt(db, SQL_INSERT);
	if (!st)
		return DB_ERR;
	db_bind_opt_int(st, 1, att->hazard_id);
	db_bind_text(st, 2, att->sha256);
	db_bind_text(st, 3, att->name);
	db_bind_text(st, 4, att->content_type);
	db_bind_int(st, 5, att->size);
	db_bind_text(st, 6, att->kind);
	db_bind_opt_int(st, 7, att->width);
	db_bind_opt_int(st, 8, att->height);
	db_bind_text(st, 9, att->thumb_sha256);
	db_bind_opt_int(st, 10, att->uploaded_by);
	db_bind_int(st, 11, att->uploaded_at);
	db_bind_opt_int(st, 12, att->tip_id);
	db_bind_opt_int(st, 13, att->progress_id);
	return db_insert_id(st, &att->id);
}

static const char *const SQL_LIST[AO_COUNT] = {
	"SELECT " AT_COLS AT_FROM " WHERE a.hazard_id = ? ORDER BY a.id",
	"SELECT " AT_COLS AT_FROM " WHERE a.tip_id = ? ORDER BY a.id",
	"SELECT " AT_COLS AT_FROM " WHERE a.progress_id = ? ORDER BY a.id",
};

int store_attachment_list(struct db *db, struct arena *a, enum attachment_owner owner,
			  int64_t owner_id, struct attachment **items)
{
	struct db_stmt *st = db_stmt(db, SQL_LIST[owner]);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, owner_id);
	int cap = 0, n = 0, rc;
	*items = arena_grow(a, NULL, sizeof **items, 0, &cap);
	while ((rc = db_step(st)) == DB_ROW) {
		*items = arena_grow(a, *items, sizeof **items, n, &cap);
		at_row(a, st, &(*items)[n++]);
	}
	db_done(st);
	return rc < 0 ? rc : n;
}

int store_attachment_get(struct db *db, struct arena *a, const struct scope *s, int64_t id,
			 struct attachment *out)
{
	struct qb q;
	qb_init(&q);
	qb_sql(&q, "SELECT " AT_COLS AT_FROM " JOIN hazards h ON h.id = a.hazard_id WHERE a.id = ?");
	qb_int(&q, id);
	qb_scope(&q, a, s, HZ_REGION_RANGE, HZ_IN_DEPT, HZ_EQ);
	return qb_one(&q, db, a, at_row, out);
}

static const char *const SQL_GET_OF[AO_COUNT] = {
	"SELECT " AT_COLS AT_FROM " WHERE a.id = ? AND a.hazard_id = ?",
	"SELECT " AT_COLS AT_FROM " WHERE a.id = ? AND a.tip_id = ?",
	"SELECT " AT_COLS AT_FROM " WHERE a.id = ? AND a.progress_id = ?",
};

int store_attachment_get_of(struct db *db, struct arena *a, enum attachment_owner owner,
			    int64_t owner_id, int64_t id, struct attachment *out)
{
	struct db_stmt *st = db_stmt(db, SQL_GET_OF[owner]);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, owner_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		at_row(a, st, out);
	db_done(st);
	return rc;
}

static const char SQL_TIP_TO_HAZARD[] =
	"UPDATE attachments SET hazard_id = ? WHERE tip_id = ? AND hazard_id IS NULL";

int store_attachments_tip_to_hazard(struct db *db, int64_t tip_id, int64_t hazard_id)
{
	struct db_stmt *st = db_stmt(db, SQL_TIP_TO_HAZARD);
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, hazard_id);
	db_bind_int(st, 2, tip_id);
	return db_run(st);
}
