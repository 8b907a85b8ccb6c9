/**
 * `fn` remembered by its string argument, for pure functions called with few
 * distinct values (rule texts, zone ids, durations). The memory is bounded:
 * at `limit` entries it starts over, so hostile input cannot grow it without
 * end. A call that throws is not remembered.
 */
export function memoized<R>(fn: (key: string) => R, limit = 1000): (key: string) => R {
  const memory = new Map<string, R>();
  return (key) => {
    if (memory.has(key)) return memory.get(key)!;
    const value = fn(key);
    if (memory.size >= limit) memory.clear();
    memory.set(key, value);
    return value;
  };
}
