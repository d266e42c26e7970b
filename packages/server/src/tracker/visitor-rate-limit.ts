import { BlockList, isIPv4 } from 'node:net';

/** A fixed one-second window per key: cheap enough for the hot path, exact enough for abuse. */
export function createWindowLimiter(perSecond: number, now: () => number = Date.now) {
  let window = 0;
  let counts = new Map<string, number>();
  return (key: string): boolean => {
    if (perSecond <= 0) return true;
    const second = Math.floor(now() / 1000);
    if (second !== window) {
      window = second;
      counts = new Map();
    }
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n <= perSecond;
  };
}

// Where load balancers and reverse proxies connect from: loopback, RFC 1918, carrier-grade NAT
// (RFC 6598), link-local, and IPv6 unique-local and link-local.
const PROXY_NETWORKS = new BlockList();
for (const [net, prefix] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
] as const) {
  PROXY_NETWORKS.addSubnet(net, prefix, 'ipv4');
}
PROXY_NETWORKS.addAddress('::1', 'ipv6');
PROXY_NETWORKS.addSubnet('fc00::', 7, 'ipv6');
PROXY_NETWORKS.addSubnet('fe80::', 10, 'ipv6');

/** Whether an address is loopback or private, i.e. most likely a proxy in front of Samplit. */
export function isPrivateAddress(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  return PROXY_NETWORKS.check(v4, isIPv4(v4) ? 'ipv4' : 'ipv6');
}

/**
 * Whether a tracker request is limited per client address. With `TRUST_PROXY` set, Fastify's
 * `request.ip` is the visitor's address from X-Forwarded-For and always counts. Without it, a
 * request from a private or loopback address is a proxy's, shared by every visitor behind it, and a
 * per-address quota there would cap the whole site: only the per-experiment limit applies to it.
 */
export function limitedPerAddress(ip: string, proxyTrusted: boolean): boolean {
  return proxyTrusted || !isPrivateAddress(ip);
}
