import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailOwner, EmailRefRepository } from '@drumbeat/core';
import type { Db } from './db.js';
import { queryPages } from './query-pages.js';
import {
  EMAIL_REF_OWNER as OWNER,
  emailRefPk as pk,
  emailRefSk as sk,
  normalizeAddress,
} from './table/email-ref-keys.js';

export { normalizeAddress };
export type { EmailOwner };

/** The ref item of one (address, owner). */
export const refItem = (address: string, owner: EmailOwner) => ({
  pk: pk(address),
  sk: sk(owner),
  type: 'EMAILREF',
  address: normalizeAddress(address),
  ...owner,
});

/**
 * From an address to what uses it (a bounce names only an address): one item
 * per (address, owner), `pk = EMAIL#<address>`, `sk = WS#<ws>#ACCOUNT|VOICE#<id>`,
 * outside any workspace partition like the slug claims. They are hints kept
 * a superset of the truth: `track` puts the refs of the new addresses before
 * the owner's write and deletes those of the dropped ones after it, so a
 * crash in between leaves an extra ref (the reader checks the owner itself),
 * never a missing one. Cheaper than a GSI: an account has several alert
 * addresses (one GSI key per item cannot hold them) and the reads are rare
 * (one query per bounce); the writes happen only when an address changes.
 */
export class EmailRefRepo implements EmailRefRepository {
  constructor(private readonly db: Db) {}

  /** Runs `write` (the owner's own write) with its refs in step: new addresses before, dropped ones after. */
  async track<T>(
    owner: EmailOwner,
    before: readonly (string | undefined)[],
    after: readonly (string | undefined)[],
    write: () => Promise<T>,
  ): Promise<T> {
    const norm = (xs: readonly (string | undefined)[]) =>
      new Set(xs.filter((x): x is string => !!x && x.includes('@')).map(normalizeAddress));
    const old = norm(before);
    const now = norm(after);
    for (const a of now)
      if (!old.has(a)) await this.db.doc.send(new PutCommand({ TableName: this.db.table, Item: refItem(a, owner) }));
    const result = await write();
    for (const a of old)
      if (!now.has(a))
        await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: { pk: pk(a), sk: sk(owner) } }));
    return result;
  }

  /** Everything that uses (or used: check the owner) this address, in every workspace. */
  async owners(address: string): Promise<EmailOwner[]> {
    const out: EmailOwner[] = [];
    for await (const items of queryPages(this.db, {
      TableName: this.db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk(address) },
    })) {
      for (const item of items) {
        const m = OWNER.exec(String(item.sk));
        if (m) out.push({ workspaceId: m[1]!, kind: m[2] === 'ACCOUNT' ? 'account' : 'voice', id: m[3]! });
      }
    }
    return out;
  }
}
