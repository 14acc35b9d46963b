// What a person confirms when they press an action's button: the values its dialog showed. The button carries their
// fingerprint, so a click on a message drawn before a log line changed the incident (or before someone else's
// request) runs nothing it did not show. Pure.
import { createHash } from 'node:crypto';
import type { ActionClick } from '../core/commands.js';
import type { ActionRun, Incident } from '../core/types.js';
import type { ResolvedAction } from './action-catalog.js';
import { confirmedOf, hostsToRetry, targetsShown } from './fleet/fleet.js';

/** The incident's values of the fields an action uses (its argvs and its confirm text). */
export function pickValues(
  fields: Readonly<Record<string, string>>,
  names: readonly string[] | undefined,
): Record<string, string> {
  return Object.fromEntries((names ?? []).flatMap((f) => (fields[f] === undefined ? [] : [[f, fields[f]!]])));
}

/** A short fingerprint of values, the same whatever their order. */
export function fingerprintOf(values: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(values)
    .sort()
    .map((k) => [k, values[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * Why a click's dialog no longer says what would happen, or undefined: the incident names other values (or hosts)
 * since the message was drawn, someone else's request now awaits approval, the request to approve is not the one
 * shown, or a retry is not of the run shown.
 */
export function staleClick(
  click: ActionClick,
  existing: ActionRun | undefined,
  incident: Incident | undefined,
  action: ResolvedAction,
): string | undefined {
  if (!click.confirmed) return undefined;
  if (click.confirmed.mode === 'retry') {
    const plan = existing?.plan;
    if (!plan?.targets || !existing || hostsToRetry(existing).length === 0) {
      return `${action.label} has no host to retry (it ran on every host, or is running).`;
    }
    if (fingerprintOf(confirmedOf(plan.values, plan.targets)) !== click.confirmed.fingerprint) {
      return `The run of ${action.label} is not the one the message you clicked showed: look at the updated message.`;
    }
    return undefined;
  }
  const awaiting = existing?.state === 'awaiting-approval';
  if (click.confirmed.mode === 'request' && awaiting) {
    return `Someone requested ${action.label} meanwhile; the message now shows Approve, with what they asked for.`;
  }
  if (click.confirmed.mode === 'approve' && !awaiting) {
    return `There is no request of ${action.label} waiting for approval (it ran, or was refused).`;
  }
  if (existing && !awaiting) return undefined;
  const shown = awaiting
    ? existing.plan && confirmedOf(existing.plan.values, existing.plan.targets)
    : incident
      ? confirmedOf(pickValues(incident.fields, action.fields), targetsShown(action.target, incident))
      : undefined;
  if (shown && fingerprintOf(shown) !== click.confirmed.fingerprint) {
    return `The incident names other values than the message you clicked showed: look at the updated message and click again.`;
  }
  return undefined;
}
