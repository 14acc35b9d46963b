// The ways in that were tried as an attacker or an unlucky operator would, each through the real bot: Bolt against
// the loopback workspace, real files, real worker threads, a real SQLite file.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { Commands } from '../../../src/core/commands.js';
import type { SlackAuthFailedError } from '../../../src/core/errors.js';
import { connectSlack } from '../../../src/notify/slack/connect-slack.js';
import { formatSyslogTime } from '../../../src/sandbox/attack-generator.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../../helpers/fixtures.js';
import { HOSTILE } from '../../helpers/hostile-text.js';
import { startSlackApi } from '../../helpers/slack-api-server.js';
import { type SlackSetupOptions, startSlackSetup } from '../../helpers/slack-setup.js';
import { useTempDir } from '../../helpers/temp-dir.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

let pid = 500;
const attack = (ip: string) =>
  `${formatSyslogTime(new Date())} web1 sshd[${pid++}]: Failed password for root from ${ip} port 22 ssh2\n`;

async function setup(prepare: (dir: string) => SlackSetupOptions = () => ({})) {
  const dir = tempDir();
  const s = await startSlackSetup(dir, cleanup, prepare(dir));
  /** Sends /logs as the user and resolves with the reply it gets (replies are counted before it is sent). */
  const ask = async (user: string, text: string) => {
    const before = s.replies().length;
    await s.slack.send('slash_commands', s.logs(user, text));
    await expect.poll(() => s.replies().length, { timeout: 15_000 }).toBeGreaterThan(before);
    return s.replies()[before]!;
  };
  return { ...s, dir, ask };
}

describe('/logs queries cannot freeze the bot', () => {
  it('cuts a search at its time budget and says so, while an attack written meanwhile is posted at once', async () => {
    const { ask, log, slack, logs, replies } = await setup((dir) => {
      // A terabyte of holes: no search reads it in two seconds.
      const big = join(dir, 'big.log');
      writeFileSync(big, '');
      truncateSync(big, 2 ** 40);
      return {
        sources: [`{ id: big, path: ${JSON.stringify(big)} }`],
        extra: 'queries: { timeBudget: 2s, byteBudget: 900000GiB }\n',
      };
    });
    await slack.send('slash_commands', logs('U0ALICE', 'search /Failed.*for.*from.*port.*ssh2/ source:big'));
    // The query runs in its own thread: the tail goes on and the attack is posted while it reads.
    appendFileSync(log, attack('198.51.100.23'));
    await expect.poll(() => slack.callsOf('chat.postMessage').length, { timeout: 1000, interval: 20 }).toBe(2);
    expect(replies()).toEqual([]);
    await expect.poll(() => replies().length, { timeout: 10_000 }).toBe(1);
    expect(replies()[0]).toMatch(/0 lines with .* in 1 file/);
    expect(replies()[0]).toMatch(/Cut after 2 s: read [\d.]+ [KMG]iB, 0 of the files in full/);
    // And the bot answers the next one.
    expect(await ask('U0ALICE', 'tail auth 1')).toContain('The last 1 lines of `auth`:');
  });

  it('answers the patterns that froze it, over an attacker-written 3.4 KB line, at once', async () => {
    const { ask, dir } = await setup((d) => {
      writeFileSync(
        join(d, 'web.log'),
        `1.2.3.4 - - "GET /${'a'.repeat(3400)} Failed for from port ssh2"\n1.2.3.4 - - "GET /${'a'.repeat(3400)}\n`,
      );
      return {};
    });
    expect(dir).toBeTruthy();
    expect(await ask('U0ALICE', 'search /Failed.*for.*from.*port.*ssh2/ source:web')).toContain('1 line with');
    expect(await ask('U0ALICE', 'search /(a|a){1,60}$/ source:web')).toContain('1 line with');
    expect(await ask('U0ALICE', 'search /(?=(a+)+$)/')).toContain('RE2 syntax: no lookaround or backreferences');
  });

  it('tells a second query from the same person to wait while the first runs', async () => {
    const { ask, slack, logs, replies } = await setup((dir) => {
      const big = join(dir, 'big.log');
      writeFileSync(big, '');
      truncateSync(big, 2 ** 40);
      return {
        sources: [`{ id: big, path: ${JSON.stringify(big)} }`],
        extra: 'queries: { timeBudget: 3s, byteBudget: 900000GiB }\n',
      };
    });
    await slack.send('slash_commands', logs('U0ALICE', 'search nothing-here source:big'));
    await expect.poll(() => slack.callsOf('/respond').length).toBe(0);
    expect(await ask('U0ALICE', 'tail auth 1')).toContain('Busy: your last query is still running');
    await expect.poll(() => replies().length, { timeout: 10_000 }).toBe(2);
    expect(replies()[1]).toContain('Cut after 3 s');
  });
});

