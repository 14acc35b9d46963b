// Where a fleet action runs and the argv that reaches each host: the hosts a target names (only hosts of the config's
// fleet, whatever a log line says), the ssh argv that runs a fixed remote argv with each value quoted as one word,
// and the ansible-playbook argv limited to one host with its values as JSON extra-vars never templated. Pure.
import type { ActionTargetConfig, FleetConfig, FleetHostConfig } from '../../config/fleet-schema.js';
import type { ActionRun } from '../../core/types.js';

/** A target as a config resolves it: the incident's own host, or a fixed list of hosts (a group, or all). */
export type ResolvedTarget =
  | { kind: 'origin'; label: string; hosts: readonly string[] }
  | { kind: 'hosts'; label: string; hosts: readonly string[] };

export function resolveTarget(
  target: ActionTargetConfig,
  fleet: FleetConfig,
): { ok: true; target: ResolvedTarget } | { ok: false; reason: string } {
  const names = fleet.hosts.map((h) => h.name);
  if (target === 'origin')
    return { ok: true, target: { kind: 'origin', label: 'the host it came from', hosts: names } };
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
 * by host: the host its lines' envelope names), and only when that is a fleet host: a forged host name picks no
 * machine the config does not list, and the confirm dialog shows which one it is.
 */
export function targetHostsOf(
  target: ResolvedTarget,
  fields: Readonly<Record<string, string>>,
): { ok: true; hosts: string[] } | { ok: false; reason: string } {
  if (target.kind === 'hosts') return { ok: true, hosts: [...target.hosts] };
  const named = fields.host;
  if (named === undefined) {
    return {
      ok: false,
      reason: 'the incident names no host (target: origin needs a rule keyed by host: threshold by: [ip, host])',
    };
  }
  const host = target.hosts.find((h) => h.toLowerCase() === named.toLowerCase().replace(/\.$/, ''));
  if (!host) return { ok: false, reason: `${named.slice(0, 64)} is not a host of the fleet (fleet.hosts)` };
  return { ok: true, hosts: [host] };
}

/** The hosts a fleet action's dialog names for an incident now (none when it names no fleet host). */
export function targetsShown(
  target: ResolvedTarget | undefined,
  fields: Readonly<Record<string, string>>,
): string[] | undefined {
  if (!target) return undefined;
  const found = targetHostsOf(target, fields);
  return found.ok ? found.hosts : [];
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

/** How a host run ended, in words, from its backend's exit code (ssh 255, ansible-playbook 4: not reached). */
export function hostFailure(via: 'ssh' | 'ansible', exitCode: number): string {
  if (via === 'ssh' && exitCode === 255) return 'unreachable (ssh exit 255)';
  if (via === 'ansible' && exitCode === 4) return 'unreachable (ansible-playbook exit 4)';
  if (via === 'ansible' && exitCode === 2) return 'a task failed (ansible-playbook exit 2)';
  return `exit ${exitCode}`;
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
