// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CTA, fixtureExperiment } from './experiment-fixture.js';
import { InstallPanel } from './install-panel.js';

afterEach(cleanup);

const experiment = () =>
  fixtureExperiment(
    [CTA],
    [
      [100, 10],
      [100, 12],
      [100, 8],
    ],
  );

describe('InstallPanel', () => {
  it('offers the per-visitor CSV while the raw rows are there', () => {
    render(<InstallPanel experiment={experiment()} />);
    expect(screen.getByRole('button', { name: 'Download CSV (one row per visitor)' })).toBeTruthy();
    expect(screen.queryByText(/Retention removed/)).toBeNull();
  });

  it('says when retention removed them, instead of a button that would fail', () => {
    const removed = {
      ...experiment(),
      status: 'completed' as const,
      raw_data_removed_at: '2026-03-01T10:00:00.000Z',
    };
    render(<InstallPanel experiment={removed} />);
    expect(screen.queryByRole('button', { name: /Download CSV/ })).toBeNull();
    expect(screen.getByText(/Retention removed this experiment’s per-visitor rows on/).textContent).toContain(
      new Date('2026-03-01T10:00:00.000Z').toLocaleDateString(),
    );
  });
});
