// What logwarden knows of an address, put on each new incident about one before it is written: where it is (the
// operator's MaxMind databases), its past (earlier incidents and the actions that ran on them, from the store; the
// operator's blocklists) as returning-attacker marks, and the actions that ran on it before, offered again.
import type { ActionCatalog } from '../actions/action-catalog.js';
import type { GeoLookup, TrackerChanges } from '../core/types.js';
import { addressOf, markReturning } from '../incidents/returning.js';
import type { CompiledRule } from '../rules/rule.js';
import type { Store } from '../store/ports.js';
import type { Blocklists } from './blocklists.js';

export interface AddressMarks {
  /** Marks the incidents a change opens (before it is committed). */
  mark(changes: TrackerChanges, now: number): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createAddressMarks(deps: {
  store: Store;
  rules: readonly CompiledRule[];
  actions: ActionCatalog;
  /** How far back earlier incidents count (0: not at all). */
  history: number;
  geo: GeoLookup | undefined;
  blocklists: Blocklists;
}): AddressMarks {
  const { store, geo, blocklists, history: within } = deps;
  const rules = new Map(deps.rules.map((r) => [r.id, r]));
  return {
    async mark(changes, now) {
      for (const e of changes.events) {
        if (e.event !== 'opened') continue;
        const incident = e.incident;
        // Marks are logwarden's: a line's values under their names go, whether or not the incident names an address.
        const { returning: _r, history: _h, ...fields } = incident.fields;
        incident.fields = fields;
        const address = addressOf(incident);
        if (!address) continue;
        const where = incident.fields.where === undefined ? geo?.(address.split('/')[0]!) : undefined;
        if (where) {
          const named = [where.asn === undefined ? undefined : `AS${where.asn}`, where.org, where.country];
          incident.fields = { ...incident.fields, where: named.filter(Boolean).join(', ') };
        }
        const history =
          within > 0 ? await store.incidents.historyOf(address, now - within) : { incidents: [], actions: [] };
        markReturning(incident, history, blocklists.listing(address), within, now);
        // What ran on the address before is offered again, when the rule does not offer it and it can act on this one.
        const rule = rules.get(incident.rule);
        const offers = [...new Set(history.actions.map((a) => a.action))].filter((id) => {
          const action = deps.actions.get(id);
          return action && rule && !rule.actions.includes(id) && (action.fields ?? []).every((f) => rule.fields[f]);
        });
        if (offers.length > 0) incident.offers = offers;
      }
    },
    start: () => blocklists.start(),
    stop: () => blocklists.stop(),
  };
}
