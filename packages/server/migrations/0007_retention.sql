-- Retention (docs/scaling.md#retention): the raw rows of a completed experiment (assignments and
-- conversion events) can be removed once it is old enough, keeping what every report reads. The
-- statistics and the decision already read only the counters; the time series read these per-minute
-- roll-ups instead of the raw rows once they are gone. The CSV export, which is per visitor, is
-- what an experiment without raw rows no longer has (the retention command can archive them first).

-- When the removal of the raw rows began: from then on the tracker writes none for it, and its
-- roll-ups, once written, replace the raw rows in every report. NULL: the raw rows are all there.
ALTER TABLE experiments ADD COLUMN IF NOT EXISTS raw_data_removed_at timestamptz;
-- The removal in progress holds this lease (renewed as it goes), so that of several servers on one
-- database only one rolls up, archives and deletes a given experiment's rows at a time.
ALTER TABLE experiments ADD COLUMN IF NOT EXISTS retention_lease_until timestamptz;

-- New visitors per (minute, combination), as the time series count assignments.
CREATE TABLE IF NOT EXISTS visitor_rollups (
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  minute timestamptz NOT NULL,
  combination_id uuid NOT NULL,
  visitors bigint NOT NULL,
  PRIMARY KEY (experiment_id, minute, combination_id)
);

-- Per (goal, minute, combination), the events of assigned visitors as the time series count them:
-- counted (first) events, all events, and the sum of their values.
CREATE TABLE IF NOT EXISTS goal_rollups (
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  goal text NOT NULL,
  minute timestamptz NOT NULL,
  combination_id uuid NOT NULL,
  conversions bigint NOT NULL,
  events bigint NOT NULL,
  value double precision NOT NULL,
  PRIMARY KEY (experiment_id, goal, minute, combination_id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['visitor_rollups', 'goal_rollups']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', t || '_owner', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I TO samplit_app USING (experiment_id IN (SELECT id FROM experiments)) '
      'WITH CHECK (experiment_id IN (SELECT id FROM experiments))',
      t || '_owner', t);
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', t || '_system', t);
    EXECUTE format('CREATE POLICY %I ON %I TO samplit_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO samplit_app, samplit_system', t);
  END LOOP;
END
$$;
