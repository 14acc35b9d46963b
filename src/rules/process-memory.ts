// What earlier lines of a process said, for its later lines: sshd logs one connection from one process, so an address
// said once (or a PAM failure) applies to the connection's later lines, as long as they are recent. Attempts are
// kept per process and key, so two users' sudo runs (sudo logs no pid by default) or a reused pid never pair one's
// lines with another's. Pure.
//
// Every line of a busy sshd names a new process: tens of thousands of small objects living minutes each are what
// garbage collectors handle worst. The state lives in typed arrays instead, in two generations of open-addressed
// tables keyed by (host and program, pid) as numbers; the least recently heard of half is forgotten at a time.
import type { Envelope } from '../envelope/envelope.js';
import { digits } from '../envelope/syslog.js';

/** Where one process stands in attempts for one key (an address, a user), and when (ms) each step was logged. */
export interface AttemptState {
  /** A PAM module logged a failure; the program's own failure line for the same attempt comes next. */
  pamPendingAt: number | undefined;
  /** The last line counted was the program's own line for an attempt: a follow-up line belongs to it. */
  reportedAt: number | undefined;
}

/** Processes remembered per source at most; the least recently heard of are forgotten first. */
export const MAX_PROCESSES = 10_000;
const INITIAL_CAPACITY = 256;
/**
 * How long what a process said stays true of its later lines. sshd ends a connection that has not authenticated
 * within LoginGraceTime (2 minutes by default) and sudo's password prompt times out after 5 minutes; beyond that a
 * line with the same pid is another connection (pids are reused), whose address must not be taken from this one.
 */
export const PROCESS_MEMORY_MS = 10 * 60_000;
/** Host and program pairs given numbers at most before they are all forgotten (hosts are in the lines). */
const MAX_NAMES = 4096;
/** Host and program pairs compared before a lookup. */
const RECENT_NAMES = 16;
/** Keys other than a process's own whose attempts are kept at most. */
const MAX_OTHER_ATTEMPTS = 1024;

/** Whether a step logged at `then` still holds at `now` (log times may step back a little: either way counts). */
export function recent(then: number | undefined, now: number): boolean {
  return then !== undefined && Math.abs(now - then) <= PROCESS_MEMORY_MS;
}

/** One generation: an open-addressed table of processes, NaN for a time not set. It starts small and doubles. */
class Generation {
  names!: Int32Array;
  pids!: Float64Array;
  ipAt!: Float64Array;
  pamPendingAt!: Float64Array;
  reportedAt!: Float64Array;
  /** 1 when the process has had an attempt kept apart (ProcessMemory.others): only then is it looked for there. */
  apart!: Uint8Array;
  ips!: (string | undefined)[];
  keys!: (string | undefined)[];
  size = 0;
  capacity = 0;

  constructor(capacity: number) {
    this.allocate(capacity);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.names = new Int32Array(capacity).fill(-1);
    this.pids = new Float64Array(capacity);
    this.ipAt = new Float64Array(capacity).fill(Number.NaN);
    this.pamPendingAt = new Float64Array(capacity).fill(Number.NaN);
    this.reportedAt = new Float64Array(capacity).fill(Number.NaN);
    this.apart = new Uint8Array(capacity);
    this.ips = new Array(capacity).fill(undefined);
    this.keys = new Array(capacity).fill(undefined);
  }

  /** Twice the slots, every process moved to its new one (slots found before are stale). */
  grow(): void {
    const { names, pids, ipAt, pamPendingAt, reportedAt, apart, ips, keys, capacity } = this;
    this.allocate(capacity * 2);
    for (let at = 0; at < capacity; at++) {
      const name = names[at]!;
      if (name === -1) continue;
      const slot = ~this.find(name, pids[at]!);
      this.names[slot] = name;
      this.pids[slot] = pids[at]!;
      this.ipAt[slot] = ipAt[at]!;
      this.pamPendingAt[slot] = pamPendingAt[at]!;
      this.reportedAt[slot] = reportedAt[at]!;
      this.apart[slot] = apart[at]!;
      this.ips[slot] = ips[at];
      this.keys[slot] = keys[at];
    }
  }

