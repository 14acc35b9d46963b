// The real filters of Debian's fail2ban package, run unchanged over fail2ban's own annotated sample logs (only those
// of filters named a to m: the rest are kept back to check that the translation is general). Two judges: the
// samples' failJSON annotations (this line matches, with this host and user), and fail2ban-regex itself, run side by
// side on the same file, whose matched / ignored / missed counts must equal ours.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readTextIfExists } from '../../../src/config/read-text.js';
import { classifyFail2banLine, compileFail2banFilter } from '../../../src/rules/fail2ban/fail2ban-filter.js';
import { FilterMemory } from '../../../src/rules/fail2ban/filter-memory.js';
import { readFail2banFilter } from '../../../src/rules/fail2ban/read-filter.js';
import { runCli } from '../../helpers/run-cli.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const FILTERS = '/etc/fail2ban/filter.d';
const SAMPLES = '/usr/lib/python3/dist-packages/fail2ban/tests/files/logs';
const tempDir = useTempDir();

const installed = existsSync(FILTERS) && existsSync(SAMPLES);
const samples = installed
  ? readdirSync(SAMPLES)
      .filter((name) => /^[a-m]/.test(name) && existsSync(join(FILTERS, `${name}.conf`)))
      .sort()
  : [];
const multiline = (name: string) => readFail2banFilter(join(FILTERS, `${name}.conf`), readTextIfExists).maxlines > 1;

interface Annotated {
  text: string;
  expect: { match: boolean; host?: string; user?: string };
}

// A sample file as fail2ban's own tests read it: sections under "# filterOptions:", annotated lines after "# failJSON:".
function readSample(name: string) {
  const sections: { options: Record<string, string>[]; lines: Annotated[] }[] = [{ options: [{}], lines: [] }];
  let pending: Annotated['expect'] | undefined;
  for (const line of readFileSync(join(SAMPLES, name), 'utf8').split('\n')) {
    const opts = /^# filterOptions: (.*)$/.exec(line);
    if (opts) {
      const parsed = JSON.parse(opts[1]!) as Record<string, string> | Record<string, string>[];
      sections.push({ options: Array.isArray(parsed) ? parsed : [parsed], lines: [] });
      continue;
    }
    const json = /^# failJSON: (.*)$/.exec(line);
    if (json) {
      pending = JSON.parse(json[1]!);
      continue;
    }
    if (line.startsWith('#') || line === '') continue;
    if (pending) sections.at(-1)!.lines.push({ text: line, expect: pending });
    pending = undefined;
  }
  return sections;
}

describe("Debian's fail2ban filters on fail2ban's sample logs (a–m)", () => {
  it('has the package installed (.ci/run installs fail2ban)', () => {
    expect(installed, `${FILTERS} and ${SAMPLES}`).toBe(true);
    expect(samples.length).toBeGreaterThan(30);
  });

  it.each(samples)('%s: every annotated line as annotated', (name) => {
    const wrong: string[] = [];
    let checked = 0;
    for (const section of readSample(name)) {
      // Options fail2ban's test harness adds itself (test.prefix-line) are not filter options.
      for (const options of section.options.filter((o) => !Object.keys(o).some((k) => k.startsWith('test.')))) {
        const { mode, ...vars } = options;
        const compiled = compileFail2banFilter(
          readFail2banFilter(join(FILTERS, `${name}.conf`), readTextIfExists, { ...(mode ? { mode } : {}), vars }),
          // The samples name hosts too (localhost); check the regexes as written, names and all.
          { useDns: 'raw' },
        );
        const memory = new FilterMemory();
        for (const { text, expect: want } of section.lines) {
          const got = classifyFail2banLine(compiled, text, Date.UTC(2026, 0, 1), memory);
          checked++;
          const ok =
            (got.outcome === 'matched') === want.match &&
            (!want.match || want.host === undefined || got.host === want.host) &&
            (!want.match || want.user === undefined || got.groups?.user === want.user);
          if (!ok)
            wrong.push(`${JSON.stringify(options)} ${JSON.stringify(want)} got ${got.outcome} ${got.host}: ${text}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });

  it('has multi-line filters among them (maxlines above 1), run like the rest', () => {
    expect(samples.filter(multiline)).toEqual(expect.arrayContaining(['ejabberd-auth', 'guacamole', 'mongodb-auth']));
  });

  it('counts matched, ignored and missed lines exactly as fail2ban-regex does, filter by filter', async () => {
    const dir = tempDir();
    const results = await Promise.all(
      samples.map(async (name) => {
        // fail2ban-regex drops a last line without a newline; give every sample one.
        const log = join(dir, name);
        writeFileSync(log, `${readFileSync(join(SAMPLES, name), 'utf8').replace(/\n?$/, '\n')}`);
        const filter = join(FILTERS, `${name}.conf`);
        const [ours, theirs] = await Promise.all([
          runCli(['replay', '--fail2ban-filter', filter, log]),
          promisify(execFile)('fail2ban-regex', ['--usedns=no', log, filter], { maxBuffer: 16 << 20 }),
        ]);
        const lines = (out: string) => /^Lines: .*$/m.exec(out)?.[0];
        return { name, ours: lines(ours.stdout), theirs: lines(theirs.stdout) };
      }),
    );
    expect(results.filter((r) => r.ours !== r.theirs)).toEqual([]);
    expect(results.every((r) => r.ours !== undefined)).toBe(true);
  }, 120_000);
});
