-- 0005_duties.sql - an enterprise's own safety duties (DESIGN.md §2):
-- dated records (leader-led inspections, drills, the duty list and the
-- safety organisation filed), special-operator certificates and
-- outsourcing contracts.  core/duty.c judges them per period.
CREATE TABLE duty_records (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,
    date          TEXT NOT NULL,
    title         TEXT NOT NULL,
    leader        TEXT,
    participants  INTEGER NOT NULL DEFAULT 0,
    note          TEXT,
    created_by    BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX duty_records_enterprise ON duty_records(enterprise_id, kind, date);

CREATE TABLE operator_certificates (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    holder        TEXT NOT NULL,
    category      TEXT NOT NULL,
    number        TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    created_by    BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    UNIQUE (enterprise_id, number)
);
CREATE INDEX operator_certificates_expiry ON operator_certificates(enterprise_id, valid_until);

CREATE TABLE outsourcing_contracts (
    id               {{ID}},
    enterprise_id    BIGINT NOT NULL REFERENCES enterprises(id),
    contractor       TEXT NOT NULL,
    contractor_uscc  TEXT,
    work             TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL,
    safety_agreement INTEGER NOT NULL DEFAULT 0,
    created_by       BIGINT NOT NULL REFERENCES users(id),
    created_at       BIGINT NOT NULL
);
CREATE INDEX outsourcing_contracts_enterprise ON outsourcing_contracts(enterprise_id, end_date);
