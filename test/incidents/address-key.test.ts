import { describe, expect, it } from 'vitest';
import { addressKey, formatGroups, readIpv6 } from '../../src/incidents/address-key.js';

describe('addressKey', () => {
  it.each([
    { value: '203.0.113.7', prefix: 64, key: '203.0.113.7' },
    { value: '2001:db8:7:1:aaaa:bbbb:cccc:dddd', prefix: 64, key: '2001:db8:7:1::/64' },
    { value: '2001:DB8:7:1::1', prefix: 48, key: '2001:db8:7::/48' },
    { value: '2001:db8::1', prefix: 128, key: '2001:db8::1' },
    { value: 'fe80::1%eth0', prefix: 64, key: 'fe80::/64' },
    { value: '::ffff:203.0.113.7', prefix: 64, key: '203.0.113.7' },
    { value: '2001:db8:0:0:1:0:0:1', prefix: 128, key: '2001:db8::1:0:0:1' },
    { value: 'not an address', prefix: 64, key: 'not an address' },
  ])('counts $value under $key (/$prefix)', ({ value, prefix, key }) => {
    expect(addressKey(value, prefix)).toBe(key);
  });

  it.each([
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('reads %s and writes it as %s (RFC 5952)', (text, expected) => {
    const g = new Uint16Array(8);
    expect(readIpv6(text, g)).toBe(true);
    expect(formatGroups(g)).toBe(expected);
  });

  it.each(['1::2::3', '1:2:3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9'])('refuses %s', (text) => {
    expect(readIpv6(text, new Uint16Array(8))).toBe(false);
  });
});
