// The kinds of source, the only list of them: a new kind is a folder (its schema and hooks, source.ts) and a line here.
import { fileSourceKind } from './file/kind.js';
import { httpSourceKind } from './http/kind.js';
import { journaldSourceKind } from './journald/kind.js';
import type { SourceKind } from './source.js';
import { syslogSourceKind } from './syslog/kind.js';

export type { FileSourceConfig } from './file/schema.js';
export type { HttpSourceConfig } from './http/schema.js';
export type { JournaldSourceConfig } from './journald/schema.js';
export type { SyslogSourceConfig } from './syslog/schema.js';

export const SOURCE_KINDS = [fileSourceKind, journaldSourceKind, syslogSourceKind, httpSourceKind] as const;

/** The kinds' config schemas, in order (the first takes entries without `type:`), for the config's union. */
export const SOURCE_SCHEMAS = SOURCE_KINDS.map((kind) => kind.schema) as unknown as SchemasOf<typeof SOURCE_KINDS>;

type SchemasOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { schema: infer S } ? S : never;
};

/** The kind of a source entry (its `type:`), among these kinds (default: the built-in ones). */
export function sourceKindOf(type: string, kinds: readonly SourceKind[] = SOURCE_KINDS as never): SourceKind {
  const kind = kinds.find((k) => k.type === type);
  if (!kind) throw new Error(`no source kind "${type}"`);
  return kind as unknown as SourceKind;
}
