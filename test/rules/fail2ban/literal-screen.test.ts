// The words replay and the rule engine search raw lines for before running a fail2ban filter: every line a regex
// can match must hold one, although the regexes read the line with its date cut out (which joins the text around it).
import { describe, expect, it } from 'vitest';
import { classifyFail2banLine, compileFail2banFilter } from '../../../src/rules/fail2ban/fail2ban-filter.js';
import { createLiteralScreen } from '../../../src/rules/fail2ban/literal-screen.js';
import type { Fail2banFilter } from '../../../src/rules/fail2ban/read-filter.js';

const filter = (failregex: string[], more: Partial<Fail2banFilter> = {}): Fail2banFilter => ({
  file: 'test.conf',
  files: ['test.conf'],
  failregex,
  ignoreregex: [],
  maxlines: 1,
  journalmatch: [],
  ...more,
});

// Whether some searched word is in the line as read.
const screened = (literals: string[] | null, line: string) =>
  literals === null || literals.some((l) => line.includes(l));

describe('the literal screen of a fail2ban filter', () => {
  it('finds a line whose literal the cut-out date joined ("[27/Jun/2013:11:55:44]" read as "[]")', () => {
    const compiled = compileFail2banFilter(filter(['^<HOST> - \\w+ \\[\\] "GET /knocking/ HTTP/1\\.[01]" 200']));
    const line = '192.0.2.12 - user1 [27/Jun/2013:11:55:44] "GET /knocking/ HTTP/1.1" 200 266';
    expect(classifyFail2banLine(compiled, line, Date.now())).toMatchObject({ outcome: 'matched', host: '192.0.2.12' });
    const sample = Buffer.from(`${line}\n`.repeat(3));
    for (const literals of [compiled.literals, createLiteralScreen(compiled, sample).literals]) {
      expect(literals).not.toBeNull();
      expect(literals!.every((l) => /^\w+$/.test(l))).toBe(true);
      expect(screened(literals, line)).toBe(true);
    }
  });

  it('searches once for a word that several regexes share, and says which regexes each word can start', () => {
    const compiled = compileFail2banFilter(
      filter([
        '^User \\S+ from <HOST> not allowed because not listed in AllowUsers',
        '^User \\S+ from <HOST> not allowed because listed in DenyUsers',
        '^User \\S+ from <HOST> not allowed because not in any group',
        '^Failed password for \\S+ from <HOST>',
      ]),
    );
    const sample = Buffer.from(
      'Nov 23 10:00:00 h sshd[1]: session opened for user root\nNov 23 10:00:01 h sshd[2]: Accepted key\n'.repeat(50),
    );
    const { literals, screen } = createLiteralScreen(compiled, sample);
    expect(literals).toHaveLength(2);
    const shared = literals!.findIndex((l) => 'not allowed because'.includes(l));
    expect(screen[shared]).toEqual([0, 1, 2]);
    expect(screen[1 - shared]).toEqual([3]);
  });

  it('searches nothing (tries every line) when a datepattern may join two words', () => {
    const joined = compileFail2banFilter(
      filter(['^login failed from <HOST>'], { datepattern: '^%Y-%m-%d %H:%M:%S**' }),
    );
    expect(joined.date.joinsBeforeNonWord).toBe(false);
    expect(joined.literals).toBeNull();
    const bounded = compileFail2banFilter(filter(['^login failed from <HOST>'], { datepattern: '^%Y-%m-%d %H:%M:%S' }));
    expect(bounded.date.joinsBeforeNonWord).toBe(true);
    expect(bounded.literals).not.toBeNull();
  });
});
