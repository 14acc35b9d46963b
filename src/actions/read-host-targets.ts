// The host's own facts that make values protected (protected-targets.ts): its addresses, default gateways and
// resolvers, its names, root and the system accounts, and the account logwarden runs as. Read from the system each
// time they are asked for, at most every REREAD_MS, so an address or a resolver that changes is protected as it is.
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces, userInfo } from 'node:os';
import type { FleetConfig } from '../config/fleet-schema.js';
import type { ProtectConfig } from '../config/schema.js';
import { addressFamily } from '../core/address-family.js';
import { systemTimers, type Timers } from '../core/timers.js';
import type { Clock } from '../core/types.js';
import {
  configuredRange,
  type ProtectedRange,
  type ProtectedTargets,
  protectionOf,
  SPECIAL_RANGES,
} from './protected-targets.js';

export interface HostFiles {
  passwd: string;
  loginDefs: string;
  resolvConf: string;
  /** systemd-resolved's upstream servers (/etc/resolv.conf then names only its stub, 127.0.0.53). */
  resolvedConf: string;
  hosts: string;
  route: string;
  ipv6Route: string;
}

const REREAD_MS = 30_000;
const RELOOKUP_MS = 10 * 60_000;

const readOr = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

export const systemFiles = (): HostFiles => ({
  passwd: readOr('/etc/passwd'),
  loginDefs: readOr('/etc/login.defs'),
  resolvConf: readOr('/etc/resolv.conf'),
  resolvedConf: readOr('/run/systemd/resolve/resolv.conf'),
  hosts: readOr('/etc/hosts'),
  route: readOr('/proc/net/route'),
  ipv6Route: readOr('/proc/net/ipv6_route'),
});

const exact = (address: string, reason: string): ProtectedRange => {
  const v6 = address.includes(':');
  return { address, prefix: v6 ? 128 : 32, family: v6 ? 'ipv6' : 'ipv4', reason };
};

/**
 * Protected targets from the host's facts, the config's `protect:` and the addresses the Slack and SMTP servers
 * resolved to (`endpoints`).
 */
export function hostTargets(
  files: HostFiles,
  protect: ProtectConfig,
  endpoints: readonly { address: string; reason: string }[] = [],
): ProtectedTargets {
  const ranges: ProtectedRange[] = [...SPECIAL_RANGES];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const a of addresses ?? []) {
      ranges.push(exact(a.address.replace(/%.*$/, ''), `this host's address (${name})`));
      // Its network's first and broadcast addresses reach every host on it.
      if (a.family === 'IPv4' && a.cidr) {
        for (const edge of networkEdges(a.address, Number(a.cidr.split('/')[1]))) {
          ranges.push(exact(edge, `the network or broadcast address of ${name}`));
        }
      }
    }
  }
  for (const gateway of defaultGateways(files)) ranges.push(exact(gateway, "this host's default gateway"));
  for (const [text, file] of [
    [files.resolvConf, '/etc/resolv.conf'],
    [files.resolvedConf, '/run/systemd/resolve/resolv.conf'],
  ] as const) {
    for (const m of text.matchAll(/^\s*nameserver\s+(\S+)/gm)) {
      const address = m[1]!.replace(/%.*$/, '');
      if (addressFamily(address) !== 0) ranges.push(exact(address, `a resolver in ${file}`));
    }
  }
  for (const e of endpoints) ranges.push(exact(e.address, e.reason));
  for (const entry of protect.ips) ranges.push(configuredRange(entry, `listed under protect.ips (${entry})`));

  const users = new Map<string, string>();
  const uidMin = loginDef(files.loginDefs, 'UID_MIN') ?? 1000;
  const uidMax = loginDef(files.loginDefs, 'UID_MAX') ?? 60000;
  for (const line of files.passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    const id = Number(uid);
    if (!name || uid === undefined || uid === '' || !Number.isInteger(id)) continue;
    if (id === 0) users.set(name, 'uid 0 (root)');
    else if (id < uidMin) users.set(name, `a system account (uid ${id}, below UID_MIN ${uidMin})`);
    else if (id > uidMax) users.set(name, `a system account (uid ${id}, above UID_MAX ${uidMax})`);
  }
  users.set('root', 'uid 0 (root)');
  const own = ownAccount();
  if (!users.has(own)) users.set(own, 'the account logwarden runs as');
  for (const name of protect.users) users.set(name, 'listed under protect.users');

  const hosts = new Map<string, string>();
  const name = hostname().toLowerCase();
  hosts.set(name, "this host's name");
  hosts.set(name.split('.')[0]!, "this host's name");
  for (const known of ['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']) {
    hosts.set(known, 'a cloud metadata service');
  }
  // A name /etc/hosts gives a protected address (localhost.localdomain, ip6-localhost) is as protected as it.
  const partial: ProtectedTargets = {
    ranges,
    users: new Map(),
    hosts: new Map(),
    shortestPrefix: protect.shortestPrefix,
  };
  for (const line of files.hosts.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || addressFamily(address.replace(/%.*$/, '')) === 0) continue;
    const reason = protectionOf('ip', address.replace(/%.*$/, ''), partial);
    if (reason) for (const n of names) hosts.set(n.toLowerCase(), `/etc/hosts names it ${address}`);
  }
  for (const name of protect.hosts) hosts.set(name.toLowerCase().replace(/\.$/, ''), 'listed under protect.hosts');

  return { ranges, users, hosts, shortestPrefix: protect.shortestPrefix };
}

