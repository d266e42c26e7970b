-- Samplit schema, version 1. Forward-only: later changes go in new files.

-- Two roles, neither of which bypasses row-level security (roles are cluster-wide, so this is
-- idempotent; the login role is made a member of both so its sessions can switch to them):
--   samplit_app    every request made for a user: sees only that user's experiments;
--   samplit_system the public tracker and background work, which act for no single user.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'samplit_app') THEN
    CREATE ROLE samplit_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'samplit_system') THEN
    CREATE ROLE samplit_system NOLOGIN;
  END IF;
END
$$;
GRANT samplit_app TO CURRENT_USER;
GRANT samplit_system TO CURRENT_USER;

-- The user of the current transaction, as the policies read it.
CREATE OR REPLACE FUNCTION samplit_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('samplit.user_id', true), '')::uuid $$;

CREATE TABLE IF NOT EXISTS users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (lower(email));

CREATE TABLE IF NOT EXISTS experiments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text,
  type text NOT NULL CHECK (type IN ('ab_test', 'multi_element')),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'paused', 'completed')),
  traffic_allocation text NOT NULL CHECK (traffic_allocation IN ('adaptive', 'fixed')),
  traffic_percentage double precision NOT NULL DEFAULT 100 CHECK (traffic_percentage >= 0 AND traffic_percentage <= 100),
  targeting jsonb,
  url text,
  goals jsonb NOT NULL DEFAULT '[]',
  allow_custom_js boolean NOT NULL DEFAULT false,
  winner_combination_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz
);
CREATE INDEX IF NOT EXISTS experiments_owner_created_idx ON experiments (owner_id, created_at DESC, id);

CREATE TABLE IF NOT EXISTS elements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  position integer NOT NULL,
  name text NOT NULL,
  selector text,
  UNIQUE (experiment_id, position)
);

CREATE TABLE IF NOT EXISTS element_variants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  element_id uuid NOT NULL REFERENCES elements (id) ON DELETE CASCADE,
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  position integer NOT NULL,
  name text NOT NULL,
  weight double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
  is_control boolean NOT NULL DEFAULT false,
  content jsonb NOT NULL DEFAULT '{}',
  UNIQUE (element_id, position)
);
CREATE INDEX IF NOT EXISTS element_variants_experiment_idx ON element_variants (experiment_id);

-- One arm per combination of variants (one variant per element, in element order).
CREATE TABLE IF NOT EXISTS combinations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  position integer NOT NULL,
  variant_ids uuid[] NOT NULL,
  weight double precision NOT NULL DEFAULT 1 CHECK (weight > 0),
  UNIQUE (experiment_id, position)
);

-- Running aggregates per combination (visitors assigned, visitors who converted on the primary
-- goal), so neither the bandit nor a stats request ever scans assignments. They are updated in
-- the same statement as the rows they count, split into shards (one per process and in-flight
-- batch) so concurrent batches never wait on each other's row locks; readers sum the shards.
--
-- The tracker's tables (counters, assignments, conversions) carry no foreign keys on purpose: a
-- foreign-key check takes a KEY SHARE lock on the parent row for every inserted row, and with
-- thousands of inserts a second on one experiment those locks (and their multixacts) cost more
-- than the insert itself. The tracker only writes ids it read from a live experiment, and
-- deleting an experiment deletes these rows explicitly (experiment-store.ts).
CREATE TABLE IF NOT EXISTS combination_counters (
  combination_id uuid NOT NULL,
  experiment_id uuid NOT NULL,
  shard integer NOT NULL,
  visitors bigint NOT NULL DEFAULT 0,
  successful_conversions bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (combination_id, shard)
);
CREATE INDEX IF NOT EXISTS combination_counters_experiment_idx ON combination_counters (experiment_id);

-- Stickiness: one row per (experiment, visitor), forever; the primary key lets the database
-- decide between two simultaneous first requests.
CREATE TABLE IF NOT EXISTS assignments (
  experiment_id uuid NOT NULL,
  browser_id text NOT NULL,
  combination_id uuid NOT NULL,
  probability double precision NOT NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (experiment_id, browser_id)
);

-- Every conversion event is kept; `counted` marks the first one of an assigned visitor per goal.
CREATE TABLE IF NOT EXISTS conversions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  experiment_id uuid NOT NULL,
  browser_id text NOT NULL,
  combination_id uuid,
  goal text NOT NULL DEFAULT 'conversion',
  value double precision,
  counted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS conversions_first_per_goal_key
  ON conversions (experiment_id, browser_id, goal) WHERE counted;
CREATE INDEX IF NOT EXISTS conversions_experiment_idx ON conversions (experiment_id, created_at);

-- Traffic weights over time, as the allocation policy set them.
CREATE TABLE IF NOT EXISTS allocation_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  weights jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS allocation_history_experiment_idx ON allocation_history (experiment_id, recorded_at);

-- Row-level security. Policies are per role, so a statement only pays for the policies of its
-- own role: samplit_app sees a user's experiments and what hangs off them; samplit_system sees
-- everything (a policy of `true`, which costs nothing on the tracker's hot inserts). FORCE makes
-- the policies apply to the tables' owner too.
ALTER TABLE experiments ENABLE ROW LEVEL SECURITY;
ALTER TABLE experiments FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS experiments_owner ON experiments;
CREATE POLICY experiments_owner ON experiments TO samplit_app
  USING (owner_id = samplit_current_user_id())
  WITH CHECK (owner_id = samplit_current_user_id());

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['elements', 'element_variants', 'combinations', 'combination_counters', 'assignments', 'conversions', 'allocation_history']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', t || '_owner', t);
    -- The subquery on experiments is itself filtered by its policy.
    EXECUTE format(
      'CREATE POLICY %I ON %I TO samplit_app USING (experiment_id IN (SELECT id FROM experiments)) '
      'WITH CHECK (experiment_id IN (SELECT id FROM experiments))',
      t || '_owner', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['experiments', 'elements', 'element_variants', 'combinations', 'combination_counters', 'assignments', 'conversions', 'allocation_history']
  LOOP
    EXECUTE format('DROP POLICY IF EXISTS %I ON %I', t || '_system', t);
    EXECUTE format('CREATE POLICY %I ON %I TO samplit_system USING (true) WITH CHECK (true)', t || '_system', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO samplit_app, samplit_system;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO samplit_app, samplit_system;
GRANT EXECUTE ON FUNCTION samplit_current_user_id() TO samplit_app, samplit_system;
