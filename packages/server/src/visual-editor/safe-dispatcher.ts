import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../errors/app-error.js';
import { type AddressPolicyOptions, type AddressVerdict, createAddressPolicy } from './address-policy.js';

/** Every address a host name resolves to (dns.lookup with `all: true`). */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface SafeDispatcherOptions extends AddressPolicyOptions {
  /** Ports allowed besides 80 and 443 (SAMPLIT_EDITOR_ALLOWED_PORTS). */
  allowedPorts?: readonly number[];
  /** How host names are resolved; tests inject a resolver that lies. */
  lookup?: LookupAll;
  /** Longest TCP (and TLS) connect, milliseconds. */
  connectTimeoutMs?: number;
  /** Certificate authorities to trust instead of Node's (tests with their own CA). */
  ca?: string | Buffer;
}

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Whether the proxy may connect to `port` (80 and 443 always; others when configured). */
export function isAllowedPort(port: number, allowedPorts: readonly number[] = []): boolean {
  return port === 80 || port === 443 || allowedPorts.includes(port);
}

/** The port a URL connects to: its own, or its scheme's default. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** `localhost` and its subdomains are loopback by definition (RFC 6761), whatever a resolver says. */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost');
}

export function addressRefusal(hostname: string, verdict: Extract<AddressVerdict, { allowed: false }>) {
  const where =
    isIP(hostname) && hostname === verdict.address
      ? verdict.address
      : `${hostname} resolves to ${verdict.address}`;
  const reason = `${where}, ${verdict.description}`;
  return new AppError('EDITOR_TARGET_002', `The visual editor may not fetch this page: ${reason}.`, [
    { field: 'url', message: reason },
  ]);
}

export function portRefusal(port: number) {
  return new AppError(
    'EDITOR_TARGET_003',
    `The visual editor may not fetch pages on port ${port}: only 80 and 443, and the ports in SAMPLIT_EDITOR_ALLOWED_PORTS.`,
    [{ field: 'url', message: `port ${port} is not allowed` }],
  );
}

/**
 * An undici dispatcher that cannot be pointed at an address the policy refuses. Its connect
 * step resolves the host itself, checks EVERY address the answer holds (one private address in
 * the answer refuses the lot, so no later retry or happy-eyeballs fallback can reach it), and
 * dials the checked IP, so the address checked is the address connected to: a resolver that
 * answers differently the next time (DNS rebinding) cannot slip in between. Literal IP hosts
 * never reach a resolver and are checked the same way. TLS still verifies the certificate for
 * the host name (servername), and the Host header is the URL's, so virtual hosts work.
 */
export function createSafeDispatcher(options: SafeDispatcherOptions = {}): Agent {
  const check = createAddressPolicy(options);
  const lookup = options.lookup ?? systemLookup;
  const dial = buildConnector({
    timeout: options.connectTimeoutMs ?? 10_000,
    ...(options.ca ? { ca: options.ca } : {}),
  });
  return new Agent({
    connect: (connectOptions, callback) => {
      const { hostname, protocol } = connectOptions;
      const port = connectOptions.port ? Number(connectOptions.port) : protocol === 'https:' ? 443 : 80;
      const resolve = async (): Promise<string[]> => {
        if (!isAllowedPort(port, options.allowedPorts)) throw portRefusal(port);
        const answers = isIP(hostname)
          ? [{ address: hostname }]
          : isLocalhostName(hostname)
            ? [{ address: '127.0.0.1' }, { address: '::1' }]
            : await lookup(hostname);
        if (answers.length === 0) throw new Error(`${hostname} has no addresses`);
        return answers.map(({ address }) => {
          const verdict = check(address);
          if (!verdict.allowed) throw addressRefusal(hostname, verdict);
          return verdict.address;
        });
      };
      // The certificate is checked against the name asked for, never the IP dialled.
      const servername = isIP(hostname) ? undefined : hostname.replace(/\.$/, '');
      // One checked address after the other, as a browser falls back from an unreachable IPv6
      // address to IPv4; never any address that was not in the checked answer.
      const dialFrom = (addresses: string[], index: number) =>
        dial({ ...connectOptions, hostname: addresses[index] as string, servername }, (error, socket) => {
          if (error && index + 1 < addresses.length) return dialFrom(addresses, index + 1);
          if (error) return callback(error, null);
          callback(null, socket as NonNullable<typeof socket>);
        });
      resolve()
        .then((addresses) => dialFrom(addresses, 0))
        .catch((error: Error) => callback(error, null));
    },
  });
}
