import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface AddressPolicyOptions {
  /**
   * SAMPLIT_EDITOR_ALLOW_PRIVATE: every address but the unspecified, multicast and broadcast ones
   * (which no TCP connection can reach a web server on) is allowed.
   */
  allowPrivate?: boolean;
  /** SAMPLIT_EDITOR_ALLOWED_ADDRESSES: CIDRs allowed whatever their class (an intranet staging site). */
  allowedAddresses?: readonly string[];
}

export type AddressVerdict =
  | { allowed: true; address: string }
  | {
      allowed: false;
      /** The address as checked (an IPv4-mapped IPv6 address is checked as its IPv4 address). */
      address: string;
      /** ipaddr.js's range name, or `invalid`. */
      range: string;
      /** For messages: "a loopback address". */
      description: string;
    };

/** Words for ipaddr.js's range names; a range not listed here is "a special-purpose address (name)". */
const DESCRIPTIONS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (cloud metadata endpoints live here)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private address',
  reserved: 'a reserved address',
  uniqueLocal: 'a unique-local address (cloud metadata endpoints live here)',
  deprecatedSiteLocal: 'a site-local address',
  rfc6145: 'an IPv4-translated address',
  rfc6052: 'a NAT64 address (an IPv4 address inside IPv6)',
  '6to4': 'a 6to4 address (an IPv4 address inside IPv6)',
  teredo: 'a Teredo address (an IPv4 address inside IPv6)',
  discard: 'a discard-only address',
  benchmarking: 'a benchmarking address',
  notGlobal: 'an address outside IPv6 global unicast space (2000::/3)',
  invalid: 'not an IP address',
};

// A web server cannot be reached on these over TCP at all; no option allows them.
const NEVER = new Set(['unspecified', 'multicast', 'broadcast', 'invalid']);

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * ipaddr.js's range of an address, with IPv6 `unicast` narrowed to 2000::/3: ipaddr.js calls
 * every address it has no name for `unicast`, including IPv4-compatible `::7f00:1` and the
 * unassigned space outside 2000::/3, none of which is a public web server's address.
 */
function rangeOf(ip: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = ip.range();
  if (ip.kind() === 'ipv6' && range === 'unicast' && !ip.match(GLOBAL_UNICAST_V6)) return 'notGlobal';
  return range;
}

/**
 * Decides which IP addresses the visual editor's proxy may connect to: plain global unicast
 * only, unless the operator allows private ones or lists CIDRs. IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) are judged as the IPv4 address they are; the other forms that carry an
 * IPv4 address (NAT64, 6to4, Teredo, IPv4-translated) are refused as such, since where they
 * lead depends on gateways this server cannot see.
 */
export function createAddressPolicy(options: AddressPolicyOptions = {}): (address: string) => AddressVerdict {
  const allowed = (options.allowedAddresses ?? []).map((cidr) => ipaddr.parseCIDR(cidr));
  return (raw) => {
    // net.isIP, not ipaddr.isValid: ipaddr.js also reads shorthand like `127.1`, which only a
    // resolver or the URL parser should turn into an address.
    if (isIP(raw) === 0) {
      return { allowed: false, address: raw, range: 'invalid', description: DESCRIPTIONS.invalid };
    }
    let ip = ipaddr.parse(raw);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
      ip = (ip as ipaddr.IPv6).toIPv4Address();
    }
    const address = ip.toString();
    const range = rangeOf(ip);
    if (NEVER.has(range)) {
      return { allowed: false, address, range, description: DESCRIPTIONS[range] ?? range };
    }
    if (range === 'unicast' || options.allowPrivate) return { allowed: true, address };
    if (allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) {
      return { allowed: true, address };
    }
    return {
      allowed: false,
      address,
      range,
      description: DESCRIPTIONS[range] ?? `a special-purpose address (${range})`,
    };
  };
}

/** Throws a readable error for a CIDR that ipaddr.js cannot parse (configuration check). */
export function assertCidr(cidr: string): void {
  try {
    ipaddr.parseCIDR(cidr);
  } catch {
    throw new Error(`"${cidr}" is not a CIDR (e.g. 10.1.2.0/24 or 127.0.0.2/32)`);
  }
}
