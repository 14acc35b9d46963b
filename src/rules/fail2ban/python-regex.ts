// Python `re` patterns, as fail2ban filters write them, translated to JavaScript RegExp sources (flag `u`) with the
// same meaning: (?P<n>…) and (?P=n), \A and \Z, Python's Unicode \w, \d and \b, scoped flags like (?i:…) (which
// Node 20's RegExp lacks), {,n}, verbose mode, and conditionals (?(n)yes|no), which JavaScript has no syntax for: a
// pattern with k conditionals becomes up to 2^k variants, each with its groups forced to take part or not. Groups are
// never removed, only disabled with (?!), so names and numbers stay as Python counts them. Pure.
import { FAIL, type Flags, type Item, Parser, UnsupportedRegexError } from './python-regex-parser.js';

export { UnsupportedRegexError };

export interface TranslatedRegex {
  /**
   * One source per variant; a line matches when any variant does (the leftmost match wins). Groups are unnamed in
   * JavaScript (faster: no groups object per match); `groups` gives each Python name its number.
   */
  sources: string[];
  groups: Record<string, number>;
  /** JavaScript flags for every variant: always u, plus i, m or s when the pattern sets them for all of it. */
  flags: string;
}

// fail2ban turns a global flag group opening a group, ((?i)…), into a scoped one, (?i:…), before compiling.
const GLOBAL_TO_LOCAL = /(?<!\\)\((?:\?:)?(\(\?[a-z]+)\)/g;

export function translatePythonRegex(pattern: string, options: { multiline?: boolean } = {}): TranslatedRegex {
  const source = pattern.replace(GLOBAL_TO_LOCAL, '$1:');
  const lead = /^\(\?([aiLmsux]+)\)/.exec(source);
  const global = new Set(lead?.[1] ?? '');
  const flags: Flags = {
    i: global.has('i'),
    m: options.multiline === true || global.has('m'),
    s: global.has('s'),
    x: global.has('x'),
    a: global.has('a'),
  };
  const parser = new Parser(source, flags, flags.i);
  const tree = parser.parseAll();
  const refs = [...new Set(collectConditions(tree))];
  for (const ref of refs) {
    if (!/^\d+$/.test(ref) && !parser.names.has(ref)) {
      throw new UnsupportedRegexError(`(?(${ref})…) names no group in ${JSON.stringify(pattern)}`);
    }
  }
  const sources: string[] = [];
  for (let bits = 0; bits < 1 << refs.length; bits++) {
    const chosen = new Map(refs.map((ref, i) => [ref, (bits & (1 << i)) === 0]));
    const variant = structuredClone(tree);
    if (refs.every((ref) => force(variant, ref, chosen.get(ref)!, parser.names))) {
      sources.push(emitAlts(variant, chosen));
    }
  }
  if (sources.length === 0) throw new UnsupportedRegexError(`no way to satisfy the conditionals of ${pattern}`);
  return { sources, groups: Object.fromEntries(parser.names), flags: `u${flags.i ? 'i' : ''}` };
}

function collectConditions(alts: Item[][]): string[] {
  const out: string[] = [];
  const visit = (item: Item) => {
    if (item.t === 'group') for (const seq of item.alts) seq.forEach(visit);
    else if (item.t === 'quant') visit(item.item);
    else if (item.t === 'cond') {
      out.push(item.ref);
      item.yes.forEach(visit);
      item.no.forEach(visit);
    }
  };
  for (const seq of alts) seq.forEach(visit);
  return out;
}

type Step = { alts: Item[][]; branch: number } | { quant: Extract<Item, { t: 'quant' }> };

// Makes group `ref` take part in every match (participate) or in none; false when the structure cannot allow it.
function force(tree: Item[][], ref: string, participate: boolean, names: Map<string, number>): boolean {
  const index = /^\d+$/.test(ref) ? Number(ref) : names.get(ref);
  const path: Step[] = [];
  const find = (alts: Item[][], trail: Step[]): Step[] | undefined => {
    for (let b = 0; b < alts.length; b++) {
      for (const item of alts[b]!) {
        const found = findIn(item, [...trail, { alts, branch: b }]);
        if (found) return found;
      }
    }
    return undefined;
  };
  const findIn = (item: Item, trail: Step[]): Step[] | undefined => {
    if (item.t === 'group') return item.index === index ? trail : find(item.alts, trail);
    if (item.t === 'quant') return findIn(item.item, [...trail, { quant: item }]);
    if (item.t === 'cond') return find([item.yes, item.no], trail);
    return undefined;
  };
  path.push(...(find(tree, []) ?? []));
  if (path.length === 0) return false;
  const optional = (s: Step) => ('quant' in s ? s.quant.min === 0 : s.alts.length > 1);
  if (participate) {
    for (const s of path) {
      if ('quant' in s) s.quant.min = Math.max(1, s.quant.min);
      else disableOthers(s.alts, s.branch);
    }
    return true;
  }
  const innermost = [...path].reverse().find(optional);
  if (!innermost) return false;
  if ('quant' in innermost) innermost.quant.max = 0;
  else innermost.alts[innermost.branch]!.unshift({ t: 'js', s: FAIL });
  return true;
}

function disableOthers(alts: Item[][], keep: number) {
  alts.forEach((seq, b) => {
    if (b !== keep && !(seq[0]?.t === 'js' && seq[0].s === FAIL)) seq.unshift({ t: 'js', s: FAIL });
  });
}

function emitAlts(alts: Item[][], chosen: Map<string, boolean>): string {
  return alts.map((seq) => seq.map((item) => emit(item, chosen)).join('')).join('|');
}

function emit(item: Item, chosen: Map<string, boolean>): string {
  switch (item.t) {
    case 'js':
      return item.s;
    case 'group':
      return `${item.open}${emitAlts(item.alts, chosen)})`;
    case 'quant': {
      const { min, max, lazy } = item;
      const inner = emit(item.item, chosen);
      if (max === 0) return `(?:${FAIL}${inner})?`;
      const q =
        min === 0 && max === 1
          ? '?'
          : min === 0 && max === Infinity
            ? '*'
            : min === 1 && max === Infinity
              ? '+'
              : max === Infinity
                ? `{${min},}`
                : min === max
                  ? `{${min}}`
                  : `{${min},${max}}`;
      const wrapped = item.item.t === 'js' && !isSingleAtom(inner) ? `(?:${inner})` : inner;
      return `${wrapped}${q}${lazy ? '?' : ''}`;
    }
    case 'cond': {
      const yes = item.yes.map((i) => emit(i, chosen)).join('');
      const no = item.no.map((i) => emit(i, chosen)).join('');
      // The branch not taken stays (disabled) so that groups inside it keep their numbers.
      return chosen.get(item.ref) ? `(?:${yes}|${FAIL}${no})` : `(?:${FAIL}${yes}|${no})`;
    }
  }
}

// A quantifier applies to the last atom: text like "ab" or "[xX]y" (from a caseless literal) needs a group.
function isSingleAtom(s: string): boolean {
  return (
    /^(\\[^pPkux]|\\x[0-9a-f]{2}|\\[pP]\{[^}]+\}|\\k<\w+>|[^\\[(]|\[(?:\\.|[^\]\\])*\])$/u.test(s) || /^\\\d+$/.test(s)
  );
}
