import { describe, expect, it } from 'vitest';
import { applyTrafficFloor } from './traffic-floor.js';

describe('applyTrafficFloor', () => {
  it('raises small arms to the floor and rescales the rest', () => {
    const p = applyTrafficFloor([0.9, 0.1, 0], 0.05);
    expect(p[2]).toBeCloseTo(0.05, 15);
    expect(p[0] + p[1]).toBeCloseTo(0.95, 15);
    expect(p[0] / p[1]).toBeCloseTo(9, 12);
  });

  it('floors arms pushed below the floor by the rescaling (water-filling)', () => {
    const p = applyTrafficFloor([0.94, 0.05, 0.01], 0.05);
    expect(p).toHaveLength(3);
    expect(p[1]).toBeCloseTo(0.05, 15);
    expect(p[2]).toBeCloseTo(0.05, 15);
    expect(p[0]).toBeCloseTo(0.9, 15);
  });

  it('caps the floor at a uniform share and leaves vectors above it alone', () => {
    expect(applyTrafficFloor([1, 0], 0.8)).toEqual([0.5, 0.5]);
    expect(applyTrafficFloor([0.5, 0.3, 0.2], 0.1)).toEqual([0.5, 0.3, 0.2]);
  });
});
