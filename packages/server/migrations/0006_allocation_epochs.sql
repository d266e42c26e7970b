-- Allocation epochs (docs/architecture.md#allocation-epochs). The decision rule's test and the
-- design-robust estimates need, for every visitor, the full allocation it was drawn from, not
-- only the probability of its own combination: an epoch is one allocation a tracker process
-- served from, recorded once, and every assignment and every counter row names its epoch. A
-- process keeps serving its epoch until the policy's allocation moves materially, so an
-- experiment has few epochs, not one per refresh (docs/architecture.md#allocation-epochs).
CREATE TABLE IF NOT EXISTS allocation_epochs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  -- { combination_id: probability } as served (sums to 1).
  probabilities jsonb NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS allocation_epochs_experiment_idx ON allocation_epochs (experiment_id, id);

-- 0: assigned before epochs were recorded (its allocation is unknown).
ALTER TABLE assignments ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0;

ALTER TABLE combination_counters ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE combination_counters DROP CONSTRAINT IF EXISTS combination_counters_pkey;
ALTER TABLE combination_counters ADD PRIMARY KEY (combination_id, epoch, shard);

ALTER TABLE goal_counters ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE goal_counters DROP CONSTRAINT IF EXISTS goal_counters_pkey;
ALTER TABLE goal_counters ADD PRIMARY KEY (combination_id, goal, epoch, shard);

-- The experiment's horizon: with it the decision rule is group-sequential (packages/engine/README.md).
ALTER TABLE experiments ADD COLUMN IF NOT EXISTS planned_visitors integer
  CHECK (planned_visitors IS NULL OR planned_visitors > 0);

ALTER TABLE allocation_epochs ENABLE ROW LEVEL SECURITY;
ALTER TABLE allocation_epochs FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS allocation_epochs_owner ON allocation_epochs;
CREATE POLICY allocation_epochs_owner ON allocation_epochs TO samplit_app
  USING (experiment_id IN (SELECT id FROM experiments))
  WITH CHECK (experiment_id IN (SELECT id FROM experiments));
DROP POLICY IF EXISTS allocation_epochs_system ON allocation_epochs;
CREATE POLICY allocation_epochs_system ON allocation_epochs TO samplit_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON allocation_epochs TO samplit_app, samplit_system;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO samplit_app, samplit_system;
