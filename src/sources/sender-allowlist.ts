// Which senders a network source reads: addresses and networks from its `allow:` (an IPv4 sender seen as an
// IPv4-mapped IPv6 address is checked as the IPv4 one).
import { BlockList } from 'node:net';
import { addressFamily } from '../core/address-family.js';

export function createSenderAllowlist(ranges: readonly string[]): (address: string | undefined) => boolean {
  const allowed = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const family = addressFamily(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allowed.addAddress(address, family);
    else allowed.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    const plain = plainAddress(address);
    return allowed.check(plain, addressFamily(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * A sender's address as the config writes it: an IPv4 sender on a dual-stack listener (`::ffff:10.0.0.5`) as the
 * IPv4 one, IPv6 in lower case; what a spool file and `target: origin` compare with.
 */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && addressFamily(address.slice(7)) === 4
    ? address.slice(7)
    : address.toLowerCase();
}
