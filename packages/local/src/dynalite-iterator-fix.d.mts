/** Patches dynalite's store factory so its streams close their LevelDB iterators (idempotent, per thread). */
export function fixDynaliteIterators(): void;
/** Stores dynalite created on this thread, newest last. */
export const createdStores: { db: unknown }[];
