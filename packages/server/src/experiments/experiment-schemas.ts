import { type Static, Type } from 'typebox';
import { DateTime, Nullable, Uuid } from '../shared/schemas.js';
import { TARGETING_DESCRIPTION } from './targeting.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const StringMap = Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 10_000 }));

/** What a variant does to the page (docs/architecture.md#variant-content). */
export const VariantContent = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: 100_000 })),
    html: Type.Optional(Type.String({ maxLength: 100_000 })),
    attributes: Type.Optional(StringMap),
    styles: Type.Optional(StringMap),
    css: Type.Optional(Type.String({ maxLength: 100_000 })),
    redirect_url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 })),
    hide: Type.Optional(Type.Boolean()),
    payload: Type.Optional(
      Type.Unknown({ description: 'Any JSON, for code that renders the variant itself' }),
    ),
    js: Type.Optional(
      Type.String({
        maxLength: 100_000,
        description: 'Custom JavaScript; needs allow_custom_js on the experiment',
      }),
    ),
  },
  { additionalProperties: false },
);

export const VariantInput = Type.Object(
  {
    name: Name,
    weight: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Share under fixed allocation' }),
    ),
    is_control: Type.Optional(Type.Boolean()),
    content: Type.Optional(VariantContent),
  },
  { additionalProperties: false },
);

export const ElementInput = Type.Object(
  {
    name: Name,
    selector: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    variants: Type.Array(VariantInput, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

const GoalKey = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'The `goal` the tracker’s conversion events name',
});
export const GoalKind = Type.Enum(['conversion', 'revenue', 'count'], {
  description:
    'conversion: did the visitor convert; revenue: the sum of the events’ `value` per visitor; ' +
    'count: events per visitor',
});
export const GoalDirection = Type.Enum(['higher', 'lower'], { description: 'Which way is better' });
export const GoalRole = Type.Enum(['primary', 'secondary', 'guardrail'], {
  description:
    'primary: drives the bandit and the decision (one per experiment); secondary: reported; ' +
    'guardrail: reported, and the decision warns when the winner is likely worse on it',
});
const GuardrailThreshold = Type.Number({
  minimum: 0,
  maximum: 10,
  description:
    'Guardrail: how much worse than the control, as a fraction of the control’s value, still counts ' +
    'as not worse (default 0.02)',
});

/** A goal as a request gives it: its key alone (a conversion goal), or a definition. */
export const GoalInput = Type.Union([
  GoalKey,
  Type.Object(
    {
      key: GoalKey,
      kind: Type.Optional(GoalKind),
      direction: Type.Optional(GoalDirection),
      role: Type.Optional(GoalRole),
      threshold: Type.Optional(GuardrailThreshold),
    },
    { additionalProperties: false },
  ),
]);
export type GoalInput = Static<typeof GoalInput>;

/** A goal as stored and reported: every field resolved. */
export const GoalDefinition = Type.Object({
  key: GoalKey,
  kind: GoalKind,
  direction: GoalDirection,
  role: GoalRole,
  threshold: Nullable(GuardrailThreshold, { description: 'Guardrails only, else null' }),
});
export type GoalDefinition = Static<typeof GoalDefinition>;

export const ExperimentType = Type.Enum(['ab_test', 'multi_element']);
export type ExperimentType = Static<typeof ExperimentType>;
export const TrafficAllocation = Type.Enum(['adaptive', 'fixed']);
export type TrafficAllocation = Static<typeof TrafficAllocation>;
export const ExperimentStatus = Type.Enum(['draft', 'running', 'paused', 'completed']);
export type ExperimentStatus = Static<typeof ExperimentStatus>;

const Settings = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  url: Type.Optional(Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 }))),
  targeting: Type.Optional(
    Nullable(Type.Record(Type.String(), Type.Unknown()), {
      description: TARGETING_DESCRIPTION,
    }),
  ),
  traffic_percentage: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  planned_visitors: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 100,
        maximum: 2_000_000_000,
        description:
          'The horizon: visitors the experiment is planned to run for. With it the decision rule is ' +
          'group-sequential (analyses at 1/5 … 5/5 of it, nearly the power of one look at the end); ' +
          'without it (null) the rule is anytime-valid',
      }),
    ),
  ),
  traffic_allocation: Type.Optional(TrafficAllocation),
  goals: Type.Optional(
    Type.Array(GoalInput, {
      maxItems: 50,
      description:
        'What the experiment measures. A plain string is a conversion goal; without a goal marked ' +
        'primary, the first goal without a role is (docs/architecture.md#goal)',
    }),
  ),
  allow_custom_js: Type.Optional(Type.Boolean()),
};

