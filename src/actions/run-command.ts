// The one place logwarden starts a response command: execa with an argv array (never a shell), an environment
// limited to an allowlist, a timeout, stdout and stderr kept up to a limit and hashed in full, and every way of
// failing (not found, non-zero exit, killed, timed out) returned as a result rather than thrown.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface RunCommandOptions {
  /** Kill the command's process group (SIGTERM, then SIGKILL 2 s later) after this many ms. */
  timeout: number;
  /**
   * logwarden is stopping: the command gets `grace` ms more to finish, then its process group is killed and the
   * result says it was interrupted.
   */
  stopping?: { signal: AbortSignal; grace: number };
  /** The environment logwarden itself has; only `envAllowlist` names are passed on. */
  env: NodeJS.ProcessEnv;
  envAllowlist: readonly string[];
  /** Set for this command whatever the allowlist says (a backend's own settings, like ANSIBLE_CONFIG). */
  extraEnv?: Readonly<Record<string, string>>;
  /** Bytes of stdout and of stderr kept; the rest is counted in the hash only. */
  maxOutput: number;
}

export interface CommandResult {
  argv: string[];
  /** Undefined when the command did not start or was killed. */
  exitCode?: number;
  durationMs: number;
  /** stdout then stderr, cut to maxOutput each. */
  output: string;
  /** sha256 over the sha256 of all of stdout and of all of stderr. */
  outputHash: string;
  /** Why it did not exit with a code: not found, timed out, killed by a signal. */
  detail?: string;
  /** Killed because logwarden was stopping: whether it took effect is unknown. */
  interrupted?: boolean;
  /** Killed at its timeout: it may have taken effect too. */
  timedOut?: boolean;
}

const KILL_AFTER_MS = 2000;
/** After the command has exited, how long what it left behind may still write to its output. */
const DRAIN_MS = 1000;

/** The variables of `env` the allowlist names: what every child process logwarden starts gets, tokens never. */
export function allowedEnv(env: NodeJS.ProcessEnv, allowlist: readonly string[]): Record<string, string> {
  return Object.fromEntries(allowlist.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])));
}

export async function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  const env = { ...allowedEnv(options.env, options.envAllowlist), ...options.extraEnv };
  // execa (a hundred modules) is loaded by the first command, not by every start-up.
  const { execa } = await import('execa');
  const started = performance.now();
  const subprocess = execa(file!, args, {
    shell: false,
    reject: false,
    env,
    extendEnv: false,
    stdin: 'ignore',
    buffer: false,
    // Its own process group: whatever it starts (sudo's child, a pipeline a script runs) is killed with it.
    detached: true,
    windowsHide: true,
  });
  let ended: 'timeout' | 'stopping' | undefined;
  const timers: NodeJS.Timeout[] = [];
  const killGroup = (why: 'timeout' | 'stopping') => {
    if (ended) return;
    ended = why;
    signalGroup(subprocess.pid, 'SIGTERM');
    timers.push(setTimeout(() => signalGroup(subprocess.pid, 'SIGKILL'), KILL_AFTER_MS));
  };
  timers.push(setTimeout(() => killGroup('timeout'), options.timeout));
  // A daemon it started (setsid, its own group) could hold stdout open forever: once the command itself has exited,
  // its output is read a moment longer, then closed.
  subprocess.once('exit', () => {
    timers.push(
      setTimeout(() => {
        subprocess.stdout?.destroy();
        subprocess.stderr?.destroy();
      }, DRAIN_MS),
    );
  });
  const stopping = options.stopping;
  const onStop = () => timers.push(setTimeout(() => killGroup('stopping'), stopping!.grace));
  if (stopping?.signal.aborted) onStop();
  else stopping?.signal.addEventListener('abort', onStop, { once: true });
  const [stdout, stderr, result] = await Promise.all([
    collect(subprocess.stdout, options.maxOutput),
    collect(subprocess.stderr, options.maxOutput),
    subprocess,
  ]).finally(() => {
    for (const t of timers) clearTimeout(t);
    stopping?.signal.removeEventListener('abort', onStop);
    // Killed by us: whatever of its group is left (a child that ignored SIGTERM) goes with it.
    if (ended) signalGroup(subprocess.pid, 'SIGKILL');
  });
  const durationMs = Math.round(performance.now() - started);
  const outputHash = createHash('sha256').update(stdout.hash).update(stderr.hash).digest('hex');
  const output = [stdout.text, stderr.text].filter(Boolean).join('\n');
  const base = { argv: [...argv], durationMs, output, outputHash };
  if (ended === 'stopping') {
    return {
      ...base,
      interrupted: true,
      detail: `logwarden was stopping: killed after a ${stopping!.grace} ms grace; its outcome is unknown`,
    };
  }
  if (ended === 'timeout') {
    return { ...base, timedOut: true, detail: `timed out after ${options.timeout} ms and was killed` };
  }
  if (result.exitCode !== undefined) return { ...base, exitCode: result.exitCode };
  if (result.signal) return { ...base, detail: `killed by ${result.signal}` };
  const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? `${file} was not found (ENOENT): give an absolute path or put it on PATH`
      : code === 'EACCES'
        ? `${file} is not executable by this user (EACCES)`
        : result.shortMessage;
  return { ...base, detail: `could not start: ${reason}` };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

// Keeps the first `max` bytes as text and hashes every byte; a command cannot flood memory.
async function collect(stream: Readable | null, max: number): Promise<{ text: string; hash: string }> {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  let cut = false;
  if (stream) {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        if (size < max) kept.push(chunk.subarray(0, max - size));
        if (size + chunk.length > max) cut = true;
        size += chunk.length;
      }
    } catch {
      // Closed by the drain above (ERR_STREAM_PREMATURE_CLOSE): what was read is kept.
    }
  }
  const text = Buffer.concat(kept).toString('utf8');
  return { text: cut ? `${text}… (cut at ${max} bytes of ${size})` : text, hash: hash.digest('hex') };
}
