// A fail2ban filter (filter.d/NAME.conf) read as fail2ban reads it: [INCLUDES] before/after (and each file's .local
// beside it), [DEFAULT] under every section, [Init] and the jail's own options (mode=…, overrides) above
// [Definition], %(name)s and %(section/name)s interpolation, then <tag> substitution, innermost first, until none is
// left that names an option. What remains in angle brackets (<HOST>, <F-USER>…) is for the regex translator.
import { dirname, isAbsolute, join } from 'node:path';
import { describeSystemError, Fail2banFilterInvalidError } from '../../core/errors.js';
import { type IniFile, parseIni } from './parse-ini.js';

export interface Fail2banFilter {
  file: string;
  /** Every file read, in order (includes, the filter, .local files). */
  files: string[];
  prefregex?: string;
  failregex: string[];
  ignoreregex: string[];
  datepattern?: string;
  maxlines: number;
  journalmatch: string[];
}

export interface FilterOptions {
  /** The filter's mode (sshd: normal, ddos, extra, aggressive), as `filter = sshd[mode=…]` sets it. */
  mode?: string;
  /** More options as a jail's `filter = name[key=value]` gives them; they win over the filter's own. */
  vars?: Readonly<Record<string, string>>;
}

/** Reads a file; undefined when it does not exist (config/read-text.ts reads the system's). */
export type ReadFilterFile = (path: string) => string | undefined;

const MAX_INTERPOLATION_DEPTH = 10;
// What fail2ban's FilterReader reads of a filter.
const FILTER_OPTIONS = ['prefregex', 'failregex', 'ignoreregex', 'maxlines', 'datepattern', 'journalmatch'];
const MAX_TAG_REPLACE_COUNT = 25;
const TAG = /<([^ <>]+)>/g;

const readOrSay = (readText: ReadFilterFile, path: string): string | undefined => {
  try {
    return readText(path);
  } catch (error) {
    throw new Fail2banFilterInvalidError(path, `cannot be read: ${describeSystemError(error)}`, { cause: error });
  }
};

interface Merged {
  defaults: Map<string, string>;
  sections: Map<string, Map<string, string>>;
}

