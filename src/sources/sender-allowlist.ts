// Which senders a network source reads: addresses and networks from its `allow:` (an IPv4 sender seen as an
// IPv4-mapped IPv6 address is checked as the IPv4 one).
import { BlockList, isIP } from 'node:net';

export function createSenderAllowlist(ranges: readonly string[]): (address: string | undefined) => boolean {
  const allowed = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) allowed.addAddress(address, family);
    else allowed.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    if (!address) return false;
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    return allowed.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}
