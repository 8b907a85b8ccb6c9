import { NotFound, randomSecret, type AccountRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { constantTimeEqual } from './secret-hash.js';

const ID_BODY = 26;

/**
 * Secret calendar feed links. A token is the workspace id body, the account id
 * body and a random secret, all base64url characters, so a calendar app can
 * subscribe to `/feeds/<token>.ics` without a bearer key. Rotating the secret
 * breaks old links at once.
 */
export class FeedService {
  constructor(private readonly deps: ServiceDeps) {}

  private token(a: AccountRecord & { feedSecret: string }): string {
    return `${a.workspaceId.slice(3)}${a.id.slice(4)}${a.feedSecret}`;
  }

  private async setSecret(current: AccountRecord): Promise<string> {
    const next = { ...current, feedSecret: randomSecret(24), version: current.version + 1 };
    await this.deps.store.accounts.replace(current.workspaceId, next, current.version);
    return this.token(next);
  }

  /** The account's feed token, created on first use. */
  async current(ws: string, accountId: string): Promise<string> {
    const a = await this.deps.store.accounts.get(ws, accountId);
    return a.feedSecret ? this.token({ ...a, feedSecret: a.feedSecret }) : this.setSecret(a);
  }

  /** A new feed token; the previous link stops working. */
  async rotate(ws: string, accountId: string): Promise<string> {
    return this.setSecret(await this.deps.store.accounts.get(ws, accountId));
  }

  /** The account a feed token opens, or NotFound (malformed, unknown or rotated tokens alike). */
  async resolve(token: string): Promise<AccountRecord> {
    const gone = new NotFound('no such feed');
    if (!/^[0-9a-z]{52}[A-Za-z0-9_-]{16,}$/.test(token)) throw gone;
    const ws = `ws_${token.slice(0, ID_BODY)}`;
    const acc = `acc_${token.slice(ID_BODY, 2 * ID_BODY)}`;
    const account = await this.deps.store.accounts.find(ws, acc);
    if (!account?.feedSecret || account.archivedAt || !constantTimeEqual(token.slice(2 * ID_BODY), account.feedSecret))
      throw gone;
    return account;
  }
}
