-- 0008_risks.sql - the risk list 风险清单 of an enterprise (seed 000):
-- risk point, hazard source, accident types (codes of a versioned
-- dictionary, core/accident.c), assessed by LEC or by the 5×5 matrix
-- (core/risk.c) to a level with its colour, control measures and the
-- level that controls it.  The matrix thresholds are settings.
CREATE TABLE risks (
    id                 {{ID}},
    enterprise_id      BIGINT NOT NULL REFERENCES enterprises(id),
    region_code        TEXT NOT NULL,
    risk_point         TEXT NOT NULL,
    hazard_source      TEXT NOT NULL,
    dictionary         TEXT NOT NULL,
    accident_types     TEXT NOT NULL,
    method             TEXT NOT NULL,
    l10                INTEGER,
    e10                INTEGER,
    c10                INTEGER,
    likelihood         INTEGER,
    severity           INTEGER,
    score              BIGINT NOT NULL,
    level              TEXT NOT NULL,
    control_measures   TEXT NOT NULL,
    control_level      TEXT NOT NULL,
    responsible_person TEXT NOT NULL,
    created_by         BIGINT NOT NULL REFERENCES users(id),
    created_at         BIGINT NOT NULL
);
CREATE INDEX risks_enterprise ON risks(enterprise_id, id);
CREATE INDEX risks_region ON risks(region_code, level);
INSERT INTO settings (key, value) VALUES ('risk_matrix_red', '20');
INSERT INTO settings (key, value) VALUES ('risk_matrix_orange', '12');
INSERT INTO settings (key, value) VALUES ('risk_matrix_yellow', '6');