describe('/logs reads only regular files, and only the ones configured', () => {
  it('refuses a FIFO and a device with a clear answer instead of hanging or spinning', async () => {
    const { ask } = await setup((dir) => {
      execFileSync('mkfifo', [join(dir, 'pipe.log')]);
      return {
        sources: [`{ id: pipe, path: ${JSON.stringify(join(dir, 'pipe.log'))} }`, '{ id: zero, path: /dev/zero }'],
      };
    });
    expect(await ask('U0ALICE', 'tail pipe')).toContain('`pipe` cannot be read: its file is a FIFO (named pipe).');
    expect(await ask('U0ALICE', 'tail zero')).toContain('`zero` cannot be read: its file is a device.');
    const search = await ask('U0ALICE', 'search anything');
    expect(search).toContain('is a FIFO (named pipe)');
    expect(search).toContain('`/dev/zero` is a device');
  });

  it('does not follow a link planted in a watched directory, nor a .1 rotation that is a link', async () => {
    const { ask, dir } = await setup((d) => {
      writeFileSync(join(d, 'logwarden.env'), 'SLACK_BOT_TOKEN=xoxb-SECRET\n');
      mkdirSync(join(d, 'logs'));
      writeFileSync(join(d, 'logs', 'app.log'), 'an app line\n');
      symlinkSync('../logwarden.env', join(d, 'logs', 'zz.log'));
      return { sources: [`{ id: apps, path: ${JSON.stringify(join(d, 'logs', '*.log'))} }`] };
    });
    symlinkSync(join(dir, 'auth.log'), join(dir, 'web.log.1'));
    expect(await ask('U0ALICE', 'search SECRET')).toContain('0 lines with `SECRET`');
    // The web-only role reads web: its .1 "rotation" is a link to the auth log.
    expect(await ask('U0WEB', 'search Failed')).toContain('0 lines with `Failed`');
    expect(await ask('U0ALICE', 'search Failed source:auth')).toContain('1 line with `Failed`');
  });
});

describe('a role limited to some sources sees only what comes from them', () => {
  it('in every subcommand: incidents, stats, ip and silences', async () => {
    const { ask, slack, select } = await setup();
    await slack.send('interactive', select('U0ALICE', '1:1h'));
    expect(await ask('U0ALICE', 'silences')).toContain('1 silence in force');
    expect(await ask('U0WEB', 'incidents all')).toContain('0 incidents, newest first');
    expect(await ask('U0WEB', 'stats')).toContain('0 incidents.');
    expect(await ask('U0WEB', 'ip 203.0.113.7')).toContain('0 incidents, 0 recent lines.');
    expect(await ask('U0WEB', 'silences')).toContain('0 silences in force');
    expect(await ask('U0ALICE', 'incidents all')).toContain('1 incident, newest first');
  });
});

