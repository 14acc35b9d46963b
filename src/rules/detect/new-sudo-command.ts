// A command a user never ran through sudo before: an intruder with a stolen sudoer's password reaching for a shell, a
// downloader or a packet tool. It learns each user's commands (by executable) for a period, then speaks of a new one.
import { formatDuration } from '../../config/duration.js';
import { MINUTE } from '../packs/pack.js';
import type { Detector } from './detector.js';
import { describeKnown, judgeNovel } from './novelty.js';

const DAY = 24 * 60 * MINUTE;
/** Fields before USER= or COMMAND= (HOST, TTY, PWD, GROUP, TSID, ENV, CHROOT…): the caller's text may be in them. */
const FIELDS = '(?:.{0,8192}? ; )?';

export const newSudoCommand: Detector = {
  description: 'a command (by executable) a user has not run through sudo during the learning period',
  explain: (_t, learn) =>
    `sudo COMMAND= of an executable new to the user in ${formatDuration(learn.period)}, after learning for as long`,
  after: [],
  programs: ['sudo'],
  patterns: [
    {
      // A command run, not a refusal: fields from the first (a refusal starts with its reason). Only a line with one
      // USER= and one COMMAND=: PWD and the arguments are the caller's own text, and sudo does not escape " ; " in
      // them; a line holding more is not judged.
      re: ` {0,8}(?<user>[^ :]{1,256}) : (?=[A-Z]{2,8}=)(?!.* ; USER=.* ; USER=)(?!.* ; COMMAND=.* ; COMMAND=)${FIELDS}USER=(?<runas>[^ ;]{1,256}) ; ${FIELDS}COMMAND=(?<command>[^ ]{1,4096})(?: .{0,8192})?$`,
      from: 'sudo plugins/sudoers/logging.c new_logline(): "%s : %s ; PWD=%s ; USER=%s ; COMMAND=%s" with optional HOST/TTY/CHROOT/GROUP/TSID/ENV fields (1.8.0–1.9.17); the user is the invoking account from its passwd entry',
    },
  ],
  fields: { user: 'user', runas: 'user', command: 'text' },
  adds: { executable: 'text', known: 'text' },
  severity: 'medium',
  threshold: { count: 1, within: DAY, by: ['user', 'executable'] },
  title: '{user} ran {executable} as {runas} through sudo, a command new to them (known: {known})',
  learns: { period: 30 * DAY },
  // 64 executables per user, 10,000 users.
  memory: { subjects: 10_000, values: 64, keep: 60 * DAY },
  describe: (user, memory, learn, now) => describeKnown(`commands ${user} ran through sudo`, user, memory, learn, now),
  teach({ fields: { user, executable }, at }, memory) {
    if (!user || !executable) return undefined;
    memory.see(user, executable, at);
    return `${executable} is a command ${user} runs`;
  },
  judge({ fields: { user, command }, at, learn }, memory) {
    if (user === undefined || command === undefined) return undefined;
    const executable = command.slice(0, 256);
    const novel = judgeNovel(memory, user, executable, at, learn.period);
    return novel && { fields: { executable, known: novel.known } };
  },
};
