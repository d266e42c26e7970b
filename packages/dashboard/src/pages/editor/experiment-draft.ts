import type { CreateExperimentBody, Experiment, UpdateExperimentBody } from '../../api/types.js';
import { type ContentDraft, contentToDraft, draftToContent, emptyContent } from './content-draft.js';
import { ids } from './field-paths.js';
import { type GoalDraft, goalsBody, goalsFromDefinitions, newGoal } from './goal-draft.js';
import {
  type Condition,
  conditionToRows,
  rowProblem,
  rowsToCondition,
  type TargetingRow,
  type TargetingRows,
} from './targeting-rows.js';

/**
 * The editor's state: what the person typed, as text, until it becomes a request body. Elements
 * and variants keep a `key` so React keeps each input's focus while rows are added or removed.
 */

/** The server's default SAMPLIT_MAX_COMBINATIONS; the API has no endpoint for the configured one. */
export const DEFAULT_MAX_COMBINATIONS = 256;

/** `ab` and `split` are both the API's ab_test: one element, by CSS selector or by redirect. */
export type EditorType = 'ab' | 'split' | 'multi';

export interface VariantDraft {
  key: string;
  name: string;
  weight: string;
  content: ContentDraft;
}

export interface ElementDraft {
  key: string;
  name: string;
  selector: string;
  variants: VariantDraft[];
  /** Index of the control variant. */
  control: number;
}

export interface TargetingDraft {
  mode: 'rows' | 'json';
  rows: TargetingRows;
  /** The raw-JSON text in json mode. */
  json: string;
  /** Why the rule is shown as JSON, when it could not be shown as rows. */
  note: string | null;
}

export interface Draft {
  name: string;
  description: string;
  url: string;
  type: EditorType;
  elements: ElementDraft[];
  allocation: 'adaptive' | 'fixed';
  traffic: string;
  /** The horizon as typed; empty: none. */
  plannedVisitors: string;
  goals: GoalDraft[];
  allowCustomJs: boolean;
  targeting: TargetingDraft;
}

let lastKey = 0;
export const newKey = () => `k${++lastKey}`;

/** The first of `Variant B`, `Variant C`, … (or `Control` first) not used yet. */
export function freshVariantName(taken: readonly string[]): string {
  const used = new Set(taken.map((name) => name.trim().toLowerCase()));
  if (!used.has('control')) return 'Control';
  for (let i = 1; ; i++) {
    const name = i < 26 ? `Variant ${String.fromCharCode(65 + i)}` : `Variant ${i + 1}`;
    if (!used.has(name.toLowerCase())) return name;
  }
}

export function freshElementName(taken: readonly string[]): string {
  const used = new Set(taken.map((name) => name.trim().toLowerCase()));
  for (let i = 1; ; i++) if (!used.has(`element ${i}`)) return `Element ${i}`;
}

export const newVariant = (name: string): VariantDraft => ({
  key: newKey(),
  name,
  weight: '1',
  content: emptyContent(),
});

export function newElement(name: string, variants = 2): ElementDraft {
  const list: VariantDraft[] = [];
  for (let i = 0; i < variants; i++) list.push(newVariant(freshVariantName(list.map((v) => v.name))));
  return { key: newKey(), name, selector: '', variants: list, control: 0 };
}

export function emptyDraft(): Draft {
  return {
    name: '',
    description: '',
    url: '',
    type: 'ab',
    elements: [newElement('Element 1')],
    allocation: 'adaptive',
    traffic: '100',
    plannedVisitors: '',
    goals: [newGoal(newKey(), 'conversion', true)],
    allowCustomJs: false,
    targeting: { mode: 'rows', rows: { combinator: 'all', rows: [] }, json: '', note: null },
  };
}

/** Multi-element needs two elements; switching to it adds the second rather than refusing. */
export function withType(draft: Draft, type: EditorType): Draft {
  if (type !== 'multi' || draft.elements.length >= 2) return { ...draft, type };
  const second = newElement(freshElementName(draft.elements.map((e) => e.name)));
  return { ...draft, type, elements: [...draft.elements, second] };
}

