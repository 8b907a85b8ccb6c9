import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRecord, VoiceRecord } from '@drumbeat/core';
import { fromItem, type Db } from './db.js';
import { ACCOUNT_PREFIX, accountKey } from './table/account-keys.js';
import { voiceKey } from './table/voice-keys.js';

/** An account and a voice of one workspace in a single BatchGetItem (the publish path's one read besides the claim). */
export async function getAccountAndVoice(
  db: Db,
  ws: string,
  accountId: string,
  voiceId: string,
): Promise<{ account?: AccountRecord; voice?: VoiceRecord }> {
  let request: Record<string, unknown>[] = [accountKey(ws, accountId), voiceKey(ws, voiceId)];
  const out: { account?: AccountRecord; voice?: VoiceRecord } = {};
  for (let attempt = 0; request.length && attempt < 8; attempt++) {
    const r = await db.doc.send(
      new BatchGetCommand({ RequestItems: { [db.table]: { Keys: request, ConsistentRead: true } } }),
    );
    for (const item of r.Responses?.[db.table] ?? []) {
      if ((item.sk as string).startsWith(`${ACCOUNT_PREFIX}#`)) out.account = fromItem<AccountRecord>(item);
      else out.voice = fromItem<VoiceRecord>(item);
    }
    request = (r.UnprocessedKeys?.[db.table]?.Keys ?? []) as Record<string, unknown>[];
    if (request.length) await new Promise((res) => setTimeout(res, 10 * 2 ** attempt));
  }
  return out;
}
