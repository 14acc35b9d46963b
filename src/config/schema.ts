// The one place logwarden's configuration is described: shapes, defaults and the help text editors show (the rules'
// part in rule-schema.ts, the values both use in schema-values.ts).
// The namespace import lets the bundler leave out what is not used (zod's 40-odd locales).
import * as z from 'zod';
import { PRESET_NAMES } from '../actions/presets.js';
import { RULE_ENTRY_SCHEMAS } from '../rules/kinds.js';
import { SOURCE_SCHEMAS } from '../sources/registry.js';
import { actionTarget, fleetSchema } from './fleet-schema.js';
import { addressOrRange, byteSize, duration, id, severity } from './schema-values.js';

// Each kind of source brings its schema (sources/registry.ts); `type:` tells them apart, a file when it is left out.
const source = z.union(SOURCE_SCHEMAS);

const argv = z
  .array(z.string())
  .min(1, { message: 'must name a program: [program, arg, …]' })
  .refine((a) => a[0] !== undefined && (a[0].startsWith('/') || /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(a[0])), {
    message: 'must start with an absolute path or a program name on PATH (no shell: no spaces, quotes or pipes)',
  })
  .meta({ description: 'A command as an argv array; {field} fills in a typed capture as one whole argument.' });

const action = z
  .strictObject({
    id,
    preset: z
      .enum(PRESET_NAMES, { message: `must name a preset: ${PRESET_NAMES.join(', ')}` })
      .optional()
      .meta({ description: 'A built-in command (with its undo) to start from; keys given here replace its parts.' }),
    label: z.string().min(1).max(40).optional().meta({ description: 'The button text (default: the preset’s or id).' }),
    command: argv.optional(),
    undo: argv.optional().meta({ description: 'The command that reverses this one (an Undo button, and ttl).' }),
    verify: argv
      .optional()
      .meta({ description: 'Run after the command succeeds: exit 0 means the action took effect.' }),
    ttl: duration.optional().meta({ description: 'Undo automatically this long after the command succeeded.' }),
    timeout: duration.default(30_000).meta({ description: 'Kill the command after this long.' }),
    confirm: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .meta({ description: 'The question asked before it runs; {field} placeholders are filled in.' }),
    roles: z.array(id).default(['responders']).meta({ description: 'The roles allowed to run it.' }),
    approvals: z.number().int().min(1).max(2).optional().meta({
      description:
        '2: the first click requests, a second authorised person approves and it runs (default 1; 2 for target: all).',
    }),
    dryRun: z.boolean().default(false).meta({ description: 'Record and show what would run; run nothing.' }),
    target: actionTarget,
    via: z.enum(['ssh', 'ansible'], { message: 'must be ssh or ansible' }).default('ssh').meta({
      description:
        'With a target: ssh runs the command on each host (fixed argv, values as single arguments); ansible runs a playbook (the preset’s shipped one, or playbook:).',
    }),
    playbook: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'via: ansible — the playbook to run; vars: give its extra-vars.' }),
    undoPlaybook: z.string().min(1).optional().meta({ description: 'via: ansible — the playbook that undoes it.' }),
    vars: z
      .record(z.string().regex(/^[a-z_][a-z0-9_]*$/, { message: 'must be an Ansible variable name' }), z.string())
      .optional()
      .meta({ description: 'via: ansible — extra-vars, each one {field} (a typed value), passed as JSON.' }),
  })
  // Acting on every host at once takes two people unless the config says otherwise.
  .transform((a) => ({ ...a, approvals: a.approvals ?? (a.target === 'all' ? 2 : 1) }))
  .meta({ description: 'A response a button runs: an argv command (never a shell) with typed {field} values.' });

