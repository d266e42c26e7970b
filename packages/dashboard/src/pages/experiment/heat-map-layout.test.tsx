// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { COLOUR, COPY, CTA, fixtureExperiment } from './experiment-fixture.js';
import { cellColour, HeatMap } from './heat-map.js';
import { heatMapLayout } from './heat-map-layout.js';

afterEach(cleanup);

// CTA-B × Copy-Y (index 4) converts best.
const NINE: [number, number][] = [
  [200, 8],
  [200, 9],
  [200, 7],
  [200, 9],
  [2000, 150],
  [200, 8],
  [200, 7],
  [200, 8],
  [200, 6],
];

describe('heatMapLayout', () => {
  it('lays a 3 × 3 experiment out one combination per cell, the leader marked once', () => {
    const experiment = fixtureExperiment([CTA, COPY], NINE);
    const [cta, copy] = experiment.elements;
    const layout = heatMapLayout(experiment, experiment.stats!, cta.id, copy.id, {}, 'metric');
    expect(layout.rows.map((r) => r.name)).toEqual(['CTA-A', 'CTA-B', 'CTA-C']);
    expect(layout.cols.map((c) => c.name)).toEqual(['Copy-X', 'Copy-Y', 'Copy-Z']);
    const cells = layout.cells.flat();
    expect(cells.every((c) => c.combinationIds.length === 1)).toBe(true);
    // Row r, column c is the combination at r * 3 + c (first element slowest).
    layout.cells.forEach((row, r) => {
      row.forEach((cell, c) => {
        expect(cell.combinationIds[0]).toBe(experiment.combinations[r * 3 + c].id);
        expect(cell.visitors).toBe(NINE[r * 3 + c][0]);
      });
    });
    expect(cells.filter((c) => c.leader)).toHaveLength(1);
    expect(layout.cells[1][1].leader).toBe(true);
    expect(layout.range).toEqual([6 / 200, 150 / 2000]);
  });

  it('swapping the axes transposes the grid', () => {
    const experiment = fixtureExperiment([CTA, COPY], NINE);
    const [cta, copy] = experiment.elements;
    const a = heatMapLayout(experiment, experiment.stats!, cta.id, copy.id, {}, 'metric');
    const b = heatMapLayout(experiment, experiment.stats!, copy.id, cta.id, {}, 'metric');
    expect(b.cells[2][0].combinationIds).toEqual(a.cells[0][2].combinationIds);
  });

  const TWENTY_SEVEN = Array.from({ length: 27 }, (_, i) => [100 + i, 5 + (i % 4)] as [number, number]);

  it('holds a third element at one variant: nine single-combination cells', () => {
    const experiment = fixtureExperiment([CTA, COPY, COLOUR], TWENTY_SEVEN);
    const [cta, copy, colour] = experiment.elements;
    const green = colour.variants[1];
    const layout = heatMapLayout(
      experiment,
      experiment.stats!,
      cta.id,
      copy.id,
      { [colour.id]: green.id },
      'metric',
    );
    const cells = layout.cells.flat();
    expect(cells).toHaveLength(9);
    for (const cell of cells) {
      expect(cell.combinationIds).toHaveLength(1);
      const combination = experiment.combinations.find((c) => c.id === cell.combinationIds[0])!;
      expect(combination.variant_ids[2]).toBe(green.id);
    }
  });

  it('pools a third element: each cell adds up three combinations, P(best) of the cells sums to 1', () => {
    const experiment = fixtureExperiment([CTA, COPY, COLOUR], TWENTY_SEVEN);
    const [cta, copy] = experiment.elements;
    const layout = heatMapLayout(experiment, experiment.stats!, cta.id, copy.id, {}, 'prob_best');
    const cells = layout.cells.flat();
    expect(cells.every((c) => c.combinationIds.length === 3)).toBe(true);
    expect(new Set(cells.flatMap((c) => c.combinationIds)).size).toBe(27);
    expect(cells.reduce((s, c) => s + c.probBest, 0)).toBeCloseTo(1, 9);
    expect(cells.reduce((s, c) => s + c.visitors, 0)).toBe(experiment.stats!.total_visitors);
    const cell = layout.cells[0][0];
    expect(cell.mean).toBeCloseTo(cell.conversions / cell.visitors, 12);
    expect(cells.filter((c) => c.leader)).toHaveLength(1);
  });
});

describe('HeatMap', () => {
  it('offers axis and hold/pool selectors for three elements and says which it shows', () => {
    const experiment = fixtureExperiment([CTA, COPY, COLOUR], TWENTY_SEVEN_COUNTS());
    render(<HeatMap experiment={experiment} stats={experiment.stats!} />);
    const colour = screen.getByLabelText('Colour') as HTMLSelectElement;
    expect(colour.value).toBe('pooled');
    expect(screen.getByText(/Colour pooled over its variants/)).toBeTruthy();
    // Pooled, the leader's cell is always on the map.
    expect(within(screen.getByRole('table')).getAllByText('★ leader')).toHaveLength(1);
    fireEvent.change(colour, { target: { value: experiment.elements[2].variants[2].id } });
    expect(screen.getByText(/Colour held at Red/)).toBeTruthy();
    // Choosing the column element for the rows swaps the axes.
    fireEvent.change(screen.getByLabelText('Rows'), { target: { value: experiment.elements[1].id } });
    expect((screen.getByLabelText('Columns') as HTMLSelectElement).value).toBe(experiment.elements[0].id);
    const table = screen.getByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['CTA-Acontrol', 'CTA-B', 'CTA-C']);
    // Held at Red, the leader is marked only if it shows Red.
    const leader = experiment.combinations.find((c) => c.id === experiment.stats!.leader.combination_id)!;
    const leaderShowsRed = leader.variant_ids[2] === experiment.elements[2].variants[2].id;
    expect(within(table).queryAllByText('★ leader')).toHaveLength(leaderShowsRed ? 1 : 0);
  });

  it('switches the colour between rate and P(best)', () => {
    const experiment = fixtureExperiment([CTA, COPY], NINE);
    render(<HeatMap experiment={experiment} stats={experiment.stats!} />);
    expect(screen.queryByLabelText('Rows')).toBeNull();
    expect(screen.getByText('7.50%')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Probability to be best'));
    expect(screen.queryByText('7.50%')).toBeNull();
    expect(screen.getByText(/Colour: probability to be best/)).toBeTruthy();
  });
});

function TWENTY_SEVEN_COUNTS(): [number, number][] {
  return Array.from({ length: 27 }, (_, i) => [100 + i, 5 + (i % 4)] as [number, number]);
}

describe('cellColour', () => {
  it('keeps text at 4.5:1 contrast or better across the whole scale', () => {
    const channels = (css: string) =>
      css === '#fff' ? [255, 255, 255] : css === '#000' ? [0, 0, 0] : css.match(/\d+/g)!.map(Number);
    const lum = ([r, g, b]: number[]) => {
      const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    for (let t = 0; t <= 1.0001; t += 0.01) {
      const { background, color } = cellColour(t);
      const [a, b] = [lum(channels(background)), lum(channels(color))].sort((x, y) => y - x);
      expect((a + 0.05) / (b + 0.05)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
