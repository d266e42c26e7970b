-- Goals as definitions, and counters per goal (docs/architecture.md#goal).

-- 1. `experiments.goals` holds definitions ({key, kind, direction, role, threshold}); the plain
--    names older rows hold become conversion goals, the first of them primary.
UPDATE experiments SET goals = (
  SELECT coalesce(jsonb_agg(
           CASE WHEN jsonb_typeof(g) = 'string' THEN jsonb_build_object(
             'key', g #>> '{}', 'kind', 'conversion', 'direction', 'higher',
             'role', CASE WHEN ord = 1 THEN 'primary' ELSE 'secondary' END, 'threshold', NULL)
           ELSE g END ORDER BY ord), '[]'::jsonb)
  FROM jsonb_array_elements(goals) WITH ORDINALITY AS t(g, ord))
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(goals) g WHERE jsonb_typeof(g) = 'string');

-- 2. The counted (first) event of a visitor on a goal carries that visitor's running totals on the
--    goal: how many events it sent and the sum of their values. The tracker's statement adds each
--    new event to them, so it knows each visitor's old and new total without reading its events.
ALTER TABLE conversions ADD COLUMN IF NOT EXISTS visitor_events integer;
-- Room on each page for the counted row's updates, so they stay heap-only (no index entries).
ALTER TABLE conversions SET (fillfactor = 90);
ALTER TABLE conversions ADD COLUMN IF NOT EXISTS visitor_value double precision;
UPDATE conversions c SET visitor_events = t.events, visitor_value = t.value
FROM (
  SELECT experiment_id, browser_id, goal, count(*)::int AS events, coalesce(sum(value), 0) AS value
  FROM conversions WHERE combination_id IS NOT NULL GROUP BY experiment_id, browser_id, goal
) t
WHERE c.counted AND c.experiment_id = t.experiment_id AND c.browser_id = t.browser_id AND c.goal = t.goal;

-- 3. Running aggregates per combination and goal, whatever the goal's kind or role, declared or
--    not: visitors with at least one event, events, and the sum and sum of squares of the
--    per-visitor totals (events, values), which is what every kind's statistics need. Sharded
--    like combination_counters, and like it written in the same statement as the events.
CREATE TABLE IF NOT EXISTS goal_counters (
  combination_id uuid NOT NULL,
  experiment_id uuid NOT NULL,
  goal text NOT NULL,
  shard integer NOT NULL,
  converted bigint NOT NULL DEFAULT 0,
  events bigint NOT NULL DEFAULT 0,
  events_squares double precision NOT NULL DEFAULT 0,
  value_sum double precision NOT NULL DEFAULT 0,
  value_squares double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (combination_id, goal, shard)
);
CREATE INDEX IF NOT EXISTS goal_counters_experiment_idx ON goal_counters (experiment_id, goal);

INSERT INTO goal_counters (combination_id, experiment_id, goal, shard, converted, events, events_squares, value_sum, value_squares)
SELECT combination_id, experiment_id, goal, 0, count(*), sum(visitor_events),
       sum(visitor_events::float8 * visitor_events), sum(visitor_value), sum(visitor_value * visitor_value)
FROM conversions WHERE counted GROUP BY combination_id, experiment_id, goal
ON CONFLICT DO NOTHING;

-- The primary goal's conversions now come from goal_counters.
ALTER TABLE combination_counters DROP COLUMN IF EXISTS successful_conversions;

ALTER TABLE goal_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE goal_counters FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS goal_counters_owner ON goal_counters;
CREATE POLICY goal_counters_owner ON goal_counters TO samplit_app
  USING (experiment_id IN (SELECT id FROM experiments))
  WITH CHECK (experiment_id IN (SELECT id FROM experiments));
DROP POLICY IF EXISTS goal_counters_system ON goal_counters;
CREATE POLICY goal_counters_system ON goal_counters TO samplit_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON goal_counters TO samplit_app, samplit_system;
