import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../errors/app-error.js';

export const AGENT_PATH = '/visual-editor/agent.js';

/** Where `npm run build -w @samplit/sdk` writes the agent bundle. */
export function defaultAgentBundlePath(): string {
  const sdk = createRequire(import.meta.url).resolve('@samplit/sdk/package.json');
  return join(dirname(sdk), 'dist', 'samplit-editor.min.js');
}

/**
 * `GET /visual-editor/agent.js` on the editor app: the script the proxy injects into pages.
 * Read on every request and sent with `no-cache`, so a rebuilt agent reaches the next page
 * load without a restart (the editor is a tool for a few people, not a hot path).
 */
export const agentRoutes: FastifyPluginAsync<{ bundlePath: string }> = async (app, { bundlePath }) => {
  app.get(
    AGENT_PATH,
    { schema: { tags: ['visual-editor'], summary: 'The visual editor’s agent script' } },
    async (_request, reply) => {
      let code: string;
      try {
        code = await readFile(bundlePath, 'utf8');
      } catch {
        throw new AppError('EDITOR_AGENT_001');
      }
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(code);
    },
  );
};
