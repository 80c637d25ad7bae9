-- 0002_hazards.sql - accident hazards (事故隐患), their history, listing
-- for supervision (挂牌督办), the notification outbox and code numbering.

-- A hazard carries copies of its enterprise's region and industry so that
-- scoped lists and statistics need no join on the hot path.
CREATE TABLE hazards (
    id                 {{ID}},
    code               TEXT NOT NULL UNIQUE,
    enterprise_id      BIGINT NOT NULL REFERENCES enterprises(id),
    region_code        TEXT NOT NULL,
    industry_code      TEXT NOT NULL,
    level              TEXT NOT NULL,
    category           TEXT NOT NULL,
    source             TEXT NOT NULL,
    location           TEXT NOT NULL,
    description        TEXT NOT NULL,
    basis              TEXT,
    found_on           TEXT NOT NULL,
    found_by           TEXT,
    status             TEXT NOT NULL,
    deadline           TEXT,
    responsible_person TEXT,
    measures           TEXT,
    funds_fen          BIGINT,
    emergency_plan     TEXT,
    interim_measures   TEXT,
    remediation_plan   TEXT,
    rectified_on_spot  INTEGER NOT NULL DEFAULT 0,
    supervised         INTEGER NOT NULL DEFAULT 0,
    department_id      BIGINT REFERENCES departments(id),
    created_by         BIGINT NOT NULL REFERENCES users(id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    closed_at          BIGINT
);
CREATE INDEX hazards_region ON hazards(region_code, status, found_on);
CREATE INDEX hazards_enterprise ON hazards(enterprise_id, status);
CREATE INDEX hazards_status_deadline ON hazards(status, deadline);
CREATE INDEX hazards_found_on ON hazards(found_on);

-- Every transition, signed by a named user, kept forever.
CREATE TABLE hazard_events (
    id          {{ID}},
    hazard_id   BIGINT NOT NULL REFERENCES hazards(id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    user_name   TEXT NOT NULL,
    at          BIGINT NOT NULL,
    note        TEXT,
    data_json   TEXT
);
CREATE INDEX hazard_events_hazard ON hazard_events(hazard_id, id);

-- Listing for supervision by a region's office, and delisting (摘牌).
CREATE TABLE hazard_supervisions (
    id          {{ID}},
    hazard_id   BIGINT NOT NULL REFERENCES hazards(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    listed_by   BIGINT NOT NULL REFERENCES users(id),
    listed_at   BIGINT NOT NULL,
    deadline    TEXT NOT NULL,
    note        TEXT,
    delisted_by BIGINT REFERENCES users(id),
    delisted_at BIGINT
);
CREATE INDEX hazard_supervisions_hazard ON hazard_supervisions(hazard_id);

-- Messages waiting for a channel (SMS, e-mail, webhook) to send them.
CREATE TABLE notification_outbox (
    id            {{ID}},
    kind          TEXT NOT NULL,
    hazard_id     BIGINT REFERENCES hazards(id),
    enterprise_id BIGINT REFERENCES enterprises(id),
    recipient     TEXT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    message       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    sent_at       BIGINT,
    attempts      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notification_outbox_pending ON notification_outbox(sent_at, id);

-- Hazard codes YH-<county>-<year>-<n>: the next number per county and year.
CREATE TABLE hazard_code_seq (
    county TEXT NOT NULL,
    year   INTEGER NOT NULL,
    next   BIGINT NOT NULL,
    PRIMARY KEY (county, year)
);
