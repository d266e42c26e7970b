import { type Static, Type } from 'typebox';
import { GoalDefinition } from '../experiments/experiment-schemas.js';
import { DateTime, Nullable, Uuid } from '../shared/schemas.js';

const Probability = Type.Number({ minimum: 0, maximum: 1 });

/**
 * The posterior summary of one goal, shared by combinations and element variants
 * (docs/architecture.md#statistics-payload). The metric is per visitor: the conversion rate of a
 * conversion goal, the revenue (summed `value`) of a revenue goal, the events of a count goal.
 */
const Posterior = {
  visitors: Type.Integer({ description: 'Visitors assigned' }),
  conversions: Type.Integer({ description: 'Visitors with at least one event on the goal' }),
  conversion_rate: Type.Number({ description: 'conversions / visitors (0 without visitors)' }),
  observed_mean: Type.Number({
    description:
      'The metric per visitor as observed: conversion_rate, value_sum / visitors or events / visitors',
  }),
  posterior_mean: Type.Number({ description: 'Posterior mean of the metric per visitor' }),
  alpha: Type.Number({ description: 'conversions + prior alpha: the Beta posterior of the conversion rate' }),
  beta: Type.Number({ description: 'visitors − conversions + prior beta' }),
  ci95: Type.Tuple([Type.Number(), Type.Number()], {
    description: 'Equal-tailed 95% credible interval of the metric per visitor',
  }),
  prob_best: Type.Number({ description: 'Probability to be the best (in the goal’s direction)' }),
  expected_loss: Type.Number({ description: 'E[best − this]: the metric lost by choosing it' }),
  uplift: Type.Number({ description: 'Posterior mean relative to the control’s, minus 1' }),
  uplift_ci95: Nullable(
    Type.Tuple([Type.Number(), Type.Number()], {
      description:
        'Equal-tailed 95% credible interval of the uplift (this / control − 1); null for the control. ' +
        'P(uplift > 0) is prob_beat_control for a higher-is-better goal',
    }),
  ),
  prob_beat_control: Nullable(
    Type.Number({ description: 'P(better than the control, in the goal’s direction); null for the control' }),
  ),
};

export const CombinationStats = Type.Object({
  combination_id: Uuid,
  name: Type.String({ description: 'Variant names joined with " × "' }),
  variant_ids: Type.Array(Uuid),
  is_control: Type.Boolean({ description: 'The combination of every element’s control variant' }),
  ...Posterior,
  effective_visitors: Type.Number({
    description:
      'Visitors the posterior is worth after weighting each allocation epoch by 1 / its probability ' +
      '(Kish); equals visitors when the allocation never changed (packages/engine/README.md)',
  }),
  traffic_weight: Type.Number({
    description: 'Current probability that a new visitor gets this combination',
  }),
});

export const VariantStats = Type.Object({
  variant_id: Uuid,
  name: Type.String(),
  is_control: Type.Boolean(),
  ...Posterior,
});

export const ElementStats = Type.Object({
  element_id: Uuid,
  name: Type.String(),
  variants: Type.Array(VariantStats),
});

export const GuardrailCheck = Type.Object({
  goal: Type.String(),
  prob_worse: Nullable(Probability, {
    description: 'P(worse than the control by more than the goal’s threshold); null for the control itself',
  }),
  likely_worse: Type.Boolean({ description: 'prob_worse is at least GUARDRAIL_LIKELY_WORSE (0.8)' }),
});

