import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogwarden, type Logwarden } from '../../../src/app/pipeline.js';
import { parseConfig } from '../../../src/config/load.js';
import type { IncidentEvent } from '../../../src/core/types.js';
import { renderJournalLine } from '../../../src/sources/journald/journald-source.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { FIXTURE_BIN, silentLogger } from '../../helpers/fixtures.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const running: { app: Logwarden; store: SqliteStore }[] = [];
afterEach(async () => {
  for (const { app, store } of running.splice(0)) {
    await app.stop();
    await store.close();
  }
});

let cursor = 0;
function entry(message: string, pid = 4242) {
  cursor++;
  return JSON.stringify({
    __CURSOR: `s=abc;i=${cursor}`,
    __REALTIME_TIMESTAMP: String(Date.now() * 1000 + cursor),
    _HOSTNAME: 'web1',
    SYSLOG_IDENTIFIER: 'sshd-session',
    _PID: String(pid + cursor),
    MESSAGE: message,
  });
}

const failed = (ip: string) => entry(`Failed password for root from ${ip} port 22 ssh2`);

function start(dir: string, journal: string, argvLog: string) {
  const loaded = parseConfig(
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources:
  - { id: journal, type: journald, unit: ssh.service, from: start }
rules:
  - { use: sshd, source: journal, threshold: { count: 3 } }
commands: { env: [PATH, JOURNAL_FIXTURE, JOURNAL_ARGV_LOG, JOURNAL_ENV_LOG] }
`,
    'journal.yml',
  );
  const store = new SqliteStore(loaded.config.store.path);
  const events: IncidentEvent[] = [];
  const problems: string[] = [];
  const app = createLogwarden(loaded, {
    store,
    clock: Date.now,
    logger: { ...silentLogger, error: (_d, message) => problems.push(message) },
    onEvent: (e) => events.push(structuredClone(e)),
    env: {
      ...process.env,
      PATH: `${FIXTURE_BIN}:${process.env.PATH}`,
      JOURNAL_FIXTURE: journal,
      JOURNAL_ARGV_LOG: argvLog,
      JOURNAL_ENV_LOG: join(dir, 'env.jsonl'),
      SLACK_BOT_TOKEN: 'xoxb-secret',
      SMTP_PASS: 'mail-secret',
    },
  });
  running.push({ app, store });
  return { app, store, events, problems };
}

describe('a journald source', () => {
  it('follows journalctl from the start, then resumes after the committed cursor', async () => {
    const dir = tempDir();
    const journal = join(dir, 'journal.jsonl');
    const argvLog = join(dir, 'argv.jsonl');
    writeFileSync(journal, `${[failed('203.0.113.7'), failed('203.0.113.7')].join('\n')}\n`);
    const first = start(dir, journal, argvLog);
    await first.app.start();
    appendFileSync(journal, `${failed('203.0.113.7')}\n`);
    await expect.poll(() => first.events.map((e) => e.event)).toEqual(['opened']);
    expect(first.events[0]!.incident).toMatchObject({ count: 3, key: { ip: '203.0.113.7' }, source: 'journal' });
    expect(await first.store.checkpoints.readCursor('journal')).toBe(`s=abc;i=${cursor}`);
    await first.app.stop();
    await first.store.close();
    running.length = 0;

    const lastCursor = `s=abc;i=${cursor}`;
    appendFileSync(journal, `${failed('203.0.113.7')}\n`);
    const second = start(dir, journal, argvLog);
    await second.app.start();
    await expect.poll(() => second.events.map((e) => [e.event, e.incident.count])).toEqual([['updated', 4]]);
    const argvs = readFileSync(argvLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(argvs[0]).toEqual(['--output=json', '--follow', '--no-pager', '--lines=all', '--unit=ssh.service']);
    expect(argvs[1]).toContain(`--after-cursor=${lastCursor}`);
    // journalctl gets what commands get (commands.env), never a token or a password.
    const envs = readFileSync(join(dir, 'env.jsonl'), 'utf8').trim().split('\n');
    for (const names of envs) {
      expect(JSON.parse(names)).toEqual(['JOURNAL_ARGV_LOG', 'JOURNAL_ENV_LOG', 'JOURNAL_FIXTURE', 'PATH']);
    }
  });

  it('reports a missing journalctl once and keeps running', async () => {
    const dir = tempDir();
    const loaded = parseConfig(
      `store: { path: ":memory:" }
sources: [{ id: j, type: journald, journalctl: ${JSON.stringify(join(dir, 'no-such-journalctl'))} }]
rules: [{ use: sshd, source: j }]
`,
      'j.yml',
    );
    const store = new SqliteStore(':memory:');
    const problems: string[] = [];
    const app = createLogwarden(loaded, {
      store,
      clock: Date.now,
      logger: { ...silentLogger, error: (_d, m) => problems.push(m) },
      onEvent: () => {},
      env: process.env,
    });
    running.push({ app, store });
    await app.start();
    await expect.poll(() => problems.length).toBe(1);
    expect(problems[0]).toMatch(
      /^Source j cannot follow the journal: cannot run .*no-such-journalctl \(spawn .* ENOENT\)\. logwarden restarts journalctl/,
    );
  });
});

describe('renderJournalLine', () => {
  it.each([
    {
      entry: {
        __REALTIME_TIMESTAMP: '1795477501123456',
        _HOSTNAME: 'web1',
        SYSLOG_IDENTIFIER: 'sshd',
        _PID: '7',
        MESSAGE: 'hello',
      },
      line: '2026-11-23T23:45:01.123456+00:00 web1 sshd[7]: hello',
    },
    {
      entry: { __REALTIME_TIMESTAMP: '1795477501000000', _COMM: 'sudo', MESSAGE: [104, 105, 0xff, 10, 120] },
      line: '2026-11-23T23:45:01.000000+00:00 localhost sudo: hi\uFFFD x',
    },
    { entry: { MESSAGE: null }, line: undefined },
  ])('renders $line', ({ entry, line }) => {
    expect(renderJournalLine(entry)).toBe(line);
  });
});
