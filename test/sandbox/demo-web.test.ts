// The demo page's server takes only JSON from a known demo person (a form on another site cannot post JSON), and
// only /logs commands; what it accepts becomes a Socket Mode envelope.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
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
    fetch(web.api(path), { method: 'POST', headers: { 'content-type': type }, body });
  return { web, post };
}

describe('the demo page server', () => {
  it('serves the page with a strict content security policy', async () => {
    const { web } = await setup();
    const res = await fetch(web.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>logwarden demo');
    const state = (await (await fetch(web.api('/api/state'))).json()) as { channel: unknown };
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

/** A request with a Host header of one's choosing (fetch does not let one set it). */
function requestWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the demo page server under attack', () => {
  it('answers only the address it printed: another Host (DNS rebinding) gets 403', async () => {
    const { web } = await setup();
    const { port } = new URL(web.url);
    expect(await requestWithHost(web.url, `127.0.0.1:${port}`)).toBe(200);
    expect(await requestWithHost(web.url, `attacker.example:${port}`)).toBe(403);
    expect(await requestWithHost(web.api('/api/state'), `localhost:${port}`)).toBe(403);
  });

  it("answers its API only with the printed address's key: another user of the machine cannot press buttons", async () => {
    const { web } = await setup();
    const base = new URL(web.url);
    // A command the page refuses: 400 says the key let it through, 403 that it did not.
    const click = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"user":"U0ALICE","text":"/remind me"}',
      });
    expect((await click(`${base.origin}/api/command`)).status).toBe(403);
    expect((await click(`${base.origin}/api/command?key=${'0'.repeat(32)}`)).status).toBe(403);
    expect((await fetch(`${base.origin}/api/state`)).status).toBe(403);
    expect((await fetch(`${base.origin}/api/events`)).status).toBe(403);
    expect((await click(web.api('/api/command'))).status).toBe(400);
    // The page itself loads without it (its script reads the key from the address).
    expect((await fetch(`${base.origin}/`)).status).toBe(200);
  });

  it.each([
    '[',
    'null',
    '"text"',
    '[1,2]',
    '{"user":{"id":"U0ALICE"},"text":"/logs help"}',
    '{"user":"U0ALICE","text":123}',
    '{"user":"U0ALICE","ts":{},"actionId":[],"blockId":null}',
    `{"user":"U0ALICE","text":"${'x'.repeat(70_000)}"}`,
    '\u0000\u00ff\ud800',
  ])('refuses a malformed body with 400 and goes on answering (%#)', async (body) => {
    const { web, post } = await setup();
    expect((await post('/api/command', body)).status).toBe(400);
    expect((await post('/api/click', body)).status).toBe(400);
    expect((await fetch(web.api('/api/state'))).status).toBe(200);
  });
});

describe('the sandbox workspace under attack from another local user', () => {
  it('survives malformed API calls, and keeps its event stream and replies to whoever holds the tokens', async () => {
    const slack = await startSlackSandbox({ token: 'xoxb-run-secret', appToken: 'xapp-run-secret' });
    cleanup.push(() => slack.close());
    const call = (method: string, body: string, type: string, token = 'xoxb-run-secret') =>
      fetch(`${slack.url}${method}`, {
        method: 'POST',
        headers: { 'content-type': type, authorization: `Bearer ${token}` },
        body,
      });
    expect((await call('chat.postMessage', '{"channel":', 'application/json')).status).toBe(400);
    expect(
      (await call('chat.postMessage', 'channel=C0SECURITY&blocks=%7B', 'application/x-www-form-urlencoded')).status,
    ).toBe(400);
    // A guessed token gets nothing, and the socket needs the ticket apps.connections.open gives.
    const guessed = await (await call('apps.connections.open', '', 'application/json', 'xapp-test')).json();
    expect(guessed).toEqual({ ok: false, error: 'invalid_auth' });
    const { port } = new URL(slack.url);
    const refused = new WebSocket(`ws://127.0.0.1:${port}/link/?ticket=t1`);
    await new Promise((resolve) => refused.on('error', resolve));
    // A reply needs the response_url the command carried.
    const respond = await fetch(`http://127.0.0.1:${port}/respond?channel=C0SECURITY`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"<!channel> spoofed"}',
    });
    expect(respond.status).toBe(403);
    expect(slack.ephemerals).toEqual([]);
    const ok = await (await call('auth.test', '', 'application/json')).json();
    expect(ok).toMatchObject({ ok: true });
  });
});