describe('authorisation fails closed, visibly', () => {
  it('grants by user id without a group lookup, and answers and audits when a lookup fails', async () => {
    const { slack, click, audit } = await setup();
    slack.failNext('usergroups.users.list', { status: 200, body: { ok: false, error: 'internal_error' } });
    await slack.send('interactive', click('U0LEAD', 'incident:resolve'));
    await expect.poll(() => slack.callsOf('chat.postEphemeral').length).toBe(1);
    expect(slack.callsOf('chat.postEphemeral')[0]!.params.text).toBe(
      'Could not check your Slack user groups just now, so nothing was done. Try again in a minute.',
    );
    const refused = audit().at(-1)!;
    expect([refused.actor, refused.action]).toEqual(['U0LEAD', 'incident:resolve']);
    expect(JSON.parse(refused.data_json)).toMatchObject({ refused: true, reason: 'group lookup failed' });
    // A user granted by id is let in while lookups fail, and none is made for them.
    slack.failNext('usergroups.users.list', { status: 200, body: { ok: false, error: 'internal_error' } });
    const lookups = slack.callsOf('usergroups.users.list').length;
    await slack.send('interactive', click('U0ALICE', 'incident:acknowledge'));
    await expect.poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks)).toContain('U0ALICE');
    expect(slack.callsOf('usergroups.users.list').length).toBe(lookups);
    // The failure queued above is the next lookup's; after it, the lead is let in (a failure is not remembered).
    await slack.send('interactive', click('U0LEAD', 'incident:resolve'));
    await expect.poll(() => slack.callsOf('chat.postEphemeral').length).toBe(2);
    await slack.send('interactive', click('U0LEAD', 'incident:resolve'));
    await expect
      .poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks))
      .toContain('Resolved by <@U0LEAD>');
  });

  it('trusts a group lookup for groupCacheTtl only: a member removed from the group loses the role then', async () => {
    let now = Date.now();
    const { slack, click } = await setup(() => ({ clock: () => now }));
    await slack.send('interactive', click('U0LEAD', 'incident:acknowledge'));
    await expect.poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks)).toContain('U0LEAD');
    slack.groups.set('S0LEADS', []);
    now += 30_000;
    await slack.send('interactive', click('U0LEAD', 'incident:resolve'));
    await expect
      .poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks))
      .toContain('Resolved by <@U0LEAD>');
    expect(slack.callsOf('usergroups.users.list')).toHaveLength(1);
    now += 31_000;
    await slack.send('interactive', click('U0LEAD', 'incident:acknowledge'));
    await expect.poll(() => slack.callsOf('chat.postEphemeral').length).toBe(1);
    expect(slack.callsOf('chat.postEphemeral')[0]!.params.text).toContain('You are not allowed to acknowledge');
    expect(slack.callsOf('usergroups.users.list')).toHaveLength(2);
  });

  it('looks a group up once for many clicks at the same time', async () => {
    const { slack, click } = await setup();
    for (let i = 0; i < 5; i++) await slack.send('interactive', click('U0LEAD', 'incident:acknowledge'));
    await expect.poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks)).toContain('U0LEAD');
    expect(slack.callsOf('usergroups.users.list')).toHaveLength(1);
  });
});

describe('what /logs echoes is escaped, whatever is typed', () => {
  // Everything typed is someone's: the corpus goes through every subcommand that echoes it.
  const typed = [
    ...HOSTILE.map((t) => t.slice(0, 2000)),
    '<!channel>',
    '<!here>',
    '<@U0ALICE>',
    '<!subteam^S0LEADS>',
    'since:<!channel>',
    'limit:<!everyone>',
    'source:<!here>',
    '\u2028<!channel>\u2029',
    'a\u061cb\u00adc\u{e0041}\u{e0042}d',
    '/(/',
    '/[/',
    '/(?<x>a)\\k<x>/',
    '/\\p{Zzzz}/',
    '//',
    '/a{99999}/',
    '/(a{1000}){1000}/',
    '%00',
    '../../etc/shadow',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text a log4j attack types.
    '${jndi:ldap://x}',
  ];
  const commands = (t: string) => [
    `search ${t}`,
    `tail ${t}`,
    `ip ${t}`,
    `incidents since:${t}`,
    `stats since:${t}`,
    `unsilence ${t}`,
    `${t}`,
  ];

  it(`answers ${'every'} one of them (over 100), and none can mention anyone or carry hidden characters`, async () => {
    const { ask, slack } = await setup();
    const inputs = typed.flatMap(commands);
    expect(inputs.length).toBeGreaterThan(100);
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    for (const input of inputs) {
      await ask('U0ALICE', input);
      const answer = strings(slack.callsOf('/respond').at(-1)!.params).join('\n');
      expect(answer, input).not.toMatch(/<!(channel|here|everyone|subteam)/);
      expect(answer, input).not.toMatch(/<@U0ALICE>|<#C/);
      expect(answer, input).not.toMatch(
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069]/u,
      );
      expect(answer, input).not.toMatch(/[\u{e0000}-\u{e007f}]/u);
    }
  }, 120_000);
});

