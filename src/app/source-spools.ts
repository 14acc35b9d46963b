// The spools of a config's network sources, opened on a sender's first lines: each committed chunk of a sender is
// copied to its file, for /logs. A write that fails is told once a minute and the lines go on to detection as before.
import type { SourceConfig } from '../config/schema.js';
import type { LineChunk } from '../core/types.js';
import { createSenderSpool, type SenderSpool } from '../sources/sender-spool.js';

export function createSourceSpools(
  sources: readonly SourceConfig[],
  warnOften: (kind: string, details: Record<string, unknown>, message: string) => void,
) {
  const spools = new Map<string, SenderSpool | null>();
  return {
    write(chunk: LineChunk) {
      let spool = spools.get(chunk.sourceId);
      try {
        if (spool === undefined) {
          const source = sources.find((s) => s.id === chunk.sourceId) as
            | { spool?: { dir?: string; maxBytes: number; maxTotal: number } }
            | undefined;
          const { dir, maxBytes = 0, maxTotal = 0 } = source?.spool ?? {};
          spool = dir && maxBytes > 0 ? createSenderSpool(dir, maxBytes, maxTotal) : null;
          spools.set(chunk.sourceId, spool);
        }
        if (chunk.sender !== undefined) spool?.append(chunk.sender, chunk.data);
      } catch (error) {
        warnOften(
          `spool:${chunk.sourceId}`,
          { source: chunk.sourceId, error: (error as Error).message },
          'cannot keep a copy of the lines for /logs',
        );
      }
    },
    close() {
      for (const spool of spools.values()) spool?.close();
      spools.clear();
    },
  };
}
