// The one runner of response commands, with real child processes: what a command leaves behind cannot hold a run.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/actions/run-command.js';

const options = { timeout: 10_000, env: process.env, envAllowlist: ['PATH'], maxOutput: 1000 };

describe('runCommand', () => {
  it('ends a run when the command exits, though a daemon it started holds its output open', async () => {
    const started = performance.now();
    const result = await runCommand(['sh', '-c', 'setsid sleep 10 & echo started'], options);
    expect(result).toMatchObject({ exitCode: 0, output: 'started\n' });
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it('kills the whole process group at the timeout, and says it may have taken effect', async () => {
    const result = await runCommand(['sh', '-c', 'sleep 30 & sleep 30; echo never'], { ...options, timeout: 300 });
    expect(result).toMatchObject({ timedOut: true, detail: 'timed out after 300 ms and was killed' });
    expect(result.exitCode).toBeUndefined();
  });
});
