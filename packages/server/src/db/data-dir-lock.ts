import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'samplit.lock';

interface Holder {
  pid: number;
  host: string;
  started_at: string;
  command: string;
}

/** Another live process has the data directory open. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: Holder,
  ) {
    super(
      `the embedded database in ${dir} is in use by process ${holder.pid} (${holder.command}, started ${holder.started_at}). ` +
        'Stop that process, or use it (its server), or set SAMPLIT_DATA_DIR to another directory. ' +
        `If no such process runs, delete ${join(dir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PGlite is one in-process PostgreSQL per process: two processes opening one data directory
 * each run their own copy, and what one writes the other never sees (and may overwrite). So the
 * directory is locked by the process that opens it: an exclusive-create lock file naming the
 * holder. A lock whose process is gone (a crash, a kill -9), or that names this very pid (a
 * container restarted with the same pid), is stale and taken over.
 */
export function lockDataDir(dir: string): { release(): void } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    started_at: new Date().toISOString(),
    command: process.argv.slice(1).join(' ') || 'node',
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && (holder.host !== me.host || alive(holder.pid))) {
        throw new DataDirLockedError(dir, holder);
      }
      unlinkSync(file); // stale: its process is gone
    }
  }
  const release = () => {
    process.off('exit', release);
    if (readHolder(file)?.pid === process.pid) unlinkSync(file);
  };
  // A process that exits without closing the database (an uncaught error) still frees it.
  process.on('exit', release);
  return { release };
}
