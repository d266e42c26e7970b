-- Archiving is the reversible way to put an experiment away: hidden from the list, no longer
-- enrolling visitors (the tracker shows everyone the control), data kept; restoring undoes it.
-- Deleting stays the explicit, irreversible one.
ALTER TABLE experiments ADD COLUMN IF NOT EXISTS archived_at timestamptz;
