-- 0012_job_batches.sql - a daily job done in batches, one transaction
-- each: a province's deadline reminders are hundreds of thousands of
-- messages, and one transaction for all of them held the write lock (the
-- whole database, on SQLite) for a minute.  resume_at is where the next
-- batch starts, on this server or another; done says the day is finished.
-- The runs recorded before were done in one go.
ALTER TABLE job_runs ADD COLUMN resume_at TEXT;
ALTER TABLE job_runs ADD COLUMN done INTEGER NOT NULL DEFAULT 1;
