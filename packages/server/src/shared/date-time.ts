/** RFC 3339 date-time with a mandatory offset; fractions beyond microseconds are PostgreSQL's to round. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.\d{1,9})?(?:[Zz]|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

// Both PostgreSQL's timestamptz and JS Dates go far beyond these years, but not by the same rules
// (year 0, proleptic calendars, ±275760): four-digit years mean the same instant to both.
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The `date-time` format: an RFC 3339 timestamp that is a real calendar date (V8 reads
 * 2023-02-30 as 2 March), with no leap second (a JS Date has none), whose instant lies in years
 * 0001–9999.
 */
export function isStorableDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  const ms = Date.parse(text.replace(' ', 'T').toUpperCase());
  return ms >= EARLIEST && ms <= LATEST;
}
