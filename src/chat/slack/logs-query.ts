// What a responder typed after /logs, as a query. Pure; everything typed is untrusted.
import { parseDuration } from '../../config/duration.js';
import { escapeInlineCode } from './escape.js';

export type LogsQuery =
  | { kind: 'help' }
  | { kind: 'search'; text: string; regex: boolean; source?: string; since?: number; limit: number }
  | { kind: 'tail'; source: string; count: number }
  | { kind: 'incidents'; which: 'open' | 'all'; since?: number }
  | { kind: 'ip'; address: string }
  | { kind: 'stats'; since?: number }
  | { kind: 'baseline'; subject: string }
  | { kind: 'hosts' }
  | { kind: 'silences' }
  | { kind: 'unsilence'; id: number }
  | { kind: 'unlearn'; incident: number }
  | { kind: 'oncall' }
  /** message is mrkdwn, with what the person typed already escaped. */
  | { kind: 'invalid'; message: string };

export const LOGS_HELP = [
  '`/logs search <text or /regex/> [source:<id>] [since:15m|2h|1d] [limit:<n>]` lines that contain it, newest first',
  '`/logs tail <source> [n]` the last lines of a source',
  '`/logs incidents [open|all] [since:…]` incidents, newest first',
  '`/logs ip <address>` everything known about an address',
  '`/logs stats [since:…]` top rules and keys',
  '`/logs baseline <user|source|address>` what the learned detectors know of it',
  '`/logs hosts` who sends lines to the syslog and HTTP sources: when last, how many a minute',
  '`/logs silences` snoozes and false positives in force; `/logs unsilence <id>` lifts one',
  '`/logs unlearn <incident>` takes back what a false positive taught a learned detector',
  '`/logs oncall` who is on call now, and next',
];

const MAX_LIMIT = 50;
const MAX_SEARCH_TEXT = 500;

export function parseLogsQuery(input: string): LogsQuery {
  const words = input.trim().split(/\s+/).filter(Boolean);
  const [command = 'help', ...rest] = words;
  const options = new Map<string, string>();
  const args: string[] = [];
  for (const word of rest) {
    const m = /^(source|since|limit):(.+)$/.exec(word);
    if (m) options.set(m[1]!, m[2]!);
    else args.push(word);
  }
  const since = options.has('since') ? parseDuration(options.get('since')!) : undefined;
  if (options.has('since') && since === undefined) {
    return {
      kind: 'invalid',
      message: `${escapeInlineCode(`since:${options.get('since')}`, 60)} is not a duration. Write e.g. since:15m, since:2h or since:1d.`,
    };
  }
  const withSince = since === undefined ? {} : { since };
  switch (command.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'baseline': {
      const subject = args[0];
      if (!subject || args.length > 1 || subject.length > 200)
        return { kind: 'invalid', message: 'baseline needs one user, source or address: `/logs baseline alice`.' };
      return { kind: 'baseline', subject };
    }
    case 'search': {
      const text = args.join(' ');
      if (!text)
        return { kind: 'invalid', message: 'search needs something to look for: `/logs search Failed password`.' };
      // Compiling a regex takes time on the bot's own thread, growing with its length: the length is bounded.
      if (text.length > MAX_SEARCH_TEXT)
        return { kind: 'invalid', message: `What to search for is at most ${MAX_SEARCH_TEXT} characters.` };
      const limit = Math.min(MAX_LIMIT, Math.max(1, Number(options.get('limit') ?? 20) || 20));
      const regex = text.length > 2 && text.startsWith('/') && text.endsWith('/');
      const source = options.get('source');
      return {
        kind: 'search',
        text: regex ? text.slice(1, -1) : text,
        regex,
        limit,
        ...withSince,
        ...(source ? { source } : {}),
      };
    }
    case 'tail': {
      const [source, n] = args;
      if (!source) return { kind: 'invalid', message: 'tail needs a source: `/logs tail auth 20`.' };
      return { kind: 'tail', source, count: Math.min(MAX_LIMIT, Math.max(1, Number(n ?? 20) || 20)) };
    }
    case 'incidents':
      return { kind: 'incidents', which: args[0] === 'all' ? 'all' : 'open', ...withSince };
    case 'ip': {
      const [address] = args;
      if (!address) return { kind: 'invalid', message: 'ip needs an address: `/logs ip 203.0.113.7`.' };
      return { kind: 'ip', address };
    }
    case 'stats':
      return { kind: 'stats', ...withSince };
    case 'hosts':
      return { kind: 'hosts' };
    case 'silences':
      return { kind: 'silences' };
    case 'oncall':
      return { kind: 'oncall' };
    case 'unsilence': {
      const id = Number(args[0]);
      if (!Number.isInteger(id) || id < 1)
        return { kind: 'invalid', message: 'unsilence needs an id from `/logs silences`.' };
      return { kind: 'unsilence', id };
    }
    case 'unlearn': {
      const incident = Number(String(args[0] ?? '').replace(/^#/, ''));
      if (!Number.isInteger(incident) || incident < 1)
        return {
          kind: 'invalid',
          message: 'unlearn needs the number of an incident marked a false positive: `/logs unlearn 12`.',
        };
      return { kind: 'unlearn', incident };
    }
    default:
      return { kind: 'invalid', message: `There is no /logs ${escapeInlineCode(command, 40)}. Try \`/logs help\`.` };
  }
}
