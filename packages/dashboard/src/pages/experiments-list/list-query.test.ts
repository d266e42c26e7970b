import { describe, expect, it } from 'vitest';
import { isFiltered, listPath, rangeLabel, readListQuery, writeListQuery } from './list-query.js';

describe('the list query in the address', () => {
  it('reads defaults from an empty address and writes them back as nothing', () => {
    const query = readListQuery(new URLSearchParams());
    expect(query).toEqual({ status: null, q: '', archived: false, offset: 0 });
    expect(writeListQuery(query).toString()).toBe('');
    expect(isFiltered(query)).toBe(false);
  });

  it('round-trips every field', () => {
    const query = { status: 'running' as const, q: 'checkout 100%', archived: true, offset: 40 };
    expect(readListQuery(writeListQuery(query))).toEqual(query);
    expect(isFiltered(query)).toBe(true);
  });

  it('ignores an unknown status and a bad offset, and snaps an offset to a page start', () => {
    const read = (s: string) => readListQuery(new URLSearchParams(s));
    expect(read('status=bogus').status).toBeNull();
    expect(read('offset=-20').offset).toBe(0);
    expect(read('offset=abc').offset).toBe(0);
    expect(read('offset=45').offset).toBe(40);
    expect(read('q=%20%20').q).toBe('');
  });

  it('asks the API for one page with only the filters given', () => {
    expect(listPath({ status: null, q: '', archived: false, offset: 0 })).toBe(
      '/experiments?limit=20&offset=0&archived=false',
    );
    expect(listPath({ status: 'paused', q: 'a&b', archived: true, offset: 20 })).toBe(
      '/experiments?limit=20&offset=20&archived=true&status=paused&q=a%26b',
    );
  });
});

describe('rangeLabel', () => {
  it('says which rows of how many are shown', () => {
    expect(rangeLabel(20, 20, 57)).toBe('21–40 of 57');
    expect(rangeLabel(40, 17, 57)).toBe('41–57 of 57');
    expect(rangeLabel(0, 3, 3)).toBe('1–3 of 3');
    expect(rangeLabel(0, 0, 0)).toBe('0 of 0');
  });
});
