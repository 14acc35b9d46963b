// A small MaxMind DB (MMDB format 2.0) writer for tests: an IPv4 search tree of the given networks, each with a record
// (maps of strings and unsigned ints), as GeoLite2-ASN and GeoLite2-Country lay theirs out. Enough for a real reader
// (the `maxmind` package) to read; nothing else.
type Value = string | number | { [key: string]: Value } | Value[];

function control(type: number, size: number): Buffer {
  const extended = type > 7;
  // Sizes from 29 on follow in one to three bytes after the control byte (and the extended type's).
  const [mark, rest] =
    size < 29 ? [size, []] : size < 285 ? [29, [size - 29]] : [30, [(size - 285) >> 8, (size - 285) & 255]];
  return Buffer.from([((extended ? 0 : type) << 5) | mark, ...(extended ? [type - 7] : []), ...rest]);
}

function encode(value: Value): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'number') {
    const bytes: number[] = [];
    for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    // uint32 (6) up to four bytes, else uint64 (9).
    return Buffer.concat([control(bytes.length <= 4 ? 6 : 9, bytes.length), Buffer.from(bytes)]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

/** An MMDB file's bytes: networks like '203.0.113.0/24' → their record. */
export function writeMmdb(databaseType: string, networks: Record<string, Value>): Buffer {
  const EMPTY = -1;
  const nodes: [number, number][] = [[EMPTY, EMPTY]];
  const data: Buffer[] = [];
  let dataLength = 0;
  const leaves: { node: number; side: 0 | 1; offset: number }[] = [];
  for (const [network, record] of Object.entries(networks)) {
    const [address, bits] = network.split('/');
    const ip = address!.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    const prefix = Number(bits);
    const bytes = encode(record);
    const offset = dataLength;
    data.push(bytes);
    dataLength += bytes.length;
    let node = 0;
    for (let depth = 0; depth < prefix; depth++) {
      const side = ((ip >>> (31 - depth)) & 1) as 0 | 1;
      if (depth === prefix - 1) {
        leaves.push({ node, side, offset });
        break;
      }
      if (nodes[node]![side] === EMPTY) {
        nodes.push([EMPTY, EMPTY]);
        nodes[node]![side] = nodes.length - 1;
      }
      node = nodes[node]![side];
    }
  }
  const count = nodes.length;
  const records = nodes.map(([l, r]) => [l === EMPTY ? count : l, r === EMPTY ? count : r] as [number, number]);
  for (const leaf of leaves) records[leaf.node]![leaf.side] = count + 16 + leaf.offset;
  const tree = Buffer.alloc(count * 6);
  records.forEach(([l, r], i) => {
    tree.writeUIntBE(l, i * 6, 3);
    tree.writeUIntBE(r, i * 6 + 3, 3);
  });
  const metadata = encode({
    node_count: count,
    record_size: 24,
    ip_version: 4,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_767_225_600,
    description: { en: 'logwarden test database' },
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    ...data,
    Buffer.from([0xab, 0xcd, 0xef]),
    Buffer.from('MaxMind.com'),
    metadata,
  ]);
}
