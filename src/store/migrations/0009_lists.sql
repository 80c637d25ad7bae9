-- 0009_lists.sql - the outcome list 成果清单 and the quarterly submission
-- of the four lists 四个清单 (seed 000: risks, hazards and problems, tasks
-- and measures, outcomes).  A submission is the workbook of the four
-- lists as they stood, stored content-addressed (store/files.c) and never
-- changed: submitting again for the same quarter adds a version.
CREATE TABLE outcomes (
    id          {{ID}},
    unit        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    date        TEXT NOT NULL,
    description TEXT,
    campaign_id BIGINT REFERENCES campaigns(id),
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX outcomes_unit ON outcomes(unit, date);

CREATE TABLE list_snapshots (
    id           {{ID}},
    unit         TEXT NOT NULL,
    quarter      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    counts       TEXT NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    submitted_at BIGINT NOT NULL,
    UNIQUE (unit, quarter, version)
);
