// What people ask of logwarden from a chat platform, authorised in one place and answered with typed outcomes (the
// platform renders them): decisions on incidents, response actions and their undo, escalation, and /logs.
import type { ActionCatalog } from '../actions/action-catalog.js';
import type { Allow, Commands, LogsAccess, Operations, Refusal } from '../core/commands.js';
import type { AuditEntry, Incident, SilenceRow } from '../core/types.js';
import type { Authorizer, Roles } from './authorize.js';

export interface CommandDeps {
  app: Operations;
  authorizer: Authorizer;
  allow: Allow;
  roles: Roles;
  actions: ActionCatalog;
  /** Every source id, in config order. */
  sources: readonly string[];
  audit(entry: Omit<AuditEntry, 'at'>): Promise<void>;
  readIncidents(): Promise<Incident[]>;
  readSilences(): Promise<SilenceRow[]>;
}

export function createCommands(deps: CommandDeps): Commands {
  const { authorizer, allow } = deps;
  const refused = (outcome: { granted: string[] } | Refusal): outcome is Refusal => 'outcome' in outcome;

  const click = async (
    verb: 'run' | 'undo',
    actor: Parameters<Commands['respond']>[0],
    c: Parameters<Commands['respond']>[1],
  ) => {
    // A run button without what its dialog showed is from a message drawn by an older version: nothing to hold it to.
    if (verb === 'run' && !c.confirmed) return { outcome: 'old-button' } as const;
    const roles = deps.actions.get(c.actionId)?.roles ?? [];
    const granted = await authorizer.authorize(actor, roles, {
      action: verb === 'run' ? 'action:refused' : 'action:undo-refused',
      incidentId: c.incidentId,
      data: { action: c.actionId.slice(0, 64), attempt: c.attempt, reason: 'not in its roles' },
    });
    if (refused(granted)) {
      return roles.length === 0 ? ({ outcome: 'no-such-action', actionId: c.actionId.slice(0, 64) } as const) : granted;
    }
    const full = { ...c, actor: actor.id };
    const text = await (verb === 'run' ? deps.app.respond(full) : deps.app.undo(full));
    return { outcome: 'answered', ...(text ? { text } : {}) } as const;
  };

  return {
    async decide(actor, decision, incidentId, snoozeFor) {
      const granted = await authorizer.authorize(
        actor,
        allow[decision === 'false-positive' ? 'falsePositive' : decision],
        {
          action: `incident:${decision}`,
          incidentId,
        },
      );
      if (refused(granted)) return granted;
      return { outcome: 'done', changed: await deps.app.decide(decision, incidentId, actor.id, snoozeFor) };
    },
    async escalate(actor, incidentId) {
      const granted = await authorizer.authorize(actor, allow.escalate, { action: 'incident:escalate', incidentId });
      if (refused(granted)) return granted;
      return deps.app.escalate(incidentId, actor.id);
    },
    respond: (actor, c) => click('run', actor, c),
    undo: (actor, c) => click('undo', actor, c),
    async openLogs(actor, query): Promise<LogsAccess> {
      const granted = await authorizer.authorize(actor, allow.logs, { action: 'logs:query', data: { query } });
      if (refused(granted)) return granted;
      await deps.audit({ actor: actor.id, action: 'logs:query', data: { query, refused: false } });
      // A role limited to some sources sees only those; any unlimited role sees all.
      const limits = granted.granted.map((r) => deps.roles[r]?.sources);
      const sources = limits.some((l) => l === undefined)
        ? deps.sources
        : deps.sources.filter((s) => limits.some((l) => l?.includes(s)));
      return { outcome: 'granted', sources, mayLift: await authorizer.holds(actor, allow.falsePositive) };
    },
    liftSilence: (actor, id) => deps.app.liftSilence(id, actor.id),
    unlearn: (actor, id) => deps.app.unlearn(id, actor.id),
    readIncidents: () => deps.readIncidents(),
    readSilences: () => deps.readSilences(),
    readBaseline: (subject) => deps.app.baseline(subject),
    readLearning: () => deps.app.learning(),
    readSenders: () => deps.app.senders(),
  };
}
