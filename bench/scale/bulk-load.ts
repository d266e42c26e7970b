import type pg from 'pg';

/**
 * Grows the tracker's tables the way the tracker would have, but in bulk: visitor i of each
 * experiment (its id built as bench/tracker/lua/scale.lua's loadedId builds it) is assigned to combination i mod k at the experiment's current epoch;
 * half of the visitors each sent two conversion events (one counted, one not), so the
 * conversions table holds as many rows as assignments. The counters get the same totals in a
 * shard of their own, so the experiment's statistics stay true to its rows.
 */
export interface LoadTarget {
  experimentIds: string[];
  /** The visitor ids' shape: the SDK's time-ordered ids, or random UUIDs. */
  ids: keyof typeof VISITOR_ID;
  /** Visitors per experiment already loaded, and wanted after this call. */
  from: number;
  to: number;
}

/** When loaded visitor 0 arrived (time-ordered ids): 2023-11-14, well before any run. */
export const BASE_MS = 1_700_000_000_000;
/** Visitor i's id, as bench/tracker/lua/scale.lua's loadedId builds it for each IDS mode. */
const VISITOR_ID = {
  time: `lpad(to_hex(${BASE_MS}::int8 + i), 12, '0') || lpad(to_hex((i * 387420489) % 4294967296), 8, '0') || lpad(to_hex(i), 12, '0')`,
  random: `lpad(to_hex((i * 387420489) % 4294967296), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0')`,
};
const CHUNK = 500_000;
/** The counters' shard for bulk-loaded rows (the tracker's shards are ≥ 0). */
const BULK_SHARD = -1;

export async function bulkLoad(pool: pg.Pool, target: LoadTarget, progress: (done: number) => void) {
  for (const experimentId of target.experimentIds) {
    const { rows } = await pool.query<{ combinations: string[]; epoch: string }>(
      `SELECT array_agg(c.id ORDER BY c.position) AS combinations,
              (SELECT coalesce(max(id), 0) FROM allocation_epochs WHERE experiment_id = $1) AS epoch
       FROM combinations c WHERE c.experiment_id = $1`,
      [experimentId],
    );
    const { combinations, epoch } = rows[0];
    const params = (from: number, to: number) => [experimentId, combinations, epoch, from, to];
    for (let from = target.from; from < target.to; from += CHUNK) {
      const to = Math.min(from + CHUNK, target.to);
      // Assigned over the last 30 days, in visitor order.
      await pool.query(
        `INSERT INTO assignments (experiment_id, browser_id, combination_id, probability, epoch, assigned_at)
         SELECT $1, ${VISITOR_ID[target.ids]}, ($2::uuid[])[1 + i % cardinality($2::uuid[])], 1.0 / cardinality($2::uuid[]),
                $3::int8, now() - interval '30 days' + i * interval '250 ms'
         FROM generate_series($4::int8, $5::int8 - 1) AS i`,
        params(from, to),
      );
      await pool.query(
        `INSERT INTO combination_counters (combination_id, experiment_id, epoch, shard, visitors)
         SELECT ($2::uuid[])[1 + i % cardinality($2::uuid[])], $1, $3::int8, ${BULK_SHARD}, count(*)
         FROM generate_series($4::int8, $5::int8 - 1) AS i GROUP BY 1
         ON CONFLICT (experiment_id, combination_id, epoch, shard) DO UPDATE
           SET visitors = combination_counters.visitors + excluded.visitors`,
        params(from, to),
      );
      // The chunk's upper half of visitors converted, two events each, the first counted (visitors
      // loaded before may have converted since, through the benchmark's requests).
      const half = [from + Math.floor((to - from) / 2), to];
      await pool.query(
        `INSERT INTO conversions (experiment_id, browser_id, combination_id, goal, value, counted,
                                  visitor_events, visitor_value, created_at)
         SELECT $1, ${VISITOR_ID[target.ids]}, ($2::uuid[])[1 + i % cardinality($2::uuid[])], 'conversion', NULL, first,
                CASE WHEN first THEN 2 END, CASE WHEN first THEN 0 END,
                now() - interval '30 days' + i * interval '250 ms' + CASE WHEN first THEN interval '1 s' ELSE interval '2 s' END
         FROM generate_series($3::int8, $4::int8 - 1) AS i, (VALUES (true), (false)) AS e(first)`,
        [experimentId, combinations, half[0], half[1]],
      );
      await pool.query(
        `INSERT INTO goal_counters AS g (combination_id, experiment_id, goal, epoch, shard, converted, events, events_squares)
         SELECT ($2::uuid[])[1 + i % cardinality($2::uuid[])], $1, 'conversion', $3::int8, ${BULK_SHARD},
                count(*), 2 * count(*), 4 * count(*)
         FROM generate_series($4::int8, $5::int8 - 1) AS i GROUP BY 1
         ON CONFLICT (experiment_id, combination_id, goal, epoch, shard) DO UPDATE
           SET converted = g.converted + excluded.converted, events = g.events + excluded.events,
               events_squares = g.events_squares + excluded.events_squares`,
        params(half[0], half[1]),
      );
      progress(to - from);
    }
  }
}
