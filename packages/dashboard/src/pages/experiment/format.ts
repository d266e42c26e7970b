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

/** A signed relative change: 0.123 → "+12.3%", -0.052 → "−5.2%", 18.5 → "+1850%" (whole percents from 100%). */
export function signedPct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const digits = Math.abs(x * 100) < 99.95 ? 1 : 0;
  const text = Math.abs(x * 100).toFixed(digits);
  // A change that rounds to zero has no sign.
  if (Number(text) === 0) return `${text}%`;
  return `${x < 0 ? '−' : '+'}${text}%`;
}

/** An uplift with its 95% interval: "+12.3% [−1.8%, +27.5%]"; without an interval, the uplift alone. */
export function upliftWithInterval(uplift: number, ci: readonly [number, number] | null): string {
  return ci ? `${signedPct(uplift)} [${signedPct(ci[0])}, ${signedPct(ci[1])}]` : signedPct(uplift);
}

/** An e-value as a multiple: 1.74 → "×1.7", 40 → "×40", 9155132 → "×9.2 × 10⁶". */
export function eValue(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `×${bayesFactor(x)}`;
}

/** A z statistic with two decimals, its minus sign typographic: -0.5 → "−0.50". */
export function zScore(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x
    .toFixed(2)
    .replace(/^-(?=[0.]*$)/, '')
    .replace(/^-/, '−');
}

/**
 * A duration in the largest unit that reads well, rounded: 90 s → "2 minutes", 5 h → "5 hours",
 * 4.85 days → "4.9 days", 40 days → "40 days".
 */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 3600) return unit(Math.max(1, Math.round(seconds / 60)), 'minute');
  if (seconds < 48 * 3600) return unit(Math.round(seconds / 3600), 'hour');
  const days = seconds / 86_400;
  return days < 10 ? `${days.toFixed(1)} days` : unit(Math.round(days), 'day');
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
