import { Forbidden, newId, randomSecret, toApiKey, Unauthorized, type ApiKey, type KeyCreate, type KeyRecord, type Role } from '@drumbeat/core';
import type { Page } from '@drumbeat/store';
import type { ServiceDeps } from './deps.js';
import { constantTimeEqual, sha256Hex } from './secret-hash.js';

/** Who is calling: the workspace and role of a valid key. */
export interface Principal {
  workspaceId: string;
  keyId: string;
  role: Role;
}

/** A key's secret token: `dbk.<workspace id>.<key id>.<secret>`. The ids route the lookup; only the secret's hash is stored. */
function formatToken(ws: string, keyId: string, secret: string): string {
  return `dbk.${ws}.${keyId}.${secret}`;
}

/** API keys: create (secret shown once), list, revoke, authenticate. */
export class ApiKeyService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Creates a key and returns it with its secret token, which is never shown again. */
  async create(workspaceId: string, input: KeyCreate): Promise<ApiKey & { key: string }> {
    const now = this.deps.clock.now();
    const secret = randomSecret(32);
    const record: KeyRecord = {
      id: newId('key', now.getTime()),
      workspaceId,
      name: input.name,
      role: input.role,
      secretHash: sha256Hex(secret),
      createdAt: now.toISOString(),
    };
    await this.deps.store.apiKeys.create(workspaceId, record);
    return { ...toApiKey(record), key: formatToken(workspaceId, record.id, secret) };
  }

  /** A page of the workspace's keys, revoked ones included. */
  async list(workspaceId: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<ApiKey>> {
    const r = await this.deps.store.apiKeys.list(workspaceId, page);
    return { items: r.items.map(toApiKey), nextCursor: r.nextCursor };
  }

  /** Revokes a key; it is refused from the next request on. A key may not revoke itself. */
  async revoke(principal: Principal, keyId: string): Promise<ApiKey> {
    if (keyId === principal.keyId) throw new Forbidden('a key cannot revoke itself; use another owner key');
    return toApiKey(await this.deps.store.apiKeys.revoke(principal.workspaceId, keyId, this.deps.clock.now()));
  }

  /** The principal of a bearer token, or Unauthorized. */
  async authenticate(token: string): Promise<Principal> {
    const parts = token.split('.');
    const bad = new Unauthorized('invalid or revoked API key');
    if (parts.length !== 4 || parts[0] !== 'dbk') throw bad;
    const [, ws, keyId, secret] = parts as [string, string, string, string];
    if (!/^ws_[0-9a-z]{26}$/.test(ws) || !/^key_[0-9a-z]{26}$/.test(keyId)) throw bad;
    const record = await this.deps.store.apiKeys.find(ws, keyId);
    if (!record || record.revokedAt || !constantTimeEqual(sha256Hex(secret), record.secretHash)) throw bad;
    return { workspaceId: ws, keyId, role: record.role };
  }
}