export function readFail2banFilter(
  file: string,
  readText: ReadFilterFile,
  options: FilterOptions = {},
): Fail2banFilter {
  const parsed = new Map<string, IniFile | undefined>();
  const load = (path: string): IniFile | undefined => {
    if (!parsed.has(path)) {
      const text = readOrSay(readText, path);
      if (text === undefined) parsed.set(path, undefined);
      else {
        const { ini, problems } = parseIni(text);
        if (problems.length) {
          throw new Fail2banFilterInvalidError(path, `line ${problems[0]!.line} ${problems[0]!.message}`);
        }
        parsed.set(path, ini);
      }
    }
    return parsed.get(path);
  };
  if (!load(file)) throw new Fail2banFilterInvalidError(file, 'no such file');

  // fail2ban's include order: before-includes, the file, its .local, after-includes; each include likewise.
  const expand = (path: string, seen: readonly string[]): string[] => {
    const withLocal = [path, path.replace(/\.conf$/, '.local')].filter((p, i) => i === 0 || p !== path);
    return withLocal.flatMap((p) => {
      const ini = load(p);
      if (!ini) return [];
      const includes = ini.sections.get('INCLUDES');
      const resolve = (option: string) =>
        (includes?.get(option) ?? '')
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((name) => (isAbsolute(name) ? name : join(dirname(p), name)))
          .filter((name) => !seen.includes(name) && name !== p)
          .flatMap((name) => expand(name, [...seen, p]));
      return [...resolve('before'), p, ...resolve('after')];
    });
  };
  // A .local beside an include can also be named by its [INCLUDES] after =; reading it once is enough.
  const files = [...new Set(expand(file, []))];

  const merged: Merged = { defaults: new Map(), sections: new Map() };
  for (const path of files) {
    const ini = load(path)!;
    for (const [k, v] of ini.defaults) merged.defaults.set(k.toLowerCase(), v);
    for (const [name, section] of ini.sections) {
      const previous = merged.sections.get(name);
      const target = previous ?? new Map<string, string>();
      // The values a later file overrides stay readable as %(known/option)s (fail2ban keeps just those).
      if (previous) {
        const known = merged.sections.get(`KNOWN/${name}`) ?? new Map<string, string>();
        for (const k of section.keys()) {
          const earlier = previous.get(k.toLowerCase());
          if (earlier !== undefined) known.set(k.toLowerCase(), earlier);
        }
        merged.sections.set(`KNOWN/${name}`, known);
      }
      for (const [k, v] of section) target.set(k.toLowerCase(), v);
      merged.sections.set(name, target);
    }
  }

  const vars = new Map<string, string>(
    Object.entries({ ...options.vars, ...(options.mode ? { mode: options.mode } : {}) }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  const problem = (reason: string) => new Fail2banFilterInvalidError(file, reason);

  // `sec/opt`: an option of another section (`known/opt`: the value an earlier file gave; `default/opt`); as in
  // fail2ban, an option the section lacks is looked for in [DEFAULT].
  const rawOf = (section: string, option: string, withVars: boolean): string | undefined => {
    const opt = option.toLowerCase();
    const slash = /^([\w-]+)\/([^\s>]+)$/.exec(option);
    if (slash) {
      const [, sec, name] = slash as unknown as [string, string, string];
      const lower = sec.toLowerCase();
      const key = name.toLowerCase();
      const from = lower === 'known' ? merged.sections.get(`KNOWN/${section}`) : merged.sections.get(sec);
      const value =
        lower === 'default' || (lower === 'known' && !from?.has(key))
          ? merged.defaults.get(key)
          : from && (from.get(key) ?? merged.defaults.get(key));
      if (value !== undefined) return value;
    }
    if (withVars && vars.has(opt)) return vars.get(opt);
    return merged.sections.get(section)?.get(opt) ?? merged.defaults.get(opt);
  };

  const interpolate = (section: string, value: string, depth: number): string => {
    if (!value.includes('%')) return value;
    if (depth > MAX_INTERPOLATION_DEPTH) throw problem(`interpolation in [${section}] goes deeper than 10 levels`);
    return value.replace(/%%|%\(([^)]+)\)s|%/g, (whole, name: string | undefined) => {
      if (whole === '%%') return '%';
      if (name === undefined) throw problem(`a lone "%" in [${section}]: write %% for a percent sign`);
      const raw = rawOf(section, name, true);
      if (raw === undefined) throw problem(`%(${name})s in [${section}] names no option`);
      return interpolate(section, raw, depth + 1);
    });
  };
  const get = (section: string, option: string): string | undefined => {
    const raw = rawOf(section, option, true);
    return raw === undefined ? undefined : interpolate(section, raw, 1);
  };

  // The options a filter defines, then [Init] and the jail's options on top (as fail2ban's getCombined does).
  const combined = new Map<string, string>();
  for (const name of merged.sections.get('Definition')?.keys() ?? []) {
    if (/^\w+\?/.test(name)) continue;
    combined.set(name, get('Definition', name)!);
  }
  const init = new Map<string, string>();
  for (const name of merged.sections.get('Init')?.keys() ?? []) init.set(name, get('Init', name)!);
  for (const [k, v] of vars) init.set(k, v);
  if (!combined.has('logtype') && !init.has('logtype')) init.set('logtype', 'file');
  for (const [k, v] of init) combined.set(k, v);
  // The options fail2ban reads from a filter come from [DEFAULT] when [Definition] lacks them (common.conf's
  // datepattern = {^LN-BEG}: dates only at the start of a line).
  for (const name of FILTER_OPTIONS) {
    if (combined.has(name)) continue;
    const value = get('Definition', name);
    if (value !== undefined) combined.set(name, value);
  }

  const lookup = (name: string): string | undefined => {
    try {
      return get('Definition', name);
    } catch {
      return undefined;
    }
  };
  const counts = new Map<string, Map<string, number>>();
  for (let round = 0; ; round++) {
    let again = false;
    for (const [tag, original] of combined) {
      let value = original;
      const count = counts.get(tag) ?? new Map<string, number>();
      for (let at = 0; ; ) {
        TAG.lastIndex = at;
        const m = TAG.exec(value);
        if (!m) break;
        const name = m[1]!;
        if (name === tag || (count.get(name) ?? 0) > MAX_TAG_REPLACE_COUNT) {
          throw problem(`<${name}> in ${tag} refers to itself and cannot be resolved`);
        }
        const repl = combined.get(name.toLowerCase()) ?? lookup(name);
        if (repl === undefined) {
          at = m.index + 1;
          continue;
        }
        value = value.split(`<${name}>`).join(repl);
        count.set(name, (count.get(name) ?? 0) + 1);
        at = m.index;
      }
      if (value !== original) {
        combined.set(tag, value);
        counts.set(tag, count);
        TAG.lastIndex = 0;
        if (TAG.test(value)) again = true;
      }
    }
    if (!again) break;
    if (round > 100) throw problem('tags keep expanding; a definition refers back to itself');
  }

  const lines = (name: string) =>
    (combined.get(name) ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const maxlines = Number(combined.get('maxlines') ?? 1);
  const prefregex = combined.get('prefregex')?.trim();
  const datepattern = combined.get('datepattern')?.trim();
  return {
    file,
    files,
    ...(prefregex ? { prefregex } : {}),
    failregex: lines('failregex'),
    ignoreregex: lines('ignoreregex'),
    ...(datepattern ? { datepattern } : {}),
    maxlines: Number.isInteger(maxlines) && maxlines > 0 ? maxlines : 1,
    journalmatch: lines('journalmatch'),
  };
}
