// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionPanel } from './decision-panel.js';
import {
  analysisVisitors,
  decisionInWords,
  leaderAhead,
  TO_GO_FOOTNOTE,
  testInWords,
  toGoInWords,
} from './decision-words.js';
import { COPY, CTA, DEMO_COUNTS, fixtureExperiment, goalDefinition } from './experiment-fixture.js';
import { eValue, pct, prob, zScore } from './format.js';

const AB = { name: 'Button', variants: ['Control', 'Green'] };

// The same run four times over: the anytime test declares CTA-B × Copy-Y.
const WINNING_COUNTS = DEMO_COUNTS.map(([v, c]) => [4 * v, 4 * c] as [number, number]);
/** Control 40 / 1000, Green 52 / 1000: Green leads, no test has passed. */
const AHEAD: [number, number][] = [
  [1000, 40],
  [1000, 52],
];
const DAY_MS = 86_400_000;
const revenueBuyers = (n: number, value: number) =>
  Array.from({ length: n }, () => [1, value] as [number, number]);
/** A revenue primary goal: Control 50 buyers of 10 in 1000 visitors, Green 80: the Bayes-factor gate decides. */
function revenueExperiment() {
  return fixtureExperiment(
    [AB],
    [
      [1000, 50],
      [1000, 80],
    ],
    {
      goals: [goalDefinition('revenue', { kind: 'revenue', role: 'primary' })],
      events: { revenue: [revenueBuyers(50, 10), revenueBuyers(80, 10)] },
    },
  );
}
const nameOf = (e: ReturnType<typeof fixtureExperiment>, id: string | null) =>
  e.stats!.combinations.find((c) => c.combination_id === id)?.name;

afterEach(cleanup);

