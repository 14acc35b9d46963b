// Text from log lines is written by attackers. Before it reaches Slack it must not be able to ping anyone
// (<!channel>, <@U…>, @here), form a link (<http://…|…> or a bare URL Slack would linkify), break out of a code
// block, carry control characters or ANSI sequences, or exceed Slack's size limits. One module does all of it (the
// controls by core/text.ts's one policy, which mail follows too).
import { cut, stripControls } from '../../core/text.js';

const MENTION_WORDS = /@(channel|here|everyone)\b/gi;
// What Slack would turn into a link if it saw it: a scheme, or something with a dot before a TLD-looking ending.
const LINKISH = /\b([a-z][a-z0-9+.-]*):\/\//gi;
const WORD_JOINER = '\u2060';

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
