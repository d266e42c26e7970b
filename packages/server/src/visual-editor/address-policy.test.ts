import { describe, expect, it } from 'vitest';
import { assertCidr, createAddressPolicy } from './address-policy.js';

describe('createAddressPolicy', () => {
  const strict = createAddressPolicy();

  it('allows plain global unicast, IPv4 and IPv6', () => {
    for (const ip of [
      '93.184.215.14',
      '8.8.8.8',
      '1.1.1.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001:82b::200e',
    ]) {
      expect(strict(ip), ip).toEqual({ allowed: true, address: ip });
    }
  });

  it('names the class of what it refuses', () => {
    expect(strict('127.0.0.1')).toMatchObject({ allowed: false, range: 'loopback' });
    expect(strict('::ffff:10.1.2.3')).toMatchObject({
      allowed: false,
      address: '10.1.2.3',
      range: 'private',
    });
    expect(strict('::ffff:8.8.8.8')).toEqual({ allowed: true, address: '8.8.8.8' });
    expect(strict('169.254.169.254')).toMatchObject({
      range: 'linkLocal',
      description: expect.stringMatching(/^a link-local address/),
    });
    expect(strict('fd00:ec2::254')).toMatchObject({ range: 'uniqueLocal' });
    expect(strict('::7f00:1')).toMatchObject({ range: 'notGlobal' });
    expect(strict('fe80::1%eth0')).toMatchObject({ allowed: false, range: 'linkLocal' });
    expect(strict('192.175.48.1')).toMatchObject({
      allowed: false,
      description: 'a special-purpose address (as112)',
    });
  });

  it('refuses what is not an IP address, including shorthand only a resolver should expand', () => {
    for (const raw of ['', 'localhost', '127.1', '0x7f000001', '2130706433', '1.2.3.4.5']) {
      expect(strict(raw), raw).toMatchObject({ allowed: false, range: 'invalid' });
    }
  });

  it('allowPrivate allows private and loopback, never unspecified, multicast or broadcast', () => {
    const open = createAddressPolicy({ allowPrivate: true });
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '100.64.0.1',
    ]) {
      expect(open(ip).allowed, ip).toBe(true);
    }
    for (const ip of ['0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255']) {
      expect(open(ip).allowed, ip).toBe(false);
    }
  });

  it('allowedAddresses allows exactly those CIDRs, IPv4-mapped forms included', () => {
    const listed = createAddressPolicy({ allowedAddresses: ['127.0.0.2/32', '10.20.0.0/16', 'fd00:1::/32'] });
    expect(listed('127.0.0.2').allowed).toBe(true);
    expect(listed('::ffff:127.0.0.2').allowed).toBe(true);
    expect(listed('127.0.0.1').allowed).toBe(false);
    expect(listed('10.20.255.1').allowed).toBe(true);
    expect(listed('10.21.0.1').allowed).toBe(false);
    expect(listed('fd00:1::5').allowed).toBe(true);
    expect(listed('fd00:2::5').allowed).toBe(false);
    expect(createAddressPolicy({ allowedAddresses: ['0.0.0.0/0'] })('0.0.0.0').allowed).toBe(false);
  });

  it('assertCidr refuses junk with a readable message', () => {
    expect(() => assertCidr('127.0.0.2/32')).not.toThrow();
    expect(() => assertCidr('127.0.0.2')).toThrow(/not a CIDR/);
    expect(() => assertCidr('intranet')).toThrow(/not a CIDR/);
  });
});
