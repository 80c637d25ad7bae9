-- 0006_attachments.sql - photos and documents of a hazard, and the photos
-- a reporter sends with a public tip-off.  The bytes live on disk,
-- content-addressed by their SHA-256 (store/files.c); a row says which
-- hazard or tip they belong to, what the uploader called them and, for a
-- photo, its size in pixels and the hash of its thumbnail.  The same bytes
-- uploaded twice are two rows and one file.  A progress report's evidence
-- (progress_id, requirement_progress of 0007) is stored the same way.  A tip's photos become its
-- hazard's when the tip is verified as one (both ids set); a reporter is
-- no user (uploaded_by NULL).
CREATE TABLE attachments (
    id           {{ID}},
    hazard_id    BIGINT REFERENCES hazards(id),
    tip_id       BIGINT REFERENCES tips(id),
    progress_id  BIGINT,
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    width        INTEGER,
    height       INTEGER,
    thumb_sha256 TEXT,
    uploaded_by  BIGINT REFERENCES users(id),
    uploaded_at  BIGINT NOT NULL,
    CHECK (hazard_id IS NOT NULL OR tip_id IS NOT NULL OR progress_id IS NOT NULL)
);
CREATE INDEX attachments_hazard ON attachments(hazard_id, id);
CREATE INDEX attachments_tip ON attachments(tip_id, id);
CREATE INDEX attachments_progress ON attachments(progress_id, id);
