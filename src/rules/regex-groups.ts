// Regular expressions with their named groups numbered: a match of a regex with named groups builds a dictionary
// object of them, which costs more than the match itself on the lines rules run on. Pure.

// One pass of the regex engine over the source, not a loop of ours: escapes and classes are skipped whole, so a "("
// or "\k<" inside them is left alone; a group that is not "(?" counts in the numbering.
const TOKENS = /\\k<(\w+)>|\\[\s\S]|\[(?:\\[\s\S]|[^\]\\])*\]|\(\?<(\w+)>|\((?!\?)/g;

/**
 * The source with each named group made a plain one and `\k<name>` a numbered back-reference (named groups count in
 * the numbering too, so numbers already in the source stay right), and each name's number. Not for flags `u`/`v`.
 */
export function unnameGroups(source: string): { source: string; names: [name: string, index: number][] } {
  const names: [string, number][] = [];
  let count = 0;
  const out = source.replace(TOKENS, (token, reference?: string, named?: string) => {
    if (named !== undefined) {
      names.push([named, ++count]);
      return '(';
    }
    if (reference !== undefined) {
      const index = names.find(([n]) => n === reference)?.[1];
      return index === undefined ? token : `(?:\\${index})`;
    }
    if (token === '(') count++;
    return token;
  });
  return { source: out, names };
}
