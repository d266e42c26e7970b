import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig, MEMORY_DATA_DIR } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { freePorts, SAMPLIT_BIN } from '../helpers/server-process.js';

const SECRET = 'editor-server-test-secret'.padEnd(40, 'x');

describe('visual editor configuration', () => {
  const load = (env: Record<string, string>, overrides = {}) =>
    loadConfig({ SAMPLIT_DATA_DIR: MEMORY_DATA_DIR, ...env }, overrides);

  it('the editor port follows PORT (and --port) unless set; PORT 0 makes it 0', () => {
    expect(load({}).editorPort).toBe(8001);
    expect(load({ PORT: '9000' }).editorPort).toBe(9001);
    expect(load({ PORT: '9000' }, { port: 7000 }).editorPort).toBe(7001);
    expect(load({}, { port: 0 }).editorPort).toBe(0);
    expect(load({ PORT: '9000', SAMPLIT_EDITOR_PORT: '9100' }).editorPort).toBe(9100);
    expect(load({ SAMPLIT_EDITOR_PORT: '0' }).editorPort).toBe(0);
  });

  it('reads the origin, the private switch, ports and CIDRs, and refuses junk at start', () => {
    const config = load({
      SAMPLIT_EDITOR_ORIGIN: 'https://editor.samplit.example/',
      SAMPLIT_EDITOR_ALLOW_PRIVATE: 'true',
      SAMPLIT_EDITOR_ALLOWED_PORTS: '8080, 3000',
      SAMPLIT_EDITOR_ALLOWED_ADDRESSES: '127.0.0.2/32, 10.20.0.0/16',
    });
    expect(config).toMatchObject({
      editorOrigin: 'https://editor.samplit.example',
      editorAllowPrivate: true,
      editorAllowedPorts: [8080, 3000],
      editorAllowedAddresses: ['127.0.0.2/32', '10.20.0.0/16'],
    });
    expect(load({})).toMatchObject({
      editorOrigin: undefined,
      editorAllowPrivate: false,
      editorAllowedPorts: [],
      editorAllowedAddresses: [],
    });
    expect(() => load({ SAMPLIT_EDITOR_ORIGIN: 'editor.example' })).toThrow(/SAMPLIT_EDITOR_ORIGIN/);
    expect(() => load({ SAMPLIT_EDITOR_ORIGIN: 'https://editor.example/path' })).toThrow(/origin/);
    expect(() => load({ SAMPLIT_EDITOR_ALLOW_PRIVATE: 'yes' })).toThrow(/true or false/);
    expect(() => load({ SAMPLIT_EDITOR_ALLOWED_PORTS: '80,http' })).toThrow(/SAMPLIT_EDITOR_ALLOWED_PORTS/);
    expect(() => load({ SAMPLIT_EDITOR_ALLOWED_PORTS: '70000' })).toThrow(/1-65535/);
    expect(() => load({ SAMPLIT_EDITOR_ALLOWED_ADDRESSES: '10.0.0.0' })).toThrow(/not a CIDR/);
  });
});

describe('startServer starts the editor app on its own port', () => {
  const config = (overrides = {}) =>
    loadConfig(
      {},
      {
        dataDir: MEMORY_DATA_DIR,
        jwtSecret: SECRET,
        host: '127.0.0.1',
        port: 0,
        logLevel: 'warn',
        ...overrides,
      },
    );

  it('two origins: the token’s proxy_url names the editor’s actual port; close() stops both', async () => {
    const server = await startServer(config());
    const { url, editorUrl } = server;
    try {
      expect(editorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(editorUrl).not.toBe(url);
      const email = 'editor-server@example.com';
      const password = 'correct horse battery';
      await fetch(`${url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      const { access_token } = await (
        await fetch(`${url}/api/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        })
      ).json();
      const issued = await fetch(`${url}/api/v1/visual-editor/token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json', origin: url },
        body: '{}',
      });
      expect(issued.status).toBe(200);
      const { proxy_url, token } = await issued.json();
      expect(proxy_url).toBe(`${editorUrl}/api/v1/visual-editor/proxy`);
      // The editor app knows the token; the main app does not serve the proxy.
      const viaEditor = await fetch(`${proxy_url}?token=${token}`);
      expect(viaEditor.status).toBe(422);
      expect((await viaEditor.json()).error.code).toBe('EDITOR_TARGET_001');
      const viaMain = await fetch(`${url}/api/v1/visual-editor/proxy?token=${token}`);
      expect(viaMain.status).toBe(404);
      // And the editor origin serves no dashboard and no API.
      for (const path of ['/', '/api/v1/experiments', '/openapi.json']) {
        expect((await fetch(`${editorUrl}${path}`)).status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
    await expect(fetch(`${editorUrl}/`)).rejects.toThrow();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('a taken editor port fails the start with a message that names it, and frees the main port', async () => {
    const [taken, main] = await freePorts(2);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', () => resolve()));
    try {
      await expect(startServer(config({ port: main, editorPort: taken }))).rejects.toThrow(
        `the visual editor's port ${taken} is in use (SAMPLIT_EDITOR_PORT, default PORT+1)`,
      );
      // The main app had listened already; the failed start closed it again.
      const probe = createServer();
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.listen(main, '127.0.0.1', () => resolve());
      });
      await new Promise((resolve) => probe.close(resolve));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('samplit serve', () => {
  it('prints the visual editor’s address after the dashboard line', { timeout: 60_000 }, async () => {
    const [port] = await freePorts(1);
    const child = spawn(
      process.execPath,
      [SAMPLIT_BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          SAMPLIT_DATA_DIR: MEMORY_DATA_DIR,
          SAMPLIT_EDITOR_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Samplit is running')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
      });
      const [dashboard, editor] = stdout.split('\n');
      expect(dashboard).toBe(`Dashboard: http://127.0.0.1:${port}/`);
      expect(editor).toMatch(/^Visual editor: http:\/\/127\.0\.0\.1:\d+\/$/);
      const editorUrl = editor?.slice('Visual editor: '.length) as string;
      const res = await fetch(`${editorUrl}api/v1/visual-editor/proxy`);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('EDITOR_TOKEN_001');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    }
  });
});
