// What fail2ban remembers of a connection across its lines, and how a failure merges into it (fail2ban's
// failmanager and multi-line buffer, as fail2ban-regex applies them). Pure.

/** A match's groups, and what fail2ban merged into them: the users a connection named. */
export type Groups = Record<string, unknown> & { users?: string[] };

/**
 * What fail2ban remembers across lines: per connection (the <F-MLFID> part of prefregex, like "sshd[1234]:"), a
 * failure seen before its address or an accepted login that clears earlier failures, bounded like fail2ban's cache;
 * and for a multi-line filter, the last maxlines lines (dates cut out) not yet part of a match.
 */
export class FilterMemory {
  lines: string[] = [];
  private readonly entries = new Map<string, Groups>();
  private readonly limit: number;
  constructor(limit = 100) {
    this.limit = limit;
  }
  get(id: string) {
    return this.entries.get(id);
  }
  set(id: string, groups: Groups) {
    this.entries.delete(id);
    this.entries.set(id, groups);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
  delete(id: string) {
    this.entries.delete(id);
  }
}

// The distinct users a connection's lines named (a short array: connections name one or two).
const addUser = (fail: Groups, user: unknown) => {
  if (typeof user === 'string' && user) {
    if (!fail.users) fail.users = [user];
    else if (!fail.users.includes(user)) fail.users.push(user);
  }
  return fail.users;
};

// fail2ban's failure merge for one connection id: nofail and gained flags, forgetting, pending failures. A key
// fail2ban deletes is set to undefined here (deleting turns objects slow), which every reader takes as absent.
export function mergeFailure(memory: FilterMemory, mlfid: string, current: Groups): Groups {
  let fail = current;
  const previous = memory.get(mlfid);
  let flags = 0;
  if (fail.mlfgained) {
    flags |= 8 | 1;
    if (!fail.nofail) fail.nofail = fail.mlfgained;
  } else if (fail.nofail) flags |= 1;
  if (fail.mlfforget) {
    fail.mlfforget = undefined;
    flags |= 2;
  }
  let users: string[] | undefined;
  if (previous) {
    users = addUser(previous, fail.user);
    if (previous.nofail) {
      previous.nofail = undefined;
      flags |= 4;
    }
    if (previous.mlfgained) {
      previous.mlfgained = undefined;
      flags |= 4;
    }
    if (flags & 8) previous.mlfpending = undefined;
    for (const k in fail) if (fail[k] !== undefined) previous[k] = fail[k];
    fail = previous;
    if (flags & 2) memory.delete(mlfid);
  } else if (!(flags & 2)) {
    users = addUser(fail, fail.user);
    memory.set(mlfid, fail);
  }
  const pending = fail.mlfpending;
  fail.mlfpending = undefined;
  if (pending || (users && users.length > 1)) {
    fail.nofail = undefined;
    fail.mlfgained = undefined;
  }
  return fail;
}
