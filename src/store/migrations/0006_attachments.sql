-- 0006_attachments.sql - photos and documents of a hazard.  The bytes live
-- on disk, content-addressed by their SHA-256 (store/files.c); a row says
-- which hazard they belong to, what the uploader called them and, for a
-- photo, its size in pixels and the hash of its thumbnail.  The same bytes
-- uploaded twice are two rows and one file.
CREATE TABLE attachments (
    id           {{ID}},
    hazard_id    BIGINT NOT NULL REFERENCES hazards(id),
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    width        INTEGER,
    height       INTEGER,
    thumb_sha256 TEXT,
    uploaded_by  BIGINT NOT NULL REFERENCES users(id),
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX attachments_hazard ON attachments(hazard_id, id);
