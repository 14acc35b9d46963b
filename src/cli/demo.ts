// `logwarden demo`: the whole loop on one machine with nothing to set up — a Slack-compatible workspace, a mailbox
// and generated attacks on loopback, and logwarden itself started exactly as `run` starts it, pointed at them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRun } from '../app/compose.js';
import { readConfig } from '../config/load.js';
import type { LogwardenError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { packageFile } from '../core/package-files.js';
import { startAttackGenerator } from '../sandbox/attack-generator.js';
import { DEMO_PEOPLE, renderDemoConfig } from '../sandbox/demo-config.js';
import { startDemoWeb } from '../sandbox/demo-web.js';
import { mailSandboxEnv, startMailSandbox } from '../sandbox/mail-sandbox.js';
import { startSlackSandbox } from '../sandbox/slack-sandbox.js';

export interface DemoOptions {
  /** Keep the data here (and keep it after exit); default a new temporary directory, removed on exit. */
  dir?: string;
  /** The web page's port; 0 picks a free one. */
  port: number;
  /** Milliseconds between generated log lines. */
  interval?: number;
  logger: Logger;
  /** A failure the process cannot go on from (the store failed, Slack rejected the token): exits. */
  onFatal(error: LogwardenError): never;
}

export interface Demo {
  url: string;
  dir: string;
  config: string;
  stop(): Promise<void>;
}

const FIREWALL = fileURLToPath(packageFile('examples/demo-firewall.mjs'));

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const temporary = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'logwarden-demo-'));
  mkdirSync(dir, { recursive: true });
  const authLog = join(dir, 'auth.log');
  const webLog = join(dir, 'access.log');
  for (const log of [authLog, webLog]) writeFileSync(log, '', { flag: 'a' });
  const config = join(dir, 'logwarden.yml');
  writeFileSync(config, renderDemoConfig({ dir, authLog, webLog, firewall: FIREWALL, node: process.execPath }));
  const loaded = readConfig(config);

  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const f of stops.splice(0).reverse()) await f();
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Tokens for this run only: another user of this machine cannot call the sandbox as the bot or the app.
    const tokens = {
      SLACK_BOT_TOKEN: `xoxb-demo-${randomBytes(16).toString('hex')}`,
      SLACK_APP_TOKEN: `xapp-demo-${randomBytes(16).toString('hex')}`,
    };
    const slack = await startSlackSandbox({
      channelName: 'security',
      token: tokens.SLACK_BOT_TOKEN,
      appToken: tokens.SLACK_APP_TOKEN,
    });
    stops.push(() => slack.close());
    const mail = await startMailSandbox();
    stops.push(() => mail.stop());
    const running = await startRun(loaded, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...tokens,
        SLACK_API_URL: slack.url,
        ...mailSandboxEnv(mail.port),
      },
      logger: options.logger,
      write: () => {},
      onFatal: options.onFatal,
    });
    stops.push(() => running.stop());
    await slack.connected();
    const web = await startDemoWeb({ slack, mail, people: DEMO_PEOPLE, port: options.port });
    stops.push(() => web.close());
    const generator = startAttackGenerator({
      authLog,
      webLog,
      ...(options.interval ? { interval: options.interval } : {}),
    });
    stops.push(() => generator.stop());
    // The first attack at once: a newcomer should see an incident within seconds.
    generator.burst();
    return { url: web.url, dir, config, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
