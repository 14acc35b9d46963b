// A local blocklist in FireHOL's netset format (one address or CIDR range per line, # comments): the addresses an
// operator already knows are bad. Parsed into node's BlockList; pure (the file is read and watched by app/).
import { BlockList } from 'node:net';
import { addressFamily } from '../core/address-family.js';

export interface ParsedBlocklist {
  list: BlockList;
  entries: number;
  /** Line numbers that are neither an address nor a range. */
  invalid: number[];
}

export function parseBlocklist(text: string): ParsedBlocklist {
  const list = new BlockList();
  const invalid: number[] = [];
  let entries = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (line === '') return;
    const [address, bits] = line.split('/');
    const family = addressFamily(address ?? '');
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      invalid.push(i + 1);
      return;
    }
    list.addSubnet(address!, prefix, family === 6 ? 'ipv6' : 'ipv4');
    entries++;
  });
  return { list, entries, invalid };
}

/** Whether an address (or an IPv6 prefix key like 2001:db8::/64, by its first address) is on the list. */
export function isListed(list: BlockList, address: string): boolean {
  const plain = address.split('/')[0]!;
  const family = addressFamily(plain);
  return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}
