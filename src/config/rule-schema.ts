// The rules part of the configuration schema: custom rules, packs and fail2ban filters, with their thresholds and
// ignore lists (defaults live here, as in schema.ts).
// The namespace import lets the bundler leave out what is not used (zod's 40-odd locales).
import * as z from 'zod';
import { EVENT_TYPES, FIELD_TYPES } from '../core/types.js';
import { DETECTOR_NAMES } from '../rules/detect/detectors.js';
import { PACK_NAMES } from '../rules/packs/index.js';
import { captureName, duration, id, oneOrMany, severity, zoneName } from './schema-values.js';

const thresholdCount = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .meta({ description: 'Matches needed to open an incident.' });
const thresholdWithin = duration.meta({ description: 'The sliding window the matches must fall in.' });
const thresholdBy = z.array(captureName).meta({ description: 'Captures that key the count, e.g. [ip].' });
const ipv6Prefix = z.number().int().min(16).max(128).meta({
  description:
    'IPv6 addresses in an ip field of `by` count together per prefix of this length (one host has a whole /64).',
});

const threshold = z
  .strictObject({
    count: thresholdCount.default(1),
    within: thresholdWithin.default(600_000),
    by: thresholdBy.default([]),
    ipv6Prefix: ipv6Prefix.default(64),
  })
  .meta({ description: 'Open an incident once `count` matches with the same `by` values fall within `within`.' });

/** A pack entry's changes to the pack's thresholds: only what is given replaces the pack's value. */
const thresholdOverride = z
  .strictObject({
    count: thresholdCount.optional(),
    within: thresholdWithin.optional(),
    by: thresholdBy.optional(),
    ipv6Prefix: ipv6Prefix.optional(),
  })
  .meta({ description: "Replaces parts of the pack's thresholds." });

const ignore = z
  .union([
    z.array(z.string().min(1)).meta({
      description:
        'Whole-line patterns: a matching line is ignored. Text inside a capture (a user name) can match them too.',
    }),
    z.record(captureName, oneOrMany(z.string().min(1))).meta({
      description:
        'Per capture: values whose matches are ignored; addresses and CIDR ranges for ip fields, e.g. {ip: [10.0.0.0/8]}.',
    }),
  ])
  .default([]);

const programs = oneOrMany(
  z.string().regex(/^[^\s[\]():]{1,128}$/, { message: 'must be a program name as its log tag shows it, like sshd' }),
);

const dedupe = z
  .strictObject({
    by: z.array(captureName).min(1),
    within: duration,
  })
  .meta({
    description:
      'Count matches with equal `by` values within `within` of each other once (one attempt that logs two lines).',
  });

const ruleActions = z
  .array(id)
  .default([])
  .meta({ description: 'Response actions offered as buttons on this rule’s incidents (ids of actions:).' });

