/**
 * A stand-in for the Samplit server with just what the browser e2e tests touch (register, token,
 * create + start experiment, tracker assign + convert), in memory.
 *
 * Not what CI runs the e2e tests against: that is the real server (SAMPLIT_URL, or `samplit serve`
 * started by the tests). This exists so the SDK's browser behaviour can be checked while the
 * tracker is being built: SAMPLIT_E2E_FAKE=1 npm run test:e2e -w @samplit/sdk
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServedVariant as Variant } from '@samplit/server/tracker-schemas';

export async function startFakeSamplit(): Promise<{ url: string; close(): Promise<void> }> {
  const experiments = new Map<string, { running: boolean; variants: Variant[] }>();
  const assignments = new Map<string, Variant>();
  const conversions = new Set<string>();

  const routes: Record<string, (body: Record<string, unknown>, id: string) => [number, unknown]> = {
    'auth/register': () => [201, { id: randomUUID() }],
    'auth/token': () => [200, { access_token: 'fake', token_type: 'bearer', expires_in: 3600 }],
    experiments: (body) => {
      const id = randomUUID();
      const elementId = randomUUID();
      const variants = (body.variants as Array<{ name: string; content?: unknown }>).map((v, i) => ({
        element_id: elementId,
        element_name: 'Element',
        selector: (body.selector as string | undefined) ?? null,
        variant_id: randomUUID(),
        variant_name: v.name,
        is_control: i === 0,
        content: v.content ?? {},
      }));
      experiments.set(id, { running: false, variants });
      return [
        201,
        { id, status: 'draft', variants: variants.map((v) => ({ id: v.variant_id, name: v.variant_name })) },
      ];
    },
    start: (_, id) => {
      experiments.get(id)!.running = true;
      return [200, { id, status: 'running' }];
    },
    'tracker/assign': (body) => {
      const experiment = experiments.get(String(body.experiment_id));
      if (!experiment)
        return [
          404,
          { error: { code: 'TRACKER_EXPERIMENT_001', message: 'No experiment with this id.', details: [] } },
        ];
      const key = body.experiment_id + '|' + body.browser_id;
      const known = assignments.get(key);
      const chosen = known ?? experiment.variants[Math.floor(Math.random() * experiment.variants.length)];
      assignments.set(key, chosen);
      return [
        200,
        {
          ...body,
          context: undefined,
          eligible: true,
          combination_id: chosen.variant_id,
          new_assignment: !known,
          variants: [chosen],
        },
      ];
    },
    'tracker/convert': (body) => {
      const assigned = assignments.has(body.experiment_id + '|' + body.browser_id);
      const key = body.experiment_id + '|' + body.browser_id + '|' + (body.goal ?? 'conversion');
      const counted = assigned && !conversions.has(key);
      if (assigned) conversions.add(key);
      return [200, { counted }];
    },
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const headers = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type, authorization',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, headers).end();
      return;
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const match = /^\/api\/v1\/(?:experiments\/([\w-]+)\/(start)|([\w/]+))$/.exec(req.url ?? '');
    const route = match && routes[match[2] ?? match[3]];
    const [status, body] = route
      ? route(raw ? JSON.parse(raw) : {}, match[1])
      : [404, { error: { code: 'X', message: 'no route', details: [] } }];
    res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
