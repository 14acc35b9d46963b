// A containment command is an argv array written in the config, with {field} placeholders filled only from an
// incident's typed captures, each checked against its type again right before the command runs. A value is always
// one whole argv element: never split, never joined into a shell string. Pure.

import { fillPlaceholders, placeholdersOf as placeholdersOfText } from '../core/template.js';
import type { FieldType } from '../core/types.js';
import { isRunnableField, RUNNABLE_TYPE_HELP } from '../rules/field-types.js';

export type ArgvResult = { ok: true; argv: string[] } | { ok: false; reason: string };

// Only these types may reach a command; `text` is for reading, never for running.
export const RUNNABLE_TYPES: ReadonlySet<FieldType> = new Set(['ip', 'cidr', 'user', 'host', 'port', 'int', 'word']);

/** The placeholders a command template uses, to check against a rule's captures when the config is read. */
export function placeholdersOf(template: readonly string[]): string[] {
  return [...new Set(template.flatMap((arg) => placeholdersOfText(arg)))];
}

export function renderArgv(
  template: readonly string[],
  fields: Readonly<Record<string, string>>,
  types: Readonly<Record<string, FieldType>>,
): ArgvResult {
  for (const name of placeholdersOf(template)) {
    const type = types[name];
    const value = fields[name];
    if (type === undefined || value === undefined) return { ok: false, reason: `the incident has no ${name}` };
    if (!RUNNABLE_TYPES.has(type)) {
      return { ok: false, reason: `${name} is free text (type text), which never goes into a command` };
    }
    if (!isRunnableField(type, value)) {
      return { ok: false, reason: `${name} is not ${RUNNABLE_TYPE_HELP[type]}, so the command was not run` };
    }
  }
  const argv = template.map((arg) => fillPlaceholders(arg, (name) => fields[name]));
  return { ok: true, argv };
}
