import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPage } from '../../src/visual-editor/fetch-page.js';
import { createSafeDispatcher } from '../../src/visual-editor/safe-dispatcher.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// The dispatcher dials the checked IP; TLS must still be about the host name asked for.
describe.skipIf(!hasOpenssl())('https through the SSRF-safe dispatcher', () => {
  let dir: string;
  let server: Server;
  let port: number;
  let cert: string;
  const seen: Array<{ host?: string; servername?: string | false | null }> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'samplit-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=site.test',
        '-addext',
        'subjectAltName=DNS:site.test',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      seen.push({ host: req.headers.host, servername: (req.socket as TLSSocket).servername });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>over tls</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const options = () => {
    const policy = { allowedAddresses: ['127.0.0.2/32'], allowedPorts: [port] };
    const dispatcher = createSafeDispatcher({
      ...policy,
      ca: cert,
      lookup: async (hostname) => {
        if (hostname === 'site.test' || hostname === 'other.test')
          return [{ address: '127.0.0.2', family: 4 }];
        throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    return { ...policy, dispatcher };
  };

  it('verifies the certificate for the host name and sends it as SNI and Host', async () => {
    const opts = options();
    try {
      const page = await fetchPage(`https://site.test:${port}/`, opts);
      expect(page.html).toBe('<p>over tls</p>');
      expect(seen.at(-1)).toEqual({ host: `site.test:${port}`, servername: 'site.test' });
    } finally {
      await opts.dispatcher.destroy();
    }
  });

  it('refuses a certificate that is not for the host name, though the IP is the same (502)', async () => {
    const opts = options();
    try {
      for (const target of [`https://other.test:${port}/`, `https://127.0.0.2:${port}/`]) {
        await expect(fetchPage(target, opts), target).rejects.toMatchObject({
          code: 'EDITOR_TARGET_008',
          message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID'),
        });
      }
    } finally {
      await opts.dispatcher.destroy();
    }
  });
});
