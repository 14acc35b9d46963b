// The demo page: renders the sandbox channel from its Block Kit, live, and turns clicks and /logs commands into
// what Slack would send. Every piece of text is set with textContent; nothing is parsed as HTML.

const $ = (id) => document.getElementById(id);
const state = { data: undefined, user: 'U0ALICE', closedThreads: new Set() };
// The API answers only with the key the demo printed in this page's address.
const KEY = new URLSearchParams(location.search).get('key') ?? '';
const api = (path) => `${path}?key=${encodeURIComponent(KEY)}`;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

// Slack escapes &, < and > in message text; the page shows the characters.
const unescapeSlack = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const personName = (id) => {
  const p = state.data?.people.find((x) => x.id === id);
  return p ? p.name : id;
};

function renderDate(seconds, fallback) {
  const d = new Date(Number(seconds) * 1000);
  return Number.isNaN(d.getTime()) ? fallback : d.toLocaleString();
}

// <@U…>, <!date^…|…>, <url|label>, <!here>: Slack's angle-bracket forms.
function renderSpecial(inner) {
  if (inner.startsWith('@'))
    return el('span', { class: 'mention', text: `@${personName(inner.slice(1).split('|')[0])}` });
  if (inner.startsWith('!date^')) {
    const [body, fallback = ''] = inner.split('|');
    return document.createTextNode(renderDate(body.split('^')[1], unescapeSlack(fallback)));
  }
  if (inner.startsWith('!')) return el('span', { class: 'mention', text: `@${inner.slice(1).split('|')[0]}` });
  const [url, label] = inner.split('|');
  if (/^https?:\/\//.test(url)) {
    return el('a', {
      href: unescapeSlack(url),
      rel: 'noopener noreferrer',
      target: '_blank',
      text: unescapeSlack(label ?? url),
    });
  }
  return document.createTextNode(unescapeSlack(`<${inner}>`));
}

// The emoji codes logwarden's messages use; any other :code: stays as written.
const EMOJI = {
  email: '📧',
  gear: '⚙️',
  hourglass: '⌛',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  rotating_light: '🚨',
  test_tube: '🧪',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  zzz: '💤',
};
const withEmoji = (text) => text.replace(/:([a-z0-9_+-]+):/g, (whole, code) => EMOJI[code] ?? whole);

// *bold*, _italic_, ~strike~ within plain text.
function renderEmphasis(text) {
  const out = [];
  const re = /(^|[\s(])([*_~])([^*_~\n]+?)\2(?=$|[\s).,:;!?])/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[1].length;
    out.push(document.createTextNode(withEmoji(unescapeSlack(text.slice(last, start)))));
    const tag = m[2] === '*' ? 'b' : m[2] === '_' ? 'i' : 's';
    out.push(el(tag, { text: unescapeSlack(m[3]) }));
    last = start + m[2].length * 2 + m[3].length;
  }
  out.push(document.createTextNode(withEmoji(unescapeSlack(text.slice(last)))));
  return out;
}

function renderInline(text) {
  const out = [];
  const re = /`([^`\n]+)`|<([^<>\n]+)>/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(...renderEmphasis(text.slice(last, m.index)));
    out.push(m[1] !== undefined ? el('code', { text: unescapeSlack(m[1]) }) : renderSpecial(m[2]));
    last = m.index + m[0].length;
  }
  out.push(...renderEmphasis(text.slice(last)));
  return out;
}

function renderMrkdwn(text) {
  const out = [];
  const parts = String(text).split('```');
  parts.forEach((part, i) => {
    if (i % 2 === 1) out.push(el('pre', { text: unescapeSlack(part.replace(/^\n/, '')) }));
    else
      part.split('\n').forEach((line, j) => {
        if (j > 0) out.push(el('br'));
        out.push(...renderInline(line));
      });
  });
  return out;
}

const renderText = (t) => (t?.type === 'mrkdwn' ? renderMrkdwn(t.text) : [document.createTextNode(t?.text ?? '')]);

function confirmThen(confirm, run) {
  if (!confirm) return run();
  const dialog = $('confirm');
  $('confirm-title').textContent = confirm.title?.text ?? 'Are you sure?';
  $('confirm-text').replaceChildren(...renderText(confirm.text));
  $('confirm-ok').textContent = confirm.confirm?.text ?? 'Yes';
  $('confirm-deny').textContent = confirm.deny?.text ?? 'Cancel';
  dialog.onclose = () => {
    if (dialog.returnValue === 'confirm') run();
  };
  dialog.showModal();
}

async function post(path, body) {
  const res = await fetch(api(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: state.user, ...body }),
  });
  if (!res.ok) console.warn(path, (await res.json()).error);
}

