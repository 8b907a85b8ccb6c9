/**
 * Runs a write with `forget` called as it begins and once it is over,
 * whether or not it succeeded (a timed-out write may still have landed): a
 * read begun before it is neither shared with later callers nor remembered.
 */
export async function forgetting<T>(forget: () => void, write: () => Promise<T>): Promise<T> {
  forget();
  try {
    return await write();
  } finally {
    forget();
  }
}
