// A map of bounded size that forgets what was least recently used, in constant time per operation: entries live in a
// young and an old generation; reading an old entry moves it to the young one, and when the young one is full the old
// one is dropped whole (and handed to `onDrop`). A Map used as a queue (delete the first key) instead slows down as
// deleted entries pile up at its head, which an attacker writing a million distinct keys would make quadratic.

export class GenerationalMap<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly limit: number;
  private readonly onDrop: ((dropped: Map<K, V>) => void) | undefined;

  /** At most `limit` entries are kept; `onDrop` hears of each generation dropped to stay within it. */
  constructor(limit: number, onDrop?: (dropped: Map<K, V>) => void) {
    this.limit = Math.max(2, limit);
    this.onDrop = onDrop;
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  /** The value, moved to the young generation (it was just used). */
  get(key: K): V | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old === undefined) return undefined;
    this.old.delete(key);
    this.put(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.young.has(key)) {
      this.young.set(key, value);
      return;
    }
    this.old.delete(key);
    this.put(key, value);
  }

  delete(key: K): boolean {
    return this.young.delete(key) || this.old.delete(key);
  }

  /** Every entry, old generation first. */
  *entries(): IterableIterator<[K, V]> {
    yield* this.old;
    yield* this.young;
  }

  private put(key: K, value: V): void {
    if (this.young.size >= Math.ceil(this.limit / 2)) {
      const dropped = this.old;
      this.old = this.young;
      this.young = new Map();
      if (dropped.size > 0) this.onDrop?.(dropped);
    }
    this.young.set(key, value);
  }
}
