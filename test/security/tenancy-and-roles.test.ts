import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@drumbeat/core';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { signLink, type LinkKind } from '@drumbeat/services';

/**
 * The contract of every authenticated route: the least role it needs, and a
 * body that is valid apart from the resource it names, so a probe reaches the
 * tenancy check instead of stopping at validation. A route missing from this
 * table fails the suite: new routes must say who may call them.
 */
const CONTRACT: Record<string, { role: Role; body?: (ids: Ids) => unknown; kind?: keyof Ids; csv?: boolean }> = {
  'POST /v1/keys': { role: 'owner', body: () => ({ name: 'k', role: 'viewer' }) },
  'GET /v1/keys': { role: 'owner' },
  'DELETE /v1/keys/{id}': { role: 'owner', kind: 'key' },
  'POST /v1/voices': { role: 'editor', body: () => ({ name: 'v', affiliation: 'agency' }) },
  'GET /v1/voices': { role: 'viewer' },
  'GET /v1/voices/{id}': { role: 'viewer', kind: 'voice' },
  'PATCH /v1/voices/{id}': { role: 'editor', kind: 'voice', body: () => ({ name: 'renamed' }) },
  'DELETE /v1/voices/{id}': { role: 'editor', kind: 'voice' },
  'POST /v1/accounts': { role: 'owner', body: () => accountBody() },
  'GET /v1/accounts': { role: 'viewer' },
  'GET /v1/accounts/{id}': { role: 'viewer', kind: 'account' },
  'PATCH /v1/accounts/{id}': { role: 'owner', kind: 'account', body: () => ({ name: 'renamed' }) },
  'DELETE /v1/accounts/{id}': { role: 'owner', kind: 'account' },
  'POST /v1/accounts/{id}/channel/rotate-secret': { role: 'owner', kind: 'account' },
  'POST /v1/accounts/{id}/posts': {
    role: 'editor',
    kind: 'account',
    body: (ids) => ({ text: 'x', voiceId: ids.ownVoice, slot: 'next' }),
  },
  'GET /v1/accounts/{id}/posts': { role: 'viewer', kind: 'account' },
  'GET /v1/posts/{id}': { role: 'viewer', kind: 'post' },
  'PATCH /v1/posts/{id}': { role: 'editor', kind: 'post', body: () => ({ text: 'edited' }) },
  'DELETE /v1/posts/{id}': { role: 'editor', kind: 'post' },
  'POST /v1/posts/{id}/approve': { role: 'approver', kind: 'post', body: (ids) => ({ voiceId: ids.ownVoice }) },
  'POST /v1/posts/{id}/reject': { role: 'approver', kind: 'post', body: (ids) => ({ voiceId: ids.ownVoice }) },
  'POST /v1/posts/{id}/published': { role: 'editor', kind: 'post', body: () => ({}) },
  'POST /v1/posts/{id}/review-links': { role: 'editor', kind: 'post', body: (ids) => ({ voiceId: ids.ownVoice }) },
  'GET /v1/accounts/{id}/calendar': { role: 'viewer', kind: 'account' },
  'GET /v1/accounts/{id}/calendar.ics': { role: 'viewer', kind: 'account' },
  'GET /v1/accounts/{id}/feed': { role: 'viewer', kind: 'account' },
  'POST /v1/accounts/{id}/feed/rotate': { role: 'owner', kind: 'account' },
  'POST /v1/import': { role: 'editor', csv: true },
  'GET /v1/imports/{id}': { role: 'viewer' },
  'GET /v1/accounts/{id}/posts.csv': { role: 'viewer', kind: 'account' },
  'GET /v1/accounts/{id}/attribution': { role: 'viewer', kind: 'account' },
  'GET /v1/accounts/{id}/attribution.csv': { role: 'viewer', kind: 'account' },
  'GET /v1/attribution/verify': { role: 'viewer' },
  'GET /v1/attribution/export': { role: 'viewer' },
  'POST /v1/webhooks': { role: 'owner', body: () => ({ url: 'https://hooks.example/x', events: ['*'] }) },
  'GET /v1/webhooks': { role: 'viewer' },
  'DELETE /v1/webhooks/{id}': { role: 'owner', kind: 'webhook' },
  'GET /v1/webhooks/{id}/deliveries': { role: 'viewer', kind: 'webhook' },
  'GET /v1/alerts': { role: 'viewer' },
  'POST /v1/alerts/{id}/ack': { role: 'approver', kind: 'alert' },
  'GET /v1/accounts/{id}/stats': { role: 'viewer', kind: 'account' },
  'POST /v1/app-links': { role: 'viewer', body: () => ({}) },
  'POST /v1/accounts/{id}/conversations': {
    role: 'editor',
    kind: 'account',
    body: () => ({
      externalId: 'probe',
      kind: 'mention',
      author: { handle: '@probe' },
      text: 'x',
      receivedAt: '2026-11-23T09:00:00Z',
    }),
  },
  'GET /v1/accounts/{id}/conversations': { role: 'viewer', kind: 'account' },
  'GET /v1/accounts/{id}/conversations/report': { role: 'viewer', kind: 'account' },
  'GET /v1/conversations/{id}': { role: 'viewer', kind: 'conversation' },
  'POST /v1/conversations/{id}/assign': {
    role: 'editor',
    kind: 'conversation',
    body: (ids) => ({ voiceId: ids.ownVoice }),
  },
  'POST /v1/conversations/{id}/dismiss': { role: 'editor', kind: 'conversation', body: () => ({ reason: 'probe' }) },
  'POST /v1/conversations/{id}/reply': {
    role: 'editor',
    kind: 'conversation',
    body: (ids) => ({ text: 'probe', voiceId: ids.ownVoice }),
  },
  // any key may connect; each MCP tool is refused as its REST route refuses (test/mcp)
  'POST /mcp': { role: 'viewer', body: () => ({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) },
};
const PUBLIC = new Set([
  'GET /healthz',
  'POST /v1/workspaces',
  'GET /feeds/{file}',
  'GET /t/{slug}/{handle}',
  'GET /t/{slug}/{handle}/transparency.json',
]);

interface Ids {
  key: string;
  voice: string;
  account: string;
  post: string;
  webhook: string;
  alert: string;
  conversation: string;
  ownVoice: string;
}

let api: TestApi;
let mine: { key: string; keys: Record<Role, string> } & { ids: Ids };
let theirs: Ids;
let theirWs: string;

async function seed(name: string): Promise<{ key: string; ws: string; ids: Ids }> {
  const w = await api.workspace(name);
  const key = w.key;
  const voice = (
    await api.call('POST', '/v1/voices', {
      key,
      body: { name: `${name} voice`, email: `${name.toLowerCase()}@secret.example`, affiliation: 'agency' },
    })
  ).body.id;
  // onBehalf: the role matrix probes approve/reject with workspace keys, which only such an account lets through to the post's state
  const account = (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({ name: `${name} account`, approval: { required: false, onBehalf: true } }),
    })
  ).body.id;
  const post = (
    await api.call('POST', `/v1/accounts/${account}/posts`, {
      key,
      body: { text: `${name} secret draft`, voiceId: voice, slot: 'next' },
    })
  ).body.id;
  const k = (await api.call('POST', '/v1/keys', { key, body: { name: 'spare', role: 'viewer' } })).body.id;
  const webhook = (
    await api.call('POST', '/v1/webhooks', { key, body: { url: 'https://hooks.example/x', events: ['*'] } })
  ).body.id;
  // the account's cadence has empty slots ahead, so it has an open empty_slots alert
  const alert = (await api.call('GET', '/v1/alerts', { key })).body.items[0]?.id;
  if (!alert) throw new Error('seed: expected an open alert');
  const conversation = (
    await api.call('POST', `/v1/accounts/${account}/conversations`, {
      key,
      body: {
        externalId: '1',
        kind: 'mention',
        author: { handle: '@fan' },
        text: `${name} secret question`,
        receivedAt: '2026-11-23T09:00:00Z',
      },
    })
  ).body.items[0].id;
  return { key, ws: w.id, ids: { key: k, voice, account, post, webhook, alert, conversation, ownVoice: voice } };
}

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const me = await seed('Mine');
  const keys = {} as Record<Role, string>;
  for (const role of ['owner', 'editor', 'approver', 'viewer'] as const) {
    keys[role] = (await api.call('POST', '/v1/keys', { key: me.key, body: { name: role, role } })).body.key;
  }
  mine = { ...me, keys };
  const other = await seed('Theirs');
  theirs = other.ids;
  theirWs = other.ws;
});
afterAll(() => api.close());

