import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/database.js';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];
/** The route a child store counts for (@fastify/rate-limit passes the route's options). */
type RouteParams = { routeInfo?: { method?: string | string[]; url?: string } };

// One fixed window per key, on the database's clock so that every host agrees where it starts.
const HIT_SQL = `
INSERT INTO rate_limit_hits (key, window_start, hits)
VALUES ($1, to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / $2::float8) * $2::float8 / 1000), 1)
ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
RETURNING hits,
  (extract(epoch FROM window_start) * 1000 + $2::float8 - extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ttl`;

// Windows are minutes to an hour long; a day-old one is dead. Swept on about one hit in CLEANUP_EVERY.
const CLEANUP_SQL = `DELETE FROM rate_limit_hits WHERE window_start < now() - interval '1 day'`;
const CLEANUP_EVERY = 200;

/**
 * A store for @fastify/rate-limit that counts in the database, so a limit holds across every
 * process and host that shares it (`--workers N`, several servers behind a load balancer), where
 * the plugin's default in-memory store would give each process its own full quota. Each route
 * limited this way counts in its own namespace. Meant for the rare, expensive requests (sign-up,
 * token), not for the tracker's hot path.
 */
export function databaseRateLimitStore(db: Database): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    private readonly namespace: string;

    constructor(params: RouteParams = {}) {
      const route = params.routeInfo;
      this.namespace = route?.url ? `${[route.method].flat().join(',')} ${route.url}` : 'global';
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      db.query<{ hits: number; ttl: number }>(HIT_SQL, [`${this.namespace}|${key}`, timeWindow]).then(
        ([row]) => callback(null, { current: row.hits, ttl: Math.max(0, Math.round(row.ttl)) }),
        (error: Error) => callback(error),
      );
      if (Math.random() * CLEANUP_EVERY < 1) db.query(CLEANUP_SQL).catch(() => {});
    }

    child(params: object) {
      return new DatabaseRateLimitStore(params as RouteParams);
    }
  };
}
