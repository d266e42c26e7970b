import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { classifyDatabaseError, isDatabaseUnavailable } from '../db/availability.js';
import type { Database } from '../db/database.js';

/**
 * The longest /health waits for the database. Orchestrators give up on a probe after a few
 * seconds (1 s is the Kubernetes default: set timeoutSeconds ≥ 2), and a server that cannot answer
 * SELECT 1 in this long cannot serve the tracker either (the ping's timeout opens the circuit).
 */
export const HEALTH_TIMEOUT_MS = 1500;

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  database: Type.Object({
    kind: Type.String(),
    status: Type.Union([Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('timeout')], {
      description:
        '`unreachable`: refused, broken, or not tried because the circuit is open; `timeout`: no answer within the bound.',
    }),
    latency_ms: Type.Number(),
    circuit: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half_open')], {
      description:
        'closed: statements run; open: they fail at once (503) after a connection failure; half_open: one probe is let through.',
    }),
    retry_after_seconds: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
});

type DatabaseStatus = 'ok' | 'unreachable' | 'timeout';

function statusOf(error: unknown): DatabaseStatus {
  const reason = isDatabaseUnavailable(error) ? error.reason : classifyDatabaseError(error);
  return reason === 'timeout' || reason === 'busy' ? 'timeout' : 'unreachable';
}

/** The database's answer to one ping, or 'timeout' once `ms` have passed (the ping goes on). */
async function probe(db: Database, ms: number): Promise<DatabaseStatus> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<DatabaseStatus>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([db.ping(ms).then(() => 'ok' as const, statusOf), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Database; version: string }> = async (
  app,
  { db, version },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, with a database round trip bounded in time',
        description: `200 when the database answered a ping; 503 with Retry-After when it did not within ${HEALTH_TIMEOUT_MS} ms, refused, or the circuit is open.`,
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const started = performance.now();
      const status = await probe(db, HEALTH_TIMEOUT_MS);
      const latency = Math.round((performance.now() - started) * 100) / 100;
      const circuit = db.availability();
      const ok = status === 'ok';
      if (!ok) reply.header('retry-after', String(Math.max(1, circuit.retry_after_seconds)));
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        version,
        database: {
          kind: db.kind,
          status,
          latency_ms: latency,
          circuit: circuit.state,
          ...(circuit.state === 'closed' ? {} : { retry_after_seconds: circuit.retry_after_seconds }),
        },
      });
    },
  );
};
