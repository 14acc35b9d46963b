// Where a fleet action runs and the argv that reaches each host: the hosts a target names (only hosts of the config's
// fleet, whatever a log line says), the ssh argv that runs a fixed remote argv with each value quoted as one word,
// and the ansible-playbook argv limited to one host with its values as JSON extra-vars never templated. Pure.
import type { ActionTargetConfig, FleetConfig, FleetHostConfig } from '../../config/fleet-schema.js';
import type { ActionRun } from '../../core/types.js';

/** A target as a config resolves it: the incident's own host, or a fixed list of hosts (a group, or all). */
export type ResolvedTarget =
  | {
      kind: 'origin';
      label: string;
      hosts: readonly string[];
      /** Where each host's lines may arrive from (a syslog sender's address, an HTTP sender's name). */
      senders: Readonly<Record<string, readonly string[]>>;
      /** The config's network sources: an incident of theirs is acted on only by the sender it records. */
      networkSources: readonly string[];
    }
  | { kind: 'hosts'; label: string; hosts: readonly string[] };

/** The field a match from a network source carries its sender in: no capture can be named so. */
export const SENDER_FIELD = '@sender';

export function resolveTarget(
  target: ActionTargetConfig,
  fleet: FleetConfig,
  networkSources: readonly string[] = [],
): { ok: true; target: ResolvedTarget } | { ok: false; reason: string } {
  const names = fleet.hosts.map((h) => h.name);
  if (target === 'origin') {
    const senders = Object.fromEntries(fleet.hosts.map((h) => [h.name, sendersOfHost(h)]));
    return {
      ok: true,
      target: { kind: 'origin', label: 'the host it came from', hosts: names, senders, networkSources },
    };
  }
  if (target === 'all') return { ok: true, target: { kind: 'hosts', label: 'every host', hosts: names } };
  const members = fleet.hosts.filter((h) => h.groups.includes(target.group)).map((h) => h.name);
  if (members.length === 0) {
    const groups = [...new Set(fleet.hosts.flatMap((h) => h.groups))];
    return {
      ok: false,
      reason: `no fleet host is in group "${target.group}". Groups: ${groups.join(', ') || 'none'}. Add groups: [${target.group}] to a host under fleet.hosts, or name another group.`,
    };
  }
  return { ok: true, target: { kind: 'hosts', label: `group ${target.group}`, hosts: members } };
}

/**
 * The hosts an action acts on for an incident. `origin` is the host the incident's `host` field names (a rule keyed
 * by host: the host its lines' envelope names), only when that is a fleet host and, for lines that came over the
 * network, only when they came from that host's own address (or its `senders:`): a sender that writes another
 * host's name in its lines picks no machine. Lines of a local file are taken at their word, as the file is.
 */
export function targetHostsOf(
  target: ResolvedTarget,
  incident: { fields: Readonly<Record<string, string>>; source: string },
): { ok: true; hosts: string[] } | { ok: false; reason: string } {
  if (target.kind === 'hosts') return { ok: true, hosts: [...target.hosts] };
  const { fields } = incident;
  const named = fields.host;
  if (named === undefined) {
    return {
      ok: false,
      reason: 'the incident names no host (target: origin needs a rule keyed by host: threshold by: [ip, host])',
    };
  }
  const host = target.hosts.find((h) => h.toLowerCase() === named.toLowerCase().replace(/\.$/, ''));
  if (!host) return { ok: false, reason: `${named.slice(0, 64)} is not a host of the fleet (fleet.hosts)` };
  const sender = fields[SENDER_FIELD];
  const allowed = target.senders[host] ?? [];
  if (sender === undefined && target.networkSources.includes(incident.source)) {
    return {
      ok: false,
      reason: `it came over the network from a sender it does not record, so ${host} cannot be told apart`,
    };
  }
  if (sender !== undefined && !allowed.includes(plainSender(sender))) {
    return {
      ok: false,
      reason: `its lines naming ${host} came from ${sender.slice(0, 64)}, which is not ${host}'s (${allowed.join(', ')}; list a relay under its senders:)`,
    };
  }
  return { ok: true, hosts: [host] };
}

/** The hosts a fleet action's dialog names for an incident now (none when it names no fleet host). */
export function targetsShown(
  target: ResolvedTarget | undefined,
  incident: { fields: Readonly<Record<string, string>>; source: string },
): string[] | undefined {
  if (!target) return undefined;
  const found = targetHostsOf(target, incident);
  return found.ok ? found.hosts : [];
}

