// What a person's "False positive" teaches a learned detector, and `/logs unlearn` taking it back: the facts it
// changed are written with an audit row (detector:taught) that keeps them as they were, so the lesson can be undone
// once (detector:untaught). Runs inside the pipeline's turn, with its commit.
import type { UnlearnOutcome } from '../core/commands.js';
import type { Incident, TrackerChanges } from '../core/types.js';
import type { Detectors, TaughtFact } from '../incidents/detectors.js';
import type { Store } from '../store/ports.js';

export interface Lessons {
  /** Whether a false positive of this incident teaches its detector (its key is then silenced only briefly). */
  teaches(incidentId: number): Promise<boolean>;
  /** Teaches the detector the incident's finding, and audits what it learned. */
  teach(incident: Incident, actor: string, now: number): Promise<void>;
  unlearn(incidentId: number, actor: string, now: number): Promise<UnlearnOutcome>;
}

export function createLessons(deps: {
  store: Store;
  detectors: () => Detectors;
  /** Writes the facts with the pipeline's commit. */
  write: (changes: TrackerChanges, now: number) => Promise<void>;
}): Lessons {
  const { store } = deps;
  return {
    async teaches(incidentId) {
      return deps.detectors().teaches((await store.incidents.read(incidentId))?.incident.rule ?? '');
    },
    async teach(incident, actor, now) {
      const taught = deps.detectors().teach(incident, now);
      if (!taught) return;
      await deps.write(taught.changes, now);
      await store.audit.append({
        at: now,
        actor,
        action: 'detector:taught',
        incidentId: incident.id,
        data: { rule: incident.rule, taught: taught.taught, undo: taught.undo },
      });
    },
    async unlearn(incidentId, actor, now) {
      const rows = (await store.audit.readAll()).filter((r) => r.incidentId === incidentId);
      const lesson = rows.findLast((r) => r.action === 'detector:taught');
      if (!lesson) return { outcome: 'nothing' };
      if (rows.some((r) => r.action === 'detector:untaught' && r.id > lesson.id)) return { outcome: 'already' };
      const { rule, taught, undo } = JSON.parse(lesson.dataJson) as {
        rule: string;
        taught: string;
        undo?: TaughtFact[];
      };
      const findingAt = (await store.incidents.read(incidentId))?.incident.firstSeen;
      const { changes, kept } = deps.detectors().unteach(rule, undo ?? [], findingAt);
      await deps.write(changes, now);
      await store.audit.append({
        at: now,
        actor,
        action: 'detector:untaught',
        incidentId,
        data: { rule, taught, ...(kept ? { kept } : {}) },
      });
      return { outcome: 'unlearned', rule, taught, kept };
    },
  };
}
