import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ExperimentStructure } from '../experiments/experiment-store.js';
import { type ExportGoal, exportLayout, exportStream, type FetchPage } from './csv-export.js';
import type { ExportRow } from './stats-store.js';

const structure: ExperimentStructure = {
  elements: [
    {
      id: 'e1',
      name: 'probability', // collides with a fixed column: renamed
      selector: null,
      variants: [
        { id: 'v1', element_id: 'e1', name: 'A', weight: 1, is_control: true, content: {} },
        { id: 'v2', element_id: 'e1', name: 'B, "quoted"', weight: 1, is_control: false, content: {} },
      ],
    },
  ],
  combinations: [
    { id: 'c1', variant_ids: ['v1'], weight: 1 },
    { id: 'c2', variant_ids: ['v2'], weight: 1 },
  ],
};

/** A fake store of `total` assignments that counts how many rows it has handed out. */
function fakeStore(total: number) {
  const state = { fetched: 0, calls: 0 };
  const fetchPage: FetchPage = async (after, limit) => {
    state.calls++;
    const start = after === null ? 0 : Number(after.slice(1)) + 1;
    const rows: ExportRow[] = [];
    for (let i = start; i < Math.min(total, start + limit); i++) {
      rows.push({
        browser_id: `v${String(i).padStart(7, '0')}`,
        combination_id: i % 2 ? 'c2' : 'c1',
        assigned_at: new Date(Date.UTC(2025, 0, 1, 0, 0, i % 60)),
        probability: 0.5,
        goals: i % 10 === 0 ? [{ goal: 'conversion', events: 1, value: 0 }] : [],
      });
    }
    state.fetched += rows.length;
    return rows;
  };
  return { state, fetchPage };
}

const CONVERSION: ExportGoal = { key: 'conversion', kind: 'conversion' };

