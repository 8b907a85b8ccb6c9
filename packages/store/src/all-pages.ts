/** Every item of a paged list, following its cursors (pages of `size`, 200 unless told). */
export async function allPages<T>(
  page: (o: { limit: number; cursor?: string }) => Promise<{ items: T[]; nextCursor: string | null }>,
  size = 200,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page({ limit: size, ...(cursor ? { cursor } : {}) });
    out.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
