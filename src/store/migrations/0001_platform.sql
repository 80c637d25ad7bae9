-- 0001_platform.sql - organisation, accounts, sessions, settings and the
-- audit trail.  Written in the common subset of SQLite and PostgreSQL;
-- {{ID}} is the backend's auto-increment primary key.  Times are seconds
-- since the epoch (UTC); dates are 'YYYY-MM-DD' text.

-- Regions (GB/T 2260 codes; towns 9 digits, villages 12).  A region's
-- subtree is every code that starts with its code.
CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_code TEXT REFERENCES regions(code),
    level       INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_code);

-- Departments (安委办 member units, 行业部门) belong to a region.
CREATE TABLE departments (
    id          {{ID}},
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    created_at  BIGINT NOT NULL,
    UNIQUE (region_code, name)
);

-- Enterprises under supervision (生产经营单位).
CREATE TABLE enterprises (
    id                {{ID}},
    uscc              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    region_code       TEXT NOT NULL REFERENCES regions(code),
    industry_code     TEXT NOT NULL,
    high_risk         INTEGER NOT NULL DEFAULT 0,
    main_person_name  TEXT NOT NULL,
    main_person_phone TEXT NOT NULL,
    controller_name   TEXT NOT NULL,
    controller_phone  TEXT NOT NULL,
    uscc_override     TEXT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region_code);

-- Which departments supervise which enterprises (监管关系).
CREATE TABLE enterprise_departments (
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    PRIMARY KEY (enterprise_id, department_id)
);
CREATE INDEX enterprise_departments_dept ON enterprise_departments(department_id, enterprise_id);

-- Accounts.  Exactly one scope column is set for office (region),
-- regulator (department) and enterprise users; experts have one of the
-- three; the three administrators have none.
CREATE TABLE users (
    id                   {{ID}},
    login                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    role                 TEXT NOT NULL,
    region_code          TEXT REFERENCES regions(code),
    department_id        BIGINT REFERENCES departments(id),
    enterprise_id        BIGINT REFERENCES enterprises(id),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_count         INTEGER NOT NULL DEFAULT 0,
    locked_until         BIGINT NOT NULL DEFAULT 0,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    password_changed_at  BIGINT NOT NULL
);

-- Browser sessions: only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    id         {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    address    TEXT,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    ended_at   BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Bearer tokens for machine clients: only the SHA-256 is stored.
CREATE TABLE api_tokens (
    id         {{ID}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Security settings kept by the security administrator.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('lockout_threshold', '5');
INSERT INTO settings (key, value) VALUES ('lockout_minutes', '15');
INSERT INTO settings (key, value) VALUES ('session_idle_minutes', '30');
INSERT INTO settings (key, value) VALUES ('password_min_length', '8');

-- The audit trail: append-only, each row chained to the one before by
-- SM3 over its content and the previous hash.  audit_head holds the last
-- sequence number and hash; updating it inside the writing transaction
-- serialises appends on both backends and lets `audit verify` notice a
-- removed last row.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_login TEXT,
    actor_role  TEXT,
    address     TEXT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   TEXT,
    before_json TEXT,
    after_json  TEXT,
    outcome     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
