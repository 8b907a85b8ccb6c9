/**
 * Records kept in memory while this process is the table's only writer (the
 * embedded runtime: the store's files are locked to one process). Every
 * change goes through the single-writer repositories, which forget what they
 * change, so the cache is exact. A read that was under way when something was
 * forgotten may have seen it before the change: its caller gets what it read,
 * but it is not remembered, so no stale record outlives a `forget`. Bounded:
 * the oldest entry goes first.
 */
export class ExactCache<V> {
  private readonly entries = new Map<string, V>();
  /** Bumped by every forget. */
  private generation = 0;

  constructor(private readonly max = 10_000) {}

  /** The value remembered for `key`, if any. */
  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Reads `key` through `read` when it is not in memory, and remembers what it found unless a forget happened meanwhile. */
  async through<R extends V | undefined>(key: string, read: () => Promise<R>): Promise<R> {
    const known = this.get(key);
    if (known !== undefined) return known as R;
    return this.remembering(key, read);
  }

  /** Runs `read` and remembers its value for `key` (when defined) if nothing was forgotten while it ran. */
  async remembering<R extends V | undefined>(key: string, read: () => Promise<R>): Promise<R> {
    const generation = this.generation;
    const value = await read();
    if (value !== undefined && generation === this.generation) {
      if (this.entries.size >= this.max && !this.entries.has(key))
        this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Replaces a remembered value by `change(value)`, for a change that needs no forgetting (it is idempotent and touches nothing else). */
  update(key: string, change: (value: V) => V): void {
    const v = this.entries.get(key);
    if (v !== undefined) this.entries.set(key, change(v));
  }

  /** Drops `key` after it changed; reads under way will not remember anything. */
  forget(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }
}