const Structure = {
  selector: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  variants: Type.Optional(Type.Array(VariantInput, { minItems: 1, maxItems: 100 })),
  elements: Type.Optional(Type.Array(ElementInput, { minItems: 1, maxItems: 20 })),
};

export const CreateExperimentBody = Type.Object(
  { name: Name, type: ExperimentType, ...Settings, ...Structure },
  { additionalProperties: false },
);
export type CreateExperimentBody = Static<typeof CreateExperimentBody>;

export const UpdateExperimentBody = Type.Object(
  { name: Type.Optional(Name), ...Settings, ...Structure },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateExperimentBody = Static<typeof UpdateExperimentBody>;

export const CompleteBody = Nullable(
  Type.Object({ winner_combination_id: Type.Optional(Uuid) }, { additionalProperties: false }),
);

export const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    // Far past any real list of one user's experiments; a larger offset is a typo or a probe.
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    status: Type.Optional(ExperimentStatus),
    archived: Type.Boolean({
      default: false,
      description: 'true: only archived experiments; false: only the others',
    }),
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Only experiments whose name contains this text (case-insensitive; % and _ are literal)',
      }),
    ),
  },
  { additionalProperties: false },
);

// ---- responses

export const Variant = Type.Object({
  id: Uuid,
  name: Type.String(),
  weight: Type.Number(),
  is_control: Type.Boolean(),
  content: Type.Unknown(),
});

export const Element = Type.Object({
  id: Uuid,
  name: Type.String(),
  selector: Nullable(Type.String()),
  variants: Type.Array(Variant),
});

export const Combination = Type.Object({
  id: Uuid,
  variant_ids: Type.Array(Uuid, { description: 'One variant per element, in element order' }),
  weight: Type.Number({ description: 'Configured share under fixed allocation' }),
});

const Common = {
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  type: ExperimentType,
  status: ExperimentStatus,
  traffic_allocation: TrafficAllocation,
  traffic_percentage: Type.Number(),
  planned_visitors: Nullable(Type.Integer({ description: 'The horizon (planned visitors), or null' })),
  url: Nullable(Type.String()),
  created_at: DateTime,
  updated_at: DateTime,
  started_at: Nullable(DateTime),
  completed_at: Nullable(DateTime),
  archived_at: Nullable(DateTime, {
    description: 'Set while archived: hidden from the list, the tracker shows everyone the control',
  }),
  raw_data_removed_at: Nullable(DateTime, {
    description:
      'Set when retention removed the raw assignments and events of this completed experiment: statistics and ' +
      'time series come from their aggregates, the per-visitor CSV export is no longer available',
  }),
};

export const ExperimentSummary = Type.Object(Common);

export const Experiment = Type.Object(
  {
    ...Common,
    targeting: Nullable(Type.Record(Type.String(), Type.Unknown())),
    goals: Type.Array(GoalDefinition),
    allow_custom_js: Type.Boolean(),
    winner_combination_id: Nullable(Uuid),
    elements: Type.Array(Element),
    combinations: Type.Array(Combination),
    selector: Type.Optional(Nullable(Type.String(), { description: 'ab_test only: the element selector' })),
    variants: Type.Optional(
      Type.Array(Variant, { description: 'ab_test only: the variants of its one element' }),
    ),
    // By reference: the stats feature owns its schema (registered in app.ts), and experiments do
    // not import from stats, which imports from experiments.
    stats: Type.Optional(Type.Unsafe<Record<string, unknown>>({ $ref: 'ExperimentStats#' })),
  },
  { $id: 'Experiment' },
);

export const ExperimentPage = Type.Object({
  items: Type.Array(ExperimentSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const PreviewLink = Type.Object({
  combination_id: Uuid,
  variant_ids: Type.Array(Uuid, { description: 'One variant per element, in element order' }),
  label: Type.String({
    description:
      'Element: variant for each element ("CTA Button: B · Hero Copy: Y"); the variant name alone for one element',
  }),
  token: Type.String({
    description: 'The `samplit_preview` token: POST /tracker/preview answers with its combination',
  }),
  url: Nullable(Type.String(), {
    description:
      'The experiment’s url with samplit_preview=<token> added to its query; null when it has no url',
  }),
});
export type PreviewLink = Static<typeof PreviewLink>;

export const PreviewLinks = Type.Object({
  expires_in: Type.Integer({ description: 'Seconds each token stays valid from now' }),
  items: Type.Array(PreviewLink, { description: 'One per combination, in the experiment’s order' }),
});
export type PreviewLinks = Static<typeof PreviewLinks>;
