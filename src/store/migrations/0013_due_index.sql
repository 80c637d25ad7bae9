-- 0013_due_index.sql - the overdue job's index (0010) names the open
-- statuses as equalities joined by OR, not as an IN list: SQLite tests a
-- list of more than two values through a lookup table, and building the
-- index over a province of 2 M hazards took 1.0 s instead of 0.3.  The
-- job's query (store/counts.c) states the same condition, word for word,
-- so that both databases know the index covers it.
DROP INDEX hazards_due;
CREATE INDEX hazards_due ON hazards(deadline)
    WHERE overdue = 0 AND (status = 'open' OR status = 'rectifying'
                           OR status = 'awaiting_acceptance' OR status = 'awaiting_verification');
