import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyTokenService } from '../../src/visual-editor/proxy-token.js';
import { createSafeDispatcher, type LookupAll } from '../../src/visual-editor/safe-dispatcher.js';
import { startTargetSites, startTestEditorApp, type TestEditorApp } from '../helpers/editor-app.js';

const SECRET = 'ssrf-test-secret'.padEnd(40, 'x');
const DEADLINE_MS = 1000;
const MB = 1024 * 1024;

/** Host names the injected resolver knows; `rebind.test` answers differently each time. */
function fakeLookup(port: number) {
  let rebindCalls = 0;
  const calls: string[] = [];
  const lookup: LookupAll = async (hostname) => {
    calls.push(hostname);
    switch (hostname) {
      case 'site.test':
        return [{ address: '127.0.0.2', family: 4 }];
      case 'internal.test':
        return [{ address: '10.0.0.5', family: 4 }];
      case 'metadata.test':
        return [{ address: '169.254.169.254', family: 4 }];
      case 'mixed.test':
        // One good address and one bad one in the same answer: the whole answer is refused.
        return [
          { address: '127.0.0.2', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ];
      case 'fallback.test':
        // Nothing listens on 127.0.0.3: the connect falls back to the next checked address.
        return [
          { address: '127.0.0.3', family: 4 },
          { address: '127.0.0.2', family: 4 },
        ];
      case 'mapped.test':
        return [{ address: '::ffff:127.0.0.1', family: 6 }];
      case 'rebind.test':
        rebindCalls++;
        return [{ address: rebindCalls === 1 ? '127.0.0.2' : '127.0.0.1', family: 4 }];
      default:
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
  };
  return { lookup, calls, port, rebindCalls: () => rebindCalls };
}

describe('the visual editor proxy refuses what it must not fetch (SSRF table)', () => {
  let sites: Awaited<ReturnType<typeof startTargetSites>>;
  let v6Blocked: Server | undefined;
  let v6Requests = 0;
  let editor: TestEditorApp;
  let resolver: ReturnType<typeof fakeLookup>;
  let token: string;
  let port: number;
  let closedPort: number;

  beforeAll(async () => {
    sites = await startTargetSites((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const hops = /^\/hops\/(\d+)$/.exec(url.pathname);
      if (hops) {
        const left = Number(hops[1]);
        if (left === 0) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>arrived</p>');
        return void res.writeHead(302, { location: `/hops/${left - 1}` }).end();
      }
      switch (url.pathname) {
        case '/page':
          return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>public</p>');
        case '/to-loopback':
          return void res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
        case '/to-metadata':
          return void res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        case '/to-internal-name':
          return void res.writeHead(307, { location: `http://internal.test:${port}/` }).end();
        case '/to-port':
          return void res.writeHead(302, { location: 'http://127.0.0.2:6379/' }).end();
        case '/to-file':
          return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
        case '/rebind':
          // A new connection for the next hop, so its host name is looked up again.
          return void res
            .writeHead(302, { location: `http://rebind.test:${port}/second`, connection: 'close' })
            .end();
        case '/big-declared':
          res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(6 * MB) });
          return void res.write('<p>'.padEnd(64 * 1024, 'x'));
        case '/big-streamed': {
          res.writeHead(200, { 'content-type': 'text/html' });
          const chunk = Buffer.alloc(256 * 1024, 'x');
          let sent = 0;
          const more = () => {
            while (sent < 6 * MB && !res.destroyed) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', more);
            }
            res.end();
          };
          return void more();
        }
        case '/gzip-bomb':
          // 1 MB on the wire, 8 MB once inflated: the cap applies to what comes out.
          return void res
            .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
            .end(gzipSync(Buffer.alloc(8 * MB, 'x')));
        case '/trickle': {
          res.writeHead(200, { 'content-type': 'text/html' });
          const timer = setInterval(() => res.write('x'), 100);
          return void res.on('close', () => clearInterval(timer));
        }
        case '/no-headers':
          return; // never answers
        case '/png':
          return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50]));
        case '/json':
          return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        case '/untyped':
          return void res.writeHead(200).end('<p>no type</p>');
        case '/missing':
          return void res.writeHead(404, { 'content-type': 'text/html' }).end('<p>not found</p>');
        case '/broken':
          return void res.writeHead(500, { 'content-type': 'text/html' }).end('<p>oops</p>');
        default:
          return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${url.pathname}</p>`);
      }
    });
    port = sites.port;
    // The same port on ::1, where IPv6 loopback spellings would land.
    v6Blocked = createServer((_req, res) => {
      v6Requests++;
      res.end('secret');
    });
    await new Promise<void>((resolve) => {
      v6Blocked?.once('error', () => {
        v6Blocked = undefined;
        resolve();
      });
      v6Blocked?.listen(port, '::1', () => resolve());
    });
    // A port nothing listens on (allowed, so that the connect itself fails).
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.2', () => resolve()));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    resolver = fakeLookup(port);
    editor = await startTestEditorApp(
      {
        jwtSecret: SECRET,
        editorAllowedAddresses: ['127.0.0.2/32', '127.0.0.3/32'],
        // The sites' port is allowed, so every refusal below on that port is the address check's.
        editorAllowedPorts: [port, closedPort],
      },
      { lookup: resolver.lookup, limits: { deadlineMs: DEADLINE_MS } },
    );
    token = createProxyTokenService(SECRET).issue({
      userId: '00000000-0000-4000-8000-000000000001',
      parentOrigin: 'http://dashboard.test',
    }).token;
  });

  afterAll(async () => {
    await editor?.close();
    await sites?.close();
    await new Promise((resolve) => (v6Blocked ? v6Blocked.close(resolve) : resolve(undefined)));
  });

  async function proxy(target: string) {
    const res = await fetch(
      `${editor.url}/api/v1/visual-editor/proxy?url=${encodeURIComponent(target)}&token=${token}`,
    );
    const text = await res.text();
    return {
      status: res.status,
      text,
      body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
    };
  }

  function expectNothingReachedBlocked() {
    expect(sites.blocked.requests).toEqual([]);
    expect(v6Requests).toBe(0);
  }

  it('serves an allowed page (control case: the table below fails for its stated reason)', async () => {
    const res = await proxy(`http://127.0.0.2:${port}/page`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<p>public</p>');
    const byName = await proxy(`http://site.test:${port}/page`);
    expect(byName.status).toBe(200);
    const fallback = await proxy(`http://fallback.test:${port}/page`);
    expect(fallback.status).toBe(200);
    expect(fallback.text).toContain('<p>public</p>');
  });

  // [url, what the message must say]; every one is 403 EDITOR_TARGET_002 on an allowed port
  // (PORT: the sites' port, where the blocked site listens on 127.0.0.1 and ::1).
  const BLOCKED: Array<[string, string]> = [
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254, a link-local address'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'fd00:ec2::254, a unique-local address'],
    ['http://[::ffff:127.0.0.1]:PORT/', '127.0.0.1, a loopback address'],
    ['http://[::1]:PORT/', '::1, a loopback address'],
    ['http://0:PORT/', '0.0.0.0, an unspecified address'],
    ['http://0.0.0.0:PORT/', '0.0.0.0, an unspecified address'],
    ['http://[::]:PORT/', '::, an unspecified address'],
    ['http://2130706433:PORT/', '127.0.0.1, a loopback address'],
    ['http://0177.0.0.1:PORT/', '127.0.0.1, a loopback address'],
    ['http://0x7f.0.0.1:PORT/', '127.0.0.1, a loopback address'],
    ['http://0x7f000001:PORT/', '127.0.0.1, a loopback address'],
    ['http://127.1:PORT/', '127.0.0.1, a loopback address'],
    ['http://127.0.0.1:PORT/', '127.0.0.1, a loopback address'],
    ['http://localhost:PORT/', 'localhost resolves to 127.0.0.1, a loopback address'],
    ['http://localhost.:PORT/', 'localhost. resolves to 127.0.0.1, a loopback address'],
    ['http://app.localhost:PORT/', 'app.localhost resolves to 127.0.0.1, a loopback address'],
    ['http://10.0.0.1/', '10.0.0.1, a private address'],
    ['http://10.255.255.255/', '10.255.255.255, a private address'],
    ['http://172.16.0.1/', '172.16.0.1, a private address'],
    ['http://172.31.255.254/', '172.31.255.254, a private address'],
    ['http://192.168.1.1/', '192.168.1.1, a private address'],
    ['http://100.64.0.1/', '100.64.0.1, a carrier-grade NAT'],
    ['http://100.127.255.254/', '100.127.255.254, a carrier-grade NAT'],
    ['http://224.0.0.1/', '224.0.0.1, a multicast address'],
    ['http://239.255.255.250/', '239.255.255.250, a multicast address'],
    ['http://240.0.0.1/', '240.0.0.1, a reserved address'],
    ['http://255.255.255.255/', '255.255.255.255, the broadcast address'],
    ['http://192.0.2.10/', '192.0.2.10, a reserved address'],
    ['http://[fc00::1]/', 'fc00::1, a unique-local address'],
    ['http://[fdff:ffff::1]/', 'fdff:ffff::1, a unique-local address'],
    ['http://[fe80::1]/', 'fe80::1, a link-local address'],
    ['http://[ff02::1]/', 'ff02::1, a multicast address'],
    ['http://[ff00::]/', 'ff00::, a multicast address'],
    ['http://[64:ff9b::7f00:1]/', '64:ff9b::7f00:1, a NAT64 address'],
    ['http://[2002:7f00:1::]/', '2002:7f00:1::, a 6to4 address'],
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'a Teredo address'],
    ['http://[::7f00:1]/', '::7f00:1, an address outside IPv6 global unicast space'],
    ['http://[::ffff:0:7f00:1]/', 'an IPv4-translated address'],
    ['http://[2001:db8::1]/', '2001:db8::1, a reserved address'],
    ['http://internal.test:PORT/', 'internal.test resolves to 10.0.0.5, a private address'],
    ['http://metadata.test/', 'metadata.test resolves to 169.254.169.254, a link-local address'],
    ['http://mixed.test:PORT/', 'mixed.test resolves to 127.0.0.1, a loopback address'],
    ['http://mapped.test:PORT/', 'mapped.test resolves to 127.0.0.1, a loopback address'],
  ];

  it.each(BLOCKED)('refuses %s (403 EDITOR_TARGET_002: %s)', async (target, reason) => {
    const res = await proxy(target.replace('PORT', String(port)));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('EDITOR_TARGET_002');
    expect(res.body.error.message).toContain(reason);
    expect(res.body.error.details).toEqual([{ field: 'url', message: expect.stringContaining(reason) }]);
    expectNothingReachedBlocked();
  });

  it('refuses a redirect chain that ends at a blocked address, wherever the redirect points', async () => {
    for (const [path, reason] of [
      ['/to-loopback', '127.0.0.1, a loopback address'],
      ['/to-metadata', '169.254.169.254, a link-local address'],
      ['/to-internal-name', 'internal.test resolves to 10.0.0.5'],
    ]) {
      const res = await proxy(`http://127.0.0.2:${port}${path}`);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('EDITOR_TARGET_002');
      expect(res.body.error.message).toContain(reason);
    }
    const toPort = await proxy(`http://127.0.0.2:${port}/to-port`);
    expect([toPort.status, toPort.body.error.code]).toEqual([403, 'EDITOR_TARGET_003']);
    const toFile = await proxy(`http://127.0.0.2:${port}/to-file`);
    expect([toFile.status, toFile.body.error.code]).toEqual([422, 'EDITOR_TARGET_001']);
    expect(toFile.body.error.message).toContain('file:');
    expect(sites.public.requests).toEqual(
      expect.arrayContaining(['/to-loopback', '/to-metadata', '/to-port']),
    );
    expectNothingReachedBlocked();
  });

  it('DNS rebinding: the second lookup answers 127.0.0.1, and nothing is dialled there', async () => {
    const before = resolver.rebindCalls();
    const res = await proxy(`http://rebind.test:${port}/rebind`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('EDITOR_TARGET_002');
    expect(res.body.error.message).toContain('rebind.test resolves to 127.0.0.1, a loopback address');
    // The first answer (127.0.0.2) was checked and dialled; the second was checked and refused.
    expect(resolver.rebindCalls() - before).toBe(2);
    expect(sites.public.requests).toContain('/rebind');
    expect(sites.public.requests).not.toContain('/second');
    expectNothingReachedBlocked();
  });

  it('the dispatcher itself checks literal IPs (no resolver is asked) and every resolved address', async () => {
    const dispatcher = createSafeDispatcher({
      allowedAddresses: ['127.0.0.2/32'],
      allowedPorts: [port],
      lookup: resolver.lookup,
    });
    try {
      const calls = resolver.calls.length;
      await expect(request(`http://127.0.0.1:${port}/`, { dispatcher })).rejects.toMatchObject({
        code: 'EDITOR_TARGET_002',
        message: expect.stringContaining('127.0.0.1, a loopback address'),
      });
      await expect(request(`http://[::ffff:7f00:1]:${port}/`, { dispatcher })).rejects.toMatchObject({
        code: 'EDITOR_TARGET_002',
      });
      await expect(request(`http://mixed.test:${port}/`, { dispatcher })).rejects.toMatchObject({
        code: 'EDITOR_TARGET_002',
      });
      await expect(request('http://127.0.0.2:6379/', { dispatcher })).rejects.toMatchObject({
        code: 'EDITOR_TARGET_003',
      });
      expect(resolver.calls.length - calls).toBe(1); // mixed.test only
      const ok = await request(`http://site.test:${port}/page`, { dispatcher });
      expect(ok.statusCode).toBe(200);
      expect(await ok.body.text()).toBe('<p>public</p>');
      expectNothingReachedBlocked();
    } finally {
      await dispatcher.destroy();
    }
  });

  it('follows 5 redirects and refuses the 6th (422 EDITOR_TARGET_004)', async () => {
    const five = await proxy(`http://127.0.0.2:${port}/hops/5`);
    expect(five.status).toBe(200);
    expect(five.text).toContain('arrived');
    const six = await proxy(`http://127.0.0.2:${port}/hops/6`);
    expect(six.status).toBe(422);
    expect(six.body.error.code).toBe('EDITOR_TARGET_004');
    expect(six.body.error.message).toContain('more than 5 times');
    expect(sites.public.requests.filter((r) => r === '/hops/0')).toHaveLength(1); // only the 5-hop chain arrived
  });

  it('refuses a body over 5 MB, declared or streamed or inflated (422 EDITOR_TARGET_005)', async () => {
    for (const path of ['/big-declared', '/big-streamed', '/gzip-bomb']) {
      const res = await proxy(`http://127.0.0.2:${port}${path}`);
      expect(res.status, path).toBe(422);
      expect(res.body.error.code).toBe('EDITOR_TARGET_005');
      expect(res.body.error.message).toContain('larger than 5 MB');
    }
  });

  it('gives up on a slow trickle and on a silent server at the deadline (422 EDITOR_TARGET_006)', async () => {
    for (const path of ['/trickle', '/no-headers']) {
      const started = performance.now();
      const res = await proxy(`http://127.0.0.2:${port}${path}`);
      const took = performance.now() - started;
      expect(res.status, path).toBe(422);
      expect(res.body.error.code).toBe('EDITOR_TARGET_006');
      expect(res.body.error.message).toContain('took longer than 1 s');
      expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
      expect(took).toBeLessThan(DEADLINE_MS + 1000);
    }
  });

  it('refuses what is not an HTML page (415 EDITOR_TARGET_007)', async () => {
    for (const [path, type] of [
      ['/png', 'image/png'],
      ['/json', 'application/json'],
      ['/untyped', 'no type'],
    ]) {
      const res = await proxy(`http://127.0.0.2:${port}${path}`);
      expect(res.status, path).toBe(415);
      expect(res.body.error.code).toBe('EDITOR_TARGET_007');
      expect(res.body.error.message).toContain(type);
    }
  });

  it('refuses ports other than 80, 443 and the configured ones (403 EDITOR_TARGET_003)', async () => {
    for (const target of ['http://127.0.0.2:22/', 'https://127.0.0.2:8443/', 'http://site.test:6379/']) {
      const res = await proxy(target);
      expect(res.status, target).toBe(403);
      expect(res.body.error.code).toBe('EDITOR_TARGET_003');
      expect(res.body.error.message).toMatch(/port (22|8443|6379)/);
    }
  });

  it('refuses what is not an absolute http(s) URL (422 EDITOR_TARGET_001)', async () => {
    for (const target of [
      'file:///etc/passwd',
      'ftp://127.0.0.2/',
      'javascript:alert(1)',
      'data:text/html,<p>x</p>',
      'gopher://127.0.0.2:70/_GET',
      '/relative/path',
      'not a url',
      `http://user:secret@127.0.0.2:${port}/page`,
    ]) {
      const res = await proxy(target);
      expect(res.status, target).toBe(422);
      expect(res.body.error.code).toBe('EDITOR_TARGET_001');
    }
    const missing = await fetch(`${editor.url}/api/v1/visual-editor/proxy?token=${token}`);
    expect(missing.status).toBe(422);
    expect((await missing.json()).error.code).toBe('EDITOR_TARGET_001');
  });

  it('502 for an unreachable target (DNS, refused) and for its error statuses', async () => {
    const dns = await proxy('http://no-such-host.test/');
    expect([dns.status, dns.body.error.code]).toEqual([502, 'EDITOR_TARGET_008']);
    expect(dns.body.error.message).toContain('ENOTFOUND');
    const refused = await proxy(`http://127.0.0.2:${closedPort}/`);
    expect([refused.status, refused.body.error.code]).toEqual([502, 'EDITOR_TARGET_008']);
    expect(refused.body.error.message).toContain('ECONNREFUSED');
    for (const [path, status] of [
      ['/missing', '404'],
      ['/broken', '500'],
    ]) {
      const res = await proxy(`http://127.0.0.2:${port}${path}`);
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({
        code: 'EDITOR_TARGET_009',
        details: [{ field: 'status', message: status }],
      });
    }
  });

  it('nothing at all reached the blocked site during this file', () => {
    expectNothingReachedBlocked();
  });
});

