// Regular expressions with their named groups numbered: a match of a regex with named groups builds a dictionary
// object of them, which costs more than the match itself on the lines rules run on. Pure.

const BACK_REFERENCE = /\\k<(\w+)>/y;
const NAMED_GROUP = /\(\?<(\w+)>/y;

/**
 * The source with each named group made a plain one and `\k<name>` a numbered back-reference (named groups count in
 * the numbering too, so numbers already in the source stay right), and each name's number. Not for flags `u`/`v`.
 */
export function unnameGroups(source: string): { source: string; names: [name: string, index: number][] } {
  const names: [string, number][] = [];
  let out = '';
  let count = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      BACK_REFERENCE.lastIndex = i;
      const k = inClass ? null : BACK_REFERENCE.exec(source);
      const index = k ? names.find(([n]) => n === k[1])?.[1] : undefined;
      if (k && index !== undefined) {
        out += `(?:\\${index})`;
        i += k[0].length - 1;
        continue;
      }
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') inClass = true;
    if (ch === '(') {
      NAMED_GROUP.lastIndex = i;
      const named = NAMED_GROUP.exec(source);
      if (named) {
        names.push([named[1]!, ++count]);
        out += '(';
        i += named[0].length - 1;
        continue;
      }
      if (source[i + 1] !== '?') count++;
    }
    out += ch;
  }
  return { source: out, names };
}
