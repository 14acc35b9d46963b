// What a person confirms when they press an action's button: the values its dialog showed. The button carries their
// fingerprint, so a click on a message drawn before a log line changed the incident (or before someone else's
// request) runs nothing it did not show. Pure.
import { createHash } from 'node:crypto';

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
