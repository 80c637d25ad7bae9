-- 0011_jobs.sql - periodic jobs run by `qingling serve`.  A job that runs
-- once a day (deadline reminders) records the day here in the same
-- transaction as its work: the primary key lets only one server of
-- several do a day's run, and instance (host:pid) says which one did.
CREATE TABLE job_runs (
    job      TEXT NOT NULL,
    day      TEXT NOT NULL,
    ran_at   BIGINT NOT NULL,
    instance TEXT NOT NULL,
    PRIMARY KEY (job, day)
);
