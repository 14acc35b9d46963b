// A request target as an attack reads it once the server has decoded it: percent-escapes undone once and twice
// (`%252e` → `%2e` → `.`), overlong UTF-8 (`%c0%ae`) and IIS's `%u002e` read as the ASCII they stand for, backslashes
// as slashes, `+` in the query as a space, all lower case. Pure.

export interface DecodedTarget {
  /** The path, decoded, before any `?`. */
  path: string;
  /** The query, decoded (without the `?`). */
  query: string;
  /** Path and query for matching: decoded twice, lower case, `\` → `/`. */
  text: string;
}

/** Targets longer than this are decoded only this far: matching stays cheap on 64 KiB hostile request lines. */
export const MAX_TARGET = 8192;

export function decodeTarget(raw: string): DecodedTarget {
  const target = raw.length > MAX_TARGET ? raw.slice(0, MAX_TARGET) : raw;
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const path = percentDecode(percentDecode(rawPath));
  const query = percentDecode(percentDecode(rawQuery.replace(/\+/g, ' ')));
  const text = (query ? `${path}?${query}` : path).toLowerCase().replace(/\\/g, '/');
  return { path, query, text };
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Undoes `%XX` and `%uXXXX` once; invalid escapes stay as they are, bytes are read as (lenient) UTF-8. */
export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length === 0) return;
    out += decodeBytes(bytes);
    bytes.length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%') {
      const two = text.slice(i + 1, i + 3);
      if (HEX.test(two)) {
        bytes.push(Number.parseInt(two, 16));
        i += 2;
        continue;
      }
      if ((text[i + 1] === 'u' || text[i + 1] === 'U') && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
        flush();
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 5;
        continue;
      }
    }
    flush();
    out += c;
  }
  flush();
  return out;
}

/** Bytes as UTF-8, with overlong forms of ASCII (`C0 AE`, `E0 80 AE`) read as the ASCII they encode. */
function decodeBytes(bytes: number[]): string {
  let out = '';
  let run: number[] = [];
  const flushRun = () => {
    if (run.length > 0) out += Buffer.from(run).toString('utf8');
    run = [];
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    if ((b === 0xc0 || b === 0xc1) && b1 !== undefined && (b1 & 0xc0) === 0x80) {
      flushRun();
      out += String.fromCharCode(((b & 0x1f) << 6) | (b1 & 0x3f));
      i += 1;
    } else if (b === 0xe0 && b1 !== undefined && b2 !== undefined && (b1 & 0xe0) === 0x80 && (b2 & 0xc0) === 0x80) {
      flushRun();
      out += String.fromCharCode(((b1 & 0x3f) << 6) | (b2 & 0x3f));
      i += 2;
    } else run.push(b);
  }
  flushRun();
  return out;
}