describe('decisionInWords', () => {
  it('names the anytime winner with its e-value against its closest rival and the K / α it needed', () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING_COUNTS);
    const d = experiment.stats!.decision;
    expect(d.decision).toBe('winner');
    expect(d.test).toBe('anytime');
    // Nine combinations, each pairwise comparison at 0.05 / 9: the e-value must reach 180.
    expect(d.evidence_threshold).toBeCloseTo(9 / 0.05, 9);
    expect(d.evidence!).toBeGreaterThanOrEqual(180);
    const words = decisionInWords(experiment.stats!);
    expect(words.tone).toBe('winner');
    expect(words.headline).toBe(
      `CTA-B × Copy-Y wins: e-value ${eValue(d.evidence)} against its closest rival, ${nameOf(experiment, d.rival_combination_id)} (needs ×180), ${prob(d.leader_prob_best)} probability to be best`,
    );
    expect(words.needs).toEqual([]);
  });

  it('keeps running with a leader that is ahead, and says what the anytime test still needs', () => {
    const { stats } = fixtureExperiment([AB], AHEAD);
    const d = stats!.decision;
    expect(d.decision).toBe('keep_running');
    expect(d.test).toBe('anytime');
    expect(d.evidence_threshold).toBeCloseTo(2 / 0.05, 9);
    const green = stats!.combinations[1];
    expect(leaderAhead(stats!)?.name).toBe('Green');
    const words = decisionInWords(stats!);
    expect(words.needs).toEqual([`an e-value of ×40 against Control (now ${eValue(d.evidence)})`]);
    expect(words.headline).toBe(
      `Keep running: Green leads with ${prob(green.prob_best)} probability to be best; needs an e-value of ×40 against Control (now ${eValue(d.evidence)})`,
    );
    // The Bayes factor, P(best) and the loss cap no longer decide a conversion goal.
    expect(words.headline).not.toMatch(/Bayes factor|expected loss/);
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
    const { stats } = fixtureExperiment([AB], AHEAD);
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

  it('with planned visitors, waits for the first analysis at 1/5 of them', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [500, 20],
        [500, 26],
      ],
      { plannedVisitors: 10_000 },
    );
    const d = experiment.stats!.decision;
    expect([d.test, d.look, d.looks]).toEqual(['group_sequential', 0, 5]);
    expect(decisionInWords(experiment.stats!, 'running', 10_000).needs).toEqual([
      'the first analysis, at 2,000 visitors (now 1,000)',
    ]);
  });

  it('with planned visitors, says the z of the last analysis against its boundary', () => {
    const experiment = fixtureExperiment([AB], AHEAD, { plannedVisitors: 10_000 });
    const d = experiment.stats!.decision;
    // 2,000 visitors of 10,000: the first of five analyses is done.
    expect([d.test, d.look, d.looks, d.horizon_reached]).toEqual(['group_sequential', 1, 5, false]);
    expect(decisionInWords(experiment.stats!, 'running', 10_000).needs).toEqual([
      `z to cross the boundary at a later analysis (at analysis 1 of 5, z = ${zScore(d.evidence)} against Control, below its boundary ${zScore(d.evidence_threshold)})`,
    ]);
  });

  it('with planned visitors, names the winner whose z crossed its boundary', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [4000, 160],
        [4000, 208],
      ],
      { plannedVisitors: 10_000 },
    );
    const d = experiment.stats!.decision;
    expect(d.decision).toBe('winner');
    expect(d.evidence!).toBeGreaterThanOrEqual(d.evidence_threshold);
    expect(decisionInWords(experiment.stats!, 'running', 10_000).headline).toBe(
      `Green wins: z = ${zScore(d.evidence)} against Control crossed its boundary ${zScore(d.evidence_threshold)}, ${prob(d.leader_prob_best)} probability to be best`,
    );
  });

  it('says when the planned visitors are reached without a winner', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [5000, 200],
        [5000, 205],
      ],
      { plannedVisitors: 10_000 },
    );
    const d = experiment.stats!.decision;
    expect([d.decision, d.horizon_reached, d.look]).toEqual(['keep_running', true, 5]);
    const words = decisionInWords(experiment.stats!, 'running', 10_000);
    expect(words.tone).toBe('flat');
    expect(words.headline).toBe(
      'Planned visitors reached without a winner: none of the 5 analyses found a combination better than all the others',
    );
    expect(words.needs).toEqual([]);
  });

  it('keeps the Bayes-factor gate, P(best) and the loss cap for a revenue goal', () => {
    const { stats } = revenueExperiment();
    const d = stats!.decision;
    expect(d.test).toBe('bayes_factor');
    expect(d.rival_combination_id).toBeNull();
    expect(d.evidence).toBeCloseTo(d.evidence_bayes_factor, 12);
    expect(decisionInWords(stats!).needs).toContain(
      `evidence that the combinations differ (Bayes factor ${d.evidence_bayes_factor.toFixed(1)}, needs 30)`,
    );
  });
});

describe('testInWords', () => {
  const thresholds = fixtureExperiment([AB], AHEAD).stats!.decision.thresholds;
  it('states each test’s guarantee, and no more', () => {
    expect(thresholds.alpha).toBe(0.05);
    expect(thresholds.looks).toBe(5);
    expect(testInWords({ test: 'anytime', looks: 0, thresholds }, null).guarantee).toBe(
      'The chance of ever declaring a winner that is not the best is at most 5%, however often this page refreshes.',
    );
    expect(testInWords({ test: 'group_sequential', looks: 5, thresholds }, 20_000).guarantee).toBe(
      'Analyses at 1/5 … 5/5 of 20,000 planned visitors, with nearly the power of a single look at the end (the 5% level is approximate, measured in simulation).',
    );
    const gate = testInWords({ test: 'bayes_factor', looks: 0, thresholds }, null).guarantee;
    expect(gate).toContain('Bayes factor ≥ 30');
    expect(gate).toContain('not a proved guarantee');
    expect(gate).not.toMatch(/1 in 30|at most 1 in/);
  });

  it('places the analyses at i / looks of the planned visitors, rounded up', () => {
    expect([1, 2, 3, 4, 5].map((i) => analysisVisitors(10_000, i, 5))).toEqual([
      2000, 4000, 6000, 8000, 10_000,
    ]);
    expect(analysisVisitors(101, 1, 5)).toBe(21);
  });
});

