// The fleet a response action can reach: the hosts logwarden may act on over SSH or Ansible, their groups, and the
// one key and known_hosts file it connects with. Off unless set; a local action (no `target:`) never needs it.
import * as z from 'zod';
import { addressOrRange, duration, id } from './schema-values.js';

/** A host name as inventories write it: letters, digits, ".", "-" and "_" (no spaces, no shell or Slack syntax). */
export const FLEET_HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const hostName = z.string().regex(FLEET_HOST_NAME, {
  message: 'must be a host name: 1–63 letters, digits, ".", "-" or "_", starting with a letter or digit',
});

const ansibleVar = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

const fleetHost = z.strictObject({
  name: hostName.meta({
    description: 'The name its logs carry (the syslog HOSTNAME): `target: origin` acts on the host an incident names.',
  }),
  address: z
    .string()
    .regex(/^[A-Za-z0-9.:_][A-Za-z0-9.:_-]{0,252}$/, { message: 'must be an IP address or a DNS name' })
    .optional()
    .meta({ description: 'Where to connect (default: the name). Fleet addresses are protected on every host.' }),
  port: z.number().int().min(1).max(65_535).optional().meta({ description: 'Its SSH port (default: fleet.ssh.port).' }),
  senders: z.array(z.string().min(1)).optional().meta({
    description:
      'Where its lines arrive from (default: its address): `target: origin` acts on it only for lines sent from one of these, as a syslog relay’s address or an HTTP sender’s name.',
  }),
  groups: z.array(id).default([]).meta({ description: 'Inventory groups it is in, for `target: {group: …}`.' }),
  protect: z
    .array(addressOrRange)
    .default([])
    .meta({ description: 'Addresses no action may act on on this host (its gateway, resolvers, admin network).' }),
  vars: z
    .record(z.string().regex(/^[a-z_][a-z0-9_]*$/, { message: 'must be an Ansible variable name' }), ansibleVar)
    .default({})
    .meta({ description: 'Ansible host variables (e.g. logwarden_firewall: iptables, ansible_python_interpreter).' }),
});

export const fleetSchema = z
  .strictObject({
    hosts: z.array(fleetHost).min(1, { message: 'needs at least one host' }),
    ssh: z
      .strictObject({
        program: z.string().min(1).default('ssh').meta({ description: 'The ssh client (OpenSSH).' }),
        user: z
          .string()
          .regex(/^[a-z_][a-z0-9_.-]{0,31}$/, { message: 'must be a login name' })
          .default('logwarden'),
        key: z
          .string()
          .regex(/^\S+$/, { message: 'must be a path without spaces' })
          .meta({ description: "A private key only logwarden's account can read (mode 0600)." }),
        knownHosts: z.string().regex(/^\S+$/, { message: 'must be a path without spaces' }).meta({
          description: "A known_hosts file with every host's key: an unknown or changed key is never accepted.",
        }),
        port: z.number().int().min(1).max(65_535).default(22),
        connectTimeout: duration.default(10_000).meta({ description: 'Give up on a host that does not answer.' }),
      })
      .meta({ description: 'How logwarden connects: a dedicated key, a pinned known_hosts, never a password.' }),
    ansible: z
      .strictObject({
        program: z.string().min(1).default('ansible-playbook'),
      })
      .prefault({}),
    concurrency: z.number().int().min(1).max(64).default(8).meta({ description: 'Hosts acted on at once.' }),
  })
  .optional()
  .meta({
    description:
      'Hosts response actions can act on (README: Watching many hosts). An action with `target:` runs there over SSH or Ansible.',
  });

export const actionTarget = z
  .union([
    z.enum(['origin', 'all'], { message: 'must be origin, all or {group: name}' }),
    z.strictObject({ group: id }),
  ])
  .optional()
  .meta({
    description:
      'Where it runs: this host when left out; origin (the fleet host the incident came from), {group: web}, or all (block everywhere: 2 approvals unless set).',
  });

export type FleetConfig = NonNullable<z.output<typeof fleetSchema>>;
export type FleetHostConfig = FleetConfig['hosts'][number];
export type ActionTargetConfig = NonNullable<z.output<typeof actionTarget>>;
