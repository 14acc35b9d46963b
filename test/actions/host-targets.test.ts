// The host's facts that make values protected, read from the files the system keeps them in.
import { describe, expect, it } from 'vitest';
import { protectionOf } from '../../src/actions/protected-targets.js';
import { defaultGateways, type HostFiles, hostTargets } from '../../src/actions/read-host-targets.js';
import type { ActionRun, Incident } from '../../src/core/types.js';
import { renderIncidentMessage } from '../../src/notify/slack/render-incident.js';

const FILES: HostFiles = {
  passwd: [
    'root:x:0:0:root:/root:/bin/bash',
    'toor:x:0:0:second root:/root:/bin/sh',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'svc:x:1500:1500::/srv:/usr/sbin/nologin',
    'alice:x:2001:2001::/home/alice:/bin/bash',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    '',
  ].join('\n'),
  loginDefs: '# comment\nUID_MIN\t\t\t 2000\nUID_MAX   60000\n',
  resolvConf: 'search example.com\nnameserver 192.0.2.53\nnameserver fe80::53%eth0\n',
  resolvedConf: 'nameserver 198.18.0.53\n',
  hosts:
    '127.0.0.1 localhost\n127.0.1.1 runsc\n::1 localhost ip6-localhost ip6-loopback\n203.0.113.80 web3 # a web server\n',
  route: [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
    'eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  ].join('\n'),
  ipv6Route: [
    '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0',
    'fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0',
  ].join('\n'),
};
const PROTECT = {
  ips: ['198.51.100.0/24'],
  users: ['deploy'],
  hosts: ['bastion.example.com'],
  shortestPrefix: { ipv4: 16, ipv6: 32 },
};

describe('the host facts', () => {
  it('reads the default gateways from /proc/net/route and /proc/net/ipv6_route', () => {
    expect(defaultGateways(FILES)).toEqual(['192.168.2.1', 'fe80:0000:0000:0000:0000:0000:0000:0001']);
  });

  it.each([
    ['ip', '192.168.2.1', "this host's default gateway"],
    ['ip', 'fe80::1', 'link-local'],
    ['ip', '192.0.2.53', 'a resolver in /etc/resolv.conf'],
    ['ip', '198.51.100.9', 'listed under protect.ips (198.51.100.0/24)'],
    ['cidr', '198.51.0.0/16', 'it overlaps 198.51.100.0/24, listed under protect.ips (198.51.100.0/24)'],
    ['user', 'toor', 'uid 0 (root)'],
    ['user', 'daemon', 'a system account (uid 1, below UID_MIN 2000)'],
    ['user', 'svc', 'a system account (uid 1500, below UID_MIN 2000)'],
    ['user', 'nobody', 'a system account (uid 65534, above UID_MAX 60000)'],
    ['user', 'deploy', 'listed under protect.users'],
    ['host', 'BASTION.example.com.', 'listed under protect.hosts'],
    ['ip', '198.18.0.53', 'a resolver in /run/systemd/resolve/resolv.conf'],
    ['host', 'ip6-localhost', '/etc/hosts names it ::1'],
    ['host', 'runsc', '/etc/hosts names it 127.0.1.1'],
    ['host', 'metadata.google.internal', 'a cloud metadata service'],
    ['user', 'ROOT', 'uid 0 (root)'],
    ['ip', '64:ff9b::7f00:1', 'it carries 127.0.0.1, loopback'],
    ['ip', '64:ff9b::a9fe:a9fe', 'it carries 169.254.169.254, link-local (cloud metadata services live here)'],
    ['ip', '2002:7f00:1::', 'it carries 127.0.0.1, loopback'],
    ['ip', '::ffff:0:7f00:1', 'it carries 127.0.0.1, loopback'],
    ['ip', 'fd00:ec2::254', 'the AWS instance metadata service (IPv6)'],
    ['ip', '192.0.0.170', 'IETF protocol assignments (DNS64 discovery, NAT64 well-known addresses)'],
    ['ip', 'fec0::1', 'site-local (deprecated)'],
  ] as const)('%s %s is protected: %s', (type, value, reason) => {
    expect(protectionOf(type, value, hostTargets(FILES, PROTECT))).toBe(`${value} is protected: ${reason}`);
  });

  it.each([
    ['ip', '192.168.2.2'],
    ['cidr', '198.51.101.0/24'],
    ['user', 'alice'],
    ['host', 'web3.example.com'],
    ['host', 'web3'],
    ['ip', '2002:cb00:7107::1'],
    ['ip', '64:ff9b::cb00:7107'],
    ['word', 'root'],
    ['port', '22'],
  ] as const)('%s %s is not', (type, value) => {
    expect(protectionOf(type, value, hostTargets(FILES, PROTECT))).toBeUndefined();
  });

  it('lets a config allow wider ranges, but never one holding a protected address', () => {
    const wide = hostTargets(FILES, { ...PROTECT, shortestPrefix: { ipv4: 8, ipv6: 16 } });
    expect(protectionOf('cidr', '203.0.0.0/8', wide)).toBeUndefined();
    expect(protectionOf('cidr', '203.0.0.0/7', wide)).toMatch(/ranges wider than \/8 are refused/);
    expect(protectionOf('cidr', '192.0.0.0/8', wide)).toMatch(/is protected: it overlaps 192\./);
    expect(protectionOf('cidr', '::ffff:203.0.0.0/104', wide)).toBeUndefined();
    expect(protectionOf('cidr', '::ffff:203.0.0.0/103', wide)).toMatch(/ranges wider than \/104/);
  });

  it('reads IPv4-mapped, 6to4 and NAT64 ranges as the IPv4 ranges they carry', () => {
    const targets = hostTargets(FILES, PROTECT);
    expect(protectionOf('cidr', '0:0:0:0:0:ffff:b00:0/104', targets)).toMatch(/ranges wider than \/112/);
    expect(protectionOf('cidr', '2002:7f00::/32', targets)).toMatch(/carries 127\.0\.0\.0\/16 is protected/);
    expect(protectionOf('cidr', '64:ff9b::/96', targets)).toMatch(/carries 0\.0\.0\.0\/0 is protected: ranges wider/);
    expect(protectionOf('cidr', '2002:cb00:7100::/40', targets)).toBeUndefined();
  });
});

describe('an approval on the message', () => {
  const incident: Incident = {
    id: 7,
    rule: 'app-login',
    severity: 'high',
    title: 't',
    key: { ip: '203.0.113.9' },
    fields: { ip: '203.0.113.9', user: 'admin' },
    count: 2,
    firstSeen: 0,
    lastSeen: 0,
    source: 'auth',
    sample: [],
    status: 'open',
  };
  const run: ActionRun = {
    id: 1,
    incidentId: 7,
    actionId: 'lock-user',
    attempt: 1,
    state: 'awaiting-approval',
    requestedBy: 'U0ALICE',
    requestedAt: 0,
    plan: { argv: ['usermod', '-L', 'bob'], values: { user: 'bob' } },
  };
  const action = {
    id: 'lock-user',
    label: 'Lock user',
    confirm: "Lock {user}'s password?",
    approvals: 2,
    fields: ['user'],
  };

  it('shows the argv that was requested, and says when the incident has named other values since', () => {
    const blocks = JSON.stringify(renderIncidentMessage(incident, { actions: [run] }, [action]).blocks);
    expect(blocks).toContain('*Lock user* `usermod -L bob` requested by <@U0ALICE>');
    expect(blocks).toContain(
      "Lock bob's password? Requested by someone else; approving runs usermod -L bob now (incident #7). The incident has named other values since; this runs what was requested.",
    );
  });
});
