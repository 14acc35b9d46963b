#!/usr/bin/env node
// The demo's stand-in for a firewall: it keeps blocked addresses in a text file and touches nothing else.
// Usage: demo-firewall.mjs STATE_FILE block|unblock|check ADDRESS
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [state, verb, address] = process.argv.slice(2);
if (!state || !['block', 'unblock', 'check'].includes(verb ?? '') || !address) {
  process.stderr.write('usage: demo-firewall.mjs STATE_FILE block|unblock|check ADDRESS\n');
  process.exit(64);
}
const blocked = new Set(existsSync(state) ? readFileSync(state, 'utf8').split('\n').filter(Boolean) : []);
if (verb === 'check') process.exit(blocked.has(address) ? 0 : 1);
if (verb === 'block') blocked.add(address);
else blocked.delete(address);
writeFileSync(state, [...blocked].map((a) => `${a}\n`).join(''));
process.stdout.write(
  `demo firewall: ${verb === 'block' ? 'blocked' : 'unblocked'} ${address} (${blocked.size} blocked)\n`,
);
