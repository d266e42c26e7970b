import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/db/data-dir-lock.js';
import { freePorts, SAMPLIT_BIN, type ServerProcess, startServer } from './helpers/server-process.js';

/** Runs the CLI to completion and returns its exit code and output. */
function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [SAMPLIT_BIN, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

// Two processes on one PGlite directory would each run their own copy of the database and lose
// each other's writes; the second must refuse, saying who holds the directory.
describe('the embedded database directory belongs to one process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samplit-lock-'));
  const env = { SAMPLIT_DATA_DIR: dir };
  let first: ServerProcess | undefined;
  afterAll(async () => {
    await first?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second server and a second demo, naming the process that holds it', async () => {
    first = await startServer([], env);
    const holder = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    expect(holder.pid).toBeGreaterThan(0);

    const [port] = await freePorts(1);
    const second = runCli(['serve', '--port', String(port), '--host', '127.0.0.1'], env);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`is in use by process ${holder.pid}`);
    expect(second.output).toContain(dir);

    // The demo, pointed at a port where nothing answers, would start its own server on the same
    // directory: it refuses the same way instead of writing where nobody looks.
    const demo = runCli(['demo', '--url', `http://127.0.0.1:${port}`, '--visitors', '10'], env);
    expect(demo.code).toBe(1);
    expect(demo.output).toContain(`is in use by process ${holder.pid}`);

    // The holder is unaffected.
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  }, 120_000);

  it('is released when the server stops, and a stale lock of a dead process is taken over', async () => {
    await first?.stop();
    first = undefined;
    expect(() => readFileSync(join(dir, LOCK_FILE))).toThrow(/ENOENT/);

    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: dead.pid, host: hostname(), started_at: 'earlier', command: 'samplit serve' }),
    );
    first = await startServer([], env);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).not.toBe(dead.pid);
  }, 120_000);
});
