// Built-in containment commands a config can start from: each runs through `sudo -n` with an absolute path, so a
// sudoers file can allow exactly these argv shapes (README: "Privileges"). Values are typed captures, one argv
// element each, and never start with "-".

export interface ActionPreset {
  label: string;
  command: readonly string[];
  undo?: readonly string[];
  verify?: readonly string[];
  confirm: string;
  /**
   * `via: ansible`: the shipped playbook (playbooks/) that does the same, its fixed extra-vars and the {field} values
   * it takes. It runs with state=present, its undo with state=absent.
   */
  ansible: { playbook: string; vars: Readonly<Record<string, string>>; undo: boolean };
}

const sudo = (program: string, ...args: string[]) => ['sudo', '-n', program, ...args];
const nftElement = (verb: string) =>
  sudo('/usr/sbin/nft', verb, 'element', 'inet', 'logwarden', 'blocklist', '{ {ip} }');
const iptables = (flag: string) => sudo('/usr/sbin/iptables', flag, 'INPUT', '-s', '{ip}', '-j', 'DROP');

export const PRESETS = {
  /** Adds the address to the nftables set `inet logwarden blocklist` (created by the operator, see README). */
  'nftables-block-ip': {
    label: 'Block IP',
    command: nftElement('add'),
    undo: nftElement('delete'),
    verify: nftElement('get'),
    confirm: 'Block {ip} in the nftables set inet logwarden blocklist?',
    ansible: { playbook: 'block-ip.yml', vars: { ip: '{ip}', logwarden_firewall: 'nftables' }, undo: true },
  },
  'iptables-block-ip': {
    label: 'Block IP',
    command: iptables('-I'),
    undo: iptables('-D'),
    verify: iptables('-C'),
    confirm: 'Drop all traffic from {ip} with iptables?',
    ansible: { playbook: 'block-ip.yml', vars: { ip: '{ip}', logwarden_firewall: 'iptables' }, undo: true },
  },
  'ufw-block-ip': {
    label: 'Block IP',
    command: sudo('/usr/sbin/ufw', 'prepend', 'deny', 'from', '{ip}'),
    undo: sudo('/usr/sbin/ufw', 'delete', 'deny', 'from', '{ip}'),
    confirm: 'Deny all traffic from {ip} with ufw?',
    ansible: { playbook: 'block-ip.yml', vars: { ip: '{ip}', logwarden_firewall: 'ufw' }, undo: true },
  },
  'lock-user': {
    label: 'Lock user',
    command: sudo('/usr/sbin/usermod', '-L', '{user}'),
    undo: sudo('/usr/sbin/usermod', '-U', '{user}'),
    confirm: "Lock {user}'s password?",
    ansible: { playbook: 'lock-user.yml', vars: { user: '{user}' }, undo: true },
  },
  'kill-user-sessions': {
    label: 'End sessions',
    command: sudo('/usr/bin/pkill', '-KILL', '-u', '{user}'),
    confirm: 'Kill every process of {user}?',
    ansible: { playbook: 'kill-user-sessions.yml', vars: { user: '{user}' }, undo: false },
  },
} as const satisfies Record<string, ActionPreset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]];
