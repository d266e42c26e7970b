-- The winner the decision rule declared for an adaptive experiment, recorded once by whichever
-- process saw it first (docs/architecture.md#declared-winner): every process and every restart
-- exploits the same combination. Written once per experiment, so a foreign key costs nothing.
CREATE TABLE IF NOT EXISTS experiment_decisions (
  experiment_id uuid PRIMARY KEY REFERENCES experiments (id) ON DELETE CASCADE,
  combination_id uuid NOT NULL,
  -- The goal it was decided on (the primary goal then); a later primary goal starts over.
  goal text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now(),
  -- The decision rule's numbers at that moment, as the stats payload's `decision` reports them.
  evidence jsonb NOT NULL
);

ALTER TABLE experiment_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiment_decisions FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS experiment_decisions_owner ON experiment_decisions;
CREATE POLICY experiment_decisions_owner ON experiment_decisions TO samplit_app
  USING (experiment_id IN (SELECT id FROM experiments))
  WITH CHECK (experiment_id IN (SELECT id FROM experiments));
DROP POLICY IF EXISTS experiment_decisions_system ON experiment_decisions;
CREATE POLICY experiment_decisions_system ON experiment_decisions TO samplit_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON experiment_decisions TO samplit_app, samplit_system;
