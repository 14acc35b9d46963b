// A command a user never ran through sudo before: an intruder with a stolen sudoer's password reaching for a shell, a
// downloader or a packet tool. It learns each user's commands (by executable) for a period, then speaks of a new one.
import { formatDuration } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { describeKnown, judgeNovel } from './novelty.js';

const DAY = 24 * 60 * MINUTE;
/**
 * Where sudo logs its target and command: at the start of a line, or after " ; " (a line sudo split mid-fields may
 * begin with either).
 */
const RUNAS = /(?:^|; )USER=([^ ;]{1,256}) ;/g;
const COMMANDS = /(?:^|; )COMMAND=([^ ]{1,4096})/g;
/** An executable's path longer than this is kept as its start and a hash of the whole: two long paths never collide. */
const LONGEST = 256;

export const newSudoCommand: Detector = {
  description: 'a command (by executable) a user has not run through sudo during the learning period',
  explain: (_t, learn) =>
    `sudo COMMAND= of an executable new to the user in ${formatDuration(learn.period)}, after learning for as long`,
  after: [],
  programs: ['sudo'],
  patterns: [
    {
      // A command run, not a refusal: fields from the first (a refusal starts with its reason).
      re: ' {0,8}(?<user>[^ :]{1,256}) : (?=[A-Z]{2,8}=)(?<logged>.{1,16384})$',
      from: 'sudo plugins/sudoers/logging.c new_logline(): "%s : %s ; PWD=%s ; USER=%s ; COMMAND=%s" with optional HOST/TTY/CHROOT/GROUP/TSID/ENV fields (1.8.0–1.9.17); the user is the invoking account from its passwd entry',
    },
    {
      // A line longer than syslog_maxlen is split at a space; a long PWD pushes USER= and COMMAND= into the rest. The
      // rest cannot tell a run from a refusal (whose first line it may continue): it is told, never learned.
      re: ' {0,8}(?<user>[^ :]{1,256}) : (?<continued>\\(command continued\\)) (?<logged>.{1,16384})$',
      from: 'sudo plugins/sudoers/logging.c do_syslog(): FMT_CONTD "%8s : (command continued) %s" (1.8.0–1.9.17)',
    },
  ],
  fields: { user: 'user', logged: 'text', continued: 'text' },
  adds: { executable: 'text', runas: 'text', known: 'text' },
  severity: 'medium',
  threshold: { count: 1, within: DAY, by: ['user', 'executable'] },
  title: '{user} ran {executable} as {runas} through sudo, a command new to them (known: {known})',
  untitled: { runas: 'someone' },
  learns: { period: 30 * DAY },
  // 64 executables per user, 10,000 users.
  memory: { subjects: 10_000, values: 64, keep: 60 * DAY },
  describe: (user, memory, learn, now) => describeKnown(`commands ${user} ran through sudo`, user, memory, learn, now),
  teach({ fields: { user, executable }, at }, memory) {
    if (!user || !executable) return undefined;
    for (const one of executable.split(' or ')) memory.see(user, one, at);
    return `${executable} is a command ${user} runs`;
  },
  judge({ fields: { user, logged, continued }, at, learn }, memory) {
    if (user === undefined || logged === undefined) return undefined;
    const commands = [...new Set(Array.from(logged.matchAll(COMMANDS), (m) => executableOf(m[1]!)))];
    // PWD before USER= and ENV= after it are the caller's own text: more than one USER= is shown as it is, every one.
    const before = logged.slice(0, logged.search(/(?:^|; )COMMAND=/) + 1);
    const runas = [...new Set(Array.from(before.matchAll(RUNAS), (m) => m[1]!))].join(' or ') || 'someone';
    if (commands.length === 1 && continued === undefined) {
      const novel = judgeNovel(memory, user, commands[0]!, at, learn.period);
      return novel && { fields: { executable: commands[0]!, runas, known: novel.known } };
    }
    // The directory and the arguments are the caller's own text and sudo does not escape " ; " in them: a line naming
    // two commands cannot say which ran (nor can the rest of a split line say whether it ran). None is learned; it is
    // told when any of them is new to the user.
    const learning = at - memory.since < learn.period;
    const recent = (c: string) => {
      const seen = memory.get(user, c)?.lastSeen;
      return seen !== undefined && Math.abs(at - seen) <= learn.period;
    };
    const unknown = commands.filter((c) => !recent(c));
    if (learning || unknown.length === 0) return undefined;
    const anyRunas = [...new Set(Array.from(logged.matchAll(RUNAS), (m) => m[1]!))].join(' or ') || runas;
    const known =
      memory
        .facts(user)
        .map((f) => f.value)
        .reverse()
        .slice(0, 5)
        .join(', ') || 'none';
    return {
      fields: {
        executable: commands.join(' or '),
        runas: anyRunas,
        known:
          commands.length > 1
            ? `${known}; the line names ${commands.length} commands, its directory or arguments hold " ; COMMAND="`
            : `${known}; read from the rest of a line sudo split, which may continue a refusal`,
      },
    };
  },
};

/** The executable as kept: a path over LONGEST characters is its start and a hash of the whole (FNV-1a). */
function executableOf(path: string): string {
  if (path.length <= LONGEST) return path;
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return `${path.slice(0, LONGEST - 12)}…#${hash.toString(16).padStart(8, '0')}`;
}
