import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, loadConfig, MEMORY_DATA_DIR } from '../../src/config.js';
import {
  type BuildEditorAppOptions,
  buildEditorApp,
  type EditorApp,
} from '../../src/visual-editor/editor-app.js';

export interface TestEditorApp {
  app: EditorApp;
  config: Config;
  /** http://127.0.0.1:port, listening for real. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The visual editor's app on 127.0.0.1, port 0, with `overrides` on the test config. */
export async function startTestEditorApp(
  overrides: Partial<Config>,
  options: Omit<BuildEditorAppOptions, 'config'> = {},
): Promise<TestEditorApp> {
  const config = loadConfig({}, { dataDir: MEMORY_DATA_DIR, ...overrides });
  const app = await buildEditorApp({ config, logger: false, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, config, url: `http://127.0.0.1:${port}`, port, close: () => app.close() };
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TargetSite {
  server: Server;
  /** Requests this server received, by path. */
  requests: string[];
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function site(handler: Handler): TargetSite {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  });
  return {
    server,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A stand-in public site on 127.0.0.2 (tests allow 127.0.0.2/32) and a site that must never be
 * reached on 127.0.0.1, on the SAME port, so that a check that let 127.0.0.1 through, or a dial
 * to an address other than the one checked, would show up as a request counted on `blocked`.
 */
export async function startTargetSites(
  publicHandler: Handler,
): Promise<{ public: TargetSite; blocked: TargetSite; port: number; close(): Promise<void> }> {
  for (let attempt = 0; ; attempt++) {
    const open = site(publicHandler);
    await listen(open.server, '127.0.0.2', 0);
    const { port } = open.server.address() as AddressInfo;
    const blocked = site((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<p>internal secret</p>');
    });
    try {
      await listen(blocked.server, '127.0.0.1', port);
    } catch (error) {
      await open.close();
      if (attempt >= 20) throw error;
      continue;
    }
    return {
      public: open,
      blocked,
      port,
      close: async () => {
        await Promise.all([open.close(), blocked.close()]);
      },
    };
  }
}
