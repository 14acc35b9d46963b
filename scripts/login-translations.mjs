#!/usr/bin/env node
// Writes src/rules/packs/login-translations.ts: util-linux login's failure lines as each language writes them. login
// logs with _() under the system's locale, so a German host writes "ANMELDUNG 1 VON tty1 FÜR root, … FEHLGESCHLAGEN";
// the reason after the user is libpam's pam_strerror(), translated too ("…, Использовано максимальное число попыток,
// заданное для службы"). Read from the projects' own po/ files, in every release still in service (translations
// change between releases) and the newest commit:
//   node scripts/login-translations.mjs <util-linux git repository> <linux-pam git repository>
// (bare or not, with their tags). Fuzzy, obsolete and untranslated entries are left out (gettext does not use them);
// the charset each file declares is decoded.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const MSGIDS = [
  'FAILED LOGIN %u FROM %s FOR %s, %s',
  'TOO MANY LOGIN TRIES (%u) FROM %s FOR %s, %s',
  'FAILED LOGIN SESSION FROM %s FOR %s, %s',
];

const [utilLinux, linuxPam] = process.argv.slice(2);
if (!utilLinux || !linuxPam) {
  process.stderr.write('usage: node scripts/login-translations.mjs <util-linux checkout> <linux-pam checkout>\n');
  process.exit(2);
}
/** git's output: text, or bytes when it is given input (po files come in their own charsets). */
const git = (repo, args, input) =>
  input === undefined
    ? execFileSync('git', ['-C', repo, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' })
    : execFileSync('git', ['-C', repo, ...args], { input: Buffer.from(input), maxBuffer: 1 << 30 });
const commitOf = (repo) => git(repo, ['log', '-1', '--format=%h %cs', 'HEAD']).trim();

// The oldest releases still in service: CentOS 7 and SLES 12 ship util-linux 2.23 and Linux-PAM 1.1.8.
const RELEASES = {
  'util-linux': { tag: /^v2\.(\d+)(?:\.\d+)?$/, since: (m) => Number(m[1]) >= 23 },
  'Linux-PAM': {
    tag: /^(?:v|Linux-PAM-)1[._](\d+)[._](\d+)$/,
    since: (m) => Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 6),
  },
};

/** The releases of a repository since the oldest in service, and its newest commit. */
function refsOf(repo, project) {
  const { tag, since } = RELEASES[project];
  const tags = git(repo, ['tag'])
    .split('\n')
    .filter((t) => {
      const m = tag.exec(t);
      return m && since(m);
    });
  return [...tags, 'HEAD'];
}

/** Each distinct po/*.po file of the refs, as [name, bytes] (a file unchanged between releases is read once). */
function poFiles(repo, refs) {
  const blobs = new Map();
  for (const ref of refs) {
    for (const line of git(repo, ['ls-tree', `${ref}:po`]).split('\n')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.+\.po)$/.exec(line);
      if (m) blobs.set(m[1], m[2]);
    }
  }
  const files = [];
  const ids = [...blobs.keys()];
  // In batches: the files of every release together run to hundreds of megabytes.
  for (let i = 0; i < ids.length; i += 64) {
    const batch = ids.slice(i, i + 64);
    const out = git(repo, ['cat-file', '--batch'], `${batch.join('\n')}\n`);
    let at = 0;
    for (const id of batch) {
      const eol = out.indexOf(10, at);
      const size = Number(out.toString('latin1', at, eol).split(' ')[2]);
      files.push([blobs.get(id), out.subarray(eol + 1, eol + 1 + size)]);
      at = eol + 1 + size + 1;
    }
  }
  return files;
}

/** Each translated entry of a repository's po/*.po (at every ref) whose msgid is wanted, as { language, msgid, msgstr }. */
function translations(repo, project, wanted) {
  const rows = [];
  const seen = new Set();
  for (const [file, raw] of poFiles(repo, refsOf(repo, project))) {
    const charset = /charset=([\w-]+)/.exec(raw.toString('latin1'))?.[1] ?? 'utf-8';
    const text = new TextDecoder(charset.toLowerCase()).decode(raw);
    for (const entry of text.split(/\n\s*\n/)) {
      const lines = entry.trim().split('\n');
      if (lines.some((l) => l.startsWith('#~') || (l.startsWith('#,') && l.includes('fuzzy')))) continue;
      const field = (name) => {
        const at = lines.findIndex((l) => l.startsWith(`${name} "`));
        if (at === -1) return '';
        let value = JSON.parse(lines[at].slice(name.length + 1));
        for (let i = at + 1; i < lines.length && lines[i].startsWith('"'); i++) value += JSON.parse(lines[i]);
        return value;
      };
      const msgid = field('msgid');
      const msgstr = field('msgstr');
      const key = `${file}\0${msgid}\0${msgstr}`;
      if (wanted.has(msgid) && msgstr !== '' && msgstr !== msgid && !seen.has(key)) {
        seen.add(key);
        rows.push({ language: file.slice(0, -3), msgid, msgstr });
      }
    }
  }
  const order = [...wanted];
  const rank = (r) => [r.language, String(order.indexOf(r.msgid)).padStart(4, '0'), r.msgstr].join('\0');
  return rows.sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}

const logins = translations(utilLinux, 'util-linux', new Set(MSGIDS));
// pam_strerror()'s messages, as libpam/pam_strerror.c spells them in each release.
const pamMessages = new Set(
  refsOf(linuxPam, 'Linux-PAM').flatMap((ref) =>
    [...git(linuxPam, ['show', `${ref}:libpam/pam_strerror.c`]).matchAll(/_\("([^"]+)"\)/g)].map((m) => m[1]),
  ),
);
const reasonsWithComma = [
  ...new Set(
    translations(linuxPam, 'Linux-PAM', pamMessages)
      .map((r) => r.msgstr)
      .filter((s) => s.includes(',')),
  ),
].sort();

const body = logins
  .map(
    (r) => `  { language: '${r.language}', msgid: ${JSON.stringify(r.msgid)}, msgstr: ${JSON.stringify(r.msgstr)} },`,
  )
  .join('\n');
writeFileSync(
  new URL('../src/rules/packs/login-translations.ts', import.meta.url),
  `// Generated by scripts/login-translations.mjs from util-linux 2.23–${commitOf(utilLinux)} and Linux-PAM 1.1.6–${commitOf(linuxPam)} po/*.po: do not edit.
// util-linux login-utils/login.c loginpam_auth() logs these with _(), under the system's locale.

export interface LoginTranslation {
  language: string;
  msgid: string;
  msgstr: string;
}

export const LOGIN_TRANSLATIONS: readonly LoginTranslation[] = [
${body}
];

/** Linux-PAM libpam/pam_strerror.c's messages, translated, that hold an ASCII comma (the reason after the user). */
export const PAM_REASONS_WITH_COMMA: readonly string[] = ${JSON.stringify(reasonsWithComma)};
`,
);
// In the repository's style, so that running this again changes nothing when neither project did.
execFileSync('npx', ['biome', 'format', '--write', 'src/rules/packs/login-translations.ts'], {
  cwd: new URL('..', import.meta.url),
  stdio: 'inherit',
});
process.stdout.write(`${logins.length} login translations, ${reasonsWithComma.length} PAM reasons with a comma\n`);
