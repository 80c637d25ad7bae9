-- 0003_records.sql - the records the monthly return (调度表, seed 001)
-- counts: inspections, enforcement, public tip-offs, leadership
-- activities, and the values a unit enters by hand.

-- Inspections 检查: who, which department, which enterprise, how; for a
-- spot check of self-inspection (抽查) the seven problem flags.
CREATE TABLE inspections (
    id                   {{ID}},
    enterprise_id        BIGINT NOT NULL REFERENCES enterprises(id),
    region_code          TEXT NOT NULL,
    department_id        BIGINT NOT NULL REFERENCES departments(id),
    date                 TEXT NOT NULL,
    method               TEXT NOT NULL,
    inspectors           TEXT NOT NULL,
    experts              TEXT,
    spot_check           INTEGER NOT NULL DEFAULT 0,
    leader_not_studied   INTEGER NOT NULL DEFAULT 0,
    leader_no_inspection INTEGER NOT NULL DEFAULT 0,
    no_duty_list         INTEGER NOT NULL DEFAULT 0,
    no_safety_org        INTEGER NOT NULL DEFAULT 0,
    uncertified_operators INTEGER NOT NULL DEFAULT 0,
    outsourcing_chaos    INTEGER NOT NULL DEFAULT 0,
    no_drill             INTEGER NOT NULL DEFAULT 0,
    note                 TEXT,
    created_by           BIGINT NOT NULL REFERENCES users(id),
    created_at           BIGINT NOT NULL
);
CREATE INDEX inspections_region ON inspections(region_code, date);
CREATE INDEX inspections_department ON inspections(department_id, date);

-- Enforcement 执法: one record type for the form's third section.
CREATE TABLE enforcement (
    id                  {{ID}},
    kind                TEXT NOT NULL,
    date                TEXT NOT NULL,
    department_id       BIGINT NOT NULL REFERENCES departments(id),
    enterprise_id       BIGINT REFERENCES enterprises(id),
    region_code         TEXT NOT NULL,
    amount_fen          BIGINT NOT NULL DEFAULT 0,
    persons             INTEGER NOT NULL DEFAULT 0,
    key_enterprise      INTEGER NOT NULL DEFAULT 0,
    dangerous_operation INTEGER NOT NULL DEFAULT 0,
    inspection_id       BIGINT REFERENCES inspections(id),
    hazard_id           BIGINT REFERENCES hazards(id),
    note                TEXT,
    created_by          BIGINT NOT NULL REFERENCES users(id),
    created_at          BIGINT NOT NULL
);
CREATE INDEX enforcement_region ON enforcement(region_code, date);
CREATE INDEX enforcement_department ON enforcement(department_id, date);

-- Public tip-offs 举报: followed by the reporter through a tracking code.
CREATE TABLE tips (
    id                    {{ID}},
    tracking_code         TEXT NOT NULL UNIQUE,
    region_code           TEXT NOT NULL REFERENCES regions(code),
    description           TEXT NOT NULL,
    place                 TEXT NOT NULL,
    enterprise_id         BIGINT REFERENCES enterprises(id),
    anonymous             INTEGER NOT NULL DEFAULT 0,
    contact               TEXT,
    address               TEXT,
    status                TEXT NOT NULL,
    reviewed_on           TEXT,
    reviewed_by           BIGINT REFERENCES users(id),
    reviewer_department_id BIGINT REFERENCES departments(id),
    reward_fen            BIGINT NOT NULL DEFAULT 0,
    reason                TEXT,
    created_at            BIGINT NOT NULL
);
CREATE INDEX tips_region ON tips(region_code, status);
CREATE INDEX tips_address ON tips(address, created_at);

-- Leadership activities 党委政府组织领导 of a region or a department.
CREATE TABLE activities (
    id            {{ID}},
    kind          TEXT NOT NULL,
    date          TEXT NOT NULL,
    region_code   TEXT REFERENCES regions(code),
    department_id BIGINT REFERENCES departments(id),
    note          TEXT,
    created_by    BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX activities_region ON activities(region_code, date);
CREATE INDEX activities_department ON activities(department_id, date);

-- Values of the monthly return entered by a unit ('region:CODE' or
-- 'department:ID'), and its signature, after which they are locked.
CREATE TABLE dispatch_entries (
    unit       TEXT NOT NULL,
    period     TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    entered_by BIGINT NOT NULL REFERENCES users(id),
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (unit, period, key)
);
CREATE TABLE dispatch_signatures (
    unit      TEXT NOT NULL,
    period    TEXT NOT NULL,
    filler    TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    signed_by BIGINT NOT NULL REFERENCES users(id),
    signed_at BIGINT NOT NULL,
    PRIMARY KEY (unit, period)
);