/** The elements the type uses: an A/B or split test has only the first (the others are kept). */
export const activeElements = (draft: Draft): ElementDraft[] =>
  draft.type === 'multi' ? draft.elements : draft.elements.slice(0, 1);

/** Combinations the structure makes: the product of the variant counts. */
export const countCombinations = (elements: readonly { variants: readonly unknown[] }[]): number =>
  elements.reduce((n, e) => n * e.variants.length, 1);

/** "3 × 3 = 9 combinations (limit 256)"; one element: "2 variants". */
export function combinationText(
  elements: readonly { variants: readonly unknown[] }[],
  limit = DEFAULT_MAX_COMBINATIONS,
): string {
  if (elements.length === 1) return `${elements[0].variants.length} variants`;
  const count = countCombinations(elements);
  const factors = elements.map((e) => e.variants.length).join(' × ');
  return `${factors} = ${count} combination${count === 1 ? '' : 's'} (limit ${limit})`;
}

function targetingFrom(targeting: Condition | null): TargetingDraft {
  const parsed = conditionToRows(targeting);
  const json = targeting ? JSON.stringify(targeting, null, 2) : '';
  return parsed.ok
    ? { mode: 'rows', rows: parsed.value, json, note: null }
    : {
        mode: 'json',
        rows: { combinator: 'all', rows: [] },
        json,
        note: `Shown as JSON: ${parsed.reason}.`,
      };
}

/** The editor's state for an experiment the API sent. */
export function draftFromExperiment(experiment: Experiment): Draft {
  const elements = experiment.elements.map(
    (element): ElementDraft => ({
      key: newKey(),
      name: element.name,
      selector: element.selector ?? '',
      control: Math.max(
        0,
        element.variants.findIndex((v) => v.is_control),
      ),
      variants: element.variants.map((v) => ({
        key: newKey(),
        name: v.name,
        weight: String(v.weight),
        content: contentToDraft(v.content),
      })),
    }),
  );
  const split =
    experiment.type === 'ab_test' &&
    !elements[0]?.selector &&
    (elements[0]?.variants.some((v) => v.content.redirect_url !== '') ?? false);
  return {
    name: experiment.name,
    description: experiment.description ?? '',
    url: experiment.url ?? '',
    type: experiment.type === 'multi_element' ? 'multi' : split ? 'split' : 'ab',
    elements: elements.length > 0 ? elements : [newElement('Element 1')],
    allocation: experiment.traffic_allocation,
    traffic: String(experiment.traffic_percentage),
    plannedVisitors: experiment.planned_visitors === null ? '' : String(experiment.planned_visitors),
    goals: goalsFromDefinitions(experiment.goals, newKey),
    allowCustomJs: experiment.allow_custom_js,
    targeting: targetingFrom(experiment.targeting),
  };
}

/** Problems the browser can see before sending, by control id (the API checks everything else). */
export type Problems = Map<string, string[]>;

const POSITIVE = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

function addProblem(problems: Problems, id: string, message: string) {
  problems.set(id, [...(problems.get(id) ?? []), message]);
}

/** The targeting rule to send, or the problems that keep it from being sent. */
export function targetingValue(
  targeting: TargetingDraft,
  problems: Problems,
): Record<string, unknown> | null | undefined {
  if (targeting.mode === 'json') {
    if (targeting.json.trim() === '') return null;
    try {
      const value: unknown = JSON.parse(targeting.json);
      if (value === null) return null;
      if (typeof value !== 'object' || Array.isArray(value)) {
        addProblem(problems, ids.targeting, 'A rule is a JSON object, e.g. {"language": "de"}.');
        return undefined;
      }
      return value as Record<string, unknown>;
    } catch (error) {
      addProblem(problems, ids.targeting, `Not valid JSON: ${(error as Error).message}`);
      return undefined;
    }
  }
  targeting.rows.rows.forEach((row: TargetingRow, r) => {
    const problem = rowProblem(row);
    if (problem) addProblem(problems, ids.targetingRow(r), problem);
  });
  return rowsToCondition(targeting.rows);
}

/** The API's bounds of planned_visitors. */
export const MIN_PLANNED_VISITORS = 100;
export const MAX_PLANNED_VISITORS = 2_000_000_000;

