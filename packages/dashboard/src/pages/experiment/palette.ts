// Ten distinguishable hues (Tableau 10, darkened to keep 3:1 contrast on white for lines).
const PALETTE = [
  '#2f6db5',
  '#e06c00',
  '#2e8b3d',
  '#c62828',
  '#7b4fb0',
  '#8c5a3c',
  '#c2477f',
  '#5f6368',
  '#8a8a00',
  '#12838f',
];

/** The colour of the n-th drawn series. */
export function seriesColor(n: number): string {
  return PALETTE[n % PALETTE.length];
}

/** Grey for the pooled "other combinations" band. */
export const OTHER_COLOR = '#b8bec9';
