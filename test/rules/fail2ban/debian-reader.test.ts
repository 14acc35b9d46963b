// Every filter Debian's fail2ban package ships (a–z: no sample logs are read here) is read as fail2ban's own
// FilterReader reads it: as many failregex and ignoreregex lines, the same prefregex, datepattern and maxlines — and
// each compiles, or says exactly what it does not support.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTextIfExists } from '../../../src/config/read-text.js';
import { compileFail2banFilter } from '../../../src/rules/fail2ban/fail2ban-filter.js';
import { readFail2banFilter } from '../../../src/rules/fail2ban/read-filter.js';

const FILTERS = '/etc/fail2ban/filter.d';

// fail2ban's reader, run by the Python that Debian's package is installed for.
const PYTHON = String.raw`
import json, os, sys
from fail2ban.client.filterreader import FilterReader
out = {}
for f in sorted(os.listdir(sys.argv[1])):
    if not f.endswith('.conf'): continue
    name = f[:-5]
    try:
        r = FilterReader(name, name, {}, share_config={}, basedir=os.path.dirname(sys.argv[1]))
        r.read(); r.getOptions({}); o = r.getCombined()
        lines = lambda k: [x for x in (o.get(k) or '').split('\n') if x.strip()]
        out[name] = {'failregex': len(lines('failregex')), 'ignoreregex': len(lines('ignoreregex')),
                     'prefregex': o.get('prefregex'), 'datepattern': o.get('datepattern'),
                     'maxlines': int(o.get('maxlines') or 1)}
    except Exception as e:
        out[name] = {'error': str(e)}
print(json.dumps(out))
`;

describe("Debian's fail2ban filters, read", () => {
  it("agree with fail2ban's own reader on every filter, and compile", () => {
    const run = spawnSync('/usr/bin/python3', ['-c', PYTHON, FILTERS], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const theirs = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
    const names = readdirSync(FILTERS)
      .filter((f) => f.endsWith('.conf'))
      .map((f) => f.slice(0, -5));
    expect(Object.keys(theirs).sort()).toEqual(names.sort());
    const differences: string[] = [];
    let compiled = 0;
    for (const name of names) {
      const t = theirs[name]!;
      // Files only meant to be included (common.conf, apache-common.conf …) have no failregex to run.
      if (t.error !== undefined || t.failregex === 0) continue;
      const ours = readFail2banFilter(`${FILTERS}/${name}.conf`, readTextIfExists);
      const mine = {
        failregex: ours.failregex.length,
        ignoreregex: ours.ignoreregex.length,
        prefregex: ours.prefregex ?? null,
        datepattern: ours.datepattern ?? null,
        maxlines: ours.maxlines,
      };
      const expected = { ...t, prefregex: (t.prefregex as string | null)?.trim() || null };
      if (JSON.stringify(mine) !== JSON.stringify(expected)) {
        differences.push(`${name}: ours ${JSON.stringify(mine)}, fail2ban's ${JSON.stringify(expected)}`);
      }
      compileFail2banFilter(ours);
      compiled++;
    }
    expect(differences).toEqual([]);
    expect(compiled).toBeGreaterThan(80);
  }, 60_000);
});