/** The first and last addresses of an IPv4 network (its network and broadcast addresses), for prefixes up to /30. */
function networkEdges(address: string, prefix: number): string[] {
  if (!(prefix >= 8 && prefix <= 30)) return [];
  const n = address.split('.').reduce((v, part) => v * 256 + Number(part), 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(n / size) * size;
  const quad = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  return [quad(first), quad(first + size - 1)];
}

function ownAccount(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '');
  }
}

function loginDef(text: string, key: string): number | undefined {
  const m = new RegExp(`^\\s*${key}\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** The next hops of the IPv4 and IPv6 default routes, from /proc/net/route and /proc/net/ipv6_route. */
export function defaultGateways(files: Pick<HostFiles, 'route' | 'ipv6Route'>): string[] {
  const found: string[] = [];
  for (const line of files.route.split('\n').slice(1)) {
    const [, destination, gateway] = line.trim().split(/\s+/);
    if (destination !== '00000000' || !gateway || gateway === '00000000') continue;
    // Little-endian hex: 0102A8C0 is 192.168.2.1.
    const n = Number.parseInt(gateway, 16);
    found.push([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.'));
  }
  for (const line of files.ipv6Route.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || f[0] !== '0'.repeat(32) || f[1] !== '00' || /^0+$/.test(f[4]!)) continue;
    found.push(f[4]!.match(/.{4}/g)!.join(':'));
  }
  return found;
}

/** hostTargets read again at most every REREAD_MS. */
export function cachedHostTargets(
  protect: ProtectConfig,
  endpoints: () => readonly { address: string; reason: string }[],
  now: Clock,
  files: () => HostFiles = systemFiles,
): () => ProtectedTargets {
  let cached: { at: number; endpoints: number; targets: ProtectedTargets } | undefined;
  return () => {
    const t = now();
    const known = endpoints();
    // Endpoints resolved since count at once.
    if (!cached || t - cached.at >= REREAD_MS || t < cached.at || known.length !== cached.endpoints) {
      cached = { at: t, endpoints: known.length, targets: hostTargets(files(), protect, known) };
    }
    return cached.targets;
  };
}

/**
 * The host's protected targets for a running logwarden: re-read as they change, with the addresses the Slack API and
 * SMTP servers resolve to (looked up once in the background; a failed lookup is logged, the rest still holds).
 */
export function hostTargetsOf(
  protect: ProtectConfig,
  env: NodeJS.ProcessEnv,
  logger: { warn(details: Record<string, unknown>, message: string): void },
  uses: { slack: boolean; smtp: boolean; fleet?: FleetConfig | undefined },
  clock: Clock,
  timers: Timers = systemTimers,
): () => ProtectedTargets {
  const endpoints: { address: string; reason: string }[] = [];
  const servers: [host: string, reason: string][] = [];
  if (uses.slack) servers.push([hostOf(env.SLACK_API_URL) ?? 'slack.com', 'the Slack API server']);
  if (uses.smtp && env.SMTP_HOST) servers.push([env.SMTP_HOST, 'the SMTP server']);
  // The fleet's own hosts: blocking one's address anywhere would cut it off from the others (and from logwarden).
  for (const host of uses.fleet?.hosts ?? []) {
    const address = host.address ?? host.name;
    if (addressFamily(address) !== 0) endpoints.push({ address, reason: `a fleet host (${host.name})` });
    else servers.push([address, `a fleet host (${host.name})`]);
  }
  if (uses.fleet) protect = { ...protect, hosts: [...protect.hosts, ...uses.fleet.hosts.map((h) => h.name)] };
  // Looked up now and again every RELOOKUP_MS (the servers' addresses change); addresses seen once stay protected.
  const seen = new Set<string>();
  const resolve = () => {
    for (const [host, reason] of servers) {
      lookup(host, { all: true })
        .then((found) => {
          for (const a of found) {
            if (seen.has(a.address)) continue;
            seen.add(a.address);
            endpoints.push({ address: a.address, reason: `${reason} (${host})` });
          }
        })
        .catch((error: Error) =>
          logger.warn({ host, error: error.message }, `cannot resolve ${reason}; its addresses are not protected yet`),
        );
    }
  };
  resolve();
  if (servers.length > 0) timers.every(RELOOKUP_MS, resolve).unref();
  return cachedHostTargets(protect, () => endpoints, clock);
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname.replace(/^\[|\]$/g, '') : undefined;
  } catch {
    return undefined;
  }
}

const RESOLVE_TIMEOUT_MS = 3000;

/** The addresses a host name resolves to, through the system's resolver, within RESOLVE_TIMEOUT_MS. */
export async function resolveHost(name: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${RESOLVE_TIMEOUT_MS} ms`)), RESOLVE_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(name, { all: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}
