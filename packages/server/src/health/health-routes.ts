import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  database: Type.Object({
    kind: Type.String(),
    status: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
    latency_ms: Type.Number(),
  }),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Database; version: string }> = async (
  app,
  { db, version },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, with a database round trip',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const started = performance.now();
      let ok = true;
      try {
        await db.query('SELECT 1');
      } catch {
        ok = false;
      }
      const latency = Math.round((performance.now() - started) * 100) / 100;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'degraded',
        version,
        database: { kind: db.kind, status: ok ? 'ok' : 'unreachable', latency_ms: latency },
      });
    },
  );
};
