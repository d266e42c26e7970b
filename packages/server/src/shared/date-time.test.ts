import { describe, expect, it } from 'vitest';
import { isStorableDateTime } from './date-time.js';

describe('isStorableDateTime', () => {
  it.each([
    '2024-02-29T12:00:00Z',
    '2024-06-01T08:30:00.123456+02:00',
    '2024-06-01t08:30:00z',
    '2024-06-01 08:30:00-05:00',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ])('accepts %s', (text) => expect(isStorableDateTime(text)).toBe(true));

  it.each([
    ['2023-02-29T00:00:00Z', 'not a leap year'],
    ['2023-04-31T00:00:00Z', 'April has 30 days'],
    ['2023-13-01T00:00:00Z', 'month 13'],
    ['2023-01-00T00:00:00Z', 'day 0'],
    ['2023-01-01T24:00:00Z', 'hour 24'],
    ['2016-12-31T23:59:60Z', 'a leap second'],
    ['0000-01-01T00:00:00Z', 'year 0'],
    ['0001-01-01T00:00:00+01:00', 'an instant in year 0'],
    ['9999-12-31T23:00:00-02:00', 'an instant in year 10000'],
    ['+275760-09-13T00:00:00Z', 'a six-digit year'],
    ['2023-01-01T00:00:00', 'no offset'],
    ['2023-01-01T00:00:00+15:00', 'an offset no zone has'],
    ['2023-01-01', 'a date alone'],
  ])('refuses %s (%s)', (text) => expect(isStorableDateTime(text)).toBe(false));
});
