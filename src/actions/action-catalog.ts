// The response actions of a config, with presets filled in and checked as a whole: ids unique, a command to run,
// an undo for every ttl, roles that exist, fleet targets that name hosts. Pure, but for finding the playbooks the
// package ships.
import { fileURLToPath } from 'node:url';
import type { FleetConfig } from '../config/fleet-schema.js';
import type { ActionConfig } from '../config/schema.js';
import type { ConfigProblem } from '../core/errors.js';
import { packageFile } from '../core/package-files.js';
import { type ResolvedTarget, resolveTarget } from './fleet/fleet.js';
import { PRESETS } from './presets.js';
import { placeholdersOf } from './render-argv.js';

export interface ResolvedAction {
  id: string;
  label: string;
  command: readonly string[];
  undo?: readonly string[];
  verify?: readonly string[];
  ttl?: number;
  timeout: number;
  confirm?: string;
  roles: readonly string[];
  approvals: number;
  dryRun: boolean;
  /** Every {field} its command, undo, verify and confirm use (and its playbook's vars). */
  fields: string[];
  /** Fleet hosts it runs on, over `via`; this host when absent. */
  target?: ResolvedTarget;
  via?: 'ssh' | 'ansible';
  /** via: ansible — the playbook and its undo (the same one with state=absent when not given), and its vars. */
  ansible?: { program: string; playbook: string; undoPlaybook?: string; vars: Readonly<Record<string, string>> };
}

export type ActionCatalog = ReadonlyMap<string, ResolvedAction>;

export function createActionCatalog(
  actions: readonly ActionConfig[],
  roleNames: readonly string[],
  fleet?: FleetConfig,
  networkSources: readonly string[] = [],
): { catalog: ActionCatalog; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const catalog = new Map<string, ResolvedAction>();
  actions.forEach((a, i) => {
    const path = `actions[${i}]`;
    if (catalog.has(a.id)) {
      problems.push({ path: `${path}.id`, message: `action id "${a.id}" is used twice. Give each action its own id.` });
      return;
    }
    const preset = a.preset ? PRESETS[a.preset] : undefined;
    const fleetPart = fleetPartOf(a, path, fleet, networkSources, problems);
    if (fleetPart === null) return;
    const command = a.command ?? fleetPart?.command ?? preset?.command;
    if (!command) {
      problems.push({
        path: `${path}.command`,
        message: 'is required: give the argv to run, like [/usr/sbin/nft, …], or a preset: like nftables-block-ip.',
      });
      return;
    }
    const undo = fleetPart?.ansible
      ? fleetPart.undo
      : (a.undo ?? (preset && 'undo' in preset ? preset.undo : undefined));
    const verify = fleetPart?.ansible
      ? undefined
      : (a.verify ?? (preset && 'verify' in preset ? preset.verify : undefined));
    if (a.ttl !== undefined && !undo) {
      problems.push({
        path: `${path}.ttl`,
        message: 'needs an undo command to run when it expires. Add undo: [...] or remove ttl.',
      });
    }
    if (roleNames.length > 0) {
      a.roles.forEach((role, j) => {
        if (!roleNames.includes(role)) {
          problems.push({
            path: `${path}.roles[${j}]`,
            message: `no role named "${role}". Roles: ${roleNames.join(', ')}. Add it under roles: or name another.`,
          });
        }
      });
    }
    // One placeholder per argument: "{ip}/{len}" with len 0 would make a range nothing checked as one.
    for (const [key, template] of [
      ['command', command],
      ['undo', undo],
      ['verify', verify],
    ] as const) {
      (template ?? []).forEach((arg, j) => {
        const names = placeholdersOf([arg]);
        if (names.length > 1) {
          problems.push({
            path: `${path}.${key}[${j}]`,
            message: `joins {${names.join('} and {')}} in one argument: their values are checked one by one, never as what they make together. Give each placeholder an argument of its own.`,
          });
        }
      });
    }
    const confirm = a.confirm ?? preset?.confirm;
    const templates = [
      command,
      undo ?? [],
      verify ?? [],
      confirm ? [confirm] : [],
      Object.values(fleetPart?.ansible?.vars ?? {}),
    ];
    catalog.set(a.id, {
      id: a.id,
      label: a.label ?? preset?.label ?? a.id,
      command,
      ...(undo ? { undo } : {}),
      ...(verify ? { verify } : {}),
      ...(a.ttl !== undefined ? { ttl: a.ttl } : {}),
      timeout: a.timeout,
      ...(confirm ? { confirm } : {}),
      roles: a.roles,
      approvals: a.approvals,
      dryRun: a.dryRun,
      // The host an origin action runs on is where, not what: it is confirmed as the run's hosts, never checked as a value.
      fields: [...new Set(templates.flatMap((t) => placeholdersOf(t)))].filter(
        (f) => !(f === 'host' && fleetPart?.target.kind === 'origin'),
      ),
      ...(fleetPart ? { target: fleetPart.target, via: a.via } : {}),
      ...(fleetPart?.ansible ? { ansible: fleetPart.ansible } : {}),
    });
  });
  return { catalog, problems };
}

