import { AppError, type ErrorDetail } from '../errors/app-error.js';
import type { CreateExperimentBody, UpdateExperimentBody } from './experiment-schemas.js';
import type {
  ExperimentListPage,
  ExperimentRow,
  ExperimentStore,
  ExperimentStructure,
} from './experiment-store.js';
import { toExperimentView, toSummary } from './experiment-view.js';
import { normalizeGoals } from './goals.js';
import { type LifecycleAction, TRANSITIONS } from './lifecycle.js';
import { validateStructure, validateTargeting } from './structure.js';

/** Runs `fn` in one transaction scoped to `userId` (RLS), with a store bound to it. */
export type RunAsUser = <T>(userId: string, fn: (store: ExperimentStore) => Promise<T>) => Promise<T>;

/** `Stats`: what the stats feature computes for GET one experiment (experiments do not know its shape). */
export interface ExperimentServiceOptions<Stats = unknown> {
  maxCombinations: number;
  /** Told after every committed change of an experiment (the tracker drops its cached copy). */
  onChange?: (experimentId: string) => void;
  /** Live statistics for GET one experiment (computed after its transaction, from the counters). */
  stats?: (userId: string, row: ExperimentRow, structure: ExperimentStructure) => Promise<Stats>;
}

function fail(code: 'EXP_CREATE_001' | 'EXP_EDIT_002', errors: ErrorDetail[]): never {
  throw new AppError(code, undefined, errors);
}

export function createExperimentService<Stats = unknown>(
  runAs: RunAsUser,
  options: ExperimentServiceOptions<Stats>,
) {
  async function mustFind(
    store: ExperimentStore,
    userId: string,
    id: string,
    forUpdate = false,
  ): Promise<ExperimentRow> {
    const row = await store.find(userId, id, { forUpdate });
    // Another user's experiment is indistinguishable from a missing one.
    if (!row) throw new AppError('EXP_FIND_001');
    return row;
  }

  async function changed<T>(id: string, work: Promise<T>): Promise<T> {
    const result = await work;
    options.onChange?.(id);
    return result;
  }

  async function view(store: ExperimentStore, row: ExperimentRow) {
    return toExperimentView(row, await store.loadStructure(row.id));
  }

  return {
    async create(userId: string, body: CreateExperimentBody) {
      const { structure, errors } = validateStructure(body, {
        maxCombinations: options.maxCombinations,
        allowCustomJs: body.allow_custom_js ?? false,
      });
      errors.push(...validateTargeting(body.targeting));
      const goals = normalizeGoals(body.goals ?? []);
      errors.push(...goals.errors);
      if (errors.length > 0) fail('EXP_CREATE_001', errors);
      return runAs(userId, async (store) => {
        const { selector, variants, elements, ...fields } = body;
        const row = await store.insert(userId, { ...fields, goals: goals.goals });
        await store.insertStructure(row.id, structure);
        return view(store, row);
      });
    },

    async list(userId: string, page: ExperimentListPage) {
      return runAs(userId, async (store) => {
        const { rows, total } = await store.list(userId, page);
        return { items: rows.map(toSummary), total, limit: page.limit, offset: page.offset };
      });
    },

    async get(userId: string, id: string) {
      const { row, structure } = await runAs(userId, async (store) => {
        const found = await mustFind(store, userId, id);
        return { row: found, structure: await store.loadStructure(id) };
      });
      const experiment = toExperimentView(row, structure);
      return options.stats
        ? { ...experiment, stats: await options.stats(userId, row, structure) }
        : experiment;
    },

    async update(userId: string, id: string, body: UpdateExperimentBody) {
      const { selector, variants, elements, goals: goalInput, ...rest } = body;
      const goals = goalInput && normalizeGoals(goalInput);
      const settings = goals ? { ...rest, goals: goals.goals } : rest;
      const changesStructure = selector !== undefined || variants !== undefined || elements !== undefined;
      return changed(
        id,
        runAs(userId, async (store) => {
          const row = await mustFind(store, userId, id, true);
          if (changesStructure && row.status !== 'draft') throw new AppError('EXP_EDIT_001');
          const errors = [...validateTargeting(settings.targeting), ...(goals?.errors ?? [])];
          const allowCustomJs = settings.allow_custom_js ?? row.allow_custom_js;
          let structure: ReturnType<typeof validateStructure>['structure'] | undefined;
          if (changesStructure) {
            const current = (await store.loadStructure(id)).elements[0];
            // On an ab_test, a new selector alone keeps the variants and new variants keep the selector.
            const input =
              row.type === 'ab_test' && !elements
                ? {
                    type: row.type,
                    selector: selector === undefined ? current?.selector : selector,
                    variants: variants ?? current?.variants,
                  }
                : { type: row.type, selector, variants, elements };
            const result = validateStructure(input, {
              maxCombinations: options.maxCombinations,
              allowCustomJs,
            });
            errors.push(...result.errors);
            structure = result.structure;
          } else if (settings.allow_custom_js === false) {
            const current = await store.loadStructure(id);
            if (current.elements.some((e) => e.variants.some((v) => v.content.js !== undefined))) {
              errors.push({
                field: 'body.allow_custom_js',
                message: 'remove the variants’ custom JavaScript first',
              });
            }
          }
          if (errors.length > 0) fail('EXP_EDIT_002', errors);
          if (Object.keys(settings).length > 0) await store.updateSettings(id, settings);
          if (structure) {
            await store.deleteStructure(id);
            await store.insertStructure(id, structure);
          }
          return view(store, await mustFind(store, userId, id));
        }),
      );
    },

    /**
     * Archive (`true`) or restore: reversible, keeps every row. Archiving twice, or restoring an
     * experiment that is not archived, is a 409.
     */
    async setArchived(userId: string, id: string, archived: boolean) {
      return changed(
        id,
        runAs(userId, async (store) => {
          await mustFind(store, userId, id, true);
          const row = await store.setArchived(id, archived);
          if (!row) {
            throw new AppError(
              'EXP_STATE_001',
              archived ? 'The experiment is already archived.' : 'The experiment is not archived.',
            );
          }
          return view(store, row);
        }),
      );
    },

    async remove(userId: string, id: string): Promise<void> {
      await changed(
        id,
        runAs(userId, async (store) => {
          if (!(await store.delete(userId, id))) throw new AppError('EXP_FIND_001');
        }),
      );
    },

    async transition(userId: string, id: string, action: LifecycleAction, winnerCombinationId?: string) {
      const { from, to } = TRANSITIONS[action];
      return changed(
        id,
        runAs(userId, async (store) => {
          const current = await mustFind(store, userId, id, true);
          if (!from.includes(current.status)) {
            throw new AppError(
              'EXP_STATE_001',
              `Cannot ${action} an experiment that is ${current.status} (allowed from: ${from.join(', ')}).`,
            );
          }
          const structure = await store.loadStructure(id);
          if (winnerCombinationId && !structure.combinations.some((c) => c.id === winnerCombinationId)) {
            throw new AppError('EXP_STATE_002', undefined, [
              { field: 'body.winner_combination_id', message: 'not a combination of this experiment' },
            ]);
          }
          const row = await store.transition(id, from, to, winnerCombinationId);
          if (!row) throw new AppError('EXP_STATE_001');
          return toExperimentView(row, structure);
        }),
      );
    },
  };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
