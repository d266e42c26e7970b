import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const lua = (name: string) => fileURLToPath(new URL(`./lua/${name}`, import.meta.url));

export interface WrkResult {
  name: string;
  reqPerSec: number;
  /** Requests completed in the timed run. */
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

/** wrk prints latencies with units (us, ms, s); milliseconds here. */
function toMs(value: string | undefined): number {
  const match = value?.match(/^([\d.]+)(us|ms|s)$/);
  if (!match) return Number.NaN;
  const n = Number(match[1]);
  return match[2] === 'us' ? n / 1000 : match[2] === 's' ? n * 1000 : n;
}

/** One timed wrk run (one thread, like the peer benchmark), after a short warm-up. */
export async function wrk(options: {
  name: string;
  url: string;
  script: 'tracker.lua' | 'scale.lua' | 'post-json.lua' | 'unleash-assign.lua' | 'unleash-convert.lua';
  connections: number;
  seconds: number;
  env?: Record<string, string>;
}): Promise<WrkResult> {
  const env = { ...process.env, ...options.env };
  const args = (seconds: number) => [
    '-t1',
    `-c${options.connections}`,
    `-d${seconds}s`,
    '--timeout',
    '5s',
    '--latency',
    '-s',
    lua(options.script),
    options.url,
  ];
  const { stdout } = await run('wrk', args(options.seconds), { env, maxBuffer: 1 << 20 });
  const line = (re: RegExp) => stdout.match(re)?.[1];
  const socket = stdout.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    name: options.name,
    reqPerSec: Number(line(/Requests\/sec:\s+([\d.]+)/)),
    requests: Number(line(/(\d+) requests in/)),
    p50: toMs(line(/^\s+50%\s+(\S+)/m)),
    p99: toMs(line(/^\s+99%\s+(\S+)/m)),
    errors:
      Number(line(/Non-2xx or 3xx responses: (\d+)/) ?? 0) +
      (socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0),
  };
}

export async function ensureWrk(): Promise<void> {
  try {
    await run('wrk', ['--version']).catch((e) => {
      if (e.code === 'ENOENT') throw e;
    });
  } catch {
    throw new Error("wrk is not installed: apt-get install -y wrk (Debian's package)");
  }
}
