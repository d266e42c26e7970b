import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';
import type {
  ExperimentStatus,
  ExperimentType,
  GoalDefinition,
  TrafficAllocation,
} from './experiment-schemas.js';
import type { StructureElement } from './structure.js';
import { enumerateCombinations } from './structure.js';

export interface ExperimentRow {
  id: string;
  owner_id: string;
  name: string;
  description: string | null;
  type: ExperimentType;
  status: ExperimentStatus;
  traffic_allocation: TrafficAllocation;
  traffic_percentage: number;
  /** The horizon: planned visitors (null: the decision rule is anytime-valid). */
  planned_visitors: number | null;
  targeting: Record<string, unknown> | null;
  url: string | null;
  goals: GoalDefinition[];
  allow_custom_js: boolean;
  winner_combination_id: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  archived_at: Date | null;
  /** When retention began removing the raw rows (migration 0007); null: they are all there. */
  raw_data_removed_at: Date | null;
}

/** Which page of the owner's experiments `list` returns (the API's list query). */
export interface ExperimentListPage {
  limit: number;
  offset: number;
  status?: ExperimentStatus;
  archived: boolean;
  /** Name contains this text, case-insensitive. */
  q?: string;
}

export interface VariantRow {
  id: string;
  element_id: string;
  name: string;
  weight: number;
  is_control: boolean;
  content: Record<string, unknown>;
}
export interface ElementRow {
  id: string;
  name: string;
  selector: string | null;
  variants: VariantRow[];
}
export interface CombinationRow {
  id: string;
  variant_ids: string[];
  weight: number;
}
export interface ExperimentStructure {
  elements: ElementRow[];
  combinations: CombinationRow[];
}

/** The settings a user may change at any time (structure aside). */
export interface ExperimentSettings {
  name?: string;
  description?: string | null;
  traffic_allocation?: TrafficAllocation;
  traffic_percentage?: number;
  planned_visitors?: number | null;
  targeting?: Record<string, unknown> | null;
  url?: string | null;
  goals?: GoalDefinition[];
  allow_custom_js?: boolean;
}

const COLUMNS = `id, owner_id, name, description, type, status, traffic_allocation, traffic_percentage, planned_visitors, targeting,
  url, goals, allow_custom_js, winner_combination_id, created_at, updated_at, started_at, completed_at, archived_at,
  raw_data_removed_at`;

const JSON_COLUMNS = new Set(['targeting', 'goals']);