export const customRule = z.strictObject({
  id,
  source: oneOrMany(id).meta({ description: 'The id of the source (or sources) this rule reads.' }),
  program: programs.optional().meta({
    description:
      'Read only lines this program (or these) wrote, and match the pattern against their message, from its start.',
  }),
  pattern: oneOrMany(z.string().min(1)).meta({
    description: 'A JavaScript regular expression with named captures, or a list of them (any may match).',
  }),
  ignore,
  caseInsensitive: z.boolean().default(false),
  severity: severity.default('medium'),
  fields: z
    .record(captureName, z.enum(FIELD_TYPES, { message: `must be one of ${FIELD_TYPES.join(', ')}` }))
    .default({})
    .meta({
      description:
        'Types of the named captures. A capture that fails its type is left empty; in threshold.by it rejects the line.',
    }),
  threshold: threshold.prefault({}),
  dedupe: dedupe.optional(),
  title: z.string().min(1).optional().meta({ description: 'Incident title with {capture} placeholders.' }),
  event: z
    .enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(', ')}` })
    .optional()
    .meta({ description: 'What a match means to detectors, e.g. auth.failure (packs say it of their own rules).' }),
  actions: ruleActions,
});

export const packRule = z.strictObject({
  use: z.enum(PACK_NAMES, { message: `must name a built-in pack: ${PACK_NAMES.join(', ')}` }),
  id: id.optional().meta({ description: 'Prefix for the pack’s rule ids (default: the pack name).' }),
  source: oneOrMany(id),
  ignore,
  severity: severity.optional(),
  threshold: thresholdOverride.optional(),
  actions: ruleActions,
});

export const detectRule = z
  .strictObject({
    detect: z.enum(DETECTOR_NAMES, { message: `must name a detector: ${DETECTOR_NAMES.join(', ')}` }),
    id: id.optional().meta({ description: 'The rule id (default: the detector name).' }),
    source: oneOrMany(id),
    ignore,
    severity: severity.optional(),
    threshold: thresholdOverride.optional().meta({
      description:
        "Replaces parts of the detector's threshold: how many prior events (count) within how long before (within), keyed by which fields (by).",
    }),
    learn: z
      .strictObject({
        period: duration.optional().meta({
          description:
            'How long it learns before it speaks, and how long it remembers what it saw (default: the detector’s, 30d for new-login-source).',
        }),
        ipv4Prefix: z
          .number()
          .int()
          .min(8)
          .max(32)
          .optional()
          .meta({ description: 'An IPv4 network: /24 by default.' }),
        ipv6Prefix: z
          .number()
          .int()
          .min(16)
          .max(128)
          .optional()
          .meta({ description: 'An IPv6 network: /48 by default.' }),
        timezone: zoneName.optional().meta({
          description: "The zone of hours and weekdays (unusual-time, spike): an IANA name; default this host's.",
        }),
        history: z.number().int().min(1).max(100_000).optional().meta({
          description: 'unusual-time: logins a user must have had before it speaks of them (default 20).',
        }),
        floor: z.number().int().min(1).max(10_000_000).optional().meta({
          description: 'spike: counts in five minutes below this are never a spike (default 20).',
        }),
      })
      .optional()
      .meta({ description: 'For a detector that learns: its period, network sizes, time zone and minimums.' }),
    actions: ruleActions,
  })
  .meta({ description: 'A learned detector, e.g. success-after-failures: a login after failures from its address.' });

export const fail2banRule = z
  .strictObject({
    fail2ban: z.string().min(1).meta({
      description: 'A fail2ban filter file, read from this system at start, e.g. /etc/fail2ban/filter.d/sshd.conf.',
    }),
    id: id.optional().meta({ description: 'The rule id (default: the filter name, e.g. sshd).' }),
    source: oneOrMany(id),
    mode: z.string().min(1).optional().meta({ description: "The filter's mode, as filter = sshd[mode=aggressive]." }),
    options: z
      .record(z.string().regex(/^[\w-]+$/, { message: 'must be a filter option name' }), z.string())
      .default({})
      .meta({ description: "Filter options, as a jail's filter = name[key=value] gives them." }),
    maxretry: thresholdCount.default(5).meta({ description: "fail2ban's maxretry: failures that open an incident." }),
    findtime: thresholdWithin.default(600_000).meta({ description: "fail2ban's findtime: the window they fall in." }),
    ignoreip: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: "fail2ban's ignoreip: addresses and CIDR ranges whose failures are ignored." }),
    severity: severity.default('medium'),
    title: z.string().min(1).optional().meta({ description: 'Incident title with {ip}, {user} placeholders.' }),
    actions: ruleActions,
  })
  .meta({ description: 'A fail2ban filter run as it is, with jail settings as the threshold.' });

export type CustomRuleConfig = z.output<typeof customRule>;
export type PackRuleConfig = z.output<typeof packRule>;
export type Fail2banRuleConfig = z.output<typeof fail2banRule>;
export type DetectRuleConfig = z.output<typeof detectRule>;
export type IgnoreConfig = z.output<typeof ignore>;
export type ThresholdConfig = CustomRuleConfig['threshold'];
