/** A function that resolves once every write the engine acknowledged so far is on disk (one shared fsync per group of callers). */
export function flusherFor(store: { db: unknown }): () => Promise<void>;