type FleetPart = {
  target: ResolvedTarget;
  command?: readonly string[];
  undo?: readonly string[];
  ansible?: NonNullable<ResolvedAction['ansible']>;
};

// An action with a target: the fleet it needs, the hosts it names, and for Ansible the playbook (the preset's
// shipped one, or the config's) with vars that are each one {field}. undefined: a local action; null: a problem.
function fleetPartOf(
  a: ActionConfig,
  path: string,
  fleet: FleetConfig | undefined,
  networkSources: readonly string[],
  problems: ConfigProblem[],
): FleetPart | undefined | null {
  const ansibleKeys = (['playbook', 'undoPlaybook', 'vars'] as const).filter((k) => a[k] !== undefined);
  if (a.target === undefined) {
    if (ansibleKeys.length > 0) {
      problems.push({
        path: `${path}.${ansibleKeys[0]}`,
        message: 'is for an action with target: and via: ansible. Add them, or remove it.',
      });
      return null;
    }
    return undefined;
  }
  if (!fleet) {
    problems.push({
      path: `${path}.target`,
      message: 'needs a fleet: add fleet: {ssh: {key, knownHosts}, hosts: [...]} (README: Watching many hosts).',
    });
    return null;
  }
  const resolved = resolveTarget(a.target, fleet, networkSources);
  if (!resolved.ok) {
    problems.push({ path: `${path}.target`, message: resolved.reason });
    return null;
  }
  if (a.via === 'ssh') {
    if (ansibleKeys.length > 0) {
      problems.push({
        path: `${path}.${ansibleKeys[0]}`,
        message: 'is for via: ansible. Set via: ansible or remove it.',
      });
      return null;
    }
    return { target: resolved.target };
  }
  const preset = a.preset ? PRESETS[a.preset] : undefined;
  if (a.command || a.undo || a.verify) {
    problems.push({
      path: `${path}.${a.command ? 'command' : a.undo ? 'undo' : 'verify'}`,
      message: 'is for a local or via: ssh action; via: ansible runs playbook: (or the preset’s). Remove it.',
    });
    return null;
  }
  const playbook =
    a.playbook ?? (preset ? fileURLToPath(packageFile(`playbooks/${preset.ansible.playbook}`)) : undefined);
  if (!playbook) {
    problems.push({
      path: `${path}.playbook`,
      message: 'is required with via: ansible: give a playbook path, or a preset: like nftables-block-ip.',
    });
    return null;
  }
  const vars = a.vars ?? preset?.ansible.vars ?? {};
  for (const [name, template] of Object.entries(vars)) {
    const names = placeholdersOf([template]);
    if (names.length !== 1 || template !== `{${names[0]}}`) {
      if (a.vars === undefined) continue;
      problems.push({
        path: `${path}.vars.${name}`,
        message: 'must be one {field} and nothing else, like "{ip}": a typed value, passed to the playbook as it is.',
      });
      return null;
    }
  }
  const program = fleet.ansible.program;
  const undoPlaybook = a.undoPlaybook ?? (a.playbook === undefined && preset?.ansible.undo ? playbook : undefined);
  return {
    target: resolved.target,
    command: [program, playbook],
    ...(undoPlaybook ? { undo: [program, undoPlaybook] } : {}),
    ansible: { program, playbook, ...(undoPlaybook ? { undoPlaybook } : {}), vars },
  };
}
