// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Experiment } from '../../api/types.js';
import { COPY, CTA, fixtureExperiment } from './experiment-fixture.js';
import { ExperimentHeader } from './experiment-header.js';

// The API is out of scope here: a recording fetch answers every call with the experiment, so the
// test sees which requests the buttons send.
let calls: { url: string; method: string; body: unknown }[] = [];
beforeEach(() => {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({
        url,
        method: init.method ?? 'GET',
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      return init.method === 'DELETE' ? new Response(null, { status: 204 }) : Response.json({});
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// The README demo's 3 × 3 counts, three times over: enough for the anytime test to declare CTA-B × Copy-Y.
const WINNING: [number, number][] = [
  [1086, 24],
  [3066, 138],
  [696, 6],
  [4368, 222],
  [44202, 3444],
  [2058, 96],
  [1038, 30],
  [2454, 102],
  [1032, 18],
];
const UNDECIDED: [number, number][] = WINNING.map(([v, c], i) =>
  i === 4 ? [v, c] : [v * 2, Math.round(c * 3)],
);

function renderHeader(experiment: Experiment, onChanged = () => {}) {
  return render(
    <MemoryRouter>
      <ExperimentHeader experiment={experiment} onChanged={onChanged} />
    </MemoryRouter>,
  );
}

describe('ExperimentHeader', () => {
  it('offers the actions a running experiment allows, in words', () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING);
    renderHeader(experiment);
    const names = screen.getAllByRole('button').map((b) => b.textContent);
    expect(names).toEqual(['Pause', 'Complete…', 'Archive', 'Delete…']);
    expect(screen.getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe(
      `/experiments/${experiment.id}/edit`,
    );
    expect(screen.getByText('Running')).toBeTruthy();
    expect(screen.getByText(/Adaptive allocation/)).toBeTruthy();
    expect(screen.queryByText(/planned visitors/)).toBeNull();
  });

  it('shows the planned visitors when the experiment has a horizon', () => {
    renderHeader(fixtureExperiment([CTA, COPY], WINNING, { plannedVisitors: 50_000 }));
    expect(screen.getByText('50,000 planned visitors')).toBeTruthy();
  });

  it('starts a draft and tells the page to reload', async () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING, { status: 'draft' });
    const onChanged = vi.fn();
    renderHeader(experiment, onChanged);
    expect(screen.queryByRole('button', { name: 'Complete…' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls).toEqual([
      { url: `/api/v1/experiments/${experiment.id}/start`, method: 'POST', body: undefined },
    ]);
  });

  it('completes with the decided winner preselected, or another combination the user picks', async () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING);
    const winner = experiment.stats!.decision.winner_combination_id!;
    expect(winner).toBe(experiment.combinations[4].id);
    renderHeader(experiment);
    fireEvent.click(screen.getByRole('button', { name: 'Complete…' }));
    const select = screen.getByLabelText('Combination to serve to everyone') as HTMLSelectElement;
    expect(select.value).toBe(winner);
    expect(select.selectedOptions[0].textContent).toBe('CTA-B × Copy-Y (decided winner)');
    const control = experiment.combinations[0].id;
    fireEvent.change(select, { target: { value: control } });
    fireEvent.click(screen.getByRole('button', { name: 'Complete and serve this combination' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({
      url: `/api/v1/experiments/${experiment.id}/complete`,
      method: 'POST',
      body: { winner_combination_id: control },
    });
  });

  it('preselects the leader when there is no winner yet', () => {
    const experiment = fixtureExperiment([CTA, COPY], UNDECIDED);
    expect(experiment.stats!.decision.decision).toBe('keep_running');
    renderHeader(experiment);
    fireEvent.click(screen.getByRole('button', { name: 'Complete…' }));
    const select = screen.getByLabelText('Combination to serve to everyone') as HTMLSelectElement;
    expect(select.value).toBe(experiment.stats!.decision.leader_combination_id);
    expect(select.selectedOptions[0].textContent).toMatch(/\(leader\)$/);
  });

  it('deletes only after the confirmation, and cancelling sends nothing', async () => {
    const experiment = fixtureExperiment([CTA, COPY], WINNING);
    renderHeader(experiment);
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete it and all its data' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ url: `/api/v1/experiments/${experiment.id}`, method: 'DELETE' });
  });
});
