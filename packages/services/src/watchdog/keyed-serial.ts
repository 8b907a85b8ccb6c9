interface Slot<T> {
  /** Settles (never rejects) when the run in progress ends. */
  done: Promise<void>;
  /** The one run queued behind it, shared by every caller that came meanwhile. */
  follow?: Promise<T>;
}

/**
 * Runs one task per key at a time, coalescing: calls that arrive while a task
 * runs share a single follow-up run, which starts after it and so sees every
 * change made before they were called. A burst of N changes to one account
 * costs at most two evaluations in this process, not N.
 */
export class KeyedSerial<T> {
  private readonly slots = new Map<string, Slot<T>>();

  /** Runs `task` for `key` now, or once after the run in progress (that run shared with other callers meanwhile). */
  run(key: string, task: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) return this.begin(key, task);
    slot.follow ??= slot.done.then(() => this.begin(key, task));
    return slot.follow;
  }

  /** Keys with a run in progress (for tests). */
  get size(): number {
    return this.slots.size;
  }

  private begin(key: string, task: () => Promise<T>): Promise<T> {
    const slot: Slot<T> = { done: Promise.resolve() };
    this.slots.set(key, slot);
    const p = task();
    slot.done = p.then(
      () => undefined,
      () => undefined,
    );
    void slot.done.then(() => {
      if (this.slots.get(key) === slot && !slot.follow) this.slots.delete(key);
    });
    return p;
  }
}