const EMAIL = /^[^\s@<>()",;:\\[\]]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const email = z.string().regex(EMAIL, { message: 'must be a plain email address like alice@example.com' });

const slackUser = z.string().regex(/^[UW][A-Z0-9]{2,}$/, { message: 'must be a Slack user id like U024BE7LH' });
const slackUsers = z.array(slackUser).default([]);
const slackGroups = z
  .array(z.string().regex(/^S[A-Z0-9]{2,}$/, { message: 'must be a Slack user group id like S0614TZR7' }))
  .default([]);

const person = z.strictObject({
  name: z.string().min(1).max(100),
  email,
  slack: slackUser.optional(),
});

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time like 09:00 (24-hour)' });
const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d)?$/, {
  message: 'must be a date, or a date and time, like 2026-12-24 or 2026-12-24T18:00 (in the schedule’s time zone)',
});

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a time zone. Use an IANA name like Europe/Berlin or UTC' },
);

const oncall = z
  .strictObject({
    timezone: timeZone.default('UTC'),
    handoff: z
      .strictObject({
        weekday: z.enum(WEEKDAYS, { message: `must be one of ${WEEKDAYS.join(', ')}` }).default('monday'),
        time: localTime.default('09:00'),
      })
      .prefault({})
      .meta({ description: 'When one person hands over to the next, every week.' }),
    start: localDateTime.meta({
      description: 'A handoff day on which the first person of the rotation was on call, like 2026-11-02.',
    }),
    rotation: z.array(person).min(1, { message: 'needs at least one person' }),
    overrides: z
      .array(z.strictObject({ from: localDateTime, to: localDateTime, person }))
      .default([])
      .meta({ description: 'Someone else is primary from `from` until `to` (holidays, swaps).' }),
  })
  .meta({ description: 'Who is on call: a weekly rotation in a time zone, with dated overrides.' });

const escalationLevel = z.strictObject({
  after: duration.meta({ description: 'How long after the incident opened (or the cycle began) to send.' }),
  notify: z
    .array(
      z.string().refine((v) => v === 'primary' || v === 'secondary' || EMAIL.test(v), {
        message: 'must be primary, secondary (from escalation.oncall) or a plain email address like alice@example.com',
      }),
    )
    .min(1)
    .meta({ description: 'primary, secondary (from the on-call schedule) or an email address.' }),
});

const escalationPolicy = z.strictObject({
  levels: z.array(escalationLevel).min(1, { message: 'needs at least one level' }),
  repeat: z.number().int().min(0).max(10).default(0).meta({ description: 'Run the levels again this many times.' }),
  repeatAfter: duration.default(900_000).meta({ description: 'How long after the last level a repeat begins.' }),
});

const escalation = z
  .strictObject({
    from: z
      .string()
      .min(3)
      .max(200)
      .refine((v) => !/[\r\n]/.test(v), { message: 'must be one line' })
      .meta({ description: 'The From of escalation mail, like "logwarden <logwarden@example.com>".' }),
    policies: z
      .partialRecord(severity, escalationPolicy)
      .default({})
      .meta({ description: 'Per severity: whom to mail, and when, while an incident stays unacknowledged.' }),
    oncall: oncall.optional(),
    retries: z.number().int().min(0).max(20).default(5).meta({ description: 'Retries of a mail the server refused.' }),
  })
  .meta({ description: 'Escalation by email (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_SECURE).' });