describe('toGoInWords', () => {
  it('projects the visitors to go at the experiment’s rate so far', () => {
    // 2,000 visitors in one day: 9,694 more take 9,694 / 2,000 = 4.847 days.
    const { stats } = fixtureExperiment([AB], AHEAD, { startedMsAgo: DAY_MS });
    const d = stats!.decision;
    expect(d.visitors_to_go).not.toBeNull();
    expect(d.seconds_to_go!).toBeCloseTo((d.visitors_to_go! / 2000) * 86_400, 3);
    expect(toGoInWords(d)).toBe(
      `≈ ${d.visitors_to_go!.toLocaleString('en-US')} more visitors (≈ ${(d.visitors_to_go! / 2000).toFixed(1)} days at the current rate)`,
    );
  });

  it('says when there is no estimate, or no rate yet', () => {
    expect(toGoInWords({ visitors_to_go: null, seconds_to_go: null })).toBe('no estimate yet');
    expect(toGoInWords({ visitors_to_go: 1, seconds_to_go: null })).toBe('≈ 1 more visitor');
    expect(toGoInWords({ visitors_to_go: 12_500, seconds_to_go: 5400 })).toBe(
      '≈ 12,500 more visitors (≈ 2 hours at the current rate)',
    );
  });
});

describe('DecisionPanel', () => {
  it('explains the anytime test, its evidence against the threshold and its rules', () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING_COUNTS);
    const d = experiment.stats!.decision;
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText(/^CTA-B × Copy-Y wins:/)).toBeTruthy();
    expect(screen.getByText('Anytime-valid test (e-processes).')).toBeTruthy();
    expect(
      screen.getByText(
        /^The chance of ever declaring a winner that is not the best is at most 5%, however often/,
      ),
    ).toBeTruthy();
    const evidence = screen.getByText(/^Evidence of CTA-B × Copy-Y against /);
    expect(evidence.textContent).toBe(
      `Evidence of CTA-B × Copy-Y against ${nameOf(experiment, d.rival_combination_id)}: e-value ${eValue(d.evidence)}; a winner needs ×180 ✓.`,
    );
    const details = screen.getByText('How this is decided').closest('details')!;
    const rows = within(details).getAllByRole('row');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual([
      'Rule',
      'Visitors on every combination',
      'Conversions on the leader',
      'E-value of the leader against its closest rival',
    ]);
    expect(rows[3].textContent).toContain('≥ ×180');
    expect(rows[3].textContent).toContain('✓');
    // A decided experiment has nothing to go, and no claim the rule no longer backs is left.
    expect(screen.queryByText(/Visitors to go/)).toBeNull();
    expect(document.body.textContent).not.toMatch(/1 in \d|Bayes factor/);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the visitors to go with its footnote while it keeps running', () => {
    const experiment = fixtureExperiment([AB], AHEAD, { startedMsAgo: DAY_MS });
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    const line = screen.getByText('Visitors to go:').closest('p')!;
    expect(line.textContent).toBe(
      `Visitors to go: ${toGoInWords(experiment.stats!.decision)}* * ${TO_GO_FOOTNOTE}`,
    );
    expect(TO_GO_FOOTNOTE).toContain('About half of experiments need fewer.');
    expect(within(line).getByRole('link', { name: 'About this estimate' }).getAttribute('href')).toBe(
      '#to-go-note',
    );
  });

  it('says there is no estimate yet without one', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [0, 0],
        [0, 0],
      ],
    );
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText('Visitors to go:').closest('p')!.textContent).toBe(
      'Visitors to go: no estimate yet',
    );
  });

  it('shows the analyses done and the visitors so far toward the planned ones', () => {
    const experiment = fixtureExperiment([AB], AHEAD, { plannedVisitors: 10_000, startedMsAgo: DAY_MS });
    const d = experiment.stats!.decision;
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText('Group-sequential test.')).toBeTruthy();
    expect(screen.getByText('Analysis 1 of 5 done').closest('p')!.textContent).toBe(
      'Analysis 1 of 5 done: 2,000 of 10,000 planned visitors; the next analysis at 4,000.',
    );
    const bar = screen.getByRole('progressbar') as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([2000, 10_000]);
    expect(screen.getByText(/^Evidence of Green against Control at analysis 1 of 5/).textContent).toBe(
      `Evidence of Green against Control at analysis 1 of 5: z = ${zScore(d.evidence)}; its boundary is ${zScore(d.evidence_threshold)}.`,
    );
    expect(screen.getByText(/^Analyses at 2,000, 4,000, 6,000, 8,000, 10,000 visitors/)).toBeTruthy();
    expect(screen.getByText('Visitors to go:').closest('p')!.textContent).toContain(
      `≈ ${d.visitors_to_go!.toLocaleString('en-US')} more visitors`,
    );
  });

  it('says clearly when the planned visitors are reached without a winner, with nothing to go', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [5000, 200],
        [5000, 205],
      ],
      { plannedVisitors: 10_000 },
    );
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText(/^Planned visitors reached without a winner/)).toBeTruthy();
    expect(screen.getByText('Analysis 5 of 5 done').closest('p')!.textContent).toBe(
      'Analysis 5 of 5 done: 10,000 of 10,000 planned visitors.',
    );
    expect(screen.queryByText(/Visitors to go/)).toBeNull();
  });

  it('gives a group-sequential winner the figures of the analysis that declared it', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [5000, 200],
        [5000, 290],
      ],
      { plannedVisitors: 10_000 },
    );
    const d = experiment.stats!.decision;
    // Every analysis is done, but the winner was declared at one of them: a winner, not "no winner".
    expect([d.decision, d.look, d.horizon_reached]).toEqual(['winner', 5, true]);
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText(/^Green wins: z = /)).toBeTruthy();
    expect(screen.queryByText(/Planned visitors reached without a winner/)).toBeNull();
    expect(
      screen.getByText(/^Evidence of Green against Control at the analysis that declared it/).textContent,
    ).toBe(
      `Evidence of Green against Control at the analysis that declared it: z = ${zScore(d.evidence)}; its boundary was ${zScore(d.evidence_threshold)} ✓.`,
    );
    expect(screen.getByText('Analysis 5 of 5 done').closest('p')!.textContent).toBe(
      'Analysis 5 of 5 done: 10,000 of 10,000 planned visitors.',
    );
  });

  it('keeps the Bayes-factor rules for a revenue goal, without a proved bound', () => {
    const experiment = revenueExperiment();
    render(<DecisionPanel experiment={experiment} stats={experiment.stats!} />);
    expect(screen.getByText('Bayes-factor gate.')).toBeTruthy();
    const details = screen.getByText('How this is decided').closest('details')!;
    const rules = within(details)
      .getAllByRole('row')
      .map((r) => r.querySelector('th')?.textContent);
    expect(rules).toContain('Evidence that combinations differ (Bayes factor)');
    expect(rules).toContain("Leader's probability to be best");
    expect(document.body.textContent).not.toMatch(/1 in 30/);
    expect(screen.getByText('Visitors to go:').closest('p')!.textContent).toBe(
      'Visitors to go: no estimate yet',
    );
  });

  it('says when a winner was declared, which every process then exploits', () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING_COUNTS);
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
    expect(screen.getByText(/visitors match the allocations they were drawn from/)).toBeTruthy();
  });
});
