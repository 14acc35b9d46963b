// A rule that runs a fail2ban filter as it is: the filter read from the system's filter.d at load, its failures
// counted like a jail counts them (maxretry within findtime, by address, on the log's own timestamps), ignoreip
// honoured. The address is the `ip` field, so block-IP actions work as with any rule.
import { BlockList } from 'node:net';
import { basename } from 'node:path';
import type { Fail2banRuleConfig } from '../../config/rule-schema.js';
import { addressFamily } from '../../core/address-family.js';
import { type ConfigProblem, Fail2banFilterInvalidError } from '../../core/errors.js';
import type { CompiledRule, Fail2banRuleState } from '../rule.js';
import { NO_IGNORE, type RuleVerdict } from '../verdict.js';
import { type CompiledFail2banFilter, classifyFail2banLine, compileFail2banFilter } from './fail2ban-filter.js';
import { FilterMemory } from './filter-memory.js';
import { type ReadFilterFile, readFail2banFilter } from './read-filter.js';

/** The rule id a fail2ban entry gets without an id: the filter's name (sshd for …/filter.d/sshd.conf). */
export const fail2banRuleId = (entry: Fail2banRuleConfig) =>
  entry.id ?? basename(entry.fail2ban).replace(/\.(conf|local)$/, '');

function parseIgnoreIp(list: readonly string[], path: string, problems: ConfigProblem[]): BlockList | undefined {
  if (list.length === 0) return undefined;
  const block = new BlockList();
  list.forEach((entry, j) => {
    const [address = '', prefix] = entry.split('/');
    const family = addressFamily(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
      problems.push({
        path: `${path}.ignoreip[${j}]`,
        message: `"${entry}" is not an address or a CIDR range. Write e.g. 127.0.0.1, 10.0.0.0/8 or ::1 (host names are not looked up).`,
      });
      return;
    }
    block.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  });
  return block;
}

export function compileFail2banRule(
  entry: Fail2banRuleConfig,
  path: string,
  problems: ConfigProblem[],
  readText: ReadFilterFile,
): CompiledRule | undefined {
  let compiled: CompiledFail2banFilter;
  try {
    compiled = compileFail2banFilter(
      readFail2banFilter(entry.fail2ban, readText, {
        vars: entry.options,
        ...(entry.mode ? { mode: entry.mode } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof Fail2banFilterInvalidError)) throw error;
    problems.push({ path: `${path}.fail2ban`, message: `${error.message}.` });
    return undefined;
  }
  const before = problems.length;
  const ignoreIp = parseIgnoreIp(entry.ignoreip, path, problems);
  if (problems.length > before) return undefined;
  const id = fail2banRuleId(entry);
  return {
    id,
    kind: 'fail2ban',
    severity: entry.severity,
    title: entry.title ?? `fail2ban ${id}: {ip}`,
    sources: entry.source,
    // One stand-in pattern carries what the engine's prefilter needs: the literals every failure line contains.
    patterns: [
      {
        regex: /(?!)/,
        groups: [],
        anchors: compiled.literals ?? [],
        anchorSets: compiled.literals ? [compiled.literals] : [],
        captures: ['ip', 'user'],
      },
    ],
    ignore: NO_IGNORE,
    fields: { ip: 'ip', user: 'text' },
    keyFields: ['ip'],
    captured: ['ip'],
    threshold: { count: entry.maxretry, within: entry.findtime, by: ['ip'], ipv6Prefix: 128 },
    actions: entry.actions,
    fail2ban: {
      compiled,
      memory: new FilterMemory(),
      ...(ignoreIp ? { ignoreIp } : {}),
      ...(entry.mode ? { mode: entry.mode } : {}),
    },
  };
}

/** What a fail2ban rule says of one line: a failure (with its address and the log's time), ignored, or nothing. */
export function matchFail2banRule(
  rule: CompiledRule,
  state: Fail2banRuleState,
  line: string,
  now: number,
): RuleVerdict | undefined {
  const result = classifyFail2banLine(state.compiled, line, now, state.memory);
  if (result.outcome === 'missed') return undefined;
  if (result.outcome === 'ignored') return { outcome: 'ignored', rule };
  // A failure whose address comes on a later line of the same connection counts then (fail2ban's mlfpending).
  if (result.host === undefined) return undefined;
  const ip = result.host;
  const family = addressFamily(ip);
  if (!family) return { outcome: 'rejected', rule, field: 'ip', type: 'ip', value: ip };
  if (state.ignoreIp?.check(ip, family === 6 ? 'ipv6' : 'ipv4')) return { outcome: 'ignored', rule };
  const user = result.groups?.user;
  return {
    outcome: 'matched',
    rule,
    fields: { ip, ...(user ? { user } : {}) },
    ...(result.time === undefined ? {} : { time: result.time }),
  };
}
