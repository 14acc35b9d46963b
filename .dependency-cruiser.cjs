// The import rules `npm test` checks (npm run lint:imports). Issue 15 grows these into the full shape
// (cli → app → adapters → core); what holds today is held here, with no exceptions listed.
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
      comment: 'cli.ts reads argv, the environment and stdio; nothing imports it.',
      severity: 'error',
      from: {},
      to: { path: '^src/cli\\.ts$' },
    },
    {
      name: 'sandbox-only-for-the-demo',
      comment: "The demo's fake Slack, mailbox and attack generator never reach the product's code paths.",
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sandbox/', '^src/commands/demo\\.ts$'] },
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