export const configSchema = z
  .strictObject({
    store: z
      .strictObject({
        path: z
          .string()
          .min(1)
          .default('./data/logwarden.db')
          .meta({ description: 'SQLite file for offsets, incidents and the audit log (":memory:" keeps nothing).' }),
      })
      .prefault({}),
    sources: z.array(source).min(1, { message: 'needs at least one source' }),
    rules: z.array(z.union(RULE_ENTRY_SCHEMAS)).min(1, { message: 'needs at least one rule' }),
    actions: z.array(action).default([]).meta({ description: 'Response actions rules can offer as buttons.' }),
    fleet: fleetSchema,
    commands: z
      .strictObject({
        env: z
          .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' }))
          .default(['PATH', 'LANG', 'LC_ALL', 'TZ'])
          .meta({ description: 'The only environment variables commands get (from logwarden’s own).' }),
        maxOutput: z
          .number()
          .int()
          .min(256)
          .max(1_000_000)
          .default(64 * 1024)
          .meta({ description: 'Bytes of stdout and stderr kept (each); the rest is cut, its hash is kept.' }),
        shutdownGrace: duration.default(5000).meta({
          description:
            'On SIGTERM, how long a running command may still take before its process group is killed (recorded as interrupted, its undo kept).',
        }),
      })
      .prefault({}),
    audit: z
      .strictObject({
        anchorChannel: z.string().min(1).optional().meta({
          description:
            "A Slack channel (id or #name) the audit log's signed anchor line is posted to, so deleting the last rows shows (README: Security model).",
        }),
        anchorInterval: duration
          .default(900_000)
          .meta({ description: 'At most one anchor post per this long (only when the log changed).' }),
      })
      .prefault({}),
    protect: z
      .strictObject({
        ips: z
          .array(addressOrRange)
          .default([])
          .meta({ description: 'Addresses and ranges no action may act on (admin networks, bastions).' }),
        users: z
          .array(z.string().min(1))
          .default([])
          .meta({ description: 'Accounts no action may act on (root and system accounts always are).' }),
        hosts: z
          .array(z.string().min(1))
          .default([])
          .meta({ description: 'Host names no action may act on (this host and localhost always are).' }),
        shortestPrefix: z
          .strictObject({
            ipv4: z.number().int().min(0).max(32).default(16),
            ipv6: z.number().int().min(0).max(128).default(32),
          })
          .prefault({})
          .meta({
            description: 'The widest cidr value an action may take: /16 for IPv4, /32 for IPv6 unless lowered.',
          }),
      })
      .prefault({})
      .meta({
        description: 'Targets no response action may touch, on top of the built-in ones (README: Security model).',
      }),
    incidents: z
      .strictObject({
        reopenAfter: duration.default(3_600_000).meta({ description: 'Close an incident after this long quiet.' }),
        samples: z.number().int().min(1).max(50).default(5).meta({ description: 'Sample lines kept per incident.' }),
        maxPendingKeys: z.number().int().min(100).max(10_000_000).default(50_000).meta({
          description:
            'Keys (an address, a user) counted towards thresholds at once; beyond it the oldest counts are dropped.',
        }),
        history: duration.default(90 * 86_400_000).meta({
          description:
            "How far back an address's earlier incidents make a new one returning: severity one higher, timed actions twice as long per earlier incident (0s: never).",
        }),
        geoip: z.array(z.string().min(1)).default([]).meta({
          description:
            'MaxMind-format databases (GeoLite2-ASN, GeoLite2-Country or City .mmdb), read at start: new-login-source learns the networks users log in from by ASN (else country) instead of /24, and incidents name where an address is.',
        }),
        blocklists: z.array(z.string().min(1)).default([]).meta({
          description:
            'Files of known-bad addresses and ranges (FireHOL netset: one per line, # comments), re-read when they change: an incident about one is returning.',
        }),
      })
      .prefault({}),
    roles: z
      .record(
        id,
        z.strictObject({
          users: slackUsers.meta({ description: 'Slack user ids (the same as slack.users).' }),
          groups: slackGroups.meta({ description: 'Slack user-group ids (the same as slack.groups).' }),
          slack: z
            .strictObject({ users: slackUsers, groups: slackGroups })
            .optional()
            .meta({ description: 'The Slack user ids and user-group ids that hold the role.' }),
          sources: z
            .array(id)
            .optional()
            .meta({ description: 'The sources this role may query with /logs (default: all).' }),
        }),
      )
      .default({})
      .meta({ description: 'Who may do what: role name → the ids that hold it, per chat platform.' }),
    slack: z
      .strictObject({
        allow: z
          .strictObject({
            acknowledge: z.array(id).default(['responders']),
            resolve: z.array(id).default(['responders']),
            snooze: z.array(id).default(['responders']),
            falsePositive: z.array(id).default(['responders']),
            logs: z.array(id).default(['responders']),
            escalate: z.array(id).default(['responders']),
          })
          .prefault({})
          .meta({ description: 'The roles allowed to press each button (default: responders).' }),
        channel: z
          .string()
          .min(1)
          .meta({ description: 'The channel incidents are posted to: its id (C0123ABCD) or name (#security).' }),
        mode: z.enum(['socket', 'http'], { message: 'must be socket or http' }).default('socket').meta({
          description: 'socket: Socket Mode (SLACK_APP_TOKEN); http: signed requests (SLACK_SIGNING_SECRET).',
        }),
        port: z.number().int().min(1).max(65_535).default(3000).meta({ description: 'The port for mode: http.' }),
        host: z.string().min(1).default('127.0.0.1').meta({
          description:
            'The address to listen on for mode: http (loopback by default: put a TLS proxy in front, README: Slack setup).',
        }),
        groupCacheTtl: duration.default(60_000).meta({
          description: 'How long user-group members looked up for the roles are trusted before asking again.',
        }),
        updateInterval: duration
          .default(3000)
          .meta({ description: "At most one update of an incident's message per this long, however fast it counts." }),
        threadInterval: duration
          .default(600_000)
          .meta({ description: 'At most one thread reply about new matches per incident per this long.' }),
      })
      .optional()
      .meta({ description: 'Post incidents to Slack. Tokens come from SLACK_BOT_TOKEN (and SLACK_APP_TOKEN).' }),
    escalation: escalation.optional(),
    queries: z
      .strictObject({
        workers: z.number().int().min(1).max(4).default(2).meta({
          description: '/logs searches and tails running at once, each in its own thread; more are told to wait.',
        }),
        perUser: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(1)
          .meta({ description: 'Queries one person may run at once.' }),
        timeBudget: duration
          .default(5000)
          .meta({ description: 'How long one search may read; the answer says it was cut and how far it got.' }),
        byteBudget: byteSize
          .default(1 << 30)
          .meta({ description: 'How many bytes one search may read (a number, or 512MiB, 2GiB).' }),
      })
      .prefault({})
      .meta({ description: 'Budgets for /logs queries, so none can hold up the bot.' }),
    http: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1').meta({
          description: 'The address to listen on (loopback by default: the answers name rules and source paths).',
        }),
        port: z
          .number()
          .int()
          .min(0)
          .max(65_535)
          .default(9464)
          .meta({ description: 'The port (0: any free one, logged at start-up).' }),
      })
      .optional()
      .meta({
        description:
          'Serve /metrics (Prometheus), /healthz and /readyz over HTTP. Off unless set; `http: {}` listens on 127.0.0.1:9464.',
      }),
    tail: z
      .strictObject({
        pollInterval: duration
          .default(1000)
          .meta({ description: 'How often files are checked even without a change event.' }),
        rotateQuiet: duration
          .default(5000)
          .meta({ description: 'Keep reading a rotated-away file until it has been quiet this long.' }),
      })
      .prefault({}),
  })
  .meta({ title: 'logwarden configuration' });

export type Config = z.output<typeof configSchema>;
export type SourceConfig = Config['sources'][number];
export type { FileSourceConfig, JournaldSourceConfig } from '../sources/registry.js';
export type RuleEntry = Config['rules'][number];
export type {
  CustomRuleConfig,
  Fail2banRuleConfig,
  IgnoreConfig,
  PackRuleConfig,
  ThresholdConfig,
} from './rule-schema.js';
export type ActionConfig = Config['actions'][number];
export type CommandsConfig = Config['commands'];
export type ProtectConfig = Config['protect'];
export type EscalationConfig = NonNullable<Config['escalation']>;
export type OncallConfig = NonNullable<EscalationConfig['oncall']>;
export type EscalationPolicy = NonNullable<EscalationConfig['policies'][keyof EscalationConfig['policies']]>;
export type Person = OncallConfig['rotation'][number];

/** The JSON Schema of the file people write (durations as text), for editors. */
export function renderJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
