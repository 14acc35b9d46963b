// The import rules `npm test` checks (npm run lint), with no exceptions listed. The shape they hold:
//   cli/ → app/ → { config, sources, rules, incidents, actions, escalation, notify, store, queries, metrics } → core/
//   notify/slack/ → chat/slack/ (the Slack notifier starts the chat app beside its delivery)
// cli/ is the entry, app/ composes, every adapter is reached through its port or registry, core/ imports nothing.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle, even of types only, means two modules are one: move the shared part into a third.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-a-leaf',
      comment: 'core/ holds the vocabulary every part uses; it imports no other part of logwarden.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'cli-is-the-entry',
      comment: 'cli/ reads argv, the environment and stdio, and starts everything; nothing else imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'app-is-composed-by-the-cli',
      comment: 'app/ (the composition, the pipeline, authorisation, commands) is started by cli/ alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|cli)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'stores-behind-their-ports',
      comment: 'Everything uses store/ports.ts; only the composition picks an adapter (store/sqlite/).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/store/sqlite/', '^src/app/compose\\.ts$'] },
      to: { path: '^src/store/sqlite/' },
    },
    {
      name: 'notifiers-behind-their-kinds',
      comment: 'A notifier is its folder under notify/ and a line in notify/registry.ts; nothing else reaches into it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/notify/' },
      to: { path: '^src/notify/[^/]+/' },
    },
    {
      name: 'notifiers-never-import-each-other',
      comment: 'One notifier never reaches into another: what they share is in core/ or a port.',
      severity: 'error',
      from: { path: '^src/notify/([^/]+)/' },
      to: { path: '^src/notify/[^/]+/', pathNot: '^src/notify/$1/' },
    },
    {
      name: 'chat-platforms-behind-their-notifier',
      comment:
        "A chat platform's app (chat/<platform>/) is started by its notifier (notify/<platform>/), which owns the connection; app/ talks to it through Notifier.chat.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(chat|notify)/([^/]+)/' },
      to: { path: '^src/chat/' },
    },
    {
      name: 'chat-never-reaches-notify',
      comment: 'The chat app turns clicks and queries into commands; it delivers nothing, so it imports no notifier.',
      severity: 'error',
      from: { path: '^src/chat/([^/]+)/' },
      to: { path: '^src/(notify|chat)/', pathNot: '^src/chat/$1/' },
    },
    {
      name: 'source-kinds-behind-the-registry',
      comment: 'A source kind is its folder and a line in sources/registry.ts; nothing else reaches into it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sources/' },
      to: { path: '^src/sources/[^/]+/' },
    },
    {
      name: 'the-line-path-is-pure',
      comment:
        'Envelopes, rules and incidents take text and time in and give verdicts out: no files, processes or sockets (the files a rule names, fail2ban filters, are read for it by config/read-text.ts).',
      severity: 'error',
      from: { path: '^src/(envelope|incidents|rules)/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|http|https|http2|dgram|worker_threads|readline|tls)$',
      },
    },
    {
      name: 'sandbox-only-for-the-demo',
      comment: "The demo's fake Slack, mailbox and attack generator never reach the product's code paths.",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sandbox/', '^src/cli/demo\\.ts$'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
