// What a jail with maxretry and findtime would have banned, over the failures replay found, on the log's own
// times. Pure.

export interface BanSummary {
  /** How often an address reached maxretry failures within findtime (its count starting again after each). */
  bans: number;
  /** Bans per address, most first. */
  byHost: [host: string, bans: number][];
}

/** What a jail with these settings would have done over failures in log order. */
export function summariseBans(
  failures: Iterable<{ host: string; time: number }>,
  maxretry: number,
  findtime: number,
): BanSummary {
  const windows = new Map<string, number[]>();
  const byHost = new Map<string, number>();
  let bans = 0;
  for (const { host, time } of failures) {
    const window = (windows.get(host) ?? []).filter((t) => t > time - findtime);
    window.push(time);
    if (window.length >= maxretry) {
      bans++;
      byHost.set(host, (byHost.get(host) ?? 0) + 1);
      windows.delete(host);
    } else windows.set(host, window);
  }
  return { bans, byHost: [...byHost].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
}
