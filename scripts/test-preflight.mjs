#!/usr/bin/env node
// Before `npm test`: the suite needs these Debian packages besides Node.js and git — sudo (visudo checks the sudoers
// example), chromium (the demo page's browser test), fail2ban (its filters, sample logs and fail2ban-regex are what
// the fail2ban reader is compared with), systemd (systemd-analyze checks the example service unit) and rsyslog with
// its TLS driver and RELP output (the syslog source is tested against a real rsyslogd forwarding to it),
// openssh-server and ansible-core (fleet actions run over a real ssh into sshd on loopback, and a real
// ansible-playbook), and iproute2 (network namespaces stand in for separate fleet hosts). Run as root
// with apt-get (as CI is), this installs what is missing;
// otherwise it prints the exact command and stops, so that no test fails half-way for want of a package.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RSYSLOG_MODULES = `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/rsyslog`;
const NEEDED = [
  { pkg: 'sudo', files: ['/usr/sbin/visudo'] },
  { pkg: 'chromium', files: [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'] },
  { pkg: 'fail2ban', files: ['/usr/bin/fail2ban-regex', '/etc/fail2ban/filter.d'] },
  { pkg: 'systemd', files: ['/usr/bin/systemd-analyze'] },
  { pkg: 'rsyslog', files: ['/usr/sbin/rsyslogd'] },
  { pkg: 'rsyslog-gnutls', files: [`${RSYSLOG_MODULES}/lmnsd_gtls.so`] },
  { pkg: 'rsyslog-relp', files: [`${RSYSLOG_MODULES}/omrelp.so`] },
  { pkg: 'openssh-server', files: ['/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/ssh-keygen'] },
  { pkg: 'ansible-core', files: ['/usr/bin/ansible-playbook'] },
  { pkg: 'iproute2', files: ['/usr/sbin/ip'] },
];

const missing = () => NEEDED.filter((n) => !n.files.every((f) => existsSync(f))).map((n) => n.pkg);

const packages = missing();
if (packages.length > 0) {
  const command = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt) {
    process.stderr.write(
      `The tests need ${packages.join(', ')} (Debian packages), which are not installed.\n` +
        (apt
          ? `Install them with:\n\n  sudo ${command}\n\nthen run npm test again.\n`
          : `Install the equivalents of the Debian packages ${packages.join(', ')} (visudo, chromium, fail2ban-regex and /etc/fail2ban, systemd-analyze, rsyslogd and its gtls and omrelp modules, sshd and ssh, ansible-playbook, ip), then run npm test again.\n`),
    );
    process.exit(1);
  }
  process.stderr.write(`Installing what the tests need: ${command}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      process.stderr.write(`apt-get ${args.join(' ')} failed (exit ${result.status}).\n`);
      process.exit(1);
    }
  }
  const still = missing();
  if (still.length > 0) {
    process.stderr.write(`Still missing after apt-get: ${still.join(', ')}.\n`);
    process.exit(1);
  }
}

// The package test (test/examples/npm-pack.test.ts) installs the packed package offline, as tests reach nothing
// beyond loopback: npm's cache must hold what that install resolves, the production dependencies. An install of
// them into a scratch prefix fills it (from the registry once; from the cache after that).
const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'logwarden-preflight-'));
try {
  const specs = Object.entries(dependencies).map(([name, range]) => `${name}@${range}`);
  const args = ['install', '--prefix', scratch, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'];
  const result = spawnSync('npm', [...args, ...specs], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`npm could not fetch ${specs.join(' ')} into its cache (exit ${result.status}).\n`);
    process.exit(1);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
