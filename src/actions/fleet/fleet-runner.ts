// Runs a fleet plan's argv on one host: through ssh (the fixed remote argv, quoted), or as its playbook limited to
// that host, with an inventory and an ansible.cfg logwarden writes into a private folder once (so no ansible.cfg of
// the working directory or the home folder changes what runs). Each host's own protected addresses are checked here.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetConfig, FleetHostConfig } from '../../config/fleet-schema.js';
import type { FieldType } from '../../core/types.js';
import { configuredRange, type ProtectedTargets, protectionOfValues } from '../protected-targets.js';
import type { CommandResult, RunCommandOptions } from '../run-command.js';
import { ansibleHostArgv, inventoryOf, sshArgv } from './fleet.js';

export interface FleetRunner {
  /** Hosts acted on at once. */
  readonly concurrency: number;
  has(host: string): boolean;
  /** Runs a plan's argv (a remote argv for ssh, a playbook argv for ansible) on one host. */
  run(
    host: string,
    via: 'ssh' | 'ansible',
    argv: readonly string[],
    options: RunCommandOptions,
  ): Promise<CommandResult>;
  /** Why the values may not be acted on on this host (its own `protect:`), or undefined. */
  protectionOn(
    host: string,
    values: Readonly<Record<string, string>>,
    types: Readonly<Record<string, FieldType>>,
  ): string | undefined;
  /** Removes the folder the inventory was written to. */
  close(): void;
}

export function createFleetRunner(
  fleet: FleetConfig,
  run: (argv: readonly string[], options: RunCommandOptions) => Promise<CommandResult>,
): FleetRunner {
  const hosts = new Map<string, FleetHostConfig>(fleet.hosts.map((h) => [h.name, h]));
  const own = new Map<string, ProtectedTargets>(
    fleet.hosts.map((h) => [
      h.name,
      {
        ranges: h.protect.map((entry) =>
          configuredRange(entry, `listed under protect of fleet host ${h.name} (${entry})`),
        ),
        users: new Map(),
        hosts: new Map(),
        shortestPrefix: { ipv4: 0, ipv6: 0 },
      },
    ]),
  );
  let folder: string | undefined;
  // Written once, and again if a temp cleaner removed them: a missing inventory would match no host and exit 0.
  const ansibleFiles = () => {
    if (folder && existsSync(join(folder, 'inventory.json')) && existsSync(join(folder, 'ansible.cfg'))) return folder;
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = mkdtempSync(join(tmpdir(), 'logwarden-ansible-'));
    writeFileSync(join(folder, 'inventory.json'), JSON.stringify(inventoryOf(fleet), null, 2), { mode: 0o600 });
    writeFileSync(
      join(folder, 'ansible.cfg'),
      [
        '[defaults]',
        'host_key_checking = True',
        'retry_files_enabled = False',
        `local_tmp = ${join(folder, 'tmp')}`,
        'interpreter_python = auto_silent',
        'nocows = True',
        '[ssh_connection]',
        // Modules go through the ssh session's stdin: no temporary files copied over sftp or scp.
        'pipelining = True',
        // No master connection left behind after a run (ControlPersist keeps one in the background).
        'ssh_args = -o ControlMaster=no -o ControlPath=none',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return folder;
  };
  return {
    concurrency: fleet.concurrency,
    has: (host) => hosts.has(host),
    run(host, via, argv, options) {
      const target = hosts.get(host);
      if (!target) throw new Error(`${host} is not a fleet host`);
      if (via === 'ssh') return run(sshArgv(fleet.ssh, target, argv), options);
      const dir = ansibleFiles();
      return run(ansibleHostArgv(argv, join(dir, 'inventory.json'), host), {
        ...options,
        extraEnv: {
          ...options.extraEnv,
          ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
          // Ansible stops unless the locale is UTF-8, and keeps its files under HOME.
          LC_ALL: 'C.UTF-8',
          HOME: dir,
          ANSIBLE_NOCOLOR: '1',
          // An inventory it cannot read, or a host it does not list, is an error, never a run on no host.
          ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True',
          ANSIBLE_HOST_PATTERN_MISMATCH: 'error',
        },
      });
    },
    protectionOn(host, values, types) {
      const targets = own.get(host);
      if (!targets || targets.ranges.length === 0) return undefined;
      const reason = protectionOfValues(values, types, targets);
      return reason ? `${reason} on ${host}` : undefined;
    },
    close() {
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = undefined;
    },
  };
}
