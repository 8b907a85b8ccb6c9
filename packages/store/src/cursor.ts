import { Invalid } from '@drumbeat/core';

/**
 * Opaque page cursors. A cursor carries only sort-key values; the partition is
 * always rebuilt from the caller's own workspace, so a cursor forged from
 * another tenant's keys can never reach its rows.
 */
export function encodeCursor(last: Record<string, unknown> | undefined, fields: readonly string[]): string | null {
  if (!last) return null;
  const picked: Record<string, string> = {};
  for (const f of fields) picked[f] = String(last[f]);
  return Buffer.from(JSON.stringify(picked)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` with the same fields; each must start with `prefix`. Bad cursors are a 400. */
export function decodeCursor(cursor: string | undefined, fields: readonly string[], prefix: string): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const bad = () => new Invalid('cursor: not a cursor from this list', [{ path: 'cursor', message: 'not a cursor from this list' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!parsed || typeof parsed !== 'object') throw bad();
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = (parsed as Record<string, unknown>)[f];
    if (typeof v !== 'string' || v.length > 512) throw bad();
    out[f] = v;
  }
  if (fields.includes('sk') && !out.sk!.startsWith(prefix)) throw bad();
  return out;
}
