// `logwarden demo` in a real browser (Debian's chromium, driven by playwright-core): the generated attack becomes an
// incident on the page; Acknowledge, Block IP (through its confirm dialog) and Escalate go through the real Bolt app,
// the message updates in place, the thread and the mailbox show the results, and an outsider is refused.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatSyslogTime } from '../../src/sandbox/attack-generator.js';
import { ROOT } from '../helpers/fixtures.js';
import { startCli } from '../helpers/run-cli.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'artifacts');
// The page catches up through Slack's update pacing (1s in the demo) and a server-sent event.
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });

describe('logwarden demo in the browser', () => {
  let demo: ReturnType<typeof startCli>;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (Debian's chromium; .ci/run installs it)`).toBe(true);
    // The whole file's tests share one demo, so its directory lives as long as the describe block.
    dir = mkdtempSync(join(tmpdir(), 'logwarden-demo-test-'));
    // One attack at start, then no more for the length of the test: what the page shows is what the test did.
    demo = startCli(['demo', '--port', '0', '--dir', dir, '--interval', '600000']);
    const url = await vi.waitFor(
      () => {
        const line = demo.lines.find((l) => l.includes('open http'));
        if (!line) throw new Error(`no URL yet; stderr: ${demo.stderr()}`);
        return /open (http:\S+)/.exec(line)![1]!;
      },
      { timeout: 20_000, interval: 50 },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    expect(errors).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    demo?.child.kill('SIGINT');
    const exited = await demo?.exited;
    rmSync(dir, { recursive: true, force: true });
    expect(exited?.code).toBe(0);
  });

  const incident = () => page.locator('article.message', { hasText: 'SSH brute force from 203.0.113.' }).first();

  it('shows the generated brute force as an incident, rendered from its blocks', async () => {
    await incident().waitFor({ timeout: 20_000 });
    await eventually(() => incident().locator('.block-header').textContent()).toMatch(/^HIGH · SSH brute force/);
    expect(await incident().locator('pre').first().textContent()).toContain('Failed password for root from');
    expect(await incident().getByRole('button').allTextContents()).toEqual(
      expect.arrayContaining(['Acknowledge', 'Resolve', 'False positive', 'Escalate', 'Block IP']),
    );
  });

  it('acknowledges: the message updates in place and says who', async () => {
    await incident().getByRole('button', { name: 'Acknowledge' }).click();
    await eventually(() => incident().textContent()).toContain('acknowledged by @alice');
    expect(await incident().locator('.edited').count()).toBe(1);
    expect(await incident().getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
  });

  it('blocks the address after the confirm dialog, with the result in the thread and on the message', async () => {
    const ip = (await incident().locator('.block-header').textContent())!.match(/203\.0\.113\.\d+/)![0];
    await incident().getByRole('button', { name: 'Block IP' }).click();
    await eventually(() => page.locator('#confirm-text').textContent()).toContain(`Block ${ip} on the demo firewall`);
    await page.locator('#confirm-ok').click();
    await eventually(() => incident().locator('details.thread').textContent()).toMatch(
      /@alice ran Block IP: .* → exit 0/,
    );
    await eventually(() => incident().textContent()).toContain('✅ Block IP');
    expect(await incident().getByRole('button', { name: 'Undo: Block IP' }).count()).toBe(1);
    expect(readFileSync(join(dir, 'blocked.txt'), 'utf8')).toBe(`${ip}\n`);
  });

  it('escalates by email: the mail arrives in the mailbox pane', async () => {
    await incident().getByRole('button', { name: 'Escalate' }).click();
    await page.locator('#confirm-ok').click();
    const mail = page.locator('#mail li[data-mail]').first();
    await mail.waitFor({ timeout: 20_000 });
    expect(await mail.locator('.subject').textContent()).toMatch(
      /^\[logwarden\] HIGH: SSH brute force from 203\.0\.113\.\d+ \(incident #1\)$/,
    );
    expect(await mail.locator('pre').textContent()).toContain('escalated by Slack user U0ALICE');
    await eventually(() => incident().locator('details.thread').textContent()).toContain('📧 Escalation mailed to');
  });

  it('refuses a button to an outsider, in a reply only they see', async () => {
    await page.locator('#user').selectOption('U0EVE');
    await incident().getByRole('button', { name: 'Resolve' }).click();
    await page.locator('#confirm-ok').click();
    await eventually(() => page.locator('#ephemerals').textContent()).toContain(
      'You are not allowed to resolve incidents.',
    );
    expect(await incident().textContent()).not.toContain('Resolved by');
    await page.locator('#user').selectOption('U0ALICE');
    // Alice sees her own replies (the escalation's), not Eve's.
    await eventually(() => page.locator('#ephemerals').textContent()).toContain('Escalation mail queued');
    expect(await page.locator('#ephemerals').textContent()).not.toContain('not allowed');
  });

  it('lets the on-call lead dry-run Lock user on a sudo refusal; a responder may not', async () => {
    appendFileSync(
      join(dir, 'auth.log'),
      `${formatSyslogTime(new Date())} web1 sudo[7001]:  mallory : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/mallory ; USER=root ; COMMAND=/usr/bin/id\n`,
    );
    const sudo = page.locator('article.message', { hasText: 'mallory' }).first();
    await sudo.waitFor({ timeout: 20_000 });
    await sudo.getByRole('button', { name: 'Lock user' }).click();
    await page.locator('#confirm-ok').click();
    await eventually(() => page.locator('#ephemerals').textContent()).toContain('You are not allowed to run Lock user');
    await page.locator('#user').selectOption('U0LEE');
    await sudo.getByRole('button', { name: 'Lock user' }).click();
    await eventually(() => page.locator('#confirm-text').textContent()).toContain("Lock mallory's password?");
    await page.locator('#confirm-ok').click();
    await eventually(() => sudo.locator('details.thread').textContent()).toContain(
      'Dry run of Lock user for @lee: would run sudo -n /usr/sbin/usermod -L mallory. Nothing was run.',
    );
    await page.locator('#user').selectOption('U0ALICE');
  });

  it('shows hostile log text as text: no element, no link, no mention forms from it', async () => {
    const user = '<img src=x onerror="document.title=1">@channel<!here>`';
    const lines = [1, 2, 3, 4, 5].map(
      (i) =>
        `${formatSyslogTime(new Date())} web1 sshd[${9000 + i}]: Failed password for ${user} from 198.51.100.66 port 4${i} ssh2\n`,
    );
    appendFileSync(join(dir, 'auth.log'), lines.join(''));
    const hostile = page.locator('article.message', { hasText: 'SSH brute force from 198.51.100.66' });
    await hostile.waitFor({ timeout: 20_000 });
    // As Slack would show it: the markup literally; @channel and the backtick defused by logwarden's escaping.
    expect(await hostile.locator('pre').first().textContent()).toContain(
      'Failed password for <img src=x onerror="document.title=1">@\u2060channel<!here>ˋ from',
    );
    expect(await page.locator('img').count()).toBe(0);
    expect(await hostile.locator('a, .mention').count()).toBe(0);
    expect(await page.title()).toBe('logwarden demo — #security');
  });

  it('answers /logs typed in the composer', async () => {
    await page.locator('#command').fill('/logs oncall');
    await page.getByRole('button', { name: 'Send' }).click();
    await eventually(() => page.locator('#ephemerals').textContent()).toContain('On call now:');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'demo-page.png'), fullPage: true });
  });
});