describe('HTTP mode holds under abuse', () => {
  const unsignedPost = (port: number, bytes: number) =>
    fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': `v0=${'0'.repeat(64)}`,
      },
      body: 'x'.repeat(bytes),
    }).then(
      (r) => r.status,
      () => 0,
    );

  it('refuses large unsigned bodies before holding them, and a small unsigned one after checking it', async () => {
    const { port, audit } = await setup(() => ({ http: true }));
    // The uploads come from another process, so that this one's memory is the bot's alone.
    const uploader = `
      const send = () => fetch('http://127.0.0.1:${port}/slack/events', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-slack-signature': 'v0=${'0'.repeat(64)}',
        },
        body: 'x'.repeat(4 << 20),
      }).then((r) => r.status, () => 0);
      Promise.all(Array.from({ length: 60 }, send)).then((s) => console.log(JSON.stringify(s)));`;
    const before = process.memoryUsage().rss;
    const child = spawn(process.execPath, ['-e', uploader], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const statuses = JSON.parse(out) as number[];
    // Refused (413) or cut off mid-upload (the server closes the connection): never taken in.
    expect(statuses).toHaveLength(60);
    expect(statuses.every((s) => s === 413 || s === 0)).toBe(true);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 << 20);
    expect(await unsignedPost(port, 1000)).toBe(401);
    expect(audit()).toEqual([]);
  });

  it('refuses a signed request replayed within the window: the click is applied once', async () => {
    const { post, click, audit, slack } = await setup(() => ({ http: true }));
    const payload = click('U0ALICE', 'incident:acknowledge');
    const stamp = Math.floor(Date.now() / 1000);
    expect(await post(payload, stamp)).toBe(200);
    expect(await post(payload, stamp)).toBe(409);
    await expect.poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks)).toContain('U0ALICE');
    expect(audit().filter((a) => a.action === 'incident:acknowledge')).toHaveLength(1);
  });

  it('holds a capped number of connections and closes half-open ones, then still answers', async () => {
    const { port, post, click } = await setup(() => ({ http: true }));
    const sockets = Array.from({ length: 800 }, () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      // Half-open: the request line and no more.
      socket.write('POST /slack/events HTTP/1.1\r\n');
      return socket;
    });
    const closed = () => sockets.filter((s) => s.closed).length;
    // Past the cap they are dropped at once; the rest when their headers are overdue.
    await expect.poll(closed, { timeout: 5000 }).toBeGreaterThanOrEqual(800 - 128);
    await expect.poll(closed, { timeout: 15_000 }).toBe(800);
    expect(await post(click('U0ALICE', 'incident:acknowledge'))).toBe(200);
  }, 30_000);
});

describe('Slack recovers by itself', () => {
  it('down at start-up, then up: incidents are posted and clicks work, without a restart', async () => {
    const { slack, click } = await setup(() => ({ downAtStart: { authTest: 3, connectionsOpen: 2 } }));
    // The setup waited for the Socket Mode connection and for the first incident's message.
    expect(slack.callsOf('auth.test').length).toBeGreaterThanOrEqual(4);
    await slack.send('interactive', click('U0ALICE', 'incident:acknowledge'));
    await expect
      .poll(() => JSON.stringify(slack.callsOf('chat.update').at(-1)?.params.blocks))
      .toContain('acknowledged by <@U0ALICE>');
  });
});

describe('a token Slack rejects while logwarden is reconnecting', () => {
  it('is fatal (exit 2 in the CLI), not retried', async () => {
    const dir = tempDir();
    const slack = await startSlackApi();
    cleanup.push(() => slack.close());
    const loaded = parseConfig(
      `store: { path: ${JSON.stringify(join(dir, 'store.db'))} }\nsources: [{ id: auth, path: ${JSON.stringify(join(dir, 'auth.log'))} }]\nrules: [{ use: sshd, source: auth }]\nslack: { channel: C0SECURITY }\n`,
      'app.yml',
    );
    const store = new SqliteStore(loaded.config.store.path);
    cleanup.push(async () => await store.close());
    slack.failNext(
      'auth.test',
      { status: 503 },
      { status: 503 },
      { status: 200, body: { ok: false, error: 'invalid_auth' } },
    );
    const fatal: SlackAuthFailedError[] = [];
    const connection = await connectSlack(loaded.config.slack!, loaded.config.sources, {
      queries: loaded.config.queries,
      rules: loaded.rules,
      store,
      clock: Date.now,
      logger: silentLogger,
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.url },
      retry: { first: 20, last: 50 },
      onFatal: (error) => fatal.push(error),
    });
    const listener = await connection.listen({} as Commands);
    cleanup.push(async () => listener?.stop());
    await expect.poll(() => fatal.map((e) => e.reason)).toEqual(['invalid_auth']);
    // Two tries Slack did not answer, then the one that said the token is wrong: no more.
    expect(slack.callsOf('auth.test')).toHaveLength(3);
  });
});
