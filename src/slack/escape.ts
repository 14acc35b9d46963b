// Text from log lines is written by attackers. Before it reaches Slack it must not be able to ping anyone
// (<!channel>, <@U…>, @here), form a link (<http://…|…> or a bare URL Slack would linkify), break out of a code
// block, carry control characters or ANSI sequences, or exceed Slack's size limits. One module does all of it.

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
const MENTION_WORDS = /@(channel|here|everyone)\b/gi;
// What Slack would turn into a link if it saw it: a scheme, or something with a dot before a TLD-looking ending.
const LINKISH = /\b([a-z][a-z0-9+.-]*):\/\//gi;
const WORD_JOINER = '\u2060';
const ELLIPSIS = '…';

/** Removes terminal escapes and control characters; tabs, newlines and line separators become spaces. */
export function stripControls(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(/[\t\n\r\u2028\u2029]/g, ' ')
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

/**
 * Untrusted text for a mrkdwn field: &, < and > escaped (so no <!channel>, <@U…> or <url|label> can form), @channel
 * and friends and "scheme://" broken with an invisible joiner, formatting characters neutralised, and cut to max.
 */
export function escapeMrkdwn(text: string, max = 3000): string {
  const clean = stripControls(text)
    .replace(MENTION_WORDS, `@${WORD_JOINER}$1`)
    .replace(LINKISH, `$1:${WORD_JOINER}//`)
    // *bold*, _italic_, ~strike~ and `code` would let a log line restyle the message.
    .replace(/[*_~`]/g, (c) => `${c}${WORD_JOINER}`);
  return cut(clean, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Untrusted text inside a ``` code block: it cannot close the block, and Slack does not linkify inside it. */
export function escapeCodeBlock(text: string, max = 2900): string {
  const clean = stripControls(text).replace(/`/g, 'ˋ').replace(MENTION_WORDS, `@${WORD_JOINER}$1`);
  return cut(clean, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Untrusted text for plain_text objects (headers, button labels): no controls, mentions broken, and < > replaced by
 * look-alikes (‹ ›) so nothing can read as Slack's <…> syntax whatever a client does with plain text; cut to max.
 */
export function escapePlainText(text: string, max: number): string {
  const clean = stripControls(text)
    .replace(MENTION_WORDS, `@${WORD_JOINER}$1`)
    .replace(LINKISH, `$1:${WORD_JOINER}//`)
    .replace(/</g, '‹')
    .replace(/>/g, '›');
  return cut(clean, max);
}

/** Untrusted text as inline code in mrkdwn, where Slack neither formats nor linkifies it. */
export function escapeInlineCode(text: string, max = 1000): string {
  const inner = escapeCodeBlock(text, max - 2);
  return inner.trim() === '' ? '–' : `\`${inner}\``;
}
