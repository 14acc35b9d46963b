// The shape of a pack's table: lines it must match (with the fields it must find) and lines it must leave alone,
// each naming the program source and format string that writes it.
import type { PackName } from '../../../src/rules/packs/index.js';
import type { Envelope } from './envelopes.js';

export interface MatchRow {
  /** The program's message, wrapped in each envelope by the test; or a whole `line` as the writer wrote it. */
  message?: string;
  line?: string;
  from: string;
  /** The rule of the pack that matches (default: the pack's name). */
  rule?: string;
  /** The program that writes it, when the table serves several. */
  program?: string;
  fields: Record<string, string>;
  /** Fields the match must not carry (an address the line does not own). */
  absent?: string[];
}

export interface NoMatchRow {
  message?: string;
  line?: string;
  from: string;
  program?: string;
}

export interface PackTable {
  pack: PackName;
  /** The programs each message is tried under. */
  programs: string[];
  envelopes?: readonly Envelope[];
  match: MatchRow[];
  noMatch: NoMatchRow[];
}
