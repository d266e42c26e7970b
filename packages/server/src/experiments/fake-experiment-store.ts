import { randomUUID } from 'node:crypto';
import type { RunAsUser } from './experiment-service.js';
import type { ExperimentRow, ExperimentStore, ExperimentStructure } from './experiment-store.js';
import { enumerateCombinations } from './structure.js';

/** An in-memory ExperimentStore for unit tests of the service (integration tests use real databases). */
export function createFakeExperimentStore() {
  const rows = new Map<string, ExperimentRow>();
  const structures = new Map<string, ExperimentStructure>();
  const store: ExperimentStore = {
    async insert(ownerId, fields) {
      const now = new Date();
      const row: ExperimentRow = {
        id: randomUUID(),
        owner_id: ownerId,
        name: fields.name,
        description: fields.description ?? null,
        type: fields.type,
        status: 'draft',
        traffic_allocation: fields.traffic_allocation ?? 'adaptive',
        traffic_percentage: fields.traffic_percentage ?? 100,
        planned_visitors: fields.planned_visitors ?? null,
        targeting: fields.targeting ?? null,
        url: fields.url ?? null,
        goals: fields.goals ?? [],
        allow_custom_js: fields.allow_custom_js ?? false,
        winner_combination_id: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        completed_at: null,
        archived_at: null,
        raw_data_removed_at: null,
      };
      rows.set(row.id, row);
      return row;
    },
    async insertStructure(experimentId, structure) {
      const elements = structure.map((e) => ({
        id: randomUUID(),
        name: e.name,
        selector: e.selector,
        variants: e.variants.map((v) => ({ ...v, id: randomUUID(), element_id: '' })),
      }));
      const combinations = enumerateCombinations(elements.map((e) => e.variants)).map((c) => ({
        id: randomUUID(),
        variant_ids: c.variants.map((v) => v.id),
        weight: c.weight,
      }));
      structures.set(experimentId, { elements, combinations });
    },
    async deleteStructure(experimentId) {
      structures.delete(experimentId);
    },
    async find(ownerId, id) {
      const row = rows.get(id);
      return row?.owner_id === ownerId ? { ...row } : undefined;
    },
    async loadStructure(experimentId) {
      return structures.get(experimentId) ?? { elements: [], combinations: [] };
    },
    async list(ownerId, page) {
      const own = [...rows.values()].filter(
        (r) =>
          r.owner_id === ownerId &&
          (!page.status || r.status === page.status) &&
          (r.archived_at !== null) === page.archived &&
          (!page.q || r.name.toLowerCase().includes(page.q.toLowerCase())),
      );
      return { rows: own.reverse().slice(page.offset, page.offset + page.limit), total: own.length };
    },
    async updateSettings(id, settings) {
      const row = rows.get(id)!;
      rows.set(id, {
        ...row,
        ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
      });
    },
    async transition(id, from, to, winner) {
      const row = rows.get(id);
      if (!row || !from.includes(row.status)) return undefined;
      const next = {
        ...row,
        status: to,
        winner_combination_id: to === 'completed' ? (winner ?? null) : row.winner_combination_id,
      };
      rows.set(id, next);
      return next;
    },
    async setArchived(id, archived) {
      const row = rows.get(id);
      if (!row || (row.archived_at !== null) === archived) return undefined;
      const next = { ...row, archived_at: archived ? new Date() : null };
      rows.set(id, next);
      return next;
    },
    async delete(ownerId, id) {
      return rows.get(id)?.owner_id === ownerId ? rows.delete(id) : false;
    },
  };
  let transactions = 0;
  const runAs: RunAsUser = (_userId, fn) => {
    transactions++;
    return fn(store);
  };
  return { store, runAs, transactions: () => transactions };
}
