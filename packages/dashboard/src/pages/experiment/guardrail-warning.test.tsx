// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Experiment, ExperimentStats } from '../../api/types.js';
import { DecisionPanel } from './decision-panel.js';
import { fixtureExperiment, goalDefinition } from './experiment-fixture.js';
import { guardrailWarnings } from './guardrail-warning.js';

afterEach(cleanup);

const AB = { name: 'Checkout', variants: ['Control', 'Green'] };
/** Green converts twice as often on signup: a clear winner. */
const WINNING: [number, number][] = [
  [3000, 150],
  [3000, 300],
];
/** Green is ahead but not yet a winner. */
const LEADING: [number, number][] = [
  [300, 15],
  [300, 24],
];

/** The stats with the decision's guardrail checks as given (the judged arm's figures). */
function judged(
  experiment: Experiment,
  guardrails: ExperimentStats['decision']['guardrails'],
): ExperimentStats {
  const stats = experiment.stats!;
  return { ...stats, decision: { ...stats.decision, guardrails } };
}

describe('guardrailWarnings', () => {
  it('says the winner is likely worse on a guardrail, with the probability and the threshold', () => {
    const experiment = fixtureExperiment([AB], WINNING);
    expect(experiment.stats!.decision.decision).toBe('winner');
    const stats = judged(experiment, [
      { goal: 'refunds', prob_worse: 0.93, likely_worse: true },
      { goal: 'latency', prob_worse: 0.4, likely_worse: false },
    ]);
    expect(guardrailWarnings(stats)).toEqual([
      'Winner: Green — but guardrail refunds is likely worse (P = 0.93 that it is more than 2% worse than control)',
    ]);
  });

  it('names the leader while there is no winner, and never claims certainty', () => {
    const experiment = fixtureExperiment([AB], LEADING);
    expect(experiment.stats!.decision.decision).toBe('keep_running');
    const stats = judged(experiment, [{ goal: 'refunds', prob_worse: 0.9996, likely_worse: true }]);
    expect(guardrailWarnings(stats)).toEqual([
      'Leader: Green — but guardrail refunds is likely worse (P > 0.99 that it is more than 2% worse than control)',
    ]);
  });

  it('says nothing when no guardrail is likely worse', () => {
    const experiment = fixtureExperiment([AB], WINNING);
    expect(guardrailWarnings(judged(experiment, []))).toEqual([]);
    expect(
      guardrailWarnings(judged(experiment, [{ goal: 'refunds', prob_worse: 0.5, likely_worse: false }])),
    ).toEqual([]);
  });
});

describe('the decision panel’s guardrail warning', () => {
  it('warns in words when the winner refunds far more often, on the engine’s own figures', () => {
    const experiment = fixtureExperiment([AB], WINNING, {
      goals: [
        goalDefinition('signup', { role: 'primary' }),
        goalDefinition('refunds', { direction: 'lower', role: 'guardrail', threshold: 0.05 }),
      ],
      // 30 refunds from the control's visitors, 150 from Green's.
      events: {
        refunds: [Array.from({ length: 30 }, () => [1, 0]), Array.from({ length: 150 }, () => [1, 0])],
      },
    });
    const stats = experiment.stats!;
    expect(stats.decision.guardrails).toEqual([
      { goal: 'refunds', prob_worse: expect.any(Number), likely_worse: true },
    ]);
    render(<DecisionPanel experiment={experiment} stats={stats} />);
    expect(screen.getByText('Guardrail warning')).toBeTruthy();
    expect(
      screen.getByText(
        /^Winner: Green — but guardrail refunds is likely worse \(P (=|>) [\d.]+ that it is more than 5% worse than control\)\.$/,
      ),
    ).toBeTruthy();
    // The headline still names the winner on the primary goal.
    expect(screen.getByText(/^Green wins:/)).toBeTruthy();
  });

  it('shows no warning when the guardrail holds', () => {
    const experiment = fixtureExperiment([AB], WINNING, {
      goals: [
        goalDefinition('signup', { role: 'primary' }),
        goalDefinition('refunds', { direction: 'lower', role: 'guardrail' }),
      ],
      events: {
        refunds: [Array.from({ length: 30 }, () => [1, 0]), Array.from({ length: 30 }, () => [1, 0])],
      },
    });
    expect(experiment.stats!.decision.guardrails[0].likely_worse).toBe(false);
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.queryByText('Guardrail warning')).toBeNull();
  });
});
