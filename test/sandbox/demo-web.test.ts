// The demo page's server takes only JSON from a known demo person (a form on another site cannot post JSON), and
// only /logs commands; what it accepts becomes a Socket Mode envelope.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../src/sandbox/demo-config.js';
import { startDemoWeb } from '../../src/sandbox/demo-web.js';
import { startMailSandbox } from '../../src/sandbox/mail-sandbox.js';
import { startSlackSandbox } from '../../src/sandbox/slack-sandbox.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup() {
  const slack = await startSlackSandbox();
  cleanup.push(() => slack.close());
  const mail = await startMailSandbox();
  cleanup.push(() => mail.stop());
  const web = await startDemoWeb({ slack, mail, people: DEMO_PEOPLE });
  cleanup.push(() => web.close());
  const post = (path: string, body: string, type = 'application/json') =>
    fetch(new URL(path, web.url), { method: 'POST', headers: { 'content-type': type }, body });
  return { web, post };
}

describe('the demo page server', () => {
  it('serves the page with a strict content security policy', async () => {
    const { web } = await setup();
    const res = await fetch(web.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>logwarden demo');
    const state = (await (await fetch(new URL('/api/state', web.url))).json()) as { channel: unknown };
    expect(state.channel).toEqual({
      id: 'C0SECURITY',
      name: 'security',
    });
  });

  it.each([
    {
      what: 'a form post',
      path: '/api/command',
      body: 'user=U0ALICE&text=/logs%20help',
      type: 'application/x-www-form-urlencoded',
    },
    { what: 'an unknown person', path: '/api/command', body: '{"user":"U0MALLORY","text":"/logs help"}' },
    { what: 'another command', path: '/api/command', body: '{"user":"U0ALICE","text":"/remind me"}' },
    {
      what: 'a message that does not exist',
      path: '/api/click',
      body: '{"user":"U0ALICE","ts":"1.2","actionId":"x","blockId":"y"}',
    },
    { what: 'not JSON', path: '/api/click', body: '{"user":' },
  ])('refuses $what with 400', async ({ path, body, type }) => {
    const { post } = await setup();
    expect((await post(path, body, type)).status).toBe(400);
  });
});
