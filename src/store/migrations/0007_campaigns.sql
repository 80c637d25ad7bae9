-- 0007_campaigns.sql - campaigns 专项行动 and their task lists 任务措施清单
-- (seeds 000, 003, 004): a campaign issued by a region, its numbered
-- tasks under their sections (专题/行动), each task's concrete
-- requirements with a deadline (or yearly, or none) and the responsible
-- units, matched to departments by name where one has that name.
-- A lower region adopts a campaign as its own copy (parent_id), whose
-- tasks and requirements point at the ones they came from: a lower
-- level's deadline may be earlier, never later.  Units report progress
-- on requirements.
CREATE TABLE campaigns (
    id          {{ID}},
    doc_number  TEXT NOT NULL,
    title       TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    phases      TEXT,
    parent_id   BIGINT REFERENCES campaigns(id),
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX campaigns_region ON campaigns(region_code);
CREATE UNIQUE INDEX campaigns_adopted ON campaigns(parent_id, region_code);

CREATE TABLE campaign_tasks (
    id          {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    no          TEXT NOT NULL,
    section     TEXT,
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    source_line INTEGER,
    parent_task_id BIGINT REFERENCES campaign_tasks(id)
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
    source_line INTEGER,
    parent_requirement_id BIGINT REFERENCES task_requirements(id)
);
CREATE INDEX task_requirements_parent ON task_requirements(parent_requirement_id);
CREATE INDEX task_requirements_task ON task_requirements(task_id, position);

CREATE TABLE requirement_units (
    id             {{ID}},
    requirement_id BIGINT NOT NULL REFERENCES task_requirements(id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    department_id  BIGINT REFERENCES departments(id)
);
CREATE INDEX requirement_units_requirement ON requirement_units(requirement_id, position);

-- Progress 进展 reported on a requirement by a unit: region:CODE (an
-- office) or department:ID.  Every report is kept; the latest counts.
CREATE TABLE requirement_progress (
    id             {{ID}},
    requirement_id BIGINT NOT NULL REFERENCES task_requirements(id),
    unit           TEXT NOT NULL,
    percent        INTEGER NOT NULL,
    text           TEXT NOT NULL,
    reported_by    BIGINT NOT NULL REFERENCES users(id),
    reported_at    BIGINT NOT NULL
);
CREATE INDEX requirement_progress_requirement ON requirement_progress(requirement_id, unit, id);
