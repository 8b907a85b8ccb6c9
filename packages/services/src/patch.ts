/** Applies a patch where null clears an optional field and undefined leaves it. */
export function applyPatch<T extends object>(record: T, patch: Record<string, unknown>): T {
  const out = { ...record } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out as T;
}