describe('the real 10 s deadline (no shortened limit)', () => {
  // One slow test at the production default, so that the default itself is proven to hold for
  // a trickle: it idles for 10 s (no CPU), the price of not trusting a constant.
  it('a body trickling a byte every 200 ms is cut off at 10 s', { timeout: 20_000 }, async () => {
    const sites = await startTargetSites((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(timer));
    });
    const editor = await startTestEditorApp({
      jwtSecret: SECRET,
      editorAllowedAddresses: ['127.0.0.2/32'],
      editorAllowedPorts: [sites.port],
    });
    try {
      const { token } = createProxyTokenService(SECRET).issue({
        userId: '00000000-0000-4000-8000-000000000002',
        parentOrigin: 'http://dashboard.test',
      });
      const started = performance.now();
      const res = await fetch(
        `${editor.url}/api/v1/visual-editor/proxy?url=${encodeURIComponent(`http://127.0.0.2:${sites.port}/`)}&token=${token}`,
      );
      const took = performance.now() - started;
      expect(res.status).toBe(422);
      expect((await res.json()).error).toMatchObject({
        code: 'EDITOR_TARGET_006',
        message: 'The page took longer than 10 s to load.',
      });
      expect(took).toBeGreaterThanOrEqual(9_950);
      expect(took).toBeLessThan(11_500);
    } finally {
      await editor.close();
      await sites.close();
    }
  });
});
