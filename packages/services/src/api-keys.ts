import type { RecordPage as Page } from '@drumbeat/core';
import {
  Forbidden,
  invalidField,
  newId,
  randomSecret,
  toApiKey,
  Unauthorized,
  type ApiKey,
  type KeyCreate,
  type KeyRecord,
  type Role,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { constantTimeEqual, sha256Hex } from './secret-hash.js';

/** Who is calling: the workspace and role of a valid key, and for a personal key its person. */
export interface Principal {
  workspaceId: string;
  keyId: string;
  role: Role;
  /** Set for a personal key: the voice (person) the key belongs to. */
  voiceId?: string;
}

/** Who holds `record`: its workspace, role and, for a personal key, its person. */
function principal(ws: string, record: KeyRecord): Principal {
  return {
    workspaceId: ws,
    keyId: record.id,
    role: record.role,
    ...(record.voiceId ? { voiceId: record.voiceId } : {}),
  };
}

/** A key's secret token: `dbk.<workspace id>.<key id>.<secret>`. The ids route the lookup; only the secret's hash is stored. */
function formatToken(ws: string, keyId: string, secret: string): string {
  return `dbk.${ws}.${keyId}.${secret}`;
}

/**
 * API keys: create (secret shown once), list, revoke, authenticate.
 *
 * The secret is compared against the stored hash in constant time on every
 * request. Whether the key's record is read for it is the repositories'
 * affair: the embedded runtime (the table's only writer) keeps valid keys in
 * memory and forgets one as it is revoked; on AWS (many writers) every
 * request reads the key.
 */
export class ApiKeyService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Creates a key and returns it with its secret token, which is never shown
   * again. With `voiceId` it is that person's own key (the voice must exist
   * and not be archived).
   */
  async create(workspaceId: string, input: KeyCreate): Promise<ApiKey & { key: string }> {
    if (input.voiceId) {
      const voice = await this.deps.store.voices.find(workspaceId, input.voiceId);
      if (!voice) throw invalidField('voiceId', `voice ${input.voiceId} not found in this workspace`, 422);
      if (voice.archivedAt) throw invalidField('voiceId', 'the voice is archived', 422);
    }
    const now = this.deps.clock.now();
    const secret = randomSecret(32);
    const record: KeyRecord = {
      id: newId('key', now.getTime()),
      workspaceId,
      name: input.name,
      role: input.role,
      ...(input.voiceId ? { voiceId: input.voiceId } : {}),
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
    // Built only when refused: an error captures a stack, which a valid key need not pay for.
    const bad = () => new Unauthorized('invalid or revoked API key');
    if (parts.length !== 4 || parts[0] !== 'dbk') throw bad();
    const [, ws, keyId, secret] = parts as [string, string, string, string];
    if (!/^ws_[0-9a-z]{26}$/.test(ws) || !/^key_[0-9a-z]{26}$/.test(keyId)) throw bad();
    const record = await this.lookup(ws, keyId);
    if (!record || !constantTimeEqual(sha256Hex(secret), record.secretHash)) throw bad();
    return principal(ws, record);
  }

  /** The principal of a key named by id (a signed session's), while the key exists and is not revoked. */
  async principalOf(ws: string, keyId: string): Promise<Principal | undefined> {
    const record = await this.lookup(ws, keyId);
    return record ? principal(ws, record) : undefined;
  }

  /** The unrevoked key of that id, if any. */
  private async lookup(ws: string, keyId: string): Promise<KeyRecord | undefined> {
    const record = await this.deps.store.apiKeys.find(ws, keyId);
    return record && !record.revokedAt ? record : undefined;
  }
}
