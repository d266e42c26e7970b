import { randomUUID } from 'node:crypto';
import { type DeclaredWinner, type GoalCounts, NO_GOAL_COUNTS } from '../experiments/experiment-counters.js';
import type { ExperimentDefinition, LoadDefinition } from './experiment-runtime.js';
import type { ConvertRow, TrackerStore } from './tracker-store.js';

export interface StoredConversion extends ConvertRow {
  /** The visitor's combination when the event arrived; null for a visitor never assigned. */
  combination_id: string | null;
  counted: boolean;
}

export interface RecordedAllocation {
  experiment_id: string;
  weights: Record<string, unknown>;
  recorded_at: number;
}

/**
 * A definition for the fake: one element with `variants` variants (the first is the control),
 * hence one combination per variant, running unless `row` says otherwise.
 */
export function fakeDefinition(
  row: Partial<ExperimentDefinition['row']> = {},
  variants = 2,
): ExperimentDefinition {
  const element = { id: randomUUID(), name: 'Main element', selector: '#cta' };
  const elementVariants = Array.from({ length: variants }, (_, i) => ({
    id: randomUUID(),
    element_id: element.id,
    name: i === 0 ? 'control' : `variant ${i}`,
    weight: 1,
    is_control: i === 0,
    content: { text: `text ${i}` },
  }));
  return {
    row: {
      id: randomUUID(),
      status: 'running',
      traffic_allocation: 'adaptive',
      traffic_percentage: 100,
      planned_visitors: null,
      targeting: null,
      goals: [],
      winner_combination_id: null,
      updated_at: new Date(),
      archived_at: null,
      ...row,
    },
    structure: {
      elements: [{ ...element, variants: elementVariants }],
      combinations: elementVariants.map((v) => ({ id: randomUUID(), variant_ids: [v.id], weight: 1 })),
    },
  };
}

/**
 * An in-memory TrackerStore for unit tests of the runtime and the service (integration tests use
 * real databases), with the SQL's semantics: the first stored assignment wins; nothing is stored
 * for an experiment that is not running, archived or gone; an event is stored for any experiment
 * that exists and counted once per visitor and goal for an assigned visitor, and every event of
 * an assigned visitor adds to its combination's counters on the goal; counters are per
 * combination (shards make no difference to what they sum to). It also holds the experiments
 * themselves, and `loadDefinition` reads them as the runtime's database load would.
 */
