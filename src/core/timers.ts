// Waiting, as something passed in like the clock: the system's timers by default, a test's own to step through time
// without sleeping.
export interface Timer {
  cancel(): void;
  /** Lets the process exit while it waits (a poll that must not keep logwarden alive by itself). */
  unref(): Timer;
}

export interface Timers {
  /** Calls fn once, ms from now. */
  after(ms: number, fn: () => void): Timer;
  /** Calls fn every ms. */
  every(ms: number, fn: () => void): Timer;
}

function wrap(handle: NodeJS.Timeout, clear: (handle: NodeJS.Timeout) => void): Timer {
  const timer: Timer = {
    cancel: () => clear(handle),
    unref() {
      handle.unref();
      return timer;
    },
  };
  return timer;
}

export const systemTimers: Timers = {
  after: (ms, fn) => wrap(setTimeout(fn, ms), clearTimeout),
  every: (ms, fn) => wrap(setInterval(fn, ms), clearInterval),
};
