// The kinds a config may use — of source, of rule entry, of notifier — and the schema for a config that uses kinds
// besides the built-in ones (a test's, later a plugin's).
import * as z from 'zod';
import type { NotifierKind } from '../notify/notifier.js';
import { NOTIFIER_KINDS } from '../notify/registry.js';
import type { RuleEntryKind } from '../rules/entry-kind.js';
import { RULE_ENTRY_KINDS } from '../rules/kinds.js';
import { SOURCE_KINDS } from '../sources/registry.js';
import type { SourceKind } from '../sources/source.js';
import { configSchema } from './schema.js';

export interface ConfigKinds {
  sources: readonly SourceKind[];
  rules: readonly RuleEntryKind[];
  notifiers: readonly NotifierKind[];
}

export const BUILT_IN_KINDS: ConfigKinds = {
  sources: SOURCE_KINDS as unknown as readonly SourceKind[],
  rules: RULE_ENTRY_KINDS as unknown as readonly RuleEntryKind[],
  notifiers: NOTIFIER_KINDS,
};

/** The schema for a config that may also use other kinds (built-in ones only: configSchema). */
export function configSchemaFor(kinds: ConfigKinds) {
  const union = <T extends z.ZodType>(schemas: readonly T[]) => z.union(schemas as unknown as [T, T, ...T[]]);
  const sections = Object.fromEntries(
    kinds.notifiers.flatMap((k) => (k.config ? [[k.config.key, k.config.schema.optional()]] : [])),
  );
  return configSchema.extend({
    ...sections,
    sources: z.array(union(kinds.sources.map((k) => k.schema))).min(1, { message: 'needs at least one source' }),
    rules: z.array(union(kinds.rules.map((k) => k.schema))).min(1, { message: 'needs at least one rule' }),
  });
}