function renderAction(message, block, element) {
  const send = (extra) =>
    post('/api/click', { ts: message.ts, actionId: element.action_id, blockId: block.block_id, ...extra });
  if (element.type === 'button') {
    return el('button', {
      type: 'button',
      class: element.style ?? '',
      text: element.text?.text ?? element.action_id,
      onclick: () => confirmThen(element.confirm, () => send({ value: element.value })),
    });
  }
  if (element.type === 'static_select') {
    const select = el(
      'select',
      { 'aria-label': element.placeholder?.text ?? 'Choose' },
      el('option', { value: '', text: element.placeholder?.text ?? 'Choose…' }),
      ...(element.options ?? []).map((o) => el('option', { value: o.value, text: o.text?.text ?? o.value })),
    );
    select.addEventListener('change', () => {
      const value = select.value;
      if (value) confirmThen(element.confirm, () => send({ selected: value }));
    });
    return select;
  }
  return el('span', { class: 'empty', text: `(${element.type})` });
}

function renderBlocks(message) {
  if (!message.blocks?.length) return el('div', { class: 'block-section' }, renderMrkdwn(message.text));
  return el(
    'div',
    {},
    message.blocks.map((block) => {
      switch (block.type) {
        case 'header':
          return el('div', { class: 'block-header', text: block.text?.text ?? '' });
        case 'section':
          return el(
            'div',
            { class: 'block-section' },
            block.text ? el('div', {}, renderText(block.text)) : null,
            block.fields
              ? el(
                  'div',
                  { class: 'fields' },
                  block.fields.map((f) => el('div', {}, renderText(f))),
                )
              : null,
          );
        case 'context':
          return el(
            'div',
            { class: 'block-context' },
            (block.elements ?? []).map((e) => el('span', {}, e.type === 'image' ? null : renderText(e), ' ')),
          );
        case 'actions':
          return el(
            'div',
            { class: 'block-actions' },
            (block.elements ?? []).map((e) => renderAction(message, block, e)),
          );
        case 'divider':
          return el('hr');
        default:
          return el('div', { class: 'empty', text: `(${block.type} block)` });
      }
    }),
  );
}

const timeOf = (ts) => new Date(Number(ts) * 1000).toLocaleTimeString();

function renderMessage(message, replies) {
  const node = el(
    'article',
    { class: 'message', 'data-ts': message.ts },
    el(
      'div',
      { class: 'meta' },
      el('b', { text: 'logwarden' }),
      timeOf(message.ts),
      message.edits ? el('span', { class: 'edited', text: '(edited)' }) : null,
    ),
    renderBlocks(message),
  );
  if (replies.length) {
    const details = el(
      'details',
      { class: 'thread' },
      el('summary', { text: `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}` }),
      replies.map((r) =>
        el(
          'div',
          { class: 'reply', 'data-ts': r.ts },
          el('div', { class: 'meta' }, el('b', { text: 'logwarden' }), timeOf(r.ts)),
          renderBlocks(r),
        ),
      ),
    );
    details.open = !state.closedThreads.has(message.ts);
    details.addEventListener('toggle', () => {
      if (details.open) state.closedThreads.delete(message.ts);
      else state.closedThreads.add(message.ts);
    });
    node.append(details);
  }
  return node;
}

function render() {
  const data = state.data;
  if (!data) return;
  $('channel-name').textContent = `#${data.channel.name}`;
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const top = data.messages.filter((m) => !m.threadTs);
  list.replaceChildren(
    ...(top.length
      ? top.map((m) =>
          renderMessage(
            m,
            data.messages.filter((r) => r.threadTs === m.ts),
          ),
        )
      : [el('p', { class: 'empty', text: 'No incidents yet; the first attack is on its way.' })]),
  );
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('ephemerals').replaceChildren(
    ...data.ephemerals
      .filter((e) => e.user === state.user)
      .slice(-5)
      .map((e) =>
        el(
          'div',
          { class: 'ephemeral' },
          el('div', { class: 'meta', text: `Only visible to you · ${new Date(e.at).toLocaleTimeString()}` }),
          renderBlocks(e),
        ),
      ),
  );
  $('mail').replaceChildren(
    ...(data.mail.length
      ? [...data.mail]
          .reverse()
          .map((m) =>
            el(
              'li',
              { 'data-mail': String(m.id) },
              el('div', { class: 'subject', text: m.subject }),
              el('div', { class: 'meta', text: `to ${m.to.join(', ')} · ${new Date(m.date).toLocaleString()}` }),
              el('details', {}, el('summary', { text: 'Show the mail' }), el('pre', { text: m.text })),
            ),
          )
      : [el('li', { class: 'empty', text: 'No mail yet. Press Escalate, or leave an incident unacknowledged.' })]),
  );
}

async function refresh() {
  const res = await fetch(api('/api/state'));
  state.data = await res.json();
  const select = $('user');
  if (!select.options.length) {
    for (const p of state.data.people) select.append(el('option', { value: p.id, text: `${p.name} (${p.role})` }));
    select.value = state.user;
  }
  render();
}

let pending = false;
function scheduleRefresh() {
  if (pending) return;
  pending = true;
  setTimeout(() => {
    pending = false;
    void refresh();
  }, 100);
}

$('user').addEventListener('change', (e) => {
  state.user = e.target.value;
  render();
});
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('command').value.trim();
  if (text) void post('/api/command', { text });
});
new EventSource(api('/api/events')).onmessage = scheduleRefresh;
void refresh();
