-- 0010_counts.sql - what lists and statistics need at province scale
-- (millions of hazards): the overdue state stored on the hazard, exact
-- counters kept in the writing transaction, and indexes for the pages.

-- 1 when the hazard is still open (open, rectifying, awaiting acceptance
-- or verification) and its deadline has passed (Asia/Shanghai).  Set when
-- the hazard is written and, as days pass, by the overdue job
-- (store_hazards_mark_overdue), which records the day it last ran in
-- settings ('overdue_marked_day'); until it has run on a day, readers
-- compare deadlines themselves.
ALTER TABLE hazards ADD COLUMN overdue INTEGER NOT NULL DEFAULT 0;

-- Pages in the order of registration, walked backwards from the newest;
-- the columns after id let the walk test a row without reading it.
CREATE INDEX hazards_status_id ON hazards(status, id, region_code, overdue, level, source);
CREATE INDEX hazards_overdue_id ON hazards(overdue, id, region_code, status, level, source);
-- A region's hazards with every column its lists filter on, so that a
-- page is chosen from the index alone and only its rows are read.
DROP INDEX hazards_region;
CREATE INDEX hazards_region ON hazards(region_code, status, overdue, level, source, found_on, id);
-- The open hazards not yet marked overdue, by deadline: the job's work.
CREATE INDEX hazards_due ON hazards(deadline)
    WHERE overdue = 0 AND status IN ('open', 'rectifying', 'awaiting_acceptance', 'awaiting_verification');
-- The monthly return counts major hazards by region and date found.
CREATE INDEX hazards_major ON hazards(region_code, found_on, source, status, closed_at, level)
    WHERE level = 'major';

-- The number of hazards by region and by the dimensions lists and
-- statistics filter on.  For every hazard there is one row of its own
-- region with own = 1, and one row with own = 0 for its region and each
-- ancestor (code prefixes of length 2, 4, 6, 9), so the subtree of any
-- region is one row per key.  depth is the length of region_code.  Kept
-- in the same transaction as every write to hazards (store/counts.c).
CREATE TABLE hazard_counts (
    own         INTEGER NOT NULL,
    depth       INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    level       TEXT NOT NULL,
    source      TEXT NOT NULL,
    status      TEXT NOT NULL,
    overdue     INTEGER NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (own, depth, region_code, level, source, status, overdue)
);
