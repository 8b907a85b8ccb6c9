import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeyService } from '@drumbeat/services';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';

/**
 * The embedded runtime is the table's only writer, so it keeps API keys,
 * accounts and voices in memory: a request needs neither the key's read nor
 * the account's and voice's. Every change made through the services forgets
 * what it changed before it answers, so the very next request sees it.
 */

let api: TestApi;
let owner: string;
/** Store calls by command name since the last reset. */
const calls = new Map<string, number>();
/** When set, every call of that command sent meanwhile has its answer held back until `until` (the read is done, its answer late). */
let hold: { command: string; until: Promise<void> } | undefined;

beforeAll(async () => {
  api = await startTestApi();
  owner = (await api.workspace('Cache Co')).key;
  api.store.db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName).replace(/Command$/, '');
      calls.set(name, (calls.get(name) ?? 0) + 1);
      const held = hold?.command === name ? hold.until : undefined;
      const out = await next(args);
      await held;
      return out;
    },
    { step: 'initialize', name: 'cacheTestCounter' },
  );
});
afterAll(() => api.close());
beforeEach(() => {
  calls.clear();
  hold = undefined;
});

/** A promise to hold responses on, and its release. */
function gate(): { until: Promise<void>; release(): void } {
  let release!: () => void;
  const until = new Promise<void>((r) => (release = r));
  return { until, release };
}

const DAY = 86_400_000;
let n = 0;
/** A post body at a distinct instant off the account's slots. */
const postBody = (voiceId: string) => ({
  text: `Cached ${n}`,
  media: [],
  voiceId,
  at: new Date(Date.parse('2026-12-20T08:17:00Z') + n++ * DAY).toISOString(),
});

async function editorKey(): Promise<{ id: string; key: string }> {
  const r = await api.call('POST', '/v1/keys', { key: owner, body: { name: 'editor', role: 'editor' } });
  expect(r.status).toBe(201);
  return { id: r.body.id, key: r.body.key };
}

describe('API keys in single-writer mode', () => {
  it('authenticates a known key without reading it again', async () => {
    const k = await editorKey();
    expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(200);
    calls.clear();
    expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(200);
    expect(calls.get('GetItem') ?? 0).toBe(0);
  });

  it('refuses a revoked key on the very next request, though it was cached', async () => {
    const k = await editorKey();
    for (let i = 0; i < 2; i++) expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(200);
    expect((await api.call('DELETE', `/v1/keys/${k.id}`, { key: owner })).status).toBe(200);
    expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(401);
    expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(401);
  });

  it('still compares the secret of a cached key', async () => {
    const k = await editorKey();
    expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(200);
    const forged = k.key.replace(/[^.]+$/, (s) => `${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`);
    expect((await api.call('GET', '/v1/voices', { key: forged })).status).toBe(401);
    expect((await api.call('GET', '/v1/voices', { key: k.key.slice(0, -1) })).status).toBe(401);
  });

  it('does not remember a key read that raced its revocation', async () => {
    const k = await editorKey();
    const g = gate();
    hold = { command: 'GetItem', until: g.until };
    // The lookup reads the key before the revocation and answers after it.
    const racing = api.services.apiKeys.authenticate(k.key);
    await new Promise((r) => setTimeout(r, 20));
    hold = undefined;
    const ownerPrincipal = await api.services.apiKeys.authenticate(owner);
    await api.services.apiKeys.revoke(ownerPrincipal, k.id);
    g.release();
    await racing.catch(() => undefined);
    await expect(api.services.apiKeys.authenticate(k.key)).rejects.toMatchObject({ status: 401 });
  });

  it('reads the key on every request when other processes may write the table', async () => {
    const k = await editorKey();
    // The table itself, as on AWS: no single-writer cache in front of it.
    const shared = new ApiKeyService({ ...api.services.deps, store: api.store });
    const principal = await shared.authenticate(k.key);
    // Revoked by another writer: this service never hears of it, and must still refuse the key.
    await api.store.apiKeys.revoke(principal.workspaceId, k.id, new Date());
    await expect(shared.authenticate(k.key)).rejects.toMatchObject({ status: 401 });
  });
});

describe('accounts and voices read by post creation in single-writer mode', () => {
  async function setup(account: Record<string, unknown> = {}) {
    const voice = (
      await api.call('POST', '/v1/voices', {
        key: owner,
        body: { name: `Writer ${n}`, affiliation: 'agency', signature: 'AG' },
      })
    ).body.id as string;
    const acc = (
      await api.call('POST', '/v1/accounts', { key: owner, body: accountBody({ handle: `@cache${n++}`, ...account }) })
    ).body.id as string;
    expect((await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: postBody(voice) })).status).toBe(
      201,
    );
    return { voice, acc };
  }

  it('creates the next post without reading the account or the voice', async () => {
    const { voice, acc } = await setup();
    calls.clear();
    expect((await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: postBody(voice) })).status).toBe(
      201,
    );
    expect(calls.get('BatchGetItem') ?? 0).toBe(0);
  });

  it('sees an account edit at the next post creation', async () => {
    const { voice, acc } = await setup();
    expect(
      (await api.call('PATCH', `/v1/accounts/${acc}`, { key: owner, body: { approval: { required: true } } })).status,
    ).toBe(200);
    const r = await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: postBody(voice) });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('pending_approval');
  });

  it('refuses a post on an account archived after it was cached', async () => {
    const { voice, acc } = await setup();
    expect((await api.call('DELETE', `/v1/accounts/${acc}`, { key: owner })).status).toBeLessThan(300);
    expect((await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: postBody(voice) })).status).toBe(
      409,
    );
  });

  it('sees a voice edit at the next post creation', async () => {
    const { voice, acc } = await setup({ disclosure: { signature: 'initials' } });
    // Mastodon allows 500 characters: 490 fit signed " ^AG", not with a long signature.
    const text = 'x'.repeat(490);
    expect(
      (await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: { ...postBody(voice), text } })).status,
    ).toBe(201);
    expect(
      (await api.call('PATCH', `/v1/voices/${voice}`, { key: owner, body: { signature: 'A much longer sign-off' } }))
        .status,
    ).toBe(200);
    expect(
      (await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: { ...postBody(voice), text } })).status,
    ).toBe(422);
  });

  it('refuses a voice archived after it was cached', async () => {
    const { voice, acc } = await setup();
    expect((await api.call('PATCH', `/v1/voices/${voice}`, { key: owner, body: { archived: true } })).status).toBe(200);
    const r = await api.call('POST', `/v1/accounts/${acc}/posts`, { key: owner, body: postBody(voice) });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toContain('archived');
  });

  it('does not remember an account read that raced an edit', async () => {
    const { voice, acc } = await setup();
    const ws = (await api.services.apiKeys.authenticate(owner)).workspaceId;
    // Forget the account (an unrelated edit), so the next creation reads it.
    await api.services.accounts.update(ws, acc, { name: 'renamed' });
    const g = gate();
    hold = { command: 'BatchGetItem', until: g.until };
    const racing = api.services.posts.create(ws, acc, postBody(voice) as never);
    await new Promise((r) => setTimeout(r, 20));
    hold = undefined;
    await api.services.accounts.update(ws, acc, { approval: { required: true } });
    g.release();
    // It read the account before the edit: it may plan the post as before (it raced), but nothing after it may.
    await racing;
    const next = await api.services.posts.create(ws, acc, postBody(voice) as never);
    expect(next.status).toBe('pending_approval');
  });
});
