import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from './helpers/fixtures.js';
import { runCli, startRun } from './helpers/run-cli.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir();
const example = join(ROOT, 'examples/logwarden.yml');
const sample = join(ROOT, 'examples/sample-auth.log');

describe('logwarden --help', () => {
  it.each([[], ['run'], ['check'], ['replay'], ['audit'], ['schema']])('works for %s', async (...command) => {
    const { code, stdout } = await runCli([...command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: logwarden/);
  });
});

// A config that escalates by mail: two levels, a repeat, and a rotation of two.
function writeEscalationConfig(dir: string): string {
  const config = join(dir, 'logwarden.yml');
  writeFileSync(
    config,
    `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }
sources: [{ id: auth, path: ${JSON.stringify(join(dir, 'auth.log'))} }]
rules: [{ use: sshd, source: auth }]
escalation:
  from: logwarden <logwarden@example.com>
  policies:
    high: { levels: [{ after: 0s, notify: [primary] }, { after: 15m, notify: [secondary, lead@example.com] }], repeat: 2 }
  oncall:
    timezone: Europe/Berlin
    start: 2026-11-02
    rotation: [{ name: Alice, email: alice@example.com }, { name: Bob, email: bob@example.com }]
`,
  );
  return config;
}

describe('logwarden check', () => {
  it('summarises a valid config and exits 0', async () => {
    const { code, stdout } = await runCli(['check', '-c', example], { cwd: ROOT });
    expect(code).toBe(0);
    expect(stdout).toContain('examples/logwarden.yml is valid: 1 source, 6 rules (packs: sshd, sudo).');
    expect(stdout).toContain('  block-ip  "Block IP" (dry run), roles responders, timeout 30s\n');
    expect(stdout).toContain(
      '    undo:   sudo -n /usr/sbin/nft delete element inet logwarden blocklist { {ip} } (by itself after 1d)\n',
    );
  });

  it('summarises escalation: the levels, the rotation, who is on call now; and warns when SMTP_HOST is not set', async () => {
    const { code, stdout } = await runCli(['check', '-c', writeEscalationConfig(tempDir())], {
      env: { SMTP_HOST: '' },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('escalation: mail from logwarden <logwarden@example.com>, 5 retries\n');
    expect(stdout).toContain('  high  0s primary; then 15m secondary, lead@example.com; 2× more, 15m apart\n');
    expect(stdout).toContain('  on call: Alice → Bob, handing over mondays at 09:00 Europe/Berlin\n');
    expect(stdout).toMatch(/ {2}now: (Alice|Bob) <\S+> until \d{4}-\d\d-\d\dT\d\d:\d\dZ, then (Alice|Bob) </);
    expect(stdout).toContain('escalation: SMTP_HOST is not set; logwarden run will refuse to start until it is');
  });

  it('lists every problem with file, line and path, and exits 2', async () => {
    const { code, stderr } = await runCli(['check', '-c', join(FIXTURES, 'configs/invalid/unknown-key.yml')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown-key\.yml:7:5 rules\[0\]\.treshold: is not a known key/);
  });

  it('exits 2 for a missing file', async () => {
    const { code, stderr } = await runCli(['check', '-c', '/nonexistent.yml']);
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot read config file /nonexistent.yml: no such file or directory (ENOENT)');
  });

  it('warns about sources it cannot read yet', async () => {
    const dir = tempDir();
    const config = join(dir, 'c.yml');
    writeFileSync(config, `sources: [{ id: a, path: ${dir}/missing.log }]\nrules: [{ use: sshd, source: a }]\n`);
    const { code, stdout } = await runCli(['check', '-c', config]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `source a: ${dir}/missing.log: no such file or directory (ENOENT); logwarden will wait for it and retry`,
    );
  });
  it('refuses a source that is a FIFO, a device or a directory, naming the path and the fix (exit 2)', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.log')]);
    mkdirSync(join(dir, 'logs'));
    const config = join(dir, 'c.yml');
    writeFileSync(
      config,
      `sources: [{ id: a, path: ${dir}/pipe.log }, { id: b, path: /dev/zero }, { id: c, path: ${dir}/logs }]\nrules: [{ use: sshd, source: a }]\n`,
    );
    const { code, stderr } = await runCli(['check', '-c', config]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${config} has 3 problems:`);
    expect(stderr).toContain(
      `sources[0].path: ${dir}/pipe.log is a FIFO (named pipe): logwarden reads regular files only`,
    );
    expect(stderr).toContain('sources[1].path: /dev/zero is a device: logwarden reads regular files only');
    expect(stderr).toContain(`write a glob such as ${dir}/logs/*.log`);
  });

  it('run reloads its config on SIGHUP, and keeps the old one when the new one is invalid', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = join(dir, 'c.yml');
    const base = `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }\nsources: [{ id: a, path: ${log} }]\ntail: { pollInterval: 100ms }\n`;
    writeFileSync(config, `${base}rules: [{ use: sshd, source: a, threshold: { count: 1 } }]\n`);
    const run = startRun(['-c', config]);
    const watching = () => run.stderr().split('"msg":"watching"').length - 1;
    const events = () => run.lines.map((l) => JSON.parse(l) as { event: string; incident: { rule: string } });
    try {
      await expect.poll(watching, { timeout: 10_000 }).toBe(1);
      writeFileSync(config, `${base}rules: []\n`);
      run.child.kill('SIGHUP');
      await expect.poll(() => run.stderr(), { timeout: 10_000 }).toContain('reload refused: the config is invalid');
      writeFileSync(log, 'Nov 23 10:00:00 web1 sshd[9]: Failed password for root from 203.0.113.7 port 22 ssh2\n', {
        flag: 'a',
      });
      await expect.poll(() => events().map((e) => e.incident.rule), { timeout: 10_000 }).toEqual(['sshd']);
      writeFileSync(
        config,
        `${base}rules:\n  - { use: sshd, source: a, threshold: { count: 1 } }\n  - { id: app, source: a, pattern: 'app login failed from (?<ip>\\S+)$', fields: { ip: ip }, threshold: { count: 1 } }\n`,
      );
      run.child.kill('SIGHUP');
      await expect.poll(watching, { timeout: 10_000 }).toBe(2);
      writeFileSync(log, 'Nov 23 10:00:01 web1 app[3]: app login failed from 198.51.100.4\n', { flag: 'a' });
      await expect.poll(() => events().map((e) => e.incident.rule), { timeout: 10_000 }).toContain('app');
      // The line read before the reload is not read again.
      expect(events().filter((e) => e.incident.rule === 'sshd' && e.event === 'opened')).toHaveLength(1);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('run says once that a FIFO source is not read, and goes on with the others', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.log')]);
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = join(dir, 'c.yml');
    writeFileSync(
      config,
      `store: { path: ":memory:" }\nsources: [{ id: p, path: ${dir}/pipe.log }, { id: a, path: ${log} }]\nrules: [{ use: sshd, source: a, threshold: { count: 1 } }]\ntail: { pollInterval: 100ms }\n`,
    );
    const run = startRun(['-c', config]);
    try {
      await expect.poll(() => run.stderr(), { timeout: 10_000 }).toContain('is a FIFO (named pipe)');
      // Sources start at their end: a line written before the tail opened its file would not be read.
      await expect.poll(() => run.stderr(), { timeout: 10_000 }).toContain('"msg":"watching"');
      writeFileSync(log, 'Nov 23 10:00:00 web1 sshd[9]: Failed password for root from 203.0.113.7 port 22 ssh2\n', {
        flag: 'a',
      });
      await expect.poll(() => run.lines.length, { timeout: 10_000 }).toBe(1);
      expect(run.stderr().split('is a FIFO (named pipe)').length - 1).toBe(1);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});

describe('logwarden schema', () => {
  it('prints a JSON Schema that rejects unknown keys', async () => {
    const { code, stdout } = await runCli(['schema']);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toMatch(/json-schema/);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      'store',
      'sources',
      'rules',
      'actions',
      'fleet',
      'commands',
      'audit',
      'protect',
      'incidents',
      'roles',
      'slack',
      'escalation',
      'queries',
      'http',
      'tail',
    ]);
  });
});

describe('logwarden replay', () => {
  it('prints per-rule counts and speed', async () => {
    const { code, stdout } = await runCli(['replay', '-c', example, sample], { cwd: ROOT });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Replayed 23 lines \(\d+\.\d MB\) from 1 file in \d+\.\d\d s: [\d,]+ lines\/s/);
    expect(stdout).toMatch(/\nsshd\s+14\s+0\s+0\n/);
    expect(stdout).toMatch(/\napp-login\s+3\s+1\s+0\n/);
    // Both logins are read (deploy's from 10.0.0.5, root's after the failures); incidents come from run.
    expect(stdout).toMatch(/\nsuccess-after-failures\s+2\s+0\s+0\n/);
  });

  it('prints one JSON line per match with --json, reading stdin for -', async () => {
    const { code, stdout, stderr } = await runCli(['replay', '-c', example, '--rule', 'app-login', '--json', '-'], {
      cwd: ROOT,
      input: 'noise\n2026-11-23T10:04:02Z web1 myapp[1]: login failed for user bob from 198.51.100.23\n',
    });
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        file: '-',
        line: 2,
        text: '2026-11-23T10:04:02Z web1 myapp[1]: login failed for user bob from 198.51.100.23',
        rule: 'app-login',
        fields: { user: 'bob', ip: '198.51.100.23' },
      },
    ]);
    expect(stderr).toContain('Replayed 2 lines');
  });

  it('numbers --json lines within each file', async () => {
    const dir = tempDir();
    const line = '2026-11-23T10:04:02Z web1 myapp[1]: login failed for user bob from 198.51.100.23';
    writeFileSync(join(dir, 'a.log'), `noise\nnoise\n${line}\n`);
    writeFileSync(join(dir, 'b.log'), `noise\n${line}\n`);
    const { code, stdout } = await runCli(
      ['replay', '-c', example, '--rule', 'app-login', '--json', join(dir, 'a.log'), join(dir, 'b.log')],
      { cwd: ROOT },
    );
    expect(code).toBe(0);
    const matches = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; line: number });
    expect(matches.map((m) => [m.file, m.line])).toEqual([
      [join(dir, 'a.log'), 3],
      [join(dir, 'b.log'), 2],
    ]);
  });

  it('counts the same with worker threads as without', async () => {
    const dir = tempDir();
    const log = join(dir, 'big.log');
    const lines = Array.from({ length: 250_000 }, (_, i) =>
      i % 7 === 0
        ? `Nov 23 10:00:00 web1 sshd[${i}]: Failed password for root from 203.0.113.${i % 250} port 22 ssh2`
        : `Nov 23 10:00:00 web1 CRON[${i}]: pam_unix(cron:session): session closed for user root`,
    );
    writeFileSync(log, `${lines.join('\n')}\n`);
    const one = await runCli(['replay', '-c', example, '--jobs', '1', log], { cwd: ROOT });
    const three = await runCli(['replay', '-c', example, '--jobs', '3', log], { cwd: ROOT });
    const table = (out: string) => out.slice(out.indexOf('\n\n'));
    expect(three.code).toBe(0);
    expect(table(three.stdout)).toBe(table(one.stdout));
    expect(one.stdout).toContain('Replayed 250,000 lines');
    expect(three.stdout).toContain('Replayed 250,000 lines');
    expect(one.stdout).toMatch(/\nsshd\s+35,715\s+0\s+0\n/);
    // The same threads read every file in turn.
    const twice = await runCli(['replay', '-c', example, '--jobs', '3', log, log], { cwd: ROOT });
    expect(twice.stdout).toContain('Replayed 500,000 lines');
    expect(twice.stdout).toMatch(/\nsshd\s+71,430\s+0\s+0\n/);
  });

  it('names the rules when --rule matches none', async () => {
    const { code, stderr } = await runCli(['replay', '-c', example, '--rule', 'nope', sample], { cwd: ROOT });
    expect(code).toBe(2);
    expect(stderr).toContain('no rule has id "nope". Rules: sshd, sudo-auth');
  });
});

describe('logwarden replay --fail2ban-filter', () => {
  const filter = (dir: string, text: string) => {
    const file = join(dir, 'app.conf');
    writeFileSync(file, text);
    return file;
  };

  it('counts as fail2ban-regex does, and prints each match with --json', async () => {
    const dir = tempDir();
    const conf = filter(
      dir,
      '[Definition]\nfailregex = ^\\s*\\S+ app\\[\\d+\\]: login failed for <F-USER>\\S+</F-USER> from <HOST>$\n            ^<F-NOFAIL>\\s*\\S+ app\\[\\d+\\]: login ok</F-NOFAIL> from <HOST>$\nignoreregex = from 10\\.\n',
    );
    const log = join(dir, 'app.log');
    writeFileSync(
      log,
      [
        'Nov 23 10:00:01 web1 app[7]: login failed for root from 203.0.113.7',
        'Nov 23 10:00:02 web1 app[7]: login failed for bob from 10.0.0.5',
        'Nov 23 10:00:03 web1 app[7]: login ok from 203.0.113.8',
        '# a comment',
        'Nov 23 10:00:04 web1 app[7]: something else',
        '',
      ].join('\n'),
    );
    const { code, stdout } = await runCli(['replay', '--fail2ban-filter', conf, log]);
    expect(code).toBe(0);
    expect(stdout).toContain('Lines: 4 lines, 2 ignored, 1 matched, 1 missed');
    expect(stdout).toContain("With maxretry 5 and findtime 10m, on the log's own times: 0 bans of 0 addresses.");
    const strict = await runCli(['replay', '--fail2ban-filter', conf, '--maxretry', '1', log]);
    expect(strict.stdout).toContain('1 ban of 1 address (most: 203.0.113.7 1×).');
    const json = await runCli(['replay', '--fail2ban-filter', conf, '--json', log]);
    const matches = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(matches).toEqual([
      {
        file: log,
        line: 1,
        text: 'Nov 23 10:00:01 web1 app[7]: login failed for root from 203.0.113.7',
        time: expect.any(String),
        host: '203.0.113.7',
        user: 'root',
        regex: 1,
      },
    ]);
    // The stamp names no zone or year: local time (the year is the replay's), whatever zone the machine is in.
    const at = new Date(matches[0].time);
    expect([at.getMonth(), at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds()]).toEqual([10, 23, 10, 0, 1]);
  });

  it('runs a fail2ban rule from a config: check shows what it loaded, replay counts it like any rule', async () => {
    const dir = tempDir();
    const log = join(dir, 'app.log');
    writeFileSync(
      log,
      'Nov 23 10:00:01 web1 app[7]: login failed for root from 203.0.113.7\nNov 23 10:00:02 web1 app[7]: login ok for bob from 203.0.113.8\n',
    );
    const config = join(dir, 'c.yml');
    writeFileSync(
      config,
      `sources: [{ id: app, path: ${JSON.stringify(log)} }]\nrules:\n  - { fail2ban: test/fixtures/fail2ban/app.conf, source: app, maxretry: 2 }\n`,
    );
    const check = await runCli(['check', '-c', config], { cwd: ROOT });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(
      '  app  medium, 2 within 10m by ip, reads app [fail2ban test/fixtures/fail2ban/app.conf]',
    );
    expect(check.stdout).toContain(
      '    loaded: test/fixtures/fail2ban/app-common.conf, test/fixtures/fail2ban/app.conf',
    );
    const replay = await runCli(['replay', '-c', config, log], { cwd: ROOT });
    expect(replay.stdout).toMatch(/\napp\s+1\s+1\s+0\n/);
  });

  it('exits 2 naming the file and what in it cannot be used', async () => {
    const dir = tempDir();
    const conf = filter(dir, '[Definition]\nfailregex = ^(?>atomic) <HOST>\n');
    const { code, stderr } = await runCli(['replay', '--fail2ban-filter', conf, conf]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `The fail2ban filter ${conf} cannot be used: failregex line 1 is not supported: an atomic group`,
    );
  });
});

describe('logwarden run', () => {
  it('prints incidents of the bundled example as JSON lines and stops cleanly on SIGTERM', async () => {
    const run = startRun(['-c', example], { cwd: ROOT });
    await expect.poll(() => run.lines.length, { timeout: 10_000 }).toBe(4);
    const events = run.lines.map((l) => JSON.parse(l));
    expect(events.map((e) => [e.event, e.incident.title])).toEqual([
      ['opened', 'SSH brute force from 203.0.113.7'],
      ['opened', 'root logged in from 203.0.113.7 after 5 failures in 47s'],
      ['opened', 'sudo refused for alice: user NOT in sudoers'],
      ['opened', 'Failed app logins from 198.51.100.23'],
    ]);
    expect(Object.keys(events[0].incident)).toEqual([
      'id',
      'rule',
      'severity',
      'title',
      'key',
      'fields',
      'count',
      'firstSeen',
      'lastSeen',
      'source',
      'sample',
    ]);
    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('"msg":"stopping"');
  });
});

describe('logwarden run with Slack configured', () => {
  async function slackRun(env: Record<string, string>) {
    const { startSlackApi } = await import('./helpers/slack-api-server.js');
    const slack = await startSlackApi();
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, '');
    const config = join(dir, 'c.yml');
    writeFileSync(
      config,
      `store: { path: ":memory:" }\nsources: [{ id: auth, path: ${log} }]\nrules: [{ use: sshd, source: auth, threshold: { count: 1 } }]\nslack: { channel: C0SECURITY }\n`,
    );
    return { slack, log, config, env: { SLACK_API_URL: slack.url, ...env } };
  }

  it('posts incidents to the channel, and prints nothing on stdout without --stdout', async () => {
    const { slack, log, config, env } = await slackRun({ SLACK_BOT_TOKEN: 'xoxb-test' });
    const run = startRun(['-c', config], { env });
    try {
      await expect.poll(() => run.stderr(), { timeout: 10_000 }).toContain('"msg":"watching"');
      writeFileSync(log, 'Nov 23 10:00:00 web1 sshd[9]: Failed password for root from 203.0.113.7 port 22 ssh2\n', {
        flag: 'a',
      });
      await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 10_000 }).toBe(1);
      expect(slack.callsOf('chat.postMessage')[0]!.params.channel).toBe('C0SECURITY');
      expect(run.lines).toEqual([]);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await slack.close();
    }
  });

  it('answers /logs search over a large file (read in a worker thread) through Socket Mode', async () => {
    const { slack, log, config, env } = await slackRun({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test' });
    writeFileSync(config, `${readFileSync(config, 'utf8')}roles: { responders: { users: [U0ALICE] } }\n`);
    const filler = 'Nov 23 10:00:00 web1 CRON[1]: pam_unix(cron:session): session closed for user root\n'.repeat(
      250_000,
    );
    writeFileSync(log, `${filler}Nov 23 10:00:01 web1 app[2]: needle in a haystack\n${filler}`);
    const run = startRun(['-c', config], { env });
    try {
      await slack.connected();
      await slack.send('slash_commands', {
        command: '/logs',
        text: 'search needle',
        user_id: 'U0ALICE',
        channel_id: 'C0SECURITY',
        team_id: 'T1',
        response_url: slack.responseUrl('U0ALICE'),
        trigger_id: 't',
      });
      await expect.poll(() => slack.callsOf('/respond').length, { timeout: 10_000 }).toBe(1);
      expect(JSON.stringify(slack.callsOf('/respond')[0]!.params)).toContain('needle in a haystack');
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      await slack.close();
    }
  });

  it.each([
    { env: { SMTP_HOST: '' }, message: 'The config has an escalation: section but SMTP_HOST is not set.' },
    { env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: '25x' }, message: 'SMTP_PORT is "25x", which is not a port.' },
  ])('refuses to start an escalation config: $message', async ({ env, message }) => {
    const config = writeEscalationConfig(tempDir());
    const { code, stderr } = await runCli(['run', '-c', config], { env });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it.each([
    { env: { SLACK_BOT_TOKEN: 'xoxb-wrong' }, message: 'Slack rejected SLACK_BOT_TOKEN (invalid_auth).' },
    { env: { SLACK_BOT_TOKEN: '' }, message: 'SLACK_BOT_TOKEN is not set.' },
  ])('refuses to start with a bad token: $message', async ({ env: extra, message }) => {
    const { slack, config, env } = await slackRun(extra);
    try {
      const { code, stderr } = await runCli(['run', '-c', config], { env });
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    } finally {
      await slack.close();
    }
  });
});
