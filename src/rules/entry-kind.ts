// How a kind of rule entry in the config (a pack, a fail2ban filter, a custom regex…) becomes compiled rules: its
// schema, how to tell its entries, and its compiler. A new kind is a folder with one of these and a line in kinds.ts.
import type * as z from 'zod';
import { RUNNABLE_TYPES } from '../actions/render-argv.js';
import type { ConfigProblem } from '../core/errors.js';
import type { CompiledRule } from './rule.js';

/** The response actions rules may offer, by id: what each fills in (the config's actions, action-catalog.ts). */
export type OfferableActions = ReadonlyMap<string, { readonly fields: readonly string[] }>;

/** What compiling one entry may use and add to. */
export interface EntryContext {
  /** The entry's place in the config, e.g. rules[2]. */
  path: string;
  catalog: OfferableActions;
  /** Reads a file the entry names; undefined when it does not exist. */
  readText(path: string): string | undefined;
  /** Takes a rule id, saying so (at idPath, with the hint) when another entry took it already. */
  claimId(id: string, idPath: string, hint: string): void;
  /** Adds a compiled rule. */
  add(rule: CompiledRule): void;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

export interface RuleEntryKind<S extends z.ZodType<{ source: string[] }> = z.ZodType<{ source: string[] }>> {
  readonly schema: S;
  /** Whether a parsed entry is of this kind (by the key only it has: use:, fail2ban:, pattern:). */
  owns(entry: object): boolean;
  compile(entry: z.output<S>, context: EntryContext): void;
}

/** Declares a kind, keeping its schema's type for the config's union. */
export const defineRuleEntryKind = <S extends z.ZodType<{ source: string[] }>>(
  kind: RuleEntryKind<S>,
): RuleEntryKind<S> => kind;

/** Keeps the actions a rule can offer, saying why of each it cannot. */
export function keepOfferable(rule: CompiledRule, context: EntryContext): void {
  rule.actions = rule.actions.filter((actionId, j) => {
    const problem = checkAction(actionId, context.catalog, rule);
    if (problem) context.problems.push({ path: `${context.path}.actions[${j}]`, message: problem });
    return problem === undefined;
  });
}

export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Why a rule cannot offer an action: unknown, or its command needs a field the rule does not capture with a type.
export function checkAction(actionId: string, catalog: OfferableActions, rule: CompiledRule): string | undefined {
  const action = catalog.get(actionId);
  if (!action) {
    const known = [...catalog.keys()].join(', ') || '(none)';
    return `no action has id "${actionId}". Actions: ${known}. Define it under actions: or remove it here.`;
  }
  for (const field of action.fields) {
    if (!rule.captured.includes(field)) {
      return `action "${actionId}" uses {${field}}, which rule ${rule.id} does not capture in every pattern. Add (?<${field}>…) or offer another action.`;
    }
    if (!RUNNABLE_TYPES.has(rule.fields[field]!)) {
      return `action "${actionId}" uses {${field}}, which rule ${rule.id} captures as free text; text never goes into a command. Give it a type under fields: (ip, cidr, user, host, port, int or word).`;
    }
  }
  return undefined;
}
