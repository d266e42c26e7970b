// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionPanel } from './decision-panel.js';
import { decisionInWords, leaderAhead } from './decision-words.js';
import { COPY, CTA, fixtureExperiment } from './experiment-fixture.js';
import { pct, prob } from './format.js';

const AB = { name: 'Button', variants: ['Control', 'Green'] };

// The demo's 3 × 3 run from the README: CTA-B × Copy-Y took most of the traffic and won.
const DEMO_COUNTS: [number, number][] = [
  [181, 4],
  [511, 23],
  [116, 1],
  [728, 37],
  [7367, 574],
  [343, 16],
  [173, 5],
  [409, 17],
  [172, 3],
];

afterEach(cleanup);

describe('decisionInWords', () => {
  it('names the winner with its probability to be best and its expected loss relative to its rate', () => {
    const { stats } = fixtureExperiment([CTA, COPY], DEMO_COUNTS);
    expect(stats?.decision.decision).toBe('winner');
    const words = decisionInWords(stats!);
    expect(words.tone).toBe('winner');
    expect(words.headline).toBe(
      `CTA-B × Copy-Y wins: ${prob(stats!.decision.leader_prob_best)} probability to be best, expected loss ${pct(stats!.decision.leader_relative_loss, 2)} of its rate`,
    );
    expect(words.needs).toEqual([]);
  });

  it('keeps running with a leader that is ahead, and says what it still needs with the current values', () => {
    const { stats } = fixtureExperiment(
      [AB],
      [
        [1000, 40],
        [1000, 52],
      ],
    );
    expect(stats?.decision.decision).toBe('keep_running');
    const green = stats!.combinations[1];
    expect(leaderAhead(stats!)?.name).toBe('Green');
    const words = decisionInWords(stats!);
    expect(
      words.headline.startsWith(
        `Keep running: Green leads with ${prob(green.prob_best)} probability to be best; needs `,
      ),
    ).toBe(true);
    // Only the unmet rules, each with its threshold: here evidence, P(best) and the loss cap.
    expect(words.needs.some((n) => n.includes('Bayes factor') && n.includes('needs 30'))).toBe(true);
    expect(words.needs.some((n) => n.startsWith('a 90% probability to be best'))).toBe(green.prob_best < 0.9);
    expect(words.needs.some((n) => n.includes('visitors on every combination'))).toBe(false);
  });

  it('keeps running without a leader when no arm is twice as likely to be best as the next', () => {
    const { stats } = fixtureExperiment(
      [CTA, COPY],
      Array.from({ length: 9 }, () => [40, 2] as [number, number]),
    );
    expect(stats?.decision.decision).toBe('keep_running');
    const words = decisionInWords(stats!);
    expect(words.headline).toBe('Keep running: no arm is ahead yet');
    expect(words.leader).toBeNull();
    expect(words.needs).toContain('25 conversions on the leader (now 2)');
  });

  it('does not advise to keep running a paused or completed experiment', () => {
    const { stats } = fixtureExperiment(
      [AB],
      [
        [1000, 40],
        [1000, 52],
      ],
    );
    expect(decisionInWords(stats!, 'paused').headline).toMatch(
      /^Paused before a decision: Green leads with /,
    );
    expect(decisionInWords(stats!, 'completed').headline).toMatch(
      /^Undecided when completed: Green leads with /,
    );
  });

  it('says there are no visitors yet before the first one', () => {
    const { stats } = fixtureExperiment(
      [AB],
      [
        [0, 0],
        [0, 0],
      ],
    );
    const words = decisionInWords(stats!);
    expect(words.headline).toBe('Keep running: no visitors yet');
    expect(words.needs[0]).toBe('30 visitors on every combination (fewest now 0)');
  });

  it('reports no material difference with the largest expected loss against its threshold', () => {
    const { stats } = fixtureExperiment(
      [AB],
      [
        [200_000, 20_000],
        [200_000, 20_000],
      ],
    );
    expect(stats?.decision.decision).toBe('no_material_difference');
    const words = decisionInWords(stats!);
    expect(words.tone).toBe('flat');
    expect(words.headline).toBe(
      `No material difference: choosing any combination costs at most ${pct(stats!.decision.max_relative_loss, 2)} of the leader's rate in expectation (threshold 1.00%)`,
    );
  });
});

describe('DecisionPanel', () => {
  it('shows the headline, the thresholds against the current values in a details element', () => {
    const experiment = fixtureExperiment([CTA, COPY], DEMO_COUNTS);
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText(/^CTA-B × Copy-Y wins:/)).toBeTruthy();
    const details = screen.getByText('How this is decided').closest('details')!;
    const rows = within(details).getAllByRole('row');
    const evidence = rows.find((r) => r.textContent?.includes('Bayes factor'))!;
    expect(evidence.textContent).toContain('≥ 30');
    expect(evidence.textContent).toContain('✓');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says when a winner was declared, which every process then exploits', () => {
    const experiment = fixtureExperiment([CTA, COPY], DEMO_COUNTS);
    const stats = experiment.stats!;
    const winner = stats.combinations[4];
    render(
      <DecisionPanel
        experiment={experiment}
        stats={{
          ...stats,
          declared_winner: {
            combination_id: winner.combination_id,
            goal: stats.primary_goal,
            decided_at: '2026-12-01T10:00:00.000Z',
            evidence: {},
          },
        }}
      />,
    );
    expect(screen.getByText(/^CTA-B × Copy-Y was declared the winner on /).textContent).toContain(
      new Date('2026-12-01T10:00:00.000Z').toLocaleString(),
    );
  });

  it('warns of a sample ratio mismatch under fixed allocation, with the p-value', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [1000, 50],
        [1300, 60],
      ],
      { allocation: 'fixed' },
    );
    const srm = experiment.stats!.srm!;
    expect(srm.mismatch).toBe(true);
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Sample ratio mismatch');
    expect(alert.textContent).toContain(`p = ${srm.p_value.toPrecision(2)}`);
  });

  it('says nothing about the split when a fixed split matches its weights', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [1000, 50],
        [1010, 60],
      ],
      { allocation: 'fixed' },
    );
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText(/visitors match the configured weights/)).toBeTruthy();
  });
});
