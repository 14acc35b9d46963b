// What a request confirms: an action's argv, undo and verify filled with an incident's typed values now (each
// checked against its type), the hosts it runs on, and how long it lasts. Approvals, undos, ttls and restarts run
// exactly this, never the incident's values of their moment. Pure.
import type { ActionPlan, FieldType, Incident } from '../core/types.js';
import { incrementedTtl } from '../incidents/returning.js';
import type { ResolvedAction } from './action-catalog.js';
import { pickValues } from './confirmed-values.js';
import { ansiblePlanArgv, targetHostsOf } from './fleet/fleet.js';
import { type ArgvResult, placeholdersOf, renderArgv } from './render-argv.js';

export function planOf(
  incident: Incident | undefined,
  types: Readonly<Record<string, FieldType>> | undefined,
  action: ResolvedAction,
): { ok: true; plan: ActionPlan } | { ok: false; reason: string } {
  if (!incident || !types) return { ok: false, reason: 'its incident or rule is no longer configured' };
  let targets: string[] | undefined;
  if (action.target) {
    const found = targetHostsOf(action.target, incident);
    if (!found.ok) return found;
    targets = found.hosts;
  }
  const fill = (template: readonly string[] | undefined): ArgvResult | undefined =>
    template ? renderArgv(template, incident.fields, types) : undefined;
  const argv = action.ansible
    ? ansibleArgvOf(action.ansible, incident.fields, types, 'present')
    : fill(action.command)!;
  const undo = action.ansible
    ? action.ansible.undoPlaybook
      ? ansibleArgvOf(action.ansible, incident.fields, types, 'absent')
      : undefined
    : fill(action.undo);
  const verify = fill(action.verify);
  for (const r of [argv, undo, verify]) if (r && !r.ok) return r;
  const plan: ActionPlan = {
    argv: (argv as { argv: string[] }).argv,
    values: pickValues(incident.fields, action.fields),
  };
  if (undo?.ok) plan.undo = undo.argv;
  if (verify?.ok) plan.verify = verify.argv;
  if (targets) {
    plan.targets = targets;
    plan.via = action.via ?? 'ssh';
  }
  // A returning address is contained longer each time (fail2ban's bantime.increment).
  if (action.ttl !== undefined) plan.ttl = incrementedTtl(action.ttl, incident);
  return { ok: true, plan };
}

/** A playbook run's argv: its vars that are one {field} take the incident's typed value (checked), the rest as written. */
function ansibleArgvOf(
  ansible: NonNullable<ResolvedAction['ansible']>,
  fields: Readonly<Record<string, string>>,
  types: Readonly<Record<string, FieldType>>,
  state: 'present' | 'absent',
): ArgvResult {
  const values: Record<string, string> = {};
  const fixed: Record<string, string> = {};
  for (const [name, template] of Object.entries(ansible.vars)) {
    const [field, ...more] = placeholdersOf([template]);
    if (field === undefined || more.length > 0 || template !== `{${field}}`) {
      fixed[name] = template;
      continue;
    }
    const filled = renderArgv([template], fields, types);
    if (!filled.ok) return filled;
    values[name] = filled.argv[0]!;
  }
  const playbook = state === 'present' ? ansible.playbook : (ansible.undoPlaybook ?? ansible.playbook);
  return { ok: true, argv: ansiblePlanArgv(ansible.program, playbook, values, fixed, state) };
}
