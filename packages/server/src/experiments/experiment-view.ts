import type { ExperimentRow, ExperimentStructure } from './experiment-store.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toSummary(row: ExperimentRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    status: row.status,
    traffic_allocation: row.traffic_allocation,
    traffic_percentage: row.traffic_percentage,
    planned_visitors: row.planned_visitors,
    url: row.url,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    archived_at: iso(row.archived_at),
    raw_data_removed_at: iso(row.raw_data_removed_at),
  };
}

/** The API's view of an experiment: settings, elements with variants, combinations. */
export function toExperimentView(row: ExperimentRow, structure: ExperimentStructure) {
  const elements = structure.elements.map((e) => ({
    id: e.id,
    name: e.name,
    selector: e.selector,
    variants: e.variants.map((v) => ({
      id: v.id,
      name: v.name,
      weight: v.weight,
      is_control: v.is_control,
      content: v.content,
    })),
  }));
  return {
    ...toSummary(row),
    targeting: row.targeting,
    goals: row.goals,
    allow_custom_js: row.allow_custom_js,
    winner_combination_id: row.winner_combination_id,
    elements,
    combinations: structure.combinations,
    ...(row.type === 'ab_test' && elements.length === 1
      ? { selector: elements[0].selector, variants: elements[0].variants }
      : {}),
  };
}

export type ExperimentView = ReturnType<typeof toExperimentView>;
