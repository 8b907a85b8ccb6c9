/** One page of a list. */
export interface RecordPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** How a page is asked for: its size and where the previous one ended. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}
