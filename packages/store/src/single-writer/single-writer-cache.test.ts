import { describe, expect, it } from 'vitest';
import type {
  AccountRecord,
  AccountRepository,
  ApiKeyRepository,
  KeyRecord,
  Repositories,
  VoiceRecord,
  VoiceRepository,
} from '@drumbeat/core';
import { singleWriterCache } from './single-writer-cache.js';

/** A table of one account, one voice and one key, counting reads; `hold` keeps reads' answers back until released. */
function fakeTable() {
  const t = {
    account: { id: 'acc_1', workspaceId: 'ws_1', name: 'A', version: 1 } as unknown as AccountRecord,
    voice: { id: 'vce_1', workspaceId: 'ws_1', name: 'V', version: 1 } as unknown as VoiceRecord,
    key: { id: 'key_1', workspaceId: 'ws_1', role: 'editor', secretHash: 'h' } as unknown as KeyRecord,
    batchReads: 0,
    keyReads: 0,
    held: undefined as Promise<void> | undefined,
  };
  /** Reads now, answers once `held` (as it was when the read began) is released. */
  const read = async <T>(value: () => T): Promise<T> => {
    const held = t.held;
    const v = value();
    await held;
    return v;
  };
  const accounts = {
    findWithVoice: (_ws: string, _a: string, _v: string) => (
      t.batchReads++, read(() => ({ account: t.account, voice: t.voice }))
    ),
    replace: async (_ws: string, record: AccountRecord) => void (t.account = record),
    create: async () => {},
  } as unknown as AccountRepository;
  const voices = {
    replace: async (_ws: string, record: VoiceRecord) => void (t.voice = record),
    markHasPosts: async () => void (t.voice = { ...t.voice, hasPosts: true }),
  } as unknown as VoiceRepository;
  const apiKeys = {
    find: (_ws: string, _id: string) => (t.keyReads++, read(() => t.key)),
    revoke: async (_ws: string, _id: string, at: Date) => (t.key = { ...t.key, revokedAt: at.toISOString() }),
  } as unknown as ApiKeyRepository;
  const posts = {};
  const inner = { accounts, voices, apiKeys, posts } as unknown as Repositories;
  return { t, inner };
}

function gate(): { until: Promise<void>; release(): void } {
  let release!: () => void;
  const until = new Promise<void>((r) => (release = r));
  return { until, release };
}

describe('singleWriterCache: accounts and voices', () => {
  it('makes one read for callers that miss together, then answers from memory', async () => {
    const { t, inner } = fakeTable();
    const { accounts } = singleWriterCache(inner);
    const found = await Promise.all(Array.from({ length: 20 }, () => accounts.findWithVoice('ws_1', 'acc_1', 'vce_1')));
    expect(t.batchReads).toBe(1);
    for (const f of found) expect([f.account?.id, f.voice?.id]).toEqual(['acc_1', 'vce_1']);
    await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1');
    expect(t.batchReads).toBe(1);
  });

  it('forgets what its own writes change, so the next read sees it', async () => {
    const { t, inner } = fakeTable();
    const { accounts, voices } = singleWriterCache(inner);
    await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1');
    await accounts.replace('ws_1', { ...t.account, name: 'B', version: 2 }, 1);
    expect((await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1')).account?.name).toBe('B');
    await voices.replace('ws_1', { ...t.voice, name: 'W', version: 2 }, 1);
    expect((await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1')).voice?.name).toBe('W');
    expect(t.batchReads).toBe(3);
  });

  it('neither shares nor remembers a read that a write overtook', async () => {
    const { t, inner } = fakeTable();
    const { accounts } = singleWriterCache(inner);
    const g = gate();
    t.held = g.until;
    const racing = accounts.findWithVoice('ws_1', 'acc_1', 'vce_1'); // reads the old account, answers late
    t.held = undefined;
    const edit = accounts.replace('ws_1', { ...t.account, name: 'B', version: 2 }, 1);
    const after = accounts.findWithVoice('ws_1', 'acc_1', 'vce_1'); // does not join the read begun before the edit
    await edit;
    g.release();
    expect((await racing).account?.name).toBe('A'); // its caller raced the change
    expect((await after).account?.name).toBe('B');
    expect((await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1')).account?.name).toBe('B');
  });

  it('marks a remembered voice as having posts without reading it again', async () => {
    const { t, inner } = fakeTable();
    const { accounts, voices } = singleWriterCache(inner);
    await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1');
    await voices.markHasPosts('ws_1', 'vce_1');
    expect((await accounts.findWithVoice('ws_1', 'acc_1', 'vce_1')).voice?.hasPosts).toBe(true);
    expect(t.batchReads).toBe(1);
  });

  it('hands the other repositories through as they are', () => {
    const { inner } = fakeTable();
    expect(singleWriterCache(inner).posts).toBe(inner.posts);
  });
});

describe('singleWriterCache: API keys', () => {
  it('reads a valid key once, and reads it again after its revocation, which it never remembers', async () => {
    const { t, inner } = fakeTable();
    const { apiKeys } = singleWriterCache(inner);
    await apiKeys.find('ws_1', 'key_1');
    await apiKeys.find('ws_1', 'key_1');
    expect(t.keyReads).toBe(1);
    await apiKeys.revoke('ws_1', 'key_1', new Date('2026-12-01T00:00:00Z'));
    expect((await apiKeys.find('ws_1', 'key_1'))?.revokedAt).toBeDefined();
    expect((await apiKeys.find('ws_1', 'key_1'))?.revokedAt).toBeDefined();
    expect(t.keyReads).toBe(3);
  });

  it('does not remember a key read that raced its revocation', async () => {
    const { t, inner } = fakeTable();
    const { apiKeys } = singleWriterCache(inner);
    const g = gate();
    t.held = g.until;
    const racing = apiKeys.find('ws_1', 'key_1');
    t.held = undefined;
    await apiKeys.revoke('ws_1', 'key_1', new Date('2026-12-01T00:00:00Z'));
    g.release();
    expect((await racing)?.revokedAt).toBeUndefined(); // read before the revocation
    expect((await apiKeys.find('ws_1', 'key_1'))?.revokedAt).toBeDefined();
  });
});