  /** The slot holding (name, pid), or the empty slot where it would go (as ~slot, negative). */
  find(name: number, pid: number): number {
    const mask = this.capacity - 1;
    let at = (Math.imul(name, 0x9e3779b1) ^ Math.imul(pid | 0, 0x85ebca6b)) & mask;
    for (;;) {
      const n = this.names[at]!;
      if (n === -1) return ~at;
      if (n === name && this.pids[at] === pid) return at;
      at = (at + 1) & mask;
    }
  }

  clear(): void {
    this.names.fill(-1);
    this.ipAt.fill(Number.NaN);
    this.pamPendingAt.fill(Number.NaN);
    this.reportedAt.fill(Number.NaN);
    this.apart.fill(0);
    this.ips.fill(undefined);
    this.keys.fill(undefined);
    this.size = 0;
  }
}

const defined = (t: number) => (Number.isNaN(t) ? undefined : t);

/** Where the attempt of a key other than the process's own is kept. */
function otherId(g: Generation, slot: number, key: string): string {
  return `${g.names[slot]}\0${g.pids[slot]}\0${key}`;
}

/**
 * A pid as a number, else -1. Every tag's pid is digits (at most ten); they are never given names, so lines with
 * made-up pids cannot fill the name table and make it forget every process.
 */
function pidNumber(text: string): number {
  return text.length === 0 || text.length > 10 ? -1 : digits(text, 0, text.length);
}

export class ProcessMemory {
  private young: Generation;
  private old: Generation;
  /** Entries a generation takes before it becomes the old one (half the processes remembered). */
  private readonly perGeneration: number;
  /** The slots a generation grows to: twice perGeneration, keeping linear probing short. */
  private readonly capacity: number;
  private readonly names = new Map<string, number>();
  /** Attempts for keys other than their process's own, by process and key (two generations of MAX_OTHER_ATTEMPTS). */
  private others = new Map<string, AttemptState>();
  private retired = new Map<string, AttemptState>();
  /** The one object through which a process's own attempt is read and written. */
  private readonly own = new OwnAttempt();
  /** The host and program pairs named last, most recent first, with their numbers (most lines are theirs). */
  private readonly recentHosts: string[] = [];
  private readonly recentPrograms: string[] = [];
  private readonly recentNames: number[] = [];

  constructor(limit = MAX_PROCESSES) {
    this.perGeneration = Math.max(1, Math.ceil(limit / 2));
    this.capacity = 2 ** Math.ceil(Math.log2(this.perGeneration * 2));
    // Small at first, grown as processes are met: a short replay or a quiet host never pays for 10,000.
    this.young = new Generation(Math.min(this.capacity, INITIAL_CAPACITY));
    this.old = new Generation(Math.min(this.capacity, INITIAL_CAPACITY));
  }

  /** The process that wrote this envelope (created on first use), as a slot for the other methods; -1 for none. */
  processOf(env: Envelope): number {
    if (env.program === undefined) return -1;
    const pidText = env.pid ?? '';
    const pid = pidNumber(pidText);
    const name =
      pid !== -1
        ? this.recentName(env.host ?? '', env.program)
        : this.nameOf(`${env.host ?? ''}\0${env.program}\0${pidText}`);
    const slot = this.young.find(name, pid);
    if (slot >= 0) return slot;
    const before = this.old.find(name, pid);
    if (this.young.size < this.perGeneration) return this.insert(name, pid, this.old, before);
    // The young generation is full: it becomes the old one, and the old one is forgotten (but for this process,
    // heard of again).
    const kept = new Generation(2);
    if (before >= 0) copy(this.old, before, kept, 0);
    const young = this.old;
    this.old = this.young;
    this.young = young;
    this.young.clear();
    return this.insert(name, pid, kept, before >= 0 ? 0 : -1);
  }

  /** The client address the process logged within PROCESS_MEMORY_MS of `at`. */
  ipOf(slot: number, at: number): string | undefined {
    const g = this.young;
    return g.ips[slot] !== undefined && recent(defined(g.ipAt[slot]!), at) ? g.ips[slot] : undefined;
  }

  remember(slot: number, ip: string, at: number): void {
    // The string already kept stays: a new copy of the same address would only outlive its line for nothing.
    if (this.young.ips[slot] !== ip) this.young.ips[slot] = ip;
    this.young.ipAt[slot] = at;
  }