describe('exportStream', () => {
  it('gives a revenue goal its visitors’ summed values and a count goal their events', async () => {
    const layout = exportLayout(structure, [
      { key: 'purchase', kind: 'revenue' },
      { key: 'pageview', kind: 'count' },
      CONVERSION,
    ]);
    expect(layout.columns.slice(-5)).toEqual([
      'converted_purchase',
      'value_purchase',
      'converted_pageview',
      'events_pageview',
      'converted_conversion',
    ]);
    const fetchPage: FetchPage = async (after) =>
      after !== null
        ? []
        : [
            {
              browser_id: 'a',
              combination_id: 'c1',
              assigned_at: new Date(0),
              probability: 0.5,
              goals: [
                { goal: 'purchase', events: 2, value: 59.5 },
                { goal: 'pageview', events: 7, value: 0 },
              ],
            },
            { browser_id: 'b', combination_id: 'c2', assigned_at: new Date(0), probability: 0.5, goals: [] },
          ];
    let text = '';
    for await (const chunk of exportStream(layout, fetchPage)) text += chunk;
    const rows: string[][] = parse(text);
    expect(rows[1].slice(-5)).toEqual(['1', '59.5', '1', '7', '0']);
    expect(rows[2].slice(-5)).toEqual(['0', '0', '0', '0', '0']);
  });

  it('writes the header, quotes what needs quoting and renames colliding element columns', async () => {
    const layout = exportLayout(structure, [CONVERSION, { key: 'signup', kind: 'conversion' }]);
    expect(layout.columns).toEqual([
      'visitor_id',
      'combination_id',
      'combination',
      'probability (2)',
      'assigned_at',
      'probability',
      'converted_conversion',
      'converted_signup',
    ]);
    const { fetchPage } = fakeStore(3);
    let text = '';
    for await (const chunk of exportStream(layout, fetchPage, 2)) text += chunk;
    expect(text.split('\n')[2]).toBe(
      'v0000001,c2,"B, ""quoted""","B, ""quoted""",2025-01-01T00:00:01.000Z,0.5,0,0',
    );
    const rows = parse(text, { columns: true });
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      visitor_id: 'v0000000',
      'probability (2)': 'A',
      converted_conversion: '1',
    });
  });

  it('prefixes every string cell a spreadsheet would evaluate with a quote, header included', async () => {
    const hostile: ExperimentStructure = {
      elements: [
        {
          id: 'e1',
          name: "=cmd|' /C calc'!A0",
          selector: null,
          variants: [
            { id: 'v1', element_id: 'e1', name: '@SUM(A1)', weight: 1, is_control: true, content: {} },
            { id: 'v2', element_id: 'e1', name: 'Plain', weight: 1, is_control: false, content: {} },
          ],
        },
      ],
      combinations: [
        { id: 'c1', variant_ids: ['v1'], weight: 1 },
        { id: 'c2', variant_ids: ['v2'], weight: 1 },
      ],
    };
    const visitors = [
      '=HYPERLINK("http://evil","x")',
      '+1+1',
      '-2',
      '@x',
      '\t=1',
      '\r=1',
      '\uFF1D1',
      'a=1',
      "'=1",
    ];
    const fetchPage: FetchPage = async (after) =>
      after !== null
        ? []
        : visitors.map((browser_id, i) => ({
            browser_id,
            combination_id: i % 2 ? 'c2' : 'c1',
            assigned_at: new Date(Date.UTC(2025, 0, 1)),
            probability: 0.5,
            goals: [{ goal: 'conversion', events: 1, value: 0 }],
          }));
    let text = '';
    for await (const chunk of exportStream(exportLayout(hostile, [CONVERSION]), fetchPage)) text += chunk;
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      "visitor_id,combination_id,combination,'=cmd|' /C calc'!A0,assigned_at,probability,converted_conversion",
    );
    // Quoted as csv-stringify quotes any cell: for its quotes, commas and line breaks.
    expect(lines[1]).toBe(
      `"'=HYPERLINK(""http://evil"",""x"")",c1,'@SUM(A1),'@SUM(A1),2025-01-01T00:00:00.000Z,0.5,1`,
    );
    const rows: string[][] = parse(text);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      '\'=HYPERLINK("http://evil","x")',
      "'+1+1",
      "'-2",
      "'@x",
      "'\t=1",
      "'\r=1",
      "'\uFF1D1",
      'a=1', // only the first character counts
      "'=1", // already starts with a quote: left alone
    ]);
    expect(rows[2].slice(2, 4)).toEqual(['Plain', 'Plain']);
    // The server's own numbers are written as numbers.
    expect(rows.slice(1).every((r) => r[5] === '0.5' && r[6] === '1')).toBe(true);
  });

  it('fetches the next page only when the reader wants it, so memory stays at a few pages', async () => {
    const pageSize = 1000;
    const total = 200_000;
    const { state, fetchPage } = fakeStore(total);
    const layout = exportLayout(structure, [CONVERSION]);
    let lines = 0;
    let maxAhead = 0;
    const slowReader = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        for (const byte of chunk) if (byte === 10) lines++;
        // Rows handed out by the store but not yet written to the client.
        maxAhead = Math.max(maxAhead, state.fetched - (lines - 1));
        setImmediate(callback);
      },
    });
    await pipeline(exportStream(layout, fetchPage, pageSize), slowReader);
    expect(lines).toBe(total + 1);
    expect(state.calls).toBe(total / pageSize + 1);
    // A 200-page export never had more than a few pages in flight.
    expect(maxAhead).toBeLessThan(4 * pageSize);
  });

  it('ends the stream with the error when a page fails', async () => {
    const layout = exportLayout(structure, [CONVERSION]);
    let calls = 0;
    const failing: FetchPage = async () => {
      if (++calls > 1) throw new Error('connection lost');
      return [{ browser_id: 'a', combination_id: 'c1', assigned_at: new Date(0), probability: 1, goals: [] }];
    };
    const read = async () => {
      for await (const _ of exportStream(layout, failing, 1)) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow('connection lost');
  });
});
