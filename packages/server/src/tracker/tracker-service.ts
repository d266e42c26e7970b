import { choose } from '@samplit/engine';
import { LRUCache } from 'lru-cache';
import { isDataError } from '../db/sql-error.js';
import { AppError } from '../errors/app-error.js';
import { DEFAULT_GOAL } from '../experiments/goals.js';
import type { ExperimentRuntime, RuntimeCombination, RuntimeExperiment } from './experiment-runtime.js';
import { createGroupCommit, type GroupCommitOptions } from './group-commit.js';
import type {
  AssignBody,
  AssignResponse,
  ConvertBody,
  ConvertResponse,
  IneligibleReason,
} from './tracker-schemas.js';
import type { AssignResult, AssignRow, ConvertResult, ConvertRow, TrackerStore } from './tracker-store.js';
import { trafficBucket } from './traffic-bucket.js';

export interface TrackerServiceOptions {
  groupCommit: Omit<GroupCommitOptions, 'isDataError'>;
  /** Sticky assignments remembered in process (they never change, so any process may cache them). */
  assignmentCacheSize: number;
}

export function createTrackerService(
  runtime: ExperimentRuntime,
  store: TrackerStore,
  options: TrackerServiceOptions,
) {
  // Counter shards: this process's own range, one shard per in-flight statement. Processes on one
  // host differ by pid; a rare collision only means two batches queue on the same counter row.
  const shardBase = (process.pid % 100_000) * options.groupCommit.maxInFlight;
  // A row the database refuses fails only its own request (group-commit.ts splits its batch).
  const groupCommit = { ...options.groupCommit, isDataError };
  const assignments = createGroupCommit<AssignRow, AssignResult>(
    (rows, slot) => store.assign(rows, shardBase + slot),
    groupCommit,
  );
  const conversions = createGroupCommit<ConvertRow, ConvertResult>(
    (rows, slot) => store.convert(rows, shardBase + slot),
    groupCommit,
  );
  const known = new LRUCache<string, string>({ max: options.assignmentCacheSize });

  async function experiment(id: string): Promise<RuntimeExperiment> {
    const exp = await runtime.get(id);
    if (!exp) throw new AppError('TRACKER_EXPERIMENT_001');
    return exp;
  }

  const enrolled = (input: AssignBody, combination: RuntimeCombination, isNew: boolean) =>
    ({
      experiment_id: input.experiment_id,
      browser_id: input.browser_id,
      eligible: true as const,
      combination_id: combination.id,
      new_assignment: isNew,
      variants: combination.variants,
    }) satisfies AssignResponse;

  const notEnrolled = (input: AssignBody, reason: IneligibleReason, combination: RuntimeCombination) =>
    ({
      experiment_id: input.experiment_id,
      browser_id: input.browser_id,
      eligible: false as const,
      reason,
      variants: combination.variants,
    }) satisfies AssignResponse;

  async function existing(
    exp: RuntimeExperiment,
    browserId: string,
  ): Promise<RuntimeCombination | undefined> {
    const key = `${exp.id}\n${browserId}`;
    const cached = known.get(key);
    if (cached) return exp.byId.get(cached);
    const [found] = await store.findAssignments([{ experiment_id: exp.id, browser_id: browserId }]);
    if (found) known.set(key, found);
    return found ? exp.byId.get(found) : undefined;
  }

  /** The schema's answer, narrowed on `eligible`. */
  type Answer = ReturnType<typeof enrolled> | ReturnType<typeof notEnrolled>;

  /**
   * One attempt against the process's view of the experiment; undefined when the database
   * refused to enrol the visitor because the experiment stopped running (or was deleted) since
   * that view was loaded.
   */
  async function assignTo(exp: RuntimeExperiment, input: AssignBody): Promise<Answer | undefined> {
    if (exp.status === 'completed') return notEnrolled(input, 'not_running', exp.final);
    if (exp.status === 'draft' || exp.archived) return notEnrolled(input, 'not_running', exp.control);
    if (exp.matches && !exp.matches(input.context ?? {})) return notEnrolled(input, 'targeting', exp.control);
    if (trafficBucket(exp.id, input.browser_id) >= exp.trafficPercentage) {
      return notEnrolled(input, 'traffic', exp.control);
    }
    if (exp.status === 'paused') {
      const combination = await existing(exp, input.browser_id);
      return combination
        ? enrolled(input, combination, false)
        : notEnrolled(input, 'not_running', exp.control);
    }
    const key = `${exp.id}\n${input.browser_id}`;
    const cached = known.get(key);
    const cachedCombination = cached && exp.byId.get(cached);
    if (cachedCombination) return enrolled(input, cachedCombination, false);

    const { arm, probability } = choose(exp.allocation, runtime.rng);
    const result = await assignments.submit({
      experiment_id: exp.id,
      browser_id: input.browser_id,
      combination_id: exp.combinations[arm].id,
      probability,
      epoch: exp.epoch,
    });
    if (result.combination_id === null) return undefined;
    known.set(key, result.combination_id);
    const combination = exp.byId.get(result.combination_id);
    if (!combination) throw new Error(`assignment points at an unknown combination ${result.combination_id}`);
    return enrolled(input, combination, result.created);
  }

  return {
    /**
     * Which combination this visitor sees. Running: sticky assignment (new visitors drawn from the
     * current allocation). Paused: returning visitors keep theirs, new ones see the control
     * unenrolled. Completed: everyone sees the final choice. Draft or archived: the control.
     */
    async assign(input: AssignBody): Promise<Answer> {
      const answer = await assignTo(await experiment(input.experiment_id), input);
      if (answer) return answer;
      // The experiment changed under this process's cached copy (another process paused, completed
      // or deleted it): read it again and answer from what it is now.
      runtime.invalidate(input.experiment_id);
      const fresh = await experiment(input.experiment_id);
      return (await assignTo(fresh, input)) ?? notEnrolled(input, 'not_running', fresh.control);
    },

    /**
     * Stores the event; `counted` when it is the first of an assigned visitor for this goal. A late
     * event of an experiment whose raw rows retention removed is answered, not stored.
     */
    async convert(input: ConvertBody): Promise<ConvertResponse> {
      const exp = await experiment(input.experiment_id);
      const goal = input.goal ?? DEFAULT_GOAL;
      const result = await conversions.submit({
        experiment_id: exp.id,
        browser_id: input.browser_id,
        goal,
        value: input.value ?? null,
      });
      if (result === 'gone') {
        runtime.invalidate(exp.id);
        throw new AppError('TRACKER_EXPERIMENT_001');
      }
      return { counted: result === 'counted' };
    },

    /** Resolves once every accepted write has committed (graceful shutdown). */
    async drain(): Promise<void> {
      await Promise.all([assignments.idle(), conversions.idle()]);
    },
  };
}

export type TrackerService = ReturnType<typeof createTrackerService>;