  /** The process's attempt for one key: its own slot, unless that holds another key's attempt still in progress. */
  attempt(slot: number, key: string, at: number): AttemptState {
    const g = this.young;
    const own = g.keys[slot];
    if (
      own === key ||
      own === undefined ||
      !(recent(defined(g.pamPendingAt[slot]!), at) || recent(defined(g.reportedAt[slot]!), at))
    ) {
      if (own !== key) {
        // The key may have an attempt kept apart while the slot was busy: it moves into the slot.
        let apart: AttemptState | undefined;
        if (g.apart[slot] === 1) {
          const id = otherId(g, slot, key);
          apart = this.others.get(id) ?? this.retired.get(id);
          this.others.delete(id);
          this.retired.delete(id);
        }
        g.keys[slot] = key;
        g.pamPendingAt[slot] = apart?.pamPendingAt ?? Number.NaN;
        g.reportedAt[slot] = apart?.reportedAt ?? Number.NaN;
      }
      this.own.generation = g;
      this.own.slot = slot;
      return this.own;
    }
    const id = otherId(g, slot, key);
    g.apart[slot] = 1;
    let state = this.others.get(id) ?? this.retired.get(id);
    if (!state) {
      state = { pamPendingAt: undefined, reportedAt: undefined };
      if (this.others.size >= MAX_OTHER_ATTEMPTS) {
        this.retired = this.others;
        this.others = new Map();
      }
    }
    this.others.set(id, state);
    return state;
  }

  /** Processes remembered now. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  // A log's lines come from a few hosts and programs, interleaved: the pairs named last are compared before any
  // name is put together and looked up.
  private recentName(host: string, program: string): number {
    const hosts = this.recentHosts;
    for (let i = 0; i < hosts.length; i++) {
      if (hosts[i] === host && this.recentPrograms[i] === program) return this.recentNames[i]!;
    }
    const name = this.nameOf(`${host}\0${program}`);
    if (hosts.length === RECENT_NAMES) {
      hosts.pop();
      this.recentPrograms.pop();
      this.recentNames.pop();
    }
    hosts.unshift(host);
    this.recentPrograms.unshift(program);
    this.recentNames.unshift(name);
    return name;
  }

  /** A number for a host and program (and a pid that is not a number); all are forgotten past MAX_NAMES. */
  private nameOf(text: string): number {
    let name = this.names.get(text);
    if (name === undefined) {
      if (this.names.size >= MAX_NAMES) {
        // Numbers are reused from 0: what the tables hold under them is forgotten with them.
        this.names.clear();
        this.recentHosts.length = 0;
        this.recentPrograms.length = 0;
        this.recentNames.length = 0;
        this.young.clear();
        this.old.clear();
        this.others.clear();
        this.retired.clear();
      }
      name = this.names.size;
      this.names.set(text, name);
    }
    return name;
  }

  /** Puts (name, pid) in the young generation, with what `source` knew of it at `from` (-1: nothing). */
  private insert(name: number, pid: number, source: Generation, from: number): number {
    const g = this.young;
    if (2 * (g.size + 1) > g.capacity && g.capacity < this.capacity) g.grow();
    const slot = ~g.find(name, pid);
    if (from >= 0) copy(source, from, g, slot);
    g.names[slot] = name;
    g.pids[slot] = pid;
    g.size++;
    return slot;
  }
}

function copy(from: Generation, at: number, to: Generation, slot: number): void {
  to.ips[slot] = from.ips[at];
  to.ipAt[slot] = from.ipAt[at]!;
  to.keys[slot] = from.keys[at];
  to.pamPendingAt[slot] = from.pamPendingAt[at]!;
  to.reportedAt[slot] = from.reportedAt[at]!;
  to.apart[slot] = from.apart[at]!;
}

/** A process's own attempt, read and written in place in its generation's arrays. */
class OwnAttempt implements AttemptState {
  generation!: Generation;
  slot = 0;

  get pamPendingAt(): number | undefined {
    return defined(this.generation.pamPendingAt[this.slot]!);
  }

  set pamPendingAt(at: number | undefined) {
    this.generation.pamPendingAt[this.slot] = at ?? Number.NaN;
  }

  get reportedAt(): number | undefined {
    return defined(this.generation.reportedAt[this.slot]!);
  }

  set reportedAt(at: number | undefined) {
    this.generation.reportedAt[this.slot] = at ?? Number.NaN;
  }
}
