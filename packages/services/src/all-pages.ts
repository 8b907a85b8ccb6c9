/** Every item of a paged list, following its cursors (pages of 200). */
export async function allPages<T>(
  page: (o: { limit: number; cursor?: string }) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page({ limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