function request(route: string, ids: Ids, key: string) {
  const [method, template] = route.split(' ') as [string, string];
  const c = CONTRACT[route]!;
  const path = template.replace('{id}', c.kind ? ids[c.kind] : '');
  if (c.csv)
    return api.call(method, path, {
      key,
      body: `account,at,text,voice\n${ids.account},next,x,${ids.ownVoice}`,
      headers: { 'Content-Type': 'text/csv' },
    });
  return api.call(method, path, { key, ...(c.body ? { body: c.body({ ...ids, ownVoice: mine.ids.ownVoice }) } : {}) });
}

describe('every route of the OpenAPI document is in the access contract', () => {
  it('has no route without a declared role', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const unlisted = routes.filter((r) => !CONTRACT[r] && !PUBLIC.has(r));
    expect(unlisted).toEqual([]);
  });
});

describe("another workspace's resources", () => {
  it.each(Object.keys(CONTRACT).filter((r) => CONTRACT[r]!.kind))('%s answers 404 and leaks nothing', async (route) => {
    const r = await request(route, theirs, mine.key);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(r.body)).not.toMatch(/Theirs|secret\.example|secret draft|secret question/);
  });

  it('are left untouched by every probe', async () => {
    const post = await api.store.posts.get(theirWs, theirs.post);
    expect(post).toMatchObject({ status: 'scheduled', text: 'Theirs secret draft' });
    expect((await api.store.voices.get(theirWs, theirs.voice)).name).toBe('Theirs voice');
    expect((await api.store.accounts.get(theirWs, theirs.account)).archivedAt).toBeUndefined();
    expect((await api.store.apiKeys.get(theirWs, theirs.key)).revokedAt).toBeUndefined();
    expect(await api.store.conversations.get(theirWs, theirs.conversation)).toMatchObject({
      status: 'open',
      text: 'Theirs secret question',
    });
    expect(await api.store.conversations.get(theirWs, theirs.conversation)).not.toHaveProperty('assigneeId');
  });
});

