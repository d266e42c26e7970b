// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Experiment } from '../../api/types.js';
import {
  COPY,
  CTA,
  type FixtureBucket,
  fixtureExperiment,
  fixtureTimeseries,
  goalDefinition,
} from './experiment-fixture.js';
import { ExperimentPage } from './experiment-page.js';
import { signedPct } from './format.js';

// happy-dom has no canvas for uPlot to draw on: the charts are stood in for by their data (the
// browser tests draw the real ones).
vi.mock('./uplot-chart.js', () => ({
  UPlotChart: (props: { seriesKey: string; data: unknown[] }) => (
    <div
      className="chart-stand-in"
      data-series-key={props.seriesKey}
      data-points={JSON.stringify(props.data)}
    />
  ),
}));

// The API is out of scope here: a recording fetch answers GET /experiments/{id} with the fixture
// and GET …/timeseries with a two-bucket series of the goal asked for.
let requests: URL[] = [];

function serve(experiment: Experiment) {
  requests = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const parsed = new URL(url, 'http://dashboard.test');
      requests.push(parsed);
      if (parsed.pathname.endsWith('/timeseries')) {
        const goal = parsed.searchParams.get('goal') ?? 'conversion';
        const n = experiment.combinations.length;
        const bucket: FixtureBucket = experiment.combinations.map(() => [100, 10, 1 / n, 12, 150]);
        return Response.json(fixtureTimeseries(experiment, [bucket, bucket], goal));
      }
      return Response.json(experiment);
    }),
  );
  render(
    <MemoryRouter initialEntries={[`/experiments/${experiment.id}`]}>
      <Routes>
        <Route path="/experiments/:id" element={<ExperimentPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AB = { name: 'Checkout', variants: ['Control', 'Green'] };
const GOALS = [
  goalDefinition('revenue', { kind: 'revenue' }),
  goalDefinition('signup', { role: 'primary' }),
  goalDefinition('refunds', { kind: 'count', direction: 'lower', role: 'guardrail' }),
];
/** Control: 20 buyers of 10.00 among 200 visitors (1.00 per visitor); Green: 25 of 12.34 (1.54). */
const BUYERS = [
  Array.from({ length: 20 }, () => [1, 10] as [number, number]),
  Array.from({ length: 25 }, () => [1, 12.34] as [number, number]),
];

function checkout() {
  return fixtureExperiment(
    [AB],
    [
      [200, 30],
      [200, 42],
    ],
    {
      goals: GOALS,
      events: {
        revenue: BUYERS,
        refunds: [
          [[2, 0]],
          [
            [1, 0],
            [3, 0],
          ],
        ],
      },
    },
  );
}

const goalSelect = () => screen.getByLabelText('Results for goal') as HTMLSelectElement;
const header = (name: RegExp) => screen.queryByRole('columnheader', { name });
const lastSeriesGoal = () =>
  requests
    .filter((r) => r.pathname.endsWith('/timeseries'))
    .at(-1)
    ?.searchParams.get('goal');

describe('the goal selector', () => {
  it('lists every goal with its role and kind, the primary first and chosen', async () => {
    serve(checkout());
    await screen.findByLabelText('Results for goal');
    expect([...goalSelect().options].map((o) => o.textContent)).toEqual([
      'signup (primary · conversion)',
      'revenue (secondary · revenue)',
      'refunds (guardrail · count, lower is better)',
    ]);
    expect(goalSelect().value).toBe('signup');
    expect(screen.getByText(/Every goal counts from the experiment’s start/)).toBeTruthy();
    await waitFor(() => expect(lastSeriesGoal()).toBe('signup'));
    expect(header(/^Conversion rate \(95% interval\)$/)).toBeTruthy();
  });

  it('switches the table, its interval bars and the series to the chosen goal, the decision staying on the primary', async () => {
    const experiment = checkout();
    serve(experiment);
    await screen.findByLabelText('Results for goal');
    const decision = screen.getByText(/Decided on the primary goal “signup”/);
    fireEvent.change(goalSelect(), { target: { value: 'revenue' } });

    expect(header(/^Revenue per visitor \(95% interval\)$/)).toBeTruthy();
    expect(header(/^Conversion rate/)).toBeNull();
    const table = screen.getByRole('table', { name: 'Results per combination on revenue' });
    const [control, green] = within(table).getAllByRole('row').slice(1);
    // Summed values with 2 decimals and no currency symbol; per visitor the same.
    expect(within(control).getByText('200.00')).toBeTruthy();
    expect(within(green).getByText('308.50')).toBeTruthy();
    expect(green.textContent).toContain('1.54');
    expect(table.textContent).not.toMatch(/[$€£]/);
    const [metricBar, upliftBar] = within(green).getAllByRole('img');
    expect(metricBar.getAttribute('aria-label')).toMatch(/^95% credible interval \d+\.\d\d to \d+\.\d\d$/);
    const [lo, hi] = experiment.stats!.goals.find((g) => g.key === 'revenue')!.combinations[1].uplift_ci95!;
    expect(upliftBar.getAttribute('aria-label')).toBe(
      `95% credible interval of the uplift ${signedPct(lo)} to ${signedPct(hi)}`,
    );
    expect(
      screen.getByText(/400 visitors, 45 with an event, 508\.50 revenue: 1\.27 per visitor/),
    ).toBeTruthy();

    await waitFor(() => expect(lastSeriesGoal()).toBe('revenue'));
    const caption = await screen.findByText('Cumulative revenue per visitor');
    // Each bucket: 100 visitors and 150 of value per combination, so 1.50 per visitor so far.
    const chart = caption.closest('figure')!.querySelector('.chart-stand-in')!;
    const [, ...lines] = JSON.parse(chart.getAttribute('data-points')!) as number[][];
    expect(lines).toEqual([
      [1.5, 1.5],
      [1.5, 1.5],
    ]);
    expect(screen.getByText(/Revenue so far ÷ visitors so far/)).toBeTruthy();
    // P(best) over time and the densities are Beta posteriors: conversion goals only.
    expect(screen.queryByText('Probability to be best')).toBeNull();
    expect(screen.getByText(decision.textContent!)).toBeTruthy();
  });

  it('shows a guardrail’s probability to be worse than control per combination', async () => {
    const experiment = checkout();
    serve(experiment);
    await screen.findByLabelText('Results for goal');
    expect(header(/^P\(worse/)).toBeNull();
    fireEvent.change(goalSelect(), { target: { value: 'refunds' } });
    expect(header(/^Events per visitor \(95% interval\)$/)).toBeTruthy();
    expect(header(/^P\(worse by > 2%\)$/)).toBeTruthy();
    const refunds = experiment.stats!.goals.find((g) => g.key === 'refunds')!;
    const table = screen.getByRole('table', { name: 'Results per combination on refunds' });
    const [control, green] = within(table).getAllByRole('row').slice(1);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    // Events: 2 for the control, 4 for Green; events per visitor with 2 decimals.
    expect(cells(control)).toContain('2');
    expect(cells(green)).toContain('4');
    expect(green.textContent).toContain('0.02');
    const p = refunds.combinations[1].prob_worse_than_control;
    expect(p).not.toBeNull();
    expect(cells(control).at(-2)).toBe('—');
    expect(cells(green).at(-2)).toMatch(/%$/);
  });

  it('switches the heat map to the chosen goal’s metric', async () => {
    const nine = Array.from({ length: 9 }, () => [100, 5] as [number, number]);
    const experiment = fixtureExperiment([CTA, COPY], nine, {
      goals: [goalDefinition('signup', { role: 'primary' }), goalDefinition('basket', { kind: 'revenue' })],
      // Combination i: one buyer of 10 × (i + 1) among 100 visitors.
      events: { basket: nine.map((_, i) => [[1, 10 * (i + 1)]]) },
    });
    serve(experiment);
    await screen.findByLabelText('Results for goal');
    expect(screen.getByRole('heading', { name: 'Element variants: balanced main effect' })).toBeTruthy();
    expect(
      screen.getByText(/^Balanced main effect: each variant's conversion rate averaged with equal weight/),
    ).toBeTruthy();
    const heat = () => screen.getByRole('table', { name: /rows\) × / });
    expect(within(heat()).getAllByText('5.00%')).toHaveLength(9);
    fireEvent.change(goalSelect(), { target: { value: 'basket' } });
    expect(screen.getByLabelText('Revenue per visitor')).toBeTruthy();
    // CTA-C × Copy-Z, the last combination: 90 / 100 visitors.
    expect(within(heat()).getByText('0.90')).toBeTruthy();
    expect(within(heat()).queryByText('5.00%')).toBeNull();
  });
});

describe('the undeclared goals notice', () => {
  it('lists the goals the tracker received but the experiment does not declare, with a link to edit', async () => {
    const experiment = fixtureExperiment(
      [AB],
      [
        [50, 5],
        [50, 6],
      ],
      {
        undeclared: {
          total: 3,
          goals: [
            { goal: 'purchase', conversions: 3, events: 5 },
            { goal: 'sigup', conversions: 1, events: 1 },
          ],
        },
      },
    );
    serve(experiment);
    const notice = (await screen.findByText(/does not declare/)).closest('p')!;
    expect(notice.textContent).toBe(
      '⚠ Undeclared goals. The tracker received events for goals this experiment does not declare: purchase (3 visitors, 5 events), sigup (1 visitor, 1 event), and 1 other goal. Declare them in Edit the experiment’s goals, or fix the goal name in your page.',
    );
    expect(within(notice).getByRole('link').getAttribute('href')).toBe(`/experiments/${experiment.id}/edit`);
  });

  it('is not there when every goal with events is declared', async () => {
    serve(checkout());
    await screen.findByLabelText('Results for goal');
    expect(screen.queryByText(/does not declare/)).toBeNull();
  });
});
