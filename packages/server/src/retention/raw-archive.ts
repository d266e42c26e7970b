import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import { RAW_TABLES, type RawTable, type RetentionStore } from './retention-store.js';

const PAGE = 10_000;

const cell = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * Writes one raw table of an experiment to `<dir>/<experiment id>/<table>-<stamp>.csv.gz` (a header
 * row, then every row in key order, read a page at a time) and returns its path. The file appears
 * under its name only once complete, so a run stopped part-way leaves no file that looks whole;
 * each run's stamp differs, so a later run never overwrites an earlier run's archive.
 */
export async function archiveRawTable(
  store: RetentionStore,
  experimentId: string,
  table: RawTable,
  dir: string,
  stamp: string,
  onRows: (n: number) => void,
): Promise<string> {
  const { key, columns } = RAW_TABLES[table];
  await mkdir(join(dir, experimentId), { recursive: true });
  const path = join(dir, experimentId, `${table}-${stamp}.csv.gz`);
  async function* lines() {
    yield stringify([columns]);
    let after: string | null = null;
    for (;;) {
      const rows = await store.page(experimentId, table, after, PAGE);
      if (rows.length === 0) return;
      yield stringify(rows.map((r) => columns.map((c) => cell(r[c]))));
      onRows(rows.length);
      after = String(rows[rows.length - 1][key]);
    }
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(`${path}.partial`, { flush: true }));
  await rename(`${path}.partial`, path);
  return path;
}