/** The horizon to send: null when empty, else a whole number from 100 (or the problem with it). */
export function plannedVisitorsValue(text: string, problems: Problems): number | null {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || value < MIN_PLANNED_VISITORS || value > MAX_PLANNED_VISITORS) {
    addProblem(
      problems,
      ids.setting('planned_visitors'),
      `Give a whole number of visitors from ${MIN_PLANNED_VISITORS}, or leave it empty for no horizon.`,
    );
    return null;
  }
  return value;
}

function settingsBody(draft: Draft, problems: Problems) {
  const traffic = Number(draft.traffic);
  if (draft.traffic.trim() === '' || !Number.isFinite(traffic) || traffic < 0 || traffic > 100)
    addProblem(problems, ids.setting('traffic_percentage'), 'Give a percentage from 0 to 100.');
  const plannedVisitors = plannedVisitorsValue(draft.plannedVisitors, problems);
  const goals = goalsBody(draft.goals);
  for (const { g, part, message } of goals.problems)
    addProblem(problems, g === null ? ids.goals : ids.goal(g, part), message);
  return {
    name: draft.name,
    description: draft.description.trim() === '' ? null : draft.description,
    url: draft.url.trim() === '' ? null : draft.url.trim(),
    traffic_percentage: traffic,
    traffic_allocation: draft.allocation,
    planned_visitors: plannedVisitors,
    goals: goals.goals,
    allow_custom_js: draft.allowCustomJs,
    targeting: targetingValue(draft.targeting, problems),
  };
}

function variantsBody(draft: Draft, element: ElementDraft, e: number, problems: Problems) {
  return element.variants.map((variant, v) => {
    const isControl = v === element.control;
    const { content, problems: contentProblems } = draftToContent(variant.content);
    for (const { field, message } of contentProblems) addProblem(problems, ids.variant(e, v, field), message);
    if (draft.type === 'split') {
      if (isControl) delete content.redirect_url;
      else if (!content.redirect_url)
        addProblem(
          problems,
          ids.variant(e, v, 'redirect_url'),
          'A split URL test sends this variant to a URL.',
        );
    }
    const weight = Number(variant.weight);
    const weightOk = POSITIVE.test(variant.weight.trim()) && weight > 0;
    if (draft.allocation === 'fixed' && !weightOk)
      addProblem(problems, ids.variant(e, v, 'weight'), 'A weight is a number above 0.');
    return {
      name: variant.name,
      ...(weightOk ? { weight } : {}),
      ...(isControl ? { is_control: true } : {}),
      content,
    };
  });
}

function structureBody(draft: Draft, problems: Problems) {
  if (draft.type !== 'multi') {
    const [element] = draft.elements;
    return {
      selector: draft.type === 'split' || element.selector.trim() === '' ? null : element.selector.trim(),
      variants: variantsBody(draft, element, 0, problems),
    };
  }
  return {
    elements: draft.elements.map((element, e) => ({
      name: element.name,
      selector: element.selector.trim() === '' ? null : element.selector.trim(),
      variants: variantsBody(draft, element, e, problems),
    })),
  };
}

export type Built<T> = { ok: true; body: T } | { ok: false; problems: Problems };

function built<T>(body: T, problems: Problems): Built<T> {
  return problems.size > 0 ? { ok: false, problems } : { ok: true, body };
}

/** POST /experiments. */
export function createBody(draft: Draft): Built<CreateExperimentBody> {
  const problems: Problems = new Map();
  const settings = settingsBody(draft, problems);
  const body = {
    ...settings,
    type: draft.type === 'multi' ? 'multi_element' : 'ab_test',
    ...structureBody(draft, problems),
  } as CreateExperimentBody;
  return built(body, problems);
}

/**
 * PATCH /experiments/{id}: the settings, and the structure too while the experiment is a draft
 * (the API refuses structure changes once it has started).
 */
export function updateBody(draft: Draft, structureEditable: boolean): Built<UpdateExperimentBody> {
  const problems: Problems = new Map();
  const settings = settingsBody(draft, problems);
  const body = (
    structureEditable ? { ...settings, ...structureBody(draft, problems) } : settings
  ) as UpdateExperimentBody;
  return built(body, problems);
}
