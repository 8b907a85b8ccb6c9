/** Patches dynalite's store factory so its streams close their LevelDB iterators (idempotent, per thread). */
export function fixDynaliteIterators(): void;
