import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  seconds: number;
}

export interface LoadOptions {
  name: string;
  url: string;
  connections: number;
  /** Fixed request count: every request completes, so counts can be checked exactly. */
  amount?: number;
  /** Or a fixed duration in seconds. */
  duration?: number;
  /** Body of the n-th request. */
  body: (n: number) => string;
}

/** One autocannon run (in this process: it is the only work this process does meanwhile). */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: options.body(n++) }),
      },
    ],
  });
  const ok = result['2xx'];
  return {
    name: options.name,
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    reqPerSec: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    seconds: result.duration,
  };
}