export function createFakeTrackerStore(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const experiments = new Map<string, ExperimentDefinition>();
  const assignments = new Map<string, string>();
  /** Per experiment and visitor, the epoch its assignment was drawn from. */
  const assignmentEpochs = new Map<string, number>();
  const epochs: { experiment_id: string; epoch: number; probabilities: Record<string, number> }[] = [];
  const conversions: StoredConversion[] = [];
  /** Per combination and epoch. */
  const counters = new Map<string, { visitors: number }>();
  /** Per combination, goal and epoch. */
  const goalCounters = new Map<string, GoalCounts>();
  /** Per experiment, visitor and goal: the visitor's totals. */
  const visitorTotals = new Map<string, { events: number; value: number }>();
  const history: RecordedAllocation[] = [];
  /** Per experiment, its recorded winner (experiment_decisions). */
  const winners = new Map<string, DeclaredWinner>();
  const calls = {
    assign: 0,
    findAssignments: 0,
    convert: 0,
    counters: 0,
    recordAllocation: 0,
    recordWinner: 0,
    recordEpoch: 0,
    load: 0,
  };

  const key = (experimentId: string, browserId: string) => `${experimentId}\n${browserId}`;
  const counter = (combinationId: string, epoch: number) => {
    const k = `${combinationId}\n${epoch}`;
    const found = counters.get(k) ?? { visitors: 0 };
    counters.set(k, found);
    return found;
  };
  const goalCounter = (combinationId: string, goal: string, epoch: number) => {
    const k = `${combinationId}\n${goal}\n${epoch}`;
    const found = goalCounters.get(k) ?? { ...NO_GOAL_COUNTS };
    goalCounters.set(k, found);
    return found;
  };
  const enrols = (experimentId: string) => {
    const row = experiments.get(experimentId)?.row;
    return row?.status === 'running' && row.archived_at === null;
  };

  const store: TrackerStore = {
    async assign(rows) {
      calls.assign++;
      return rows.map((r) => {
        const existing = assignments.get(key(r.experiment_id, r.browser_id));
        if (existing) return { combination_id: existing, created: false };
        if (!enrols(r.experiment_id)) return { combination_id: null, created: false };
        assignments.set(key(r.experiment_id, r.browser_id), r.combination_id);
        assignmentEpochs.set(key(r.experiment_id, r.browser_id), r.epoch);
        counter(r.combination_id, r.epoch).visitors++;
        return { combination_id: r.combination_id, created: true };
      });
    },
    async findAssignments(keys) {
      calls.findAssignments++;
      return keys.map((k) => assignments.get(key(k.experiment_id, k.browser_id)));
    },
    async convert(rows) {
      calls.convert++;
      return rows.map((r) => {
        if (!experiments.has(r.experiment_id)) return 'gone';
        const combination = assignments.get(key(r.experiment_id, r.browser_id)) ?? null;
        const counted =
          combination !== null &&
          !conversions.some(
            (c) =>
              c.counted &&
              c.experiment_id === r.experiment_id &&
              c.browser_id === r.browser_id &&
              c.goal === r.goal,
          );
        conversions.push({ ...r, combination_id: combination, counted });
        if (combination !== null) {
          const totalsKey = `${key(r.experiment_id, r.browser_id)}\n${r.goal}`;
          const before = visitorTotals.get(totalsKey) ?? { events: 0, value: 0 };
          const after = { events: before.events + 1, value: before.value + (r.value ?? 0) };
          visitorTotals.set(totalsKey, after);
          const g = goalCounter(
            combination,
            r.goal,
            assignmentEpochs.get(key(r.experiment_id, r.browser_id)) ?? 0,
          );
          if (counted) g.converted++;
          g.events++;
          g.events_squares += after.events ** 2 - before.events ** 2;
          g.value_sum += r.value ?? 0;
          g.value_squares += after.value ** 2 - before.value ** 2;
        }
        return counted ? 'counted' : 'stored';
      });
    },
    async counters(keys) {
      calls.counters++;
      const found = keys.flatMap((k) => {
        const definition = experiments.get(k.id);
        return definition ? [{ ...definition, goal: k.goal }] : [];
      });
      const ids = new Set(found.map(({ row }) => row.id));
      const own = epochs.filter((e) => ids.has(e.experiment_id));
      const epochIds = [0, ...own.map((e) => e.epoch)];
      const perEpoch = found.flatMap(({ row, structure, goal }) =>
        structure.combinations.flatMap((c) =>
          epochIds.map((epoch) => ({
            experiment_id: row.id,
            combination_id: c.id,
            goal,
            epoch,
            visitors: counters.get(`${c.id}\n${epoch}`)?.visitors ?? 0,
            counts: goalCounters.get(`${c.id}\n${goal}\n${epoch}`),
          })),
        ),
      );
      const summed = (rows: typeof perEpoch) => {
        const total = { ...NO_GOAL_COUNTS };
        for (const r of rows) {
          if (!r.counts) continue;
          total.converted += r.counts.converted;
          total.events += r.counts.events;
          total.events_squares += r.counts.events_squares;
          total.value_sum += r.counts.value_sum;
          total.value_squares += r.counts.value_squares;
        }
        return total;
      };
      return {
        visitors: found.flatMap(({ row, structure }) =>
          structure.combinations.map((c) => ({
            experiment_id: row.id,
            combination_id: c.id,
            visitors: perEpoch.filter((r) => r.combination_id === c.id).reduce((n, r) => n + r.visitors, 0),
          })),
        ),
        goals: found.flatMap(({ row, structure, goal }) =>
          structure.combinations.flatMap((c) => {
            const rows = perEpoch.filter((r) => r.combination_id === c.id && r.counts);
            return rows.length > 0
              ? [{ experiment_id: row.id, combination_id: c.id, goal, ...summed(rows) }]
              : [];
          }),
        ),
        strata: {
          visitors: perEpoch
            .filter((r) => r.visitors > 0)
            .map(({ experiment_id, combination_id, epoch, visitors }) => ({
              experiment_id,
              combination_id,
              epoch,
              visitors,
            })),
          goals: perEpoch.flatMap(({ experiment_id, combination_id, goal, epoch, counts }) =>
            counts ? [{ experiment_id, combination_id, goal, epoch, ...counts }] : [],
          ),
          epochs: own,
        },
        winners: found.flatMap(({ row }) => winners.get(row.id) ?? []),
        versions: found.map(({ row }) => ({ id: row.id, status: row.status, updated_at: row.updated_at })),
      };
    },
    async recordWinner(winner) {
      calls.recordWinner++;
      if (!experiments.has(winner.experiment_id)) return undefined;
      if (!winners.has(winner.experiment_id)) {
        winners.set(winner.experiment_id, { ...winner, decided_at: new Date(now()) });
      }
      return winners.get(winner.experiment_id);
    },
    async recordEpoch(experimentId, probabilities) {
      calls.recordEpoch++;
      if (!experiments.has(experimentId)) return 0;
      const epoch = epochs.length + 1;
      epochs.push({ experiment_id: experimentId, epoch, probabilities });
      return epoch;
    },
    async recordAllocation(experimentId, weights, minIntervalSeconds) {
      calls.recordAllocation++;
      const at = now();
      const recent = history.some(
        (h) => h.experiment_id === experimentId && h.recorded_at > at - minIntervalSeconds * 1000,
      );
      if (!recent) history.push({ experiment_id: experimentId, weights, recorded_at: at });
    },
    async previewCombination(experimentId, combinationId) {
      const found = experiments.get(experimentId);
      if (!found) return undefined;
      const combination = found.structure.combinations.find((c) => c.id === combinationId);
      const variants = combination?.variant_ids.map((vid) => {
        const element = found.structure.elements.find((e) => e.variants.some((v) => v.id === vid))!;
        const v = element.variants.find((ev) => ev.id === vid)!;
        return {
          element_id: element.id,
          element_name: element.name,
          selector: element.selector,
          variant_id: v.id,
          variant_name: v.name,
          is_control: v.is_control,
          content: structuredClone(v.content),
        };
      });
      // The fake's definitions have no allow_custom_js column: as the default of a new experiment.
      return { allow_custom_js: false, variants };
    },
  };

  /** A copy, as a database read would be: later changes here do not reach what was loaded. */
  const loadDefinition: LoadDefinition = async (id) => {
    calls.load++;
    const found = experiments.get(id);
    return found && structuredClone(found);
  };

  return {
    store,
    loadDefinition,
    calls,
    assignments,
    conversions,
    history,
    winners,
    add(definition: ExperimentDefinition): ExperimentDefinition {
      experiments.set(definition.row.id, structuredClone(definition));
      return definition;
    },
    /** Changes an experiment's row; like every UPDATE of experiments, it moves `updated_at` on. */
    update(id: string, fields: Partial<Omit<ExperimentDefinition['row'], 'id' | 'updated_at'>>): void {
      const found = experiments.get(id)!;
      const updatedAt = new Date(Math.max(now(), found.row.updated_at.getTime() + 1));
      found.row = { ...found.row, ...fields, updated_at: updatedAt };
    },
    /** Deletes an experiment with everything the tracker stored for it, as the experiment store does. */
    remove(id: string): void {
      const found = experiments.get(id)!;
      experiments.delete(id);
      winners.delete(id);
      for (const k of [...assignments.keys()]) if (k.startsWith(`${id}\n`)) assignments.delete(k);
      for (const c of found.structure.combinations)
        for (const k of [...counters.keys()]) if (k.startsWith(`${c.id}\n`)) counters.delete(k);
      const kept = conversions.filter((c) => c.experiment_id !== id);
      conversions.splice(0, conversions.length, ...kept);
    },
    /** Visitors and conversions on `goal` written by another process (epoch 0: no epoch recorded). */
    addCounts(
      combinationId: string,
      visitors: number,
      conversionCount: number,
      goal = 'conversion',
      epoch = 0,
    ): void {
      counter(combinationId, epoch).visitors += visitors;
      goalCounter(combinationId, goal, epoch).converted += conversionCount;
      goalCounter(combinationId, goal, epoch).events += conversionCount;
      goalCounter(combinationId, goal, epoch).events_squares += conversionCount;
    },
    /** A combination's visitors and conversions on `goal` over all epochs, as the runtime's next refresh would read them. */
    counts: (combinationId: string, goal = 'conversion') => {
      let visitors = 0;
      let conversions = 0;
      for (const [k, c] of counters) if (k.startsWith(`${combinationId}\n`)) visitors += c.visitors;
      for (const [k, g] of goalCounters)
        if (k.startsWith(`${combinationId}\n${goal}\n`)) conversions += g.converted;
      return { visitors, conversions };
    },
    /** The epochs recorded so far. */
    epochs,
  };
}