export function createExperimentStore(q: Queryable): ExperimentStore {
  return {
    async insert(
      ownerId: string,
      fields: Required<Pick<ExperimentSettings, 'name'>> & ExperimentSettings & { type: ExperimentType },
    ): Promise<ExperimentRow> {
      const rows = await q.query<ExperimentRow>(
        `INSERT INTO experiments (owner_id, name, description, type, traffic_allocation, traffic_percentage,
           targeting, url, goals, allow_custom_js, planned_visitors)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, $11)
         RETURNING ${COLUMNS}`,
        [
          ownerId,
          fields.name,
          fields.description ?? null,
          fields.type,
          fields.traffic_allocation ?? 'adaptive',
          fields.traffic_percentage ?? 100,
          fields.targeting ? JSON.stringify(fields.targeting) : null,
          fields.url ?? null,
          JSON.stringify(fields.goals ?? []),
          fields.allow_custom_js ?? false,
          fields.planned_visitors ?? null,
        ],
      );
      return rows[0];
    },

    /**
     * Writes elements, variants and every combination in three statements. Ids are generated here
     * so the rows can reference each other without reading anything back.
     */
    async insertStructure(experimentId: string, structure: StructureElement[]): Promise<void> {
      const elements = structure.map((e, position) => ({
        id: randomUUID(),
        position,
        name: e.name,
        selector: e.selector,
        variants: e.variants.map((v, vpos) => ({ ...v, id: randomUUID(), position: vpos })),
      }));
      await q.query(
        `INSERT INTO elements (id, experiment_id, position, name, selector)
         SELECT (e->>'id')::uuid, $1, (e->>'position')::int, e->>'name', e->>'selector'
         FROM jsonb_array_elements($2::jsonb) e`,
        [experimentId, JSON.stringify(elements.map(({ variants, ...e }) => e))],
      );
      const variants = elements.flatMap((e) => e.variants.map((v) => ({ ...v, element_id: e.id })));
      await q.query(
        `INSERT INTO element_variants (id, element_id, experiment_id, position, name, weight, is_control, content)
         SELECT (v->>'id')::uuid, (v->>'element_id')::uuid, $1, (v->>'position')::int, v->>'name',
                (v->>'weight')::float8, (v->>'is_control')::boolean, v->'content'
         FROM jsonb_array_elements($2::jsonb) v`,
        [experimentId, JSON.stringify(variants)],
      );
      const combinations = enumerateCombinations(elements.map((e) => e.variants)).map((c, position) => ({
        position,
        weight: c.weight,
        variant_ids: c.variants.map((v) => v.id),
      }));
      await q.query(
        `INSERT INTO combinations (experiment_id, position, weight, variant_ids)
         SELECT $1, (c->>'position')::int, (c->>'weight')::float8,
                ARRAY(SELECT jsonb_array_elements_text(c->'variant_ids'))::uuid[]
         FROM jsonb_array_elements($2::jsonb) c`,
        [experimentId, JSON.stringify(combinations)],
      );
    },

    async deleteStructure(experimentId: string): Promise<void> {
      await q.query('DELETE FROM combinations WHERE experiment_id = $1', [experimentId]);
      await q.query('DELETE FROM elements WHERE experiment_id = $1', [experimentId]);
    },

    /**
     * The owner filter is explicit here and enforced again by row-level security. `forUpdate`
     * serialises concurrent edits of one experiment with FOR NO KEY UPDATE, which (unlike FOR
     * UPDATE) does not hold up the tracker's KEY SHARE lock on the row.
     */
    async find(
      ownerId: string,
      id: string,
      options: { forUpdate?: boolean } = {},
    ): Promise<ExperimentRow | undefined> {
      const rows = await q.query<ExperimentRow>(
        `SELECT ${COLUMNS} FROM experiments WHERE id = $1 AND owner_id = $2${options.forUpdate ? ' FOR NO KEY UPDATE' : ''}`,
        [id, ownerId],
      );
      return rows[0];
    },

    async loadStructure(experimentId: string): Promise<ExperimentStructure> {
      const elements = await q.query<Omit<ElementRow, 'variants'>>(
        'SELECT id, name, selector FROM elements WHERE experiment_id = $1 ORDER BY position',
        [experimentId],
      );
      const variants = await q.query<VariantRow>(
        `SELECT v.id, v.element_id, v.name, v.weight, v.is_control, v.content
         FROM element_variants v JOIN elements e ON e.experiment_id = v.experiment_id AND e.id = v.element_id
         WHERE v.experiment_id = $1 ORDER BY e.position, v.position`,
        [experimentId],
      );
      const combinations = await q.query<CombinationRow>(
        'SELECT id, variant_ids::text[] AS variant_ids, weight FROM combinations WHERE experiment_id = $1 ORDER BY position',
        [experimentId],
      );
      return {
        elements: elements.map((e) => ({ ...e, variants: variants.filter((v) => v.element_id === e.id) })),
        combinations,
      };
    },

    async list(ownerId: string, page: ExperimentListPage): Promise<{ rows: ExperimentRow[]; total: number }> {
      // Fixed parameter positions whether or not a filter is given ($2 status, $3 archived, $4 the
      // name pattern); the user's text is matched literally: its LIKE wildcards are escaped.
      const filter = `${page.status ? 'AND status = $2' : 'AND $2::text IS NULL'}
        AND (archived_at IS NOT NULL) = $3
        AND ($4::text IS NULL OR name ILIKE $4 ESCAPE '\\')`;
      const pattern = page.q ? `%${page.q.replace(/[\\%_]/g, '\\$&')}%` : null;
      const params = [ownerId, page.status ?? null, page.archived, pattern];
      const rows = await q.query<ExperimentRow>(
        `SELECT ${COLUMNS} FROM experiments WHERE owner_id = $1 ${filter}
         ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6`,
        [...params, page.limit, page.offset],
      );
      const [{ total }] = await q.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM experiments WHERE owner_id = $1 ${filter}`,
        params,
      );
      return { rows, total };
    },

    /** Archives (or restores) an experiment; undefined when it was already so. */
    async setArchived(id: string, archived: boolean): Promise<ExperimentRow | undefined> {
      const rows = await q.query<ExperimentRow>(
        `UPDATE experiments SET archived_at = CASE WHEN $2 THEN now() END, updated_at = now()
         WHERE id = $1 AND (archived_at IS NOT NULL) <> $2
         RETURNING ${COLUMNS}`,
        [id, archived],
      );
      return rows[0];
    },

    async updateSettings(id: string, settings: ExperimentSettings): Promise<void> {
      const entries = Object.entries(settings).filter(([, v]) => v !== undefined);
      const assignments = entries.map(([column], i) =>
        JSON_COLUMNS.has(column) ? `${column} = $${i + 2}::jsonb` : `${column} = $${i + 2}`,
      );
      const values = entries.map(([column, v]) =>
        JSON_COLUMNS.has(column) && v !== null ? JSON.stringify(v) : v,
      );
      await q.query(
        `UPDATE experiments SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
        [id, ...values],
      );
    },

    /** Moves to `to` only from one of `from`; undefined when the experiment is in another status. */
    async transition(
      id: string,
      from: ExperimentStatus[],
      to: ExperimentStatus,
      winnerCombinationId?: string | null,
    ): Promise<ExperimentRow | undefined> {
      const rows = await q.query<ExperimentRow>(
        `UPDATE experiments SET status = $2, updated_at = now(),
           started_at = CASE WHEN $2 = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
           completed_at = CASE WHEN $2 = 'completed' THEN now() ELSE completed_at END,
           winner_combination_id = CASE WHEN $2 = 'completed' THEN $4::uuid ELSE winner_combination_id END
         WHERE id = $1 AND status = ANY($3::text[])
         RETURNING ${COLUMNS}`,
        [id, to, from, winnerCombinationId ?? null],
      );
      return rows[0];
    },

    async delete(ownerId: string, id: string): Promise<boolean> {
      // FOR UPDATE waits for every tracker batch still writing to this experiment (each holds a
      // KEY SHARE lock on its row until it commits, see tracker-store.ts) and keeps new ones out;
      // the deletes below then see every row those batches wrote. The tracker's tables have no
      // foreign keys (see migration 0001), so their rows go explicitly.
      const locked = await q.query('SELECT id FROM experiments WHERE id = $1 AND owner_id = $2 FOR UPDATE', [
        id,
        ownerId,
      ]);
      if (locked.length === 0) return false;
      for (const table of ['assignments', 'conversions', 'combination_counters', 'goal_counters']) {
        await q.query(`DELETE FROM ${table} WHERE experiment_id = $1`, [id]);
      }
      await q.query('DELETE FROM experiments WHERE id = $1', [id]);
      return true;
    },
  };
}

