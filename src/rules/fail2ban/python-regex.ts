// Python `re` patterns, as fail2ban filters write them, translated to JavaScript RegExp sources (flag `u`) with the
// same meaning: (?P<n>…) and (?P=n), \A and \Z, Python's Unicode \w, \d and \b, scoped flags like (?i:…) (which
// Node 20's RegExp lacks), {,n}, verbose mode, and conditionals (?(n)yes|no), which JavaScript has no syntax for: a
// pattern with k conditionals becomes up to 2^k variants, each with its groups forced to take part or not. Groups are
// never removed, only disabled with (?!), so names and numbers stay as Python counts them. Pure.

export class UnsupportedRegexError extends Error {}

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

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

type Item =
  | { t: 'js'; s: string }
  | { t: 'group'; open: string; name?: string; index?: number; alts: Item[][] }
  | { t: 'quant'; item: Item; min: number; max: number; lazy: boolean }
  | { t: 'cond'; ref: string; yes: Item[]; no: Item[] };

const WORD = '\\p{L}\\p{N}_';
// Python's \s on text (str.isspace()): spelled out, as \p{Z} makes V8 compile each regex several times slower.
const PYTHON_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const FAIL = '(?!)';

function escapeChar(ch: string, inClass: boolean): string {
  if (/[\\^$.*+?()[\]{}|/]/.test(ch) || (inClass && ch === '-')) return `\\${ch}`;
  const code = ch.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return ch;
}

/** Both cases of an ASCII letter (or one char as itself), for case-insensitive scopes JavaScript cannot open. */
function caseless(ch: string, inClass: boolean): string {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper || lower.length !== 1 || upper.length !== 1) return escapeChar(ch, inClass);
  return inClass ? `${lower}${upper}` : `[${lower}${upper}]`;
}

class Parser {
  private pos = 0;
  private groupCount = 0;
  readonly names = new Map<string, number>();
  private readonly src: string;
  private flags: Flags;
  private readonly globalI: boolean;
  constructor(src: string, flags: Flags, globalI: boolean) {
    this.src = src;
    this.flags = flags;
    this.globalI = globalI;
  }

  fail(message: string): never {
    throw new UnsupportedRegexError(`${message} at position ${this.pos} of ${JSON.stringify(this.src)}`);
  }

  parseAll(): Item[][] {
    const alts = this.parseAlts();
    if (this.pos < this.src.length) this.fail('an unbalanced ")"');
    return alts;
  }

  private peek(offset = 0) {
    return this.src[this.pos + offset];
  }

