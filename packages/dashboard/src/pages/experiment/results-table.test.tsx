// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { COPY, CTA, DEMO_COUNTS, fixtureExperiment } from './experiment-fixture.js';
import { prob, signedPct, upliftWithInterval } from './format.js';
import { metricOf } from './goal-metric.js';
import { zeroCentredScale } from './interval-bar.js';
import { combinationRows, ResultsTable, variantRows } from './results-table.js';

afterEach(cleanup);

const AB = { name: 'Button', variants: ['Control', 'Green'] };
const rate = metricOf('conversion');

describe('zeroCentredScale', () => {
  it('runs from −m to m, m the largest |bound| with 5% room', () => {
    expect(
      zeroCentredScale([
        [-0.2, 0.5],
        [0.1, 0.3],
      ]),
    ).toEqual([-0.525, 0.525]);
    expect(zeroCentredScale([[-0.9, 0.1]])).toEqual([-0.9 * 1.05, 0.9 * 1.05]);
    expect(zeroCentredScale([])).toEqual([-1, 1]);
  });
});

describe('ResultsTable', () => {
  it('shows the uplift with its 95% interval and a bar centred on no change', () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [1000, 40],
        [1000, 52],
      ],
    );
    const stats = experiment.stats!;
    render(
      <ResultsTable
        caption="Results"
        label="Variants table"
        armHeading="Variant"
        rows={combinationRows(experiment, stats)}
        metric={rate}
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'Uplift (95% interval)' })).toBeTruthy();
    const [control, green] = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    const g = stats.combinations[1];
    const [lo, hi] = g.uplift_ci95!;
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
    const cells = within(green).getAllByRole('cell');
    expect(cells.some((c) => c.textContent === upliftWithInterval(g.uplift, g.uplift_ci95))).toBe(true);
    // P(beat control) stays beside it, after the uplift's bar.
    expect(cells.map((c) => c.textContent).at(-2)).toBe(prob(g.prob_beat_control));
    const [, upliftBar] = within(green).getAllByRole('img');
    expect(upliftBar.getAttribute('aria-label')).toBe(
      `95% credible interval of the uplift ${signedPct(lo)} to ${signedPct(hi)}`,
    );
    // One interval: the scale is ±1.05 · max(|lo|, |hi|), so 0 sits in the middle of the 104 px bar.
    const width = Number(upliftBar.getAttribute('width'));
    expect(width).toBe(104);
    expect(Number(upliftBar.querySelector('.interval-control')!.getAttribute('x1'))).toBeCloseTo(
      width / 2,
      9,
    );
    const m = 1.05 * Math.max(Math.abs(lo), Math.abs(hi));
    const range = upliftBar.querySelector('.interval-range')!;
    expect(Number(range.getAttribute('x'))).toBeCloseTo(((lo + m) / (2 * m)) * width, 9);
    expect(Number(range.getAttribute('width'))).toBeCloseTo(((hi - lo) / (2 * m)) * width, 9);
    // The control has no uplift and no uplift bar.
    expect(stats.combinations[0].uplift_ci95).toBeNull();
    expect(within(control).getAllByRole('img')).toHaveLength(1);
    expect(
      within(control)
        .getAllByRole('cell')
        .filter((c) => c.textContent === '—'),
    ).toHaveLength(2);
  });

  it('shows element variants as balanced main effects, their counts as served', () => {
    const experiment = fixtureExperiment([CTA, COPY], DEMO_COUNTS);
    const cta = experiment.stats!.elements![0];
    render(
      <ResultsTable
        caption="CTA"
        label="Variants of CTA Button"
        armHeading="Variant"
        rows={variantRows(cta)}
        metric={rate}
        balanced
      />,
    );
    expect(screen.getByRole('columnheader', { name: 'Visitors (as served)' })).toBeTruthy();
    expect(
      screen.getByRole('columnheader', { name: 'Conversion rate (balanced effect, 95% interval)' }),
    ).toBeTruthy();
    const b = cta.variants[1];
    // Pooled as served: CTA-B's three combinations, 728 + 7367 + 343 visitors, 37 + 574 + 16 conversions.
    expect([b.visitors, b.conversions]).toEqual([8438, 627]);
    // Balanced: the equal-weight average of the three combinations' posterior means, not the pooled rate.
    const means = experiment.stats!.combinations.slice(3, 6).map((c) => c.posterior_mean);
    expect(b.posterior_mean).toBeCloseTo((means[0] + means[1] + means[2]) / 3, 12);
    expect(Math.abs(b.posterior_mean - b.observed_mean)).toBeGreaterThan(0.01);
    const row = screen.getByRole('row', { name: /^CTA-B/ });
    const metricCell = within(row).getAllByRole('cell')[2];
    expect(metricCell.textContent).toBe(
      `${rate.value(b.posterior_mean)}${rate.value(b.ci95[0])}–${rate.value(b.ci95[1])}`,
    );
    expect(row.textContent).toContain(upliftWithInterval(b.uplift, b.uplift_ci95));
  });
});