/** Where a fleet host's lines may come from, as senders are recorded. */
function sendersOfHost(host: FleetHostConfig): string[] {
  return (host.senders ?? [host.address ?? host.name]).map(plainSender);
}

/** An address as a source records its sender: an IPv4-mapped IPv6 address as the IPv4 one, in lower case. */
function plainSender(sender: string): string {
  return sender.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
}

/**
 * Stamps a match from a network source with its sender (a field no capture can be named), and a line naming a fleet
 * host that another sender sent as that sender's claim, `web2 (sent by 10.0.0.9)`: counted apart from the host's own
 * lines, never taken for it, whatever its text says.
 */
export function createSenderStamp(fleet: FleetConfig | undefined) {
  const senders = new Map((fleet?.hosts ?? []).map((h) => [h.name.toLowerCase(), sendersOfHost(h)]));
  return (fields: Record<string, string>, sender: string): void => {
    fields[SENDER_FIELD] = sender;
    const host = fields.host;
    const allowed = host === undefined ? undefined : senders.get(host.toLowerCase().replace(/\.$/, ''));
    if (allowed && !allowed.includes(plainSender(sender))) fields.host = `${host} (sent by ${sender.slice(0, 64)})`;
  };
}

/** What a person confirms of a fleet action: its values and the hosts, so a click runs on no host it did not show. */
export function confirmedOf(
  values: Readonly<Record<string, string>>,
  targets: readonly string[] | undefined,
): Record<string, string> {
  return targets ? { ...values, '@hosts': targets.join(',') } : { ...values };
}

/** One word for a POSIX shell, whatever it holds: ssh hands the remote command to the account's shell as one line. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The ssh argv that runs `remote` on a host: no config file, no password or prompt, the pinned known_hosts only,
 * the dedicated key only; each remote argument quoted, so a value stays one argument there too.
 */
