// Turns the rules of a parsed config (and the packs they use) into ready-to-run rules, collecting every problem a
// config can have that its schema cannot see: regexes that do not compile or backtrack catastrophically, fields
// named but never captured, sources that do not exist, ignore values that are not addresses.
import type { ActionCatalog } from '../actions/action-catalog.js';
import type { RuleEntry } from '../config/schema.js';
import type { ConfigProblem } from '../core/errors.js';
import type { RuleEntryKind } from './entry-kind.js';
import { ruleEntryKindOf } from './kinds.js';
import type { CompiledRule } from './rule.js';

export interface CompileResult {
  rules: CompiledRule[];
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

export interface CompileOptions {
  catalog?: ActionCatalog;
  /** The kinds of entry there are (default: the built-in ones, kinds.ts). */
  entryKinds?: readonly RuleEntryKind[];
  /** Reads the files entries name (fail2ban filters); by default there are none. */
  readText?: (path: string) => string | undefined;
}

export function compileRules(
  entries: readonly RuleEntry[],
  sourceIds: readonly string[],
  { catalog = new Map(), entryKinds, readText = () => undefined }: CompileOptions = {},
): CompileResult {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  const claimId = (id: string, path: string, idPath: string, hint: string) => {
    const other = seen.get(id);
    if (other !== undefined) {
      problems.push({ path: idPath, message: `rule id "${id}" is used twice (also by ${other}). ${hint}` });
    }
    seen.set(id, path);
  };
  const checkSources = (sources: readonly string[], path: string) => {
    sources.forEach((s, j) => {
      if (!sourceIds.includes(s)) {
        problems.push({
          path: `${path}.source${sources.length > 1 ? `[${j}]` : ''}`,
          message: `no source has id "${s}". Known sources: ${sourceIds.join(', ') || '(none)'}.`,
        });
      }
    });
  };

  entries.forEach((entry, i) => {
    const path = `rules[${i}]`;
    checkSources(entry.source, path);
    const kind = ruleEntryKindOf(entry, entryKinds);
    const context = {
      path,
      catalog,
      readText,
      claimId: (id: string, idPath: string, hint: string) => claimId(id, path, idPath, hint),
      add: (rule: CompiledRule) => rules.push(rule),
      problems,
      warnings,
    };
    kind.compile(entry, context);
  });
  // A pack entry's problems (an ignore value) are found once per rule of the pack: say each once.
  const unique = (list: ConfigProblem[]) =>
    list.filter((p, i) => list.findIndex((q) => q.path === p.path && q.message === p.message) === i);
  return { rules, problems: unique(problems), warnings: unique(warnings) };
}
