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
