// The demo's config, written into its data directory so a newcomer can read what is running: the sshd, sudo and
// nginx packs on two generated logs, a block-IP action backed by a harmless script, a lock-user action in dry run,
// three people with different rights, and an escalation policy with an on-call rotation.

export interface DemoPeople {
  id: string;
  name: string;
  role: string;
}

/** Who the demo's page lets you be: a responder, the on-call lead, and someone with no rights at all. */
export const DEMO_PEOPLE: readonly DemoPeople[] = [
  { id: 'U0ALICE', name: 'alice', role: 'responder' },
  { id: 'U0LEE', name: 'lee', role: 'on-call lead' },
  { id: 'U0EVE', name: 'eve', role: 'outsider' },
];

export function renderDemoConfig(paths: {
  dir: string;
  authLog: string;
  webLog: string;
  firewall: string;
  node: string;
}): string {
  const q = (value: string) => JSON.stringify(value);
  const firewall = (verb: string) =>
    `[${q(paths.node)}, ${q(paths.firewall)}, ${q(`${paths.dir}/blocked.txt`)}, ${verb}, '{ip}']`;
  return `# The logwarden demo. Every path is inside the demo's data directory.
store: { path: ${q(`${paths.dir}/logwarden.db`)} }

sources:
  - { id: auth, path: ${q(paths.authLog)}, from: start }
  - { id: web, path: ${q(paths.webLog)}, from: start }

rules:
  - { use: sshd, source: auth, actions: [block-ip] }
  - { use: sudo, source: auth, actions: [lock-user] }
  - { use: nginx, source: web, actions: [block-ip] }

actions:
  - id: block-ip
    label: Block IP
    command: ${firewall('block')}
    undo: ${firewall('unblock')}
    verify: ${firewall('check')}
    ttl: 30m
    confirm: 'Block {ip} on the demo firewall (a text file; nothing real changes)?'
    roles: [responders, leads]
  - id: lock-user
    preset: lock-user
    dryRun: true
    roles: [leads]

roles:
  responders: { users: [U0ALICE] }
  leads: { users: [U0LEE] }

slack:
  channel: '#security'
  updateInterval: 1s
  threadInterval: 1m
  allow:
    acknowledge: [responders, leads]
    resolve: [responders, leads]
    snooze: [responders, leads]
    falsePositive: [leads]
    escalate: [responders, leads]
    logs: [responders, leads]

escalation:
  from: logwarden demo <logwarden@demo.invalid>
  policies:
    high:
      levels:
        - { after: 2m, notify: [primary] }
        - { after: 5m, notify: [secondary] }
  oncall:
    timezone: UTC
    start: 2026-11-02
    rotation:
      - { name: Lee, email: lee@demo.invalid, slack: U0LEE }
      - { name: Alice, email: alice@demo.invalid, slack: U0ALICE }
`;
}