export const DecisionStats = Type.Object({
  decision: Type.Enum(['keep_running', 'winner', 'no_material_difference']),
  leader_combination_id: Uuid,
  winner_combination_id: Nullable(Uuid),
  leader_prob_best: Probability,
  leader_expected_loss: Type.Number(),
  leader_relative_loss: Nullable(Type.Number({ description: 'Leader’s expected loss / its mean rate' })),
  max_relative_loss: Nullable(Type.Number({ description: 'Largest expected loss / leader’s mean rate' })),
  min_sample_reached: Type.Boolean(),
  evidence_bayes_factor: Type.Number({
    description: 'Bayes factor "arms differ" vs "all equal": the evidence gate of revenue and count goals',
  }),
  test: Type.Enum(['anytime', 'group_sequential', 'bayes_factor'], {
    description:
      'What decides a winner: anytime (conversion goals: e-processes, P(declaring a wrong winner) ≤ alpha ' +
      'however often anyone looks), group_sequential (conversion goals with planned_visitors: analyses ' +
      'at 1/looks … looks/looks of them), bayes_factor (revenue and count goals: an approximate gate)',
  }),
  evidence: Nullable(
    Type.Number({
      description:
        'The leader’s evidence against its closest rival: e-value (anytime), z (group_sequential) or ' +
        'the Bayes factor',
    }),
  ),
  evidence_threshold: Type.Number({ description: 'What evidence must reach for a winner' }),
  rival_combination_id: Nullable(Uuid, { description: 'The leader’s closest rival in the test' }),
  look: Type.Integer({ description: 'group_sequential: analyses done (0 otherwise)' }),
  looks: Type.Integer({ description: 'group_sequential: analyses planned (0 otherwise)' }),
  horizon_reached: Type.Boolean({
    description: 'group_sequential: the last analysis is done; no winner can be declared any more',
  }),
  visitors_to_go: Nullable(
    Type.Integer({
      description:
        'While running without a decision: estimated further visitors until the test declares the ' +
        'leader if the current trend holds (about half of experiments need fewer); null when none is in sight',
    }),
  ),
  seconds_to_go: Nullable(
    Type.Number({ description: 'visitors_to_go at the experiment’s average rate of new visitors so far' }),
  ),
  guardrails: Type.Array(GuardrailCheck, {
    description:
      'Every guardrail goal, judged for the winner (the leader while there is none): a winner with a ' +
      'guardrail likely_worse is "winner, but that guardrail is likely worse"',
  }),
  thresholds: Type.Object({
    alpha: Type.Number({ description: 'Level of the conversion goals’ test' }),
    looks: Type.Integer({ description: 'Analyses of the group-sequential test' }),
    winner_prob_best: Type.Number(),
    min_evidence_bayes_factor: Type.Number(),
    winner_max_relative_loss: Type.Number(),
    min_visitors_per_arm: Type.Number(),
    min_leader_conversions: Type.Number(),
    no_difference_max_relative_loss: Type.Number(),
  }),
});

export const SrmStats = Type.Object({
  chi_square: Nullable(Type.Number({ description: 'null when traffic reached a weight-0 combination' })),
  degrees_of_freedom: Type.Integer(),
  p_value: Probability,
  mismatch: Type.Boolean({ description: 'p_value below threshold: the split is not the configured one' }),
  threshold: Probability,
});

const GoalTotals = {
  events: Type.Integer({ description: 'Events on the goal from assigned visitors' }),
  value_sum: Type.Number({ description: 'Sum of those events’ `value`' }),
};

export const GoalCombinationStats = Type.Object({
  combination_id: Uuid,
  ...GoalTotals,
  ...Posterior,
  prob_worse_than_control: Nullable(Probability, {
    description: 'Guardrails: P(worse than the control by more than the threshold); else null',
  }),
});

export const GoalStats = Type.Object({
  ...GoalDefinition.properties,
  declared: Type.Boolean({
    description: 'false: the implicit primary goal of an experiment that declares none',
  }),
  counted_since: Nullable(DateTime, {
    description:
      'Every goal counts from the experiment’s start, declared then or later: the tracker counts every ' +
      'goal it receives (null: not started)',
  }),
  visitors: Type.Integer(),
  conversions: Type.Integer(),
  ...GoalTotals,
  observed_mean: Type.Number({ description: 'The metric per visitor over all combinations' }),
  leader_combination_id: Uuid,
  combinations: Type.Array(GoalCombinationStats, { description: 'Same order as the top-level combinations' }),
  elements: Nullable(Type.Array(ElementStats, { description: 'multi_element: marginals per variant' })),
});

