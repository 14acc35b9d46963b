// The learned detectors a `detect:` entry can name, the only list of them. A detector reads lines of its own (the
// events it judges, a login) and weighs each against the events of other rules before it (the failures); what it
// reads is built from the programs' own formats, as the packs are. A new detector is a file and a line here.
import type { Detector } from './detector.js';
import { distributedAttack } from './distributed-attack.js';
import { fleetAttack } from './fleet-attack.js';
import { newLoginHost } from './new-login-host.js';
import { newLoginSource } from './new-login-source.js';
import { newSudoCommand } from './new-sudo-command.js';
import { slowAttack } from './slow-attack.js';
import { sourceQuiet } from './source-quiet.js';
import { spike } from './spike.js';
import { successAfterFailures } from './success-after-failures.js';
import { unusualTime } from './unusual-time.js';

export const DETECTORS = {
  'success-after-failures': successAfterFailures,
  'new-login-source': newLoginSource,
  'new-login-host': newLoginHost,
  'unusual-time': unusualTime,
  'new-sudo-command': newSudoCommand,
  spike,
  'distributed-attack': distributedAttack,
  'slow-attack': slowAttack,
  'source-quiet': sourceQuiet,
  'fleet-attack': fleetAttack,
} as const satisfies Record<string, Detector>;

export type DetectorName = keyof typeof DETECTORS;
export const DETECTOR_NAMES = Object.keys(DETECTORS) as [DetectorName, ...DetectorName[]];

/** The detector a compiled rule names (its name was checked by the schema). */
export function detectorNamed(name: string): Detector {
  const detector = (DETECTORS as Record<string, Detector>)[name];
  if (!detector) throw new Error(`no detector ${name}`);
  return detector;
}
