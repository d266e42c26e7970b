/** A probability or rate as a percentage: `pct(0.9712)` → "97%", `pct(0.0778, 2)` → "7.78%". */
export function pct(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

/**
 * A probability near 0 or 1 without claiming certainty: 0.99996 is "> 99.9%", not "100%", and
 * 0.00004 is "< 0.1%" (the posterior never rules an arm out entirely).
 */
export function prob(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x > 0.999) return '> 99.9%';
  if (x < 0.001) return '< 0.1%';
  return `${(x * 100).toFixed(x > 0.1 && x < 0.9 ? 0 : 1)}%`;
}

/** A signed relative change: 0.61 → "+61%", -0.052 → "−5.2%". */
export function signedPct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const abs = Math.abs(x * 100);
  const digits = abs < 10 ? 1 : 0;
  return `${x < 0 ? '−' : '+'}${abs.toFixed(digits)}%`;
}

const integer = new Intl.NumberFormat('en-US');
/** A count with thousands separators: 10000 → "10,000". */
export function count(n: number): string {
  return integer.format(n);
}

/** A Bayes factor: big ones in powers of ten (9155132 → "9.2 × 10⁶"), small ones plainly. */
export function bayesFactor(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  if (x < 1000) return x < 10 ? x.toFixed(1) : x.toFixed(0);
  const exponent = Math.floor(Math.log10(x));
  const superscript = String(exponent).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
  return `${(x / 10 ** exponent).toFixed(1)} × 10${superscript}`;
}

const decimals = new Map<number, Intl.NumberFormat>();
/** A plain number with `digits` decimals and thousands separators: 1234.567 → "1,234.57". */
export function decimal(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  let format = decimals.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    decimals.set(digits, format);
  }
  // −0.00 reads as a loss; a value that rounds to zero is zero.
  return format
    .format(x)
    .replace(/^-(?=[0.,]*$)/, '')
    .replace(/^-/, '−');
}
