import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../bin/samplit.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'samplit-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('samplit demo-data + samplit analyze (the README walk-through)', () => {
  it('names CTA-B × Copy-Y on the default seed', async () => {
    const written = await run(process.execPath, [
      BIN,
      'demo-data',
      '--scenario',
      'seed-multielement',
      '--out',
      dir,
    ]);
    expect(written.stdout).toContain('true winner: CTA-B × Copy-Y');
    const text = await run(process.execPath, [BIN, 'analyze', join(dir, 'seed-multielement.csv')]);
    expect(text.stdout).toContain('Winner: CTA-B × Copy-Y');
    expect(text.stdout).toContain('Element "CTA Button"');
    const json = JSON.parse(
      (await run(process.execPath, [BIN, 'analyze', join(dir, 'seed-multielement.csv'), '--json'])).stdout,
    );
    expect(json.winner).toBe('CTA-B × Copy-Y');
    expect(json.decision.decision).toBe('winner');
    expect(json.found_true_winner).toBe(true);
  }, 60_000);

  it('fails with a message on a file it cannot read', async () => {
    await expect(run(process.execPath, [BIN, 'analyze', join(dir, 'missing.csv')])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('samplit: '),
    });
  }, 60_000);
});
