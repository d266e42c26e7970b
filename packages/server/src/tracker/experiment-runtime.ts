import { randomInt } from 'node:crypto';
import { type Allocation, createRng, decideSnapshot, type Rng, type Snapshot } from '@samplit/engine';
import type { Database } from '../db/database.js';
import { allocationFor, buildSnapshot } from '../experiments/engine-snapshot.js';
import type { DeclaredWinner } from '../experiments/experiment-counters.js';
import type { GoalDefinition } from '../experiments/experiment-schemas.js';
import {
  createExperimentStore,
  type ExperimentRow,
  type ExperimentStructure,
} from '../experiments/experiment-store.js';
import { primaryGoal } from '../experiments/goals.js';
import { compileTargeting } from '../experiments/targeting.js';
import { toDecisionPayload } from '../stats/engine-payloads.js';
import { needsNewEpoch } from './allocation-epoch.js';
import type { ServedVariant } from './tracker-schemas.js';
import type { TrackerCounters, TrackerStore } from './tracker-store.js';

export interface RuntimeCombination {
  id: string;
  variants: ServedVariant[];
}

/** What the tracker needs to serve one experiment, rebuilt when the experiment changes. */
export interface RuntimeExperiment {
  id: string;
  status: ExperimentRow['status'];
  /** Archived: enrols no one, shows the control (a completed one still shows its final choice). */
  archived: boolean;
  updatedAt: number;
  trafficPercentage: number;
  /** Targeting rule compiled once; undefined when everyone is eligible. */
  matches?: (context: unknown) => boolean;
  /** What the bandit optimises: the primary goal's counters are its snapshot. */
  primaryGoal: GoalDefinition;
  combinations: RuntimeCombination[];
  byId: Map<string, RuntimeCombination>;
  control: RuntimeCombination;
  /** What a completed experiment shows everyone: the chosen winner, else the control. */
  final: RuntimeCombination;
  policy: 'adaptive' | 'fixed';
  definition: ExperimentDefinition;
  snapshot: Snapshot;
  /** What new visitors are drawn from: the allocation of the epoch being served. */
  allocation: Allocation;
  /** The allocation epoch (allocation_epochs) being served; 0 while none is recorded (not running). */
  epoch: number;
  /**
   * The winner recorded for the experiment on its primary goal (by whichever process saw it
   * first, experiment_decisions), and its arm: the adaptive policy exploits it from then on, in
   * every process and after every restart, even when a later snapshot dips under the thresholds.
   */
  declared: DeclaredWinner | null;
  declaredWinner: number | null;
}

export interface RuntimeOptions {
  refreshMs: number;
  /** Minimum seconds between two allocation-history points of one experiment. */
  historyIntervalSeconds: number;
  onError?: (error: unknown) => void;
}

/** What the runtime builds an experiment from: its row and its structure, read together. */
export interface ExperimentDefinition {
  row: Pick<
    ExperimentRow,
    | 'id'
    | 'status'
    | 'traffic_allocation'
    | 'traffic_percentage'
    | 'planned_visitors'
    | 'targeting'
    | 'goals'
    | 'winner_combination_id'
    | 'updated_at'
    | 'archived_at'
  >;
  structure: ExperimentStructure;
}

/** One experiment's definition; undefined when it does not exist. */
export type LoadDefinition = (id: string) => Promise<ExperimentDefinition | undefined>;

/** Definitions read as `samplit_system`, row and structure in one transaction. */
export function loadDefinitionFrom(db: Database): LoadDefinition {
  return (id) =>
    db.asSystem(async (q) => {
      const [row] = await q.query<ExperimentRow>(
        `SELECT id::text, status, type, traffic_allocation, traffic_percentage, planned_visitors, targeting, goals,
                winner_combination_id::text, updated_at, archived_at FROM experiments WHERE id = $1`,
        [id],
      );
      if (!row) return undefined;
      return { row, structure: await createExperimentStore(q).loadStructure(id) };
    });
}

/**
 * In-process cache of running experiments: definitions, a posterior snapshot refreshed every
 * `refreshMs` from the database counters (all processes share state only through PostgreSQL),
 * and the engine's allocation for that snapshot. The hot path reads it without any I/O.
 * `definitions`: the database (read through loadDefinitionFrom), or a loader of its own.
 */
