import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';

/**
 * The pages of one query, read one request at a time: each next page starts
 * at the previous page's `LastEvaluatedKey`, until there is none. A caller
 * that stops iterating (return or break) stops the reading: no request is
 * sent for a page nobody asked for.
 */
export async function* queryPages(
  db: Db,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield r.Items ?? [];
    start = r.LastEvaluatedKey;
  } while (start);
}
