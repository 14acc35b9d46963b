// The response actions of a config, with presets filled in and checked as a whole: ids unique, a command to run,
// an undo for every ttl, roles that exist. Pure.
import type { ActionConfig } from '../config/schema.js';
import type { ConfigProblem } from '../core/errors.js';
import { PRESETS } from './presets.js';
import { placeholdersOf } from './render-argv.js';

export interface ResolvedAction {
  id: string;
  label: string;
  command: readonly string[];
  undo?: readonly string[];
  verify?: readonly string[];
  ttl?: number;
  timeout: number;
  confirm?: string;
  roles: readonly string[];
  approvals: number;
  dryRun: boolean;
  /** Every {field} its command, undo, verify and confirm use. */
  fields: string[];
}

export type ActionCatalog = ReadonlyMap<string, ResolvedAction>;

export function createActionCatalog(
  actions: readonly ActionConfig[],
  roleNames: readonly string[],
): { catalog: ActionCatalog; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const catalog = new Map<string, ResolvedAction>();
  actions.forEach((a, i) => {
    const path = `actions[${i}]`;
    if (catalog.has(a.id)) {
      problems.push({ path: `${path}.id`, message: `action id "${a.id}" is used twice. Give each action its own id.` });
      return;
    }
    const preset = a.preset ? PRESETS[a.preset] : undefined;
    const command = a.command ?? preset?.command;
    if (!command) {
      problems.push({
        path: `${path}.command`,
        message: 'is required: give the argv to run, like [/usr/sbin/nft, …], or a preset: like nftables-block-ip.',
      });
      return;
    }
    const undo = a.undo ?? (preset && 'undo' in preset ? preset.undo : undefined);
    const verify = a.verify ?? (preset && 'verify' in preset ? preset.verify : undefined);
    if (a.ttl !== undefined && !undo) {
      problems.push({
        path: `${path}.ttl`,
        message: 'needs an undo command to run when it expires. Add undo: [...] or remove ttl.',
      });
    }
    if (roleNames.length > 0) {
      a.roles.forEach((role, j) => {
        if (!roleNames.includes(role)) {
          problems.push({
            path: `${path}.roles[${j}]`,
            message: `no role named "${role}". Roles: ${roleNames.join(', ')}. Add it under roles: or name another.`,
          });
        }
      });
    }
    // One placeholder per argument: "{ip}/{len}" with len 0 would make a range nothing checked as one.
    for (const [key, template] of [
      ['command', command],
      ['undo', undo],
      ['verify', verify],
    ] as const) {
      (template ?? []).forEach((arg, j) => {
        const names = placeholdersOf([arg]);
        if (names.length > 1) {
          problems.push({
            path: `${path}.${key}[${j}]`,
            message: `joins {${names.join('} and {')}} in one argument: their values are checked one by one, never as what they make together. Give each placeholder an argument of its own.`,
          });
        }
      });
    }
    const confirm = a.confirm ?? preset?.confirm;
    const templates = [command, undo ?? [], verify ?? [], confirm ? [confirm] : []];
    catalog.set(a.id, {
      id: a.id,
      label: a.label ?? preset?.label ?? a.id,
      command,
      ...(undo ? { undo } : {}),
      ...(verify ? { verify } : {}),
      ...(a.ttl !== undefined ? { ttl: a.ttl } : {}),
      timeout: a.timeout,
      ...(confirm ? { confirm } : {}),
      roles: a.roles,
      approvals: a.approvals,
      dryRun: a.dryRun,
      fields: [...new Set(templates.flatMap((t) => placeholdersOf(t)))],
    });
  });
  return { catalog, problems };
}