export function sshArgv(ssh: FleetConfig['ssh'], host: FleetHostConfig, remote: readonly string[]): string[] {
  return [
    ssh.program,
    '-F',
    '/dev/null',
    '-T',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${ssh.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'UpdateHostKeys=no',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `ConnectTimeout=${Math.max(1, Math.ceil(ssh.connectTimeout / 1000))}`,
    '-o',
    'LogLevel=ERROR',
    '-i',
    ssh.key,
    '-p',
    String(host.port ?? ssh.port),
    '-l',
    ssh.user,
    '--',
    host.address ?? host.name,
    ...remote.map(shellQuote),
  ];
}

/** The ansible-playbook argv of a plan (`program playbook --extra-vars JSON`) limited to one host of an inventory. */
export function ansibleHostArgv(planArgv: readonly string[], inventory: string, host: string): string[] {
  const [program, ...rest] = planArgv;
  return [program!, '-i', inventory, '--limit', host, ...rest];
}

/**
 * The argv a plan keeps for a playbook run: its extra-vars as JSON, each value from the incident marked unsafe
 * (`__ansible_unsafe`: Ansible never templates it), `state` present to act and absent to undo.
 */
export function ansiblePlanArgv(
  program: string,
  playbook: string,
  values: Readonly<Record<string, string>>,
  fixed: Readonly<Record<string, string>>,
  state: 'present' | 'absent',
): string[] {
  const vars: Record<string, unknown> = { ...fixed, state };
  for (const [name, value] of Object.entries(values)) vars[name] = { __ansible_unsafe: value };
  return [program, playbook, '--extra-vars', JSON.stringify(vars)];
}

// What ssh prints when it never got to run the command: nothing ran, so the host may be tried again.
const SSH_NOT_CONNECTED =
  /ssh: connect to host .*(Connection refused|Connection timed out|No route to host|Network is unreachable)|ssh: Could not resolve hostname|Permission denied \(|kex_exchange_identification|Connection closed by .* port \d+|Connection reset by .* port \d+/;
const SSH_HOST_KEY = /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/;

/**
 * How a command on a host ended: succeeded; failed (it did not run there, or ran and said no: it may be retried); or
 * unknown (timed out, killed, or ssh lost the connection after it began): never retried, its undo kept.
 */
export function hostOutcomeOf(
  via: 'ssh' | 'ansible',
  result: { exitCode?: number; output: string; detail?: string; interrupted?: boolean; timedOut?: boolean },
): { state: 'succeeded' | 'failed' | 'interrupted'; detail?: string } {
  if (result.interrupted || result.timedOut) {
    return { state: 'interrupted', detail: `${result.detail ?? 'stopped'}: whether it took effect there is unknown` };
  }
  const code = result.exitCode;
  if (code === 0) return { state: 'succeeded' };
  if (code === undefined) return { state: 'failed', detail: result.detail ?? 'did not start' };
  if (via === 'ssh' && code === 255) {
    if (SSH_HOST_KEY.test(result.output)) {
      return {
        state: 'failed',
        detail:
          'its host key is not the one in fleet.ssh.knownHosts (ssh exit 255): check the host, this may be an attack',
      };
    }
    if (SSH_NOT_CONNECTED.test(result.output)) return { state: 'failed', detail: 'unreachable (ssh exit 255)' };
    return { state: 'interrupted', detail: 'ssh exit 255 after connecting: whether the command ran is unknown' };
  }
  if (via === 'ansible' && code === 4) {
    return {
      state: 'failed',
      detail: result.output.includes('UNREACHABLE!')
        ? 'unreachable (ansible-playbook exit 4)'
        : 'ansible-playbook exit 4 (see its output)',
    };
  }
  if (via === 'ansible' && code === 2) return { state: 'failed', detail: 'a task failed (ansible-playbook exit 2)' };
  return { state: 'failed', detail: `exit ${code}` };
}

/**
 * The hosts Retry runs a finished fleet run on: where it failed or was refused, and those it never reached (a
 * restart or a stop came first). None while it runs; never a host where it ran or may have.
 */
export function hostsToRetry(run: ActionRun): string[] {
  if (!run.plan?.targets || run.state === 'running' || run.state === 'awaiting-approval') return [];
  const hosts = run.hosts ?? [];
  const seen = new Set(hosts.map((h) => h.host));
  return [
    ...hosts.filter((h) => h.state === 'failed' || h.state === 'refused').map((h) => h.host),
    ...run.plan.targets.filter((t) => !seen.has(t)),
  ];
}

/** The inventory Ansible reads: the fleet's hosts, their groups and variables, the pinned key and known_hosts. */
export function inventoryOf(fleet: FleetConfig): Record<string, unknown> {
  const { ssh } = fleet;
  const hosts = Object.fromEntries(
    fleet.hosts.map((h) => [
      h.name,
      {
        ansible_host: h.address ?? h.name,
        ansible_port: h.port ?? ssh.port,
        ...h.vars,
      },
    ]),
  );
  const groups: Record<string, { hosts: Record<string, null> }> = {};
  for (const h of fleet.hosts) {
    for (const g of h.groups) {
      groups[g] ??= { hosts: {} };
      groups[g].hosts[h.name] = null;
    }
  }
  return {
    all: {
      hosts,
      children: groups,
      vars: {
        ansible_user: ssh.user,
        ansible_ssh_private_key_file: ssh.key,
        ansible_ssh_executable: ssh.program,
        ansible_ssh_common_args: [
          '-F /dev/null',
          '-o BatchMode=yes',
          '-o StrictHostKeyChecking=yes',
          `-o UserKnownHostsFile=${ssh.knownHosts}`,
          '-o GlobalKnownHostsFile=/dev/null',
          '-o UpdateHostKeys=no',
          '-o IdentitiesOnly=yes',
          `-o ConnectTimeout=${Math.max(1, Math.ceil(ssh.connectTimeout / 1000))}`,
        ].join(' '),
      },
    },
  };
}

/** "done on 5/6 hosts; web3: unreachable (ssh exit 255)": a fleet run in one line. */
export function fleetSummary(run: ActionRun): string {
  const hosts = run.hosts ?? [];
  const total = run.plan?.targets?.length ?? hosts.length;
  const done = hosts.filter((h) => h.state === 'succeeded').length;
  const problems = hosts
    .filter((h) => h.state !== 'succeeded' && h.state !== 'dry-run')
    .map((h) => `${h.host}: ${h.state === 'running' ? 'running' : (h.detail ?? h.state)}`);
  return [
    `done on ${done}/${total} hosts`,
    ...problems.slice(0, 5),
    ...(problems.length > 5 ? [`${problems.length - 5} more`] : []),
  ].join('; ');
}
