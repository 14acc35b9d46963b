// The parser of Python `re` patterns as fail2ban filters write them: a tree of JavaScript source pieces, groups,
// quantifiers and conditionals (see python-regex.ts, which expands and emits it). Pure.

export class UnsupportedRegexError extends Error {}

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
}

export type Item =
  | { t: 'js'; s: string }
  | { t: 'group'; open: string; name?: string; index?: number; alts: Item[][] }
  | { t: 'quant'; item: Item; min: number; max: number; lazy: boolean }
  | { t: 'cond'; ref: string; yes: Item[]; no: Item[] };

const WORD = '\\p{L}\\p{N}_';
// Python's \s on text (str.isspace()): spelled out, as \p{Z} makes V8 compile each regex several times slower.
const PYTHON_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
export const FAIL = '(?!)';

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

export class Parser {
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
