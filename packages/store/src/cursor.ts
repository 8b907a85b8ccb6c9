import { Invalid } from '@drumbeat/core';

/**
 * Opaque page cursors. A cursor carries only sort-key values; the partition is
 * always rebuilt from the caller's own workspace, so a cursor forged from
 * another tenant's keys can never reach its rows.
 */
export function encodeCursor(
  last: Record<string, unknown> | undefined,
  fields: readonly string[],
  scope?: string,
): string | null {
  if (!last) return null;
  const picked: Record<string, string> = {};
  for (const f of fields) picked[f] = String(last[f]);
  // The list it belongs to (e.g. one account's posts), so a cursor of another list is refused rather than read as a position.
  if (scope !== undefined) picked.list = scope;
  return Buffer.from(JSON.stringify(picked)).toString('base64url');
}

/** The 400 for a cursor that this list did not hand out. */
export function badCursor(): Invalid {
  return new Invalid('cursor: not a cursor from this list', [
    { path: 'cursor', message: 'not a cursor from this list' },
  ]);
}

/** DynamoDB's order of string keys: by UTF-8 bytes (JavaScript's `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Decodes a cursor made by `encodeCursor` with the same fields (and scope); each must start with `prefix`. Bad cursors are a 400. */
export function decodeCursor(
  cursor: string | undefined,
  fields: readonly string[],
  prefix: string,
  scope?: string,
): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!parsed || typeof parsed !== 'object') throw badCursor();
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = (parsed as Record<string, unknown>)[f];
    // Every field is a key attribute: DynamoDB refuses an empty one, or a sort key over 1024 bytes.
    if (typeof v !== 'string' || v === '' || v.length > 512 || Buffer.byteLength(v, 'utf8') > 1024) throw badCursor();
    out[f] = v;
  }
  if (fields.includes('sk') && !out.sk!.startsWith(prefix)) throw badCursor();
  if (scope !== undefined && (parsed as Record<string, unknown>).list !== scope) throw badCursor();
  return out;
}
