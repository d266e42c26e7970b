// The ceiling: a bare Fastify 5 server with one trivial POST JSON route (no logging, no schema).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/', async (request) => ({ ok: true, echo: request.body?.x ?? null }));
await app.listen({ port: Number(process.env.PORT ?? 3902), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