describe("another workspace's ids inside a request body", () => {
  it('cannot author, approve or import with them, and learn nothing of them', async () => {
    const leaks = /Theirs|secret\.example|secret draft/;
    const post = await api.call('POST', `/v1/accounts/${mine.ids.account}/posts`, {
      key: mine.key,
      body: { text: 'x', voiceId: theirs.voice, slot: 'next' },
    });
    expect(post.status).toBe(422);
    expect(post.body.errors.map((e: { path: string }) => e.path)).toEqual(['voiceId']);
    const pending = (
      await api.call('POST', `/v1/accounts/${mine.ids.account}/posts`, {
        key: mine.key,
        body: { text: 'mine', voiceId: mine.ids.ownVoice, slot: 'next' },
      })
    ).body.id;
    for (const action of ['approve', 'reject']) {
      const r = await api.call('POST', `/v1/posts/${pending}/${action}`, {
        key: mine.key,
        body: { voiceId: theirs.voice },
      });
      expect(r.status, action).toBeGreaterThanOrEqual(400);
      expect(r.status, action).toBeLessThan(500);
      expect(JSON.stringify(r.body)).not.toMatch(leaks);
    }
    const csv = await api.call('POST', '/v1/import', {
      key: mine.key,
      body: `account,at,text,voice\n${theirs.account},next,x,${theirs.voice}`,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(csv.status).toBe(422);
    expect(csv.body.errors.map((e: { path: string }) => e.path)).toEqual(['rows.2.account', 'rows.2.voice']);
    expect(JSON.stringify([post.body, csv.body])).not.toMatch(leaks);
    expect((await api.store.posts.listByAccount(theirWs, theirs.account, { limit: 10 })).items).toHaveLength(1);
  });
});

describe('roles', () => {
  const ORDER: Role[] = ['viewer', 'approver', 'editor', 'owner'];
  const allows = (held: Role, needed: Role) => held === 'owner' || held === needed || needed === 'viewer';
  it.each(Object.keys(CONTRACT))('%s is refused (403 problem) to roles below its own', async (route) => {
    for (const role of ORDER) {
      const r = await request(route, mine.ids, mine.keys[role]);
      if (allows(role, CONTRACT[route]!.role)) expect(r.status, `${role} on ${route}`).not.toBe(403);
      else {
        expect(r.status, `${role} on ${route}`).toBe(403);
        expect(r.headers.get('content-type')).toBe('application/problem+json');
      }
    }
  });
});

describe('keys', () => {
  it('are refused from the very next request once revoked', async () => {
    const k = (await api.call('POST', '/v1/keys', { key: mine.key, body: { name: 'short-lived', role: 'editor' } }))
      .body;
    expect((await api.call('GET', '/v1/voices', { key: k.key })).status).toBe(200);
    await api.call('DELETE', `/v1/keys/${k.id}`, { key: mine.key });
    const r = await api.call('GET', '/v1/voices', { key: k.key });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After once a key exceeds its limit, and lets other keys through', async () => {
    const limited = await startTestApi({ rateLimit: { perMinute: 60, burst: 5 } });
    try {
      const a = (await limited.workspace('A')).key;
      const b = (await limited.workspace('B')).key;
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof limited.call>> | undefined;
      for (let i = 0; i < 7; i++) {
        last = await limited.call('GET', '/v1/voices', { key: a });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      expect(last!.headers.get('content-type')).toBe('application/problem+json');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.call('GET', '/v1/voices', { key: b })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("another workspace's post in the calendar page's forms (/app/posts/{id}/…)", () => {
  it.each(['decide', 'reschedule', 'cancel'])(
    '%s: a signed-in owner of this workspace gets a 404 page that shows nothing of theirs, and changes nothing',
    async (verb) => {
      const signIn = await api.app.request('http://localhost/app/sign-in', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
        body: new URLSearchParams({ key: mine.keys.owner, next: '/app' }).toString(),
      });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      const page = await (
        await api.app.request(`http://localhost/app/accounts/${mine.ids.account}/calendar`, {
          headers: { Cookie: cookie },
        })
      ).text();
      const formToken = /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const fields = { formToken, decision: 'approve', at: '2026-12-01T10:00', version: '1', rev: 'x' };
      const res = await api.app.request(`http://localhost/app/posts/${theirs.post}/${verb}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost', Cookie: cookie },
        body: new URLSearchParams(fields).toString(),
      });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/Theirs|secret\.example|secret draft/);
      expect(await api.store.posts.get(theirWs, theirs.post)).toMatchObject({
        status: 'scheduled',
        text: 'Theirs secret draft',
      });
    },
  );
});

describe("another workspace's ids inside a signed action link (/a/…)", () => {
  it.each(['review', 'manual', 'ack'] as LinkKind[])(
    'a %s link signed by this workspace naming theirs is a 4xx page that shows nothing of theirs, and changes nothing',
    async (kind) => {
      const ws = (mine as unknown as { ws: string }).ws;
      const { generation, key } = await api.services.actionLinks.secrets.signing(ws);
      const objectId = kind === 'ack' ? theirs.alert : theirs.post;
      const token = signLink(key, {
        kind,
        workspaceId: ws,
        objectId,
        subject: mine.ids.ownVoice,
        rev: 'x',
        expiresAt: 4_000_000_000,
        generation,
      });
      for (const method of ['GET', 'POST']) {
        const res = await api.app.request(`http://localhost/a/${token}`, {
          method,
          ...(method === 'POST'
            ? {
                headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
                body: 'decision=approve&url=https%3A%2F%2Fx.example%2F1',
              }
            : {}),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(await res.text()).not.toMatch(/Theirs|secret\.example|secret draft/);
      }
      // Their workspace's id in the link's own workspace field: signed by the wrong secret, so refused before any read.
      const forged = signLink(key, {
        kind,
        workspaceId: theirWs,
        objectId,
        subject: mine.ids.ownVoice,
        rev: 'x',
        expiresAt: 4_000_000_000,
        generation,
      });
      expect((await api.app.request(`http://localhost/a/${forged}`)).status).toBe(403);
      expect(await api.store.posts.get(theirWs, theirs.post)).toMatchObject({
        status: 'scheduled',
        text: 'Theirs secret draft',
      });
    },
  );
});