export function createExperimentRuntime(
  definitions: Database | LoadDefinition,
  store: TrackerStore,
  options: RuntimeOptions,
): ExperimentRuntime {
  const loadDefinition = typeof definitions === 'function' ? definitions : loadDefinitionFrom(definitions);
  const cache = new Map<string, Promise<RuntimeExperiment | undefined>>();
  /** The loaded entries of `cache`, for synchronous reads (`current`). */
  const settled = new Map<string, RuntimeExperiment>();
  const forget = (id: string) => {
    cache.delete(id);
    settled.delete(id);
  };
  const rng: Rng = createRng(randomInt(2 ** 31), randomInt(2 ** 31));
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;

  /**
   * The snapshot and allocation of `exp` from the counters just read. When the adaptive policy
   * declares a winner that nobody has recorded yet, this process records it; the one recorded
   * first (maybe another process's) is the one exploited. A running experiment's allocation is
   * served as an epoch: recorded once, kept until the policy's allocation moves materially
   * (allocation-epoch.ts), and named by every assignment drawn from it.
   */
  async function allocate(exp: RuntimeExperiment, counters: TrackerCounters): Promise<void> {
    const { row, structure } = exp.definition;
    const own = <T extends { experiment_id: string }>(rows: T[]) =>
      rows.filter((r) => r.experiment_id === exp.id);
    exp.snapshot = buildSnapshot(
      row,
      structure,
      exp.primaryGoal,
      own(counters.visitors),
      own(counters.goals),
      {
        visitors: own(counters.strata.visitors),
        goals: own(counters.strata.goals),
        epochs: own(counters.strata.epochs),
      },
    ).snapshot;
    const declare = (winner: DeclaredWinner | undefined): Allocation => {
      const arm =
        winner && winner.goal === exp.primaryGoal.key
          ? exp.combinations.findIndex((c) => c.id === winner.combination_id)
          : -1;
      exp.declared = arm >= 0 ? winner! : null;
      exp.declaredWinner = arm >= 0 ? arm : null;
      return allocationFor(exp.policy, exp.snapshot, exp.declaredWinner);
    };
    let next = declare(own(counters.winners)[0]);
    if (next.winner !== null && exp.declaredWinner === null && exp.status === 'running') {
      next = declare(
        await store.recordWinner({
          experiment_id: exp.id,
          combination_id: exp.combinations[next.winner].id,
          goal: exp.primaryGoal.key,
          evidence: toDecisionPayload(decideSnapshot(exp.snapshot)),
        }),
      );
    }
    if (exp.status !== 'running') {
      exp.allocation = next;
    } else if (exp.epoch === 0 || needsNewEpoch(exp.allocation, next)) {
      const probabilities = Object.fromEntries(
        exp.combinations.map((c, arm) => [c.id, next.probabilities[arm]]),
      );
      exp.epoch = await store.recordEpoch(exp.id, probabilities);
      exp.allocation = next;
    }
  }

  async function load(id: string): Promise<RuntimeExperiment | undefined> {
    const loaded = await loadDefinition(id);
    if (!loaded) return undefined;
    const { row, structure } = loaded;
    const served = new Map<string, ServedVariant>();
    for (const e of structure.elements) {
      for (const v of e.variants) {
        served.set(v.id, {
          element_id: e.id,
          element_name: e.name,
          selector: e.selector,
          variant_id: v.id,
          variant_name: v.name,
          is_control: v.is_control,
          content: v.content,
        });
      }
    }
    const combinations = structure.combinations.map((c) => ({
      id: c.id,
      variants: c.variant_ids.map((vid) => served.get(vid)!),
    }));
    const control = combinations.find((c) => c.variants.every((v) => v.is_control)) ?? combinations[0];
    const byId = new Map(combinations.map((c) => [c.id, c]));
    const targeting = row.targeting ? compileTargeting(row.targeting) : undefined;
    if (targeting && targeting.errors.length > 0) {
      // A row written before the grammar existed: it matches nobody, reported once per load.
      const problems = targeting.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      options.onError?.(
        new Error(`experiment ${row.id}: stored targeting refused, it matches nobody (${problems})`),
      );
    }
    const exp: RuntimeExperiment = {
      id: row.id,
      status: row.status,
      archived: row.archived_at !== null,
      updatedAt: new Date(row.updated_at).getTime(),
      trafficPercentage: row.traffic_percentage,
      matches: targeting?.matches,
      primaryGoal: primaryGoal(row.goals),
      combinations,
      byId,
      control,
      final: (row.winner_combination_id && byId.get(row.winner_combination_id)) || control,
      policy: row.traffic_allocation,
      definition: loaded,
      snapshot: undefined as unknown as Snapshot,
      allocation: undefined as unknown as Allocation,
      epoch: 0,
      declared: null,
      declaredWinner: null,
    };
    await allocate(exp, await store.counters([{ id, goal: exp.primaryGoal.key }]));
    return exp;
  }

  function loadInto(id: string): Promise<RuntimeExperiment | undefined> {
    const entry = load(id);
    cache.set(id, entry);
    entry.then(
      (exp) => {
        if (cache.get(id) !== entry) return;
        if (exp) settled.set(id, exp);
        else settled.delete(id);
      },
      (error) => {
        if (cache.get(id) === entry) forget(id);
        options.onError?.(error);
      },
    );
    return entry;
  }

  async function refresh(): Promise<void> {
    const ids = [...cache.keys()];
    if (ids.length === 0) return;
    const entries = await Promise.all(ids.map((id) => cache.get(id)?.catch(() => undefined)));
    // The goal of an experiment still loading is unknown yet: it is reloaded below anyway.
    const counters = await store.counters(
      ids.map((id, i) => ({ id, goal: entries[i]?.primaryGoal.key ?? '' })),
    );
    const { versions } = counters;
    const version = new Map(versions.map((v) => [v.id, v]));
    for (const [i, id] of ids.entries()) {
      const exp = entries[i];
      const current = version.get(id);
      if (!current) {
        forget(id); // deleted, or never existed: look again on the next request
      } else if (
        !exp ||
        current.status !== exp.status ||
        new Date(current.updated_at).getTime() !== exp.updatedAt
      ) {
        loadInto(id);
      } else {
        await allocate(exp, counters);
        if (exp.status === 'running') {
          const weights = Object.fromEntries(
            exp.combinations.map((c, arm) => [c.id, exp.allocation.probabilities[arm]]),
          );
          await store.recordAllocation(
            id,
            { phase: exp.allocation.phase, weights },
            options.historyIntervalSeconds,
          );
        }
      }
    }
  }

  return {
    rng,

    get(id) {
      return cache.get(id) ?? loadInto(id);
    },

    current(id) {
      return settled.get(id);
    },

    invalidate(id) {
      forget(id);
    },

    refresh() {
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },

    start() {
      timer = setInterval(() => {
        this.refresh().catch((error) => options.onError?.(error));
      }, options.refreshMs);
      timer.unref();
    },

    stop() {
      clearInterval(timer);
      return refreshing ?? Promise.resolve();
    },
  };
}

/** The tracker's view of its experiments, shared by every request of the process. */
export interface ExperimentRuntime {
  /** The process's random source for assignments (seeded from the OS at start). */
  readonly rng: Rng;
  /**
   * The experiment, loaded on first use (concurrent callers share one load, a failed load is
   * retried by the next call); undefined when it does not exist.
   */
  get(id: string): Promise<RuntimeExperiment | undefined>;
  /** The experiment as this process has it loaded now, or undefined (no load is started). */
  current(id: string): RuntimeExperiment | undefined;
  /** Forget an experiment now (its owner changed it in this process). */
  invalidate(id: string): void;
  /**
   * Brings every cached experiment up to date with the database: reloads those whose status or
   * definition changed, forgets deleted ones, re-allocates the others from the current counters and
   * records the allocation of running ones. A call while a refresh is under way joins it.
   */
  refresh(): Promise<void>;
  /** Refreshes every `refreshMs` (without keeping the process alive), errors going to onError. */
  start(): void;
  /** Stops the timer; resolves once a refresh under way has finished. */
  stop(): Promise<void>;
}
