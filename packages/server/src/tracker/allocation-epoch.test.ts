import { computeAllocation, createRng } from '@samplit/engine';
import { describe, expect, it } from 'vitest';
import { EPOCH_ABSOLUTE_TOLERANCE, EPOCH_RELATIVE_TOLERANCE, needsNewEpoch } from './allocation-epoch.js';

const fixed = (weights: number[]) =>
  computeAllocation(
    'fixed',
    { arms: weights.map(() => ({ visitors: 0, conversions: 0 })), weights },
    createRng(1),
  );

describe('allocation epochs', () => {
  it('start with the first allocation, then only when it moves by more than the tolerance', () => {
    const current = fixed([0.5, 0.3, 0.2]);
    expect(needsNewEpoch(undefined, current)).toBe(true);
    expect(needsNewEpoch(current, fixed([0.5, 0.3, 0.2]))).toBe(false);
    const within = EPOCH_ABSOLUTE_TOLERANCE + EPOCH_RELATIVE_TOLERANCE * 0.2 - 0.001;
    expect(needsNewEpoch(current, fixed([0.5, 0.3 - within, 0.2 + within]))).toBe(false);
    const beyond = EPOCH_ABSOLUTE_TOLERANCE + EPOCH_RELATIVE_TOLERANCE * 0.2 + 0.001;
    expect(needsNewEpoch(current, fixed([0.5, 0.3 - beyond, 0.2 + beyond]))).toBe(true);
  });

  it('start on a change of phase or of exploited winner', () => {
    const arms = [
      { visitors: 5000, conversions: 100 },
      { visitors: 5000, conversions: 300 },
    ];
    const exploring = computeAllocation(
      'adaptive',
      { arms: arms.map((a) => ({ ...a, conversions: 200 })) },
      createRng(1),
    );
    const exploiting = computeAllocation('adaptive', { arms }, createRng(1));
    expect(exploiting.phase).toBe('exploit');
    expect(needsNewEpoch(exploring, exploiting)).toBe(true);
    const other = computeAllocation('adaptive', { arms }, createRng(1), { declaredWinner: 0 });
    expect(needsNewEpoch(exploiting, other)).toBe(true);
  });
});
