import type { Incident } from '../../src/core/types.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** Commits an open incident of `rule` with these fields, as the tracker would have opened it; returns its id. */
export async function addIncident(
  store: SqliteStore,
  rule: string,
  fields: Record<string, string>,
  now: number,
): Promise<number> {
  const incident: Incident = {
    id: 0,
    rule,
    severity: 'high',
    title: 't',
    key: {},
    fields,
    count: 1,
    firstSeen: now,
    lastSeen: now,
    source: 'auth',
    sample: [],
    status: 'open',
  };
  await store.commit('auth', undefined, { hits: [], cleared: [], incidents: [incident], events: [] }, now);
  return incident.id;
}
