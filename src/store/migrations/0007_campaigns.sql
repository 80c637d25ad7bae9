-- 0007_campaigns.sql - campaigns 专项行动 and their task lists 任务措施清单
-- (seeds 000, 003, 004): a campaign issued by a region, its numbered
-- tasks under their sections (专题/行动), each task's concrete
-- requirements with a deadline (or yearly, or none) and the responsible
-- units, matched to departments by name where one has that name.
CREATE TABLE campaigns (
    id          {{ID}},
    doc_number  TEXT NOT NULL,
    title       TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX campaigns_region ON campaigns(region_code);

CREATE TABLE campaign_tasks (
    id          {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    no          TEXT NOT NULL,
    section     TEXT,
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    source_line INTEGER
);
CREATE INDEX campaign_tasks_campaign ON campaign_tasks(campaign_id, position);

CREATE TABLE task_requirements (
    id          {{ID}},
    task_id     BIGINT NOT NULL REFERENCES campaign_tasks(id),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    due_text    TEXT,
    due         TEXT,
    recurring   TEXT,
    note        TEXT,
    source_line INTEGER
);
CREATE INDEX task_requirements_task ON task_requirements(task_id, position);

CREATE TABLE requirement_units (
    id             {{ID}},
    requirement_id BIGINT NOT NULL REFERENCES task_requirements(id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    department_id  BIGINT REFERENCES departments(id)
);
CREATE INDEX requirement_units_requirement ON requirement_units(requirement_id, position);