export const UndeclaredGoals = Type.Object({
  total: Type.Integer({ description: 'Goals with events that the experiment does not declare' }),
  goals: Type.Array(
    Type.Object({ goal: Type.String(), conversions: Type.Integer(), events: Type.Integer() }),
    { description: 'The ones with the most events first (at most 20)' },
  ),
});

export const ExperimentStats = Type.Object(
  {
    computed_at: DateTime,
    primary_goal: Type.String({
      description: 'The key of the goal the bandit and the decision use; the top-level figures are its',
    }),
    total_visitors: Type.Integer(),
    total_conversions: Type.Integer(),
    conversion_rate: Type.Number(),
    control_combination_id: Uuid,
    leader: Type.Object({ combination_id: Uuid, name: Type.String() }),
    decision: DecisionStats,
    declared_winner: Nullable(
      Type.Object({
        combination_id: Uuid,
        goal: Type.String({ description: 'The primary goal it was decided on' }),
        decided_at: DateTime,
        evidence: Type.Record(Type.String(), Type.Unknown(), {
          description: 'The decision rule’s numbers when it was declared (the shape of `decision`)',
        }),
      }),
      {
        description:
          'The winner the adaptive policy declared, recorded once by the first process that saw it: every ' +
          'process exploits it from then on, even when `decision` later says keep_running',
      },
    ),
    srm: Nullable(SrmStats),
    allocation: Type.Object({
      source: Type.Enum(['tracker', 'counters', 'history'], {
        description:
          'tracker: what this process’s tracker draws new visitors from; counters: the same policy on the ' +
          'counters just read (what every tracker process uses after its next refresh; a draft: what it ' +
          'will start with); history: the last allocation recorded while it ran',
      }),
      phase: Type.String(),
      recorded_at: Nullable(DateTime),
    }),
    combinations: Type.Array(CombinationStats),
    elements: Nullable(Type.Array(ElementStats, { description: 'multi_element: marginals per variant' })),
    goals: Type.Array(GoalStats, {
      description: 'Every goal, declared order (the implicit primary if none)',
    }),
    undeclared_goals: UndeclaredGoals,
  },
  {
    $id: 'ExperimentStats',
    description: 'Live statistics from the running aggregates (never a scan of assignments)',
  },
);
export type ExperimentStats = Static<typeof ExperimentStats>;

export const TimeseriesQuery = Type.Object(
  {
    interval: Type.Enum(['minute', 'hour', 'day'], { default: 'hour' }),
    goal: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Default: primary goal' })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type TimeseriesQuery = Static<typeof TimeseriesQuery>;

const BucketCombination = Type.Object({
  combination_id: Uuid,
  visitors: Type.Integer({ description: 'Visitors first assigned in the bucket' }),
  conversions: Type.Integer({ description: 'First conversions on the goal in the bucket' }),
  events: Type.Integer({ description: 'Events on the goal in the bucket (assigned visitors)' }),
  value: Type.Number({ description: 'Sum of those events’ `value`' }),
  weight: Nullable(Type.Number({ description: 'Last recorded traffic weight at the end of the bucket' })),
});

export const Timeseries = Type.Object({
  experiment_id: Uuid,
  interval: Type.Enum(['minute', 'hour', 'day']),
  goal: Type.String({ description: 'Any goal key: declared, or one the tracker received' }),
  combinations: Type.Array(Type.Object({ combination_id: Uuid, name: Type.String() })),
  buckets: Type.Array(
    Type.Object({
      start: DateTime,
      visitors: Type.Integer(),
      conversions: Type.Integer(),
      events: Type.Integer(),
      value: Type.Number(),
      combinations: Type.Array(BucketCombination, { description: 'Same order as `combinations`' }),
    }),
  ),
});
export type Timeseries = Static<typeof Timeseries>;
