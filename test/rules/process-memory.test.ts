// What a process said, for its later lines: bounded, by process and key, and only while recent.
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/envelope/envelope.js';
import { PROCESS_MEMORY_MS, ProcessMemory } from '../../src/rules/process-memory.js';

const env = (host: string, pid: string, program = 'sshd'): Envelope => ({
  format: 'rfc3164',
  host,
  program,
  pid,
  message: '',
});

describe('ProcessMemory', () => {
  it('remembers an address per process, for PROCESS_MEMORY_MS either way', () => {
    const memory = new ProcessMemory();
    memory.remember(memory.processOf(env('h', '1')), '203.0.113.7', 1000);
    expect(memory.ipOf(memory.processOf(env('h', '1')), 1000 + PROCESS_MEMORY_MS)).toBe('203.0.113.7');
    expect(memory.ipOf(memory.processOf(env('h', '1')), 1001 + PROCESS_MEMORY_MS)).toBeUndefined();
    expect(memory.ipOf(memory.processOf(env('h', '2')), 1000)).toBeUndefined();
    expect(memory.ipOf(memory.processOf(env('other', '1')), 1000)).toBeUndefined();
  });

  it('keeps a process heard of again across generations, forgets the others', () => {
    const memory = new ProcessMemory(4);
    memory.remember(memory.processOf(env('h', '1')), '203.0.113.7', 0);
    for (let pid = 100; pid < 120; pid++) {
      memory.processOf(env('h', String(pid)));
      // Process 1 is heard of between the others.
      if (pid % 2 === 0) expect(memory.ipOf(memory.processOf(env('h', '1')), 0)).toBe('203.0.113.7');
    }
    expect(memory.size).toBeLessThanOrEqual(4);
    for (let pid = 200; pid < 210; pid++) memory.processOf(env('h', String(pid)));
    expect(memory.ipOf(memory.processOf(env('h', '1')), 0)).toBeUndefined();
  });

  it('keeps every process and its attempt as its table grows from a few slots to thousands', () => {
    const memory = new ProcessMemory();
    for (let pid = 1; pid <= 3000; pid++) {
      const slot = memory.processOf(env('h', String(pid)));
      memory.remember(slot, `203.0.113.${pid % 256}`, pid);
      memory.attempt(slot, `user${pid}`, pid).pamPendingAt = pid;
    }
    expect(memory.size).toBe(3000);
    for (let pid = 1; pid <= 3000; pid++) {
      const slot = memory.processOf(env('h', String(pid)));
      expect(memory.ipOf(slot, pid)).toBe(`203.0.113.${pid % 256}`);
      expect(memory.attempt(slot, `user${pid}`, pid).pamPendingAt).toBe(pid);
    }
  });

  it("keeps a second key's attempt apart while the first's is in progress, across generations", () => {
    const memory = new ProcessMemory(4);
    const sudo = () => memory.processOf(env('h', '', 'sudo'));
    memory.attempt(sudo(), 'alice', 0).pamPendingAt = 0;
    memory.attempt(sudo(), 'bob', 1000).pamPendingAt = 1000;
    for (let pid = 100; pid < 120; pid++) {
      memory.processOf(env('h', String(pid)));
      sudo();
    }
    expect(memory.attempt(sudo(), 'bob', 2000).pamPendingAt).toBe(1000);
    expect(memory.attempt(sudo(), 'alice', 2000).pamPendingAt).toBe(0);
  });

  it('forgets every attempt with the names it numbered when there are too many hosts', () => {
    const memory = new ProcessMemory();
    memory.attempt(memory.processOf(env('hostA', '4242')), 'alice', 0).pamPendingAt = 0;
    memory.attempt(memory.processOf(env('hostA', '4242')), 'bob', 0).pamPendingAt = 0;
    // 4,096 host and program pairs are numbered at most: the next starts again from 0, hostA's number.
    for (let h = 1; h < 4096; h++) memory.processOf(env(`host${h}`, '1'));
    const z = memory.processOf(env('hostZ', '4242'));
    memory.attempt(z, 'carol', 0).pamPendingAt = 0;
    // carol's attempt holds the slot: bob's is looked for apart, where hostA's bob must not be.
    expect(memory.attempt(memory.processOf(env('hostZ', '4242')), 'bob', 0).pamPendingAt).toBeUndefined();
  });

  it('numbers ten-digit pids instead of naming them: a flood of made-up pids does not wipe what it knows', () => {
    const memory = new ProcessMemory(10_000);
    memory.remember(memory.processOf(env('h', '77')), '203.0.113.7', 0);
    for (let i = 0; i < 5000; i++) memory.processOf(env('h', String(9_000_000_000 + i)));
    expect(memory.ipOf(memory.processOf(env('h', '77')), 0)).toBe('203.0.113.7');
  });
});
