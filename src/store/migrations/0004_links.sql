-- 0004_links.sql - a hazard found in an inspection points at it; a tip
-- verified as a hazard points at the hazard it became.
ALTER TABLE hazards ADD COLUMN inspection_id BIGINT REFERENCES inspections(id);
ALTER TABLE tips ADD COLUMN hazard_id BIGINT REFERENCES hazards(id);