/** The experiments' rows and structure, read and written in the caller's transaction. */
export interface ExperimentStore {
  /** Creates a draft experiment (without structure) owned by `ownerId`. */
  insert(
    ownerId: string,
    fields: Required<Pick<ExperimentSettings, 'name'>> & ExperimentSettings & { type: ExperimentRow['type'] },
  ): Promise<ExperimentRow>;
  /** Stores the elements, their variants and every combination of one variant per element. */
  insertStructure(experimentId: string, structure: StructureElement[]): Promise<void>;
  /** Removes the elements, variants and combinations (before a new structure is inserted). */
  deleteStructure(experimentId: string): Promise<void>;
  /**
   * The owner's experiment, or undefined. `forUpdate`: holds other edits of it back until the
   * transaction ends, without holding up the tracker.
   */
  find(ownerId: string, id: string, options?: { forUpdate?: boolean }): Promise<ExperimentRow | undefined>;
  /** Elements (each with its variants) and combinations, in their stored order. */
  loadStructure(experimentId: string): Promise<ExperimentStructure>;
  /** One page of the owner's experiments, newest first, with the total that match the filter. */
  list(ownerId: string, page: ExperimentListPage): Promise<{ rows: ExperimentRow[]; total: number }>;
  /** Archives (or restores) an experiment; undefined when it was already so. */
  setArchived(id: string, archived: boolean): Promise<ExperimentRow | undefined>;
  /** Changes the given settings (undefined ones are left as they are). */
  updateSettings(id: string, settings: ExperimentSettings): Promise<void>;
  /**
   * Moves to `to` only from one of `from`, recording the winner when it completes; undefined when
   * the experiment is in another status.
   */
  transition(
    id: string,
    from: ExperimentStatus[],
    to: ExperimentStatus,
    winnerCombinationId?: string | null,
  ): Promise<ExperimentRow | undefined>;
  /**
   * Deletes the owner's experiment with everything the tracker stored for it, once the tracker's
   * writes already under way have committed; false when there is no such experiment.
   */
  delete(ownerId: string, id: string): Promise<boolean>;
}