  private parseAlts(): Item[][] {
    const alts: Item[][] = [this.parseSeq()];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(this.parseSeq());
    }
    return alts;
  }

  private skipVerbose() {
    if (!this.flags.x) return;
    for (;;) {
      const ch = this.peek();
      if (ch !== undefined && /\s/.test(ch)) this.pos++;
      else if (ch === '#') {
        while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
      } else return;
    }
  }

  private parseSeq(): Item[] {
    const items: Item[] = [];
    for (;;) {
      this.skipVerbose();
      const ch = this.peek();
      if (ch === undefined || ch === '|' || ch === ')') return items;
      const atom = this.parseAtom();
      if (atom === undefined) continue;
      this.skipVerbose();
      items.push(this.parseQuantifier(atom));
    }
  }

  private parseQuantifier(item: Item): Item {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === '*' || ch === '+' || ch === '?') {
      this.pos++;
      [min, max] = ch === '*' ? [0, Infinity] : ch === '+' ? [1, Infinity] : [0, 1];
    } else if (ch === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(this.src.slice(this.pos));
      if (!m || (m[1] === '' && m[3] === '' && m[2] === ',') || (m[1] === '' && m[2] === '')) return item;
      this.pos += m[0].length;
      min = m[1] === '' ? 0 : Number(m[1]);
      max = m[2] === '' ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return item;
    let lazy = false;
    if (this.peek() === '?') {
      lazy = true;
      this.pos++;
    } else if (this.peek() === '+') this.fail('a possessive quantifier');
    if (item.t === 'js' && /^(\^|\$|\\b|\\B)$/.test(item.s)) this.fail('a quantified anchor');
    return { t: 'quant', item, min, max, lazy };
  }

  private parseAtom(): Item | undefined {
    const ch = this.src[this.pos++]!;
    switch (ch) {
      case '(':
        return this.parseGroup();
      case '[':
        return { t: 'js', s: this.parseClass() };
      case '.':
        return { t: 'js', s: this.flags.s ? '[\\s\\S]' : '[^\\n]' };
      case '^':
        return { t: 'js', s: this.flags.m ? '(?<=^|\\n)' : '^' };
      case '$':
        return { t: 'js', s: this.flags.m ? '(?=\\n|$)' : '(?=\\n?$)' };
      case '\\':
        return this.parseEscape();
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat before "${ch}"`);
      case '{':
      case '}':
      case ']':
        return { t: 'js', s: `\\${ch}` };
      default:
        return { t: 'js', s: this.literal(ch) };
    }
  }

  private literal(ch: string): string {
    return this.flags.i && !this.globalI ? caseless(ch, false) : escapeChar(ch, false);
  }

  private word(negate: boolean, inClass: boolean): string {
    if (this.flags.a) return negate ? '\\W' : '\\w';
    if (inClass) return negate ? '\\W' : WORD;
    return negate ? `[^${WORD}]` : `[${WORD}]`;
  }

  private boundary(negate: boolean): string {
    if (this.flags.a) return negate ? '\\B' : '\\b';
    const w = `[${WORD}]`;
    return negate ? `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))` : `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
  }

  private parseEscape(): Item {
    const ch = this.src[this.pos++];
    if (ch === undefined) this.fail('a pattern ending in "\\"');
    switch (ch) {
      case 'd':
        return { t: 'js', s: this.flags.a ? '\\d' : '\\p{Nd}' };
      case 'D':
        return { t: 'js', s: this.flags.a ? '\\D' : '\\P{Nd}' };
      case 'w':
      case 'W':
        return { t: 'js', s: this.word(ch === 'W', false) };
      case 's':
        return { t: 'js', s: `[${PYTHON_SPACE}]` };
      case 'S':
        return { t: 'js', s: `[^${PYTHON_SPACE}]` };
      case 'b':
        return { t: 'js', s: this.boundary(false) };
      case 'B':
        return { t: 'js', s: this.boundary(true) };
      case 'A':
        return { t: 'js', s: '(?<![\\s\\S])' };
      case 'Z':
        return { t: 'js', s: '(?![\\s\\S])' };
      default: {
        if (/[1-9]/.test(ch)) {
          // Three octal digits are a character (\101); otherwise one or two digits name a group (\1, \12).
          const next = this.src.slice(this.pos, this.pos + 2);
          if (/^[0-7]{2}$/.test(next) && /[0-7]/.test(ch)) {
            this.pos += 2;
            return { t: 'js', s: escapeChar(String.fromCharCode(Number.parseInt(ch + next, 8)), false) };
          }
          const digits = /^\d?/.exec(next)![0];
          this.pos += digits.length;
          return { t: 'js', s: `(?:\\${ch}${digits})` };
        }
        const char = this.escapedChar(ch, false);
        return { t: 'js', s: char.length > 1 && char.startsWith('\\') ? char : this.literal(char) };
      }
    }
  }

  // An escape that stands for one character: \n, \x41, \u00e9, \0, \., \- … (after the backslash).
  private escapedChar(ch: string, inClass: boolean): string {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };
    if (simple[ch]) return simple[ch]!;
    if (inClass && ch === 'b') return '\b';
    const hex = (len: number) => {
      const digits = this.src.slice(this.pos, this.pos + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) this.fail(`a bad \\${ch} escape`);
      this.pos += len;
      return String.fromCodePoint(Number.parseInt(digits, 16));
    };
    if (ch === 'x') return hex(2);
    if (ch === 'u') return hex(4);
    if (ch === 'U') return hex(8);
    if (/[0-7]/.test(ch)) {
      const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos))!;
      this.pos += m[0].length;
      return String.fromCharCode(Number.parseInt(ch + m[0], 8));
    }
    if (/[A-Za-z0-9]/.test(ch)) this.fail(`the escape "\\${ch}", which Python rejects or JavaScript lacks`);
    return ch;
  }

  private parseClass(): string {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const parts: string[] = [];
    let first = true;
    // A class item: one char (returned as a char) or a shorthand like \d (returned as JS text, not a char).
    const item = (): { char?: string; js?: string } => {
      const ch = this.src[this.pos++];
      if (ch === undefined) this.fail('an unterminated [...] class');
      if (ch !== '\\') return { char: ch };
      const e = this.src[this.pos++];
      if (e === undefined) this.fail('an unterminated [...] class');
      if (e === 'd') return { js: this.flags.a ? '\\d' : '\\p{Nd}' };
      if (e === 'D') return { js: this.flags.a ? '\\D' : '\\P{Nd}' };
      if (e === 'w' || e === 'W') return { js: this.word(e === 'W', true) };
      if (e === 's') return { js: PYTHON_SPACE };
      if (e === 'S') return { js: '\\S' };
      return { char: this.escapedChar(e, true) };
    };
    for (;;) {
      if (this.peek() === undefined) this.fail('an unterminated [...] class');
      if (this.peek() === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      const a = item();
      if (a.js !== undefined) {
        parts.push(a.js);
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const b = item();
        if (b.js !== undefined) {
          parts.push(escapeChar(a.char!, true), '\\-', b.js);
          continue;
        }
        if (a.char!.codePointAt(0)! > b.char!.codePointAt(0)!) this.fail('a range that runs backwards');
        parts.push(`${escapeChar(a.char!, true)}-${escapeChar(b.char!, true)}`);
        if (this.flags.i && !this.globalI) parts.push(...otherCaseRanges(a.char!, b.char!));
        continue;
      }
      parts.push(this.flags.i && !this.globalI ? caseless(a.char!, true) : escapeChar(a.char!, true));
    }
    return `[${negate ? '^' : ''}${parts.join('')}]`;
  }

  private parseGroup(): Item | undefined {
    if (this.peek() !== '?') return this.capture('(', undefined);
    this.pos++;
    const rest = this.src.slice(this.pos);
    let m = /^P?<([A-Za-z_]\w*)>/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      return this.capture('(', m[1]);
    }
    m = /^P=([A-Za-z_]\w*)\)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      const index = this.names.get(m[1]!);
      if (index === undefined) this.fail(`(?P=${m[1]}) before its group`);
      return { t: 'js', s: `(?:\\${index})` };
    }
    if (rest.startsWith('#')) {
      const end = this.src.indexOf(')', this.pos);
      if (end < 0) this.fail('an unterminated (?#…) comment');
      this.pos = end + 1;
      return undefined;
    }
    for (const [prefix, open] of [
      [':', '(?:'],
      ['=', '(?='],
      ['!', '(?!'],
      ['<=', '(?<='],
      ['<!', '(?<!'],
    ] as const) {
      if (rest.startsWith(prefix)) {
        this.pos += prefix.length;
        return this.body(open);
      }
    }
    m = /^\(([A-Za-z_]\w*|\d+)\)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      return this.conditional(m[1]!);
    }
    m = /^([aiLmsux]*)(?:-([imsx]+))?(:|\))/.exec(rest);
    if (m && (m[1] || m[2])) {
      this.pos += m[0].length;
      if (m[1]!.includes('L')) this.fail('the L (locale) flag');
      if (m[3] === ')') {
        // Global flags: only at the very start of the pattern, as Python 3.11 requires.
        if (this.pos - m[0].length - 2 !== 0) this.fail(`global flags (?${m[1]}) not at the start`);
        this.setFlags(m[1]!, '');
        return undefined;
      }
      const saved = this.flags;
      this.setFlags(m[1]!, m[2] ?? '');
      const group = this.body('(?:');
      this.flags = saved;
      return group;
    }
    if (rest.startsWith('>')) this.fail('an atomic group (?>…)');
    return this.fail('an unknown (?… group');
  }

  private setFlags(add: string, remove: string) {
    const f = { ...this.flags };
    for (const c of add) if (c in f) f[c as keyof Flags] = true;
    for (const c of remove) if (c in f) f[c as keyof Flags] = false;
    if (add.includes('u')) f.a = false;
    this.flags = f;
  }

  private capture(open: string, name: string | undefined): Item {
    const index = ++this.groupCount;
    if (name !== undefined) {
      if (this.names.has(name)) this.fail(`a second group named ${name}`);
      this.names.set(name, index);
    }
    const group = this.body(open) as Extract<Item, { t: 'group' }>;
    return { ...group, index, ...(name !== undefined ? { name } : {}) };
  }

  private body(open: string): Item {
    const saved = this.flags;
    const alts = this.parseAlts();
    this.flags = saved;
    if (this.src[this.pos++] !== ')') this.fail('a "(" without its ")"');
    return { t: 'group', open, alts };
  }

  private conditional(ref: string): Item {
    const alts = this.parseAlts();
    if (this.src[this.pos++] !== ')') this.fail('a conditional without its ")"');
    if (alts.length > 2) this.fail('a conditional with more than two branches');
    return { t: 'cond', ref, yes: alts[0]!, no: alts[1] ?? [] };
  }
}

function otherCaseRanges(a: string, b: string): string[] {
  const out: string[] = [];
  const lo = a.codePointAt(0)!;
  const hi = b.codePointAt(0)!;
  const overlap = (from: number, to: number, shift: number) => {
    const s = Math.max(lo, from);
    const e = Math.min(hi, to);
    if (s <= e) out.push(`${String.fromCharCode(s + shift)}-${String.fromCharCode(e + shift)}`);
  };
  overlap(0x61, 0x7a, -32);
  overlap(0x41, 0x5a, 32);
  return out;
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
