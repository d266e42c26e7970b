import type { Database } from '../../src/db/database.js';

/**
 * Writes visitors and conversions on `goal` (default "conversion", one event per converting
 * visitor, no value) as the tracker would, split over two shards so readers must sum them, in
 * epoch 0 (no allocation recorded: the snapshot's one stratum has the observed shares, or the
 * configured weights under fixed traffic).
 */
export async function writeCounters(
  db: Database,
  experimentId: string,
  arms: { combinationId: string; visitors: number; conversions: number }[],
  goal = 'conversion',
): Promise<void> {
  await db.asSystem(async (q) => {
    for (const { combinationId, visitors, conversions } of arms) {
      const half = Math.floor(visitors / 2);
      const halfConversions = Math.floor(conversions / 2);
      await q.query(
        `INSERT INTO combination_counters (combination_id, experiment_id, shard, visitors)
         VALUES ($1, $2, 1, $3), ($1, $2, 2, $4)
         ON CONFLICT (experiment_id, combination_id, epoch, shard) DO UPDATE SET visitors = combination_counters.visitors + excluded.visitors`,
        [combinationId, experimentId, half, visitors - half],
      );
      await q.query(
        `INSERT INTO goal_counters (combination_id, experiment_id, goal, shard, converted, events, events_squares)
         VALUES ($1, $2, $3, 1, $4::bigint, $4::bigint, $4::float8), ($1, $2, $3, 2, $5::bigint, $5::bigint, $5::float8)
         ON CONFLICT (experiment_id, combination_id, goal, epoch, shard) DO UPDATE SET converted = goal_counters.converted + excluded.converted,
           events = goal_counters.events + excluded.events, events_squares = goal_counters.events_squares + excluded.events_squares`,
        [combinationId, experimentId, goal, halfConversions, conversions - halfConversions],
      );
    }
  });
}
