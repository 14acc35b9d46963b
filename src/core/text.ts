// The one policy for attacker-written text shown to people (Slack, mail): no terminal escapes, no control characters,
// nothing that reorders or hides text; and cutting that never splits a character. Pure.

// ANSI/VT escape sequences (CSI, OSC and two-character ones), as terminals would interpret them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// C0 and C1 controls, DEL, and the Unicode characters that reorder or hide text: zero-width marks, bidi embeddings,
// overrides, isolates and marks (U+061C, U+200E/F, U+202A–E, U+2066–9), the soft hyphen, invisible operators,
// interlinear annotations, the BOM, and the tag characters (U+E0000–E007F, which can spell hidden text). The line and
// paragraph separators (U+2028/9, a new line where none shows) become spaces, as tabs and newlines do.
const CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this pattern is for.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const TAG_CHARACTERS = /[\u{e0000}-\u{e007f}]/gu;
const ELLIPSIS = '…';

/** Removes terminal escapes and control characters; tabs, newlines and line separators become spaces. */
export function stripControls(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/[\t\n\r\u2028\u2029]/g, ' ')
    .replace(CONTROLS, '')
    .replace(TAG_CHARACTERS, '');
}

/** The same, keeping newlines (a mail's body): carriage returns go, tabs and line separators become spaces. */
export function stripControlsKeepingLines(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/\r/g, '')
    .replace(/[\t\u2028\u2029]/g, ' ')
    .replace(CONTROLS, '')
    .replace(TAG_CHARACTERS, '');
}

/** Cuts text to at most max characters, ending with "…" when cut (never inside a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}
