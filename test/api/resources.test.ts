import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { accountBody, ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { json, startRecorder } from '../support/http-recorder.js';

let api: TestApi;
let ws: { id: string; key: string };
beforeAll(async () => {
  api = await startTestApi();
  ws = await api.workspace('Acme Coffee');
});
afterAll(() => api.close());

/** Every item of the table, as the document client reads it. */
async function scanTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await api.store.db.doc.send(
      new ScanCommand({ TableName: api.store.db.table, ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describe('workspaces', () => {
  it('are created with the admin token and return an owner key once', async () => {
    const r = await api.call('POST', '/v1/workspaces', { key: ADMIN, body: { name: 'Café Northwind' } });
    expect(r.status).toBe(201);
    expect(r.body.workspace).toMatchObject({ name: 'Café Northwind', slug: 'cafe-northwind' });
    expect(r.body.apiKey).toMatchObject({ role: 'owner', key: expect.stringMatching(/^dbk\./) });
  });

  it('refuse anything but the admin token', async () => {
    expect((await api.call('POST', '/v1/workspaces', { body: { name: 'x' } })).status).toBe(401);
    expect((await api.call('POST', '/v1/workspaces', { key: ws.key, body: { name: 'x' } })).status).toBe(401);
  });

  it('refuse a taken explicit slug, and suffix a taken derived one', async () => {
    const a = await api.call('POST', '/v1/workspaces', { key: ADMIN, body: { name: 'Dup', slug: 'dup-co' } });
    const b = await api.call('POST', '/v1/workspaces', { key: ADMIN, body: { name: 'Dup', slug: 'dup-co' } });
    expect([a.status, b.status]).toEqual([201, 409]);
    expect(b.body.errors).toEqual([{ path: 'slug', message: 'is taken' }]);
    const c = await api.call('POST', '/v1/workspaces', { key: ADMIN, body: { name: 'Dup Co' } });
    expect(c.status).toBe(201);
    expect(c.body.workspace.slug).toMatch(/^dup-co-[a-z0-9x]+$/);
  });
});

describe('voices', () => {
  it('are created, read, listed, changed and archived', async () => {
    const created = await api.call('POST', '/v1/voices', {
      key: ws.key,
      body: {
        name: 'Anna Bell',
        email: 'anna@agency.example',
        affiliation: 'agency',
        organization: 'Northwind',
        signature: 'AB',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^vce_/),
      affiliation: 'agency',
      organization: 'Northwind',
    });
    const id = created.body.id;
    expect((await api.call('GET', `/v1/voices/${id}`, { key: ws.key })).body.name).toBe('Anna Bell');
    const patched = await api.call('PATCH', `/v1/voices/${id}`, {
      key: ws.key,
      body: { organization: null, affiliation: 'freelance' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.organization).toBeUndefined();
    expect(patched.body.affiliation).toBe('freelance');
    const archived = await api.call('PATCH', `/v1/voices/${id}`, { key: ws.key, body: { archived: true } });
    expect(archived.body.archivedAt).toBe(api.clock.now().toISOString());
    const list = await api.call('GET', '/v1/voices', { key: ws.key });
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(id);
  });

  it('can be deleted when they never wrote a post', async () => {
    const v = await api.call('POST', '/v1/voices', { key: ws.key, body: { name: 'Temp', affiliation: 'automation' } });
    expect((await api.call('DELETE', `/v1/voices/${v.body.id}`, { key: ws.key })).status).toBe(204);
    expect((await api.call('GET', `/v1/voices/${v.body.id}`, { key: ws.key })).status).toBe(404);
  });

  it('cannot be deleted once they have written a post, and stay readable', async () => {
    const v = await api.call('POST', '/v1/voices', {
      key: ws.key,
      body: { name: 'Prolific Writer', affiliation: 'freelance' },
    });
    const acc = await api.call('POST', '/v1/accounts', {
      key: ws.key,
      body: accountBody({ name: 'Voice delete target' }),
    });
    const at = new Date(api.clock.now().getTime() + 86_400_000).toISOString();
    const post = await api.call('POST', `/v1/accounts/${acc.body.id}/posts`, {
      key: ws.key,
      body: { text: 'On the record', voiceId: v.body.id, at },
    });
    expect(post.status).toBe(201);
    const refused = await api.call('DELETE', `/v1/voices/${v.body.id}`, { key: ws.key });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ type: 'urn:drumbeat:problem:conflict', status: 409 });
    expect(refused.body.detail).toContain(v.body.id);
    expect(refused.body.detail).toContain('archive');
    const read = await api.call('GET', `/v1/voices/${v.body.id}`, { key: ws.key });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: v.body.id, name: 'Prolific Writer', affiliation: 'freelance' });
    expect((await api.call('GET', `/v1/posts/${post.body.id}`, { key: ws.key })).body.voiceId).toBe(v.body.id);
  });
});

describe('accounts', () => {
  it('are created with a webhook signing secret shown once, never read back', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key: ws.key,
      body: accountBody({ timezone: 'america/new_york' }),
    });
    expect(r.status).toBe(201);
    expect(r.body.timezone).toBe('America/New_York');
    expect(r.body.channel.secret).toMatch(/^whsec_/);
    expect(r.body.cadenceSetAt).toBe(api.clock.now().toISOString());
    const read = await api.call('GET', `/v1/accounts/${r.body.id}`, { key: ws.key });
    expect(read.body.channel).toEqual({ type: 'webhook', url: 'https://hooks.agency.example/drumbeat' });
    const list = await api.call('GET', '/v1/accounts', { key: ws.key });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('never return mastodon or bluesky credentials', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key: ws.key,
      body: accountBody({
        channel: { type: 'mastodon', instanceUrl: 'https://mastodon.example', accessToken: 'tok-secret' },
      }),
    });
    expect(r.status).toBe(201);
    expect(JSON.stringify(r.body)).not.toContain('tok-secret');
    const b = await api.call('POST', '/v1/accounts', {
      key: ws.key,
      body: accountBody({
        network: 'bluesky',
        channel: { type: 'bluesky', identifier: 'acme.bsky.social', appPassword: 'app-pw-secret' },
      }),
    });
    expect(b.body.channel).toEqual({ type: 'bluesky', service: 'https://bsky.social', identifier: 'acme.bsky.social' });
    expect(JSON.stringify(b.body)).not.toContain('app-pw-secret');
  });

  it('are patched; a new cadence restarts the lapse clock; null removes it', async () => {
    const r = await api.call('POST', '/v1/accounts', { key: ws.key, body: accountBody() });
    api.clock.advance(60_000);
    const p = await api.call('PATCH', `/v1/accounts/${r.body.id}`, {
      key: ws.key,
      body: { cadence: { slots: ['FREQ=DAILY;BYHOUR=8'] } },
    });
    expect(p.status).toBe(200);
    expect(p.body.cadence.slots).toEqual(['FREQ=DAILY;BYHOUR=8']);
    expect(p.body.cadenceSetAt).toBe(api.clock.now().toISOString());
    const n = await api.call('PATCH', `/v1/accounts/${r.body.id}`, { key: ws.key, body: { cadence: null } });
    expect(n.body.cadence).toBeUndefined();
    expect(n.body.cadenceSetAt).toBeUndefined();
  });

  it('rotate the webhook secret, returning the new one once', async () => {
    const r = await api.call('POST', '/v1/accounts', { key: ws.key, body: accountBody() });
    const rotated = await api.call('POST', `/v1/accounts/${r.body.id}/channel/rotate-secret`, { key: ws.key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.channel.secret).toMatch(/^whsec_/);
    expect(rotated.body.channel.secret).not.toBe(r.body.channel.secret);
  });

  it('sign the next publication with the rotated secret only: the old one no longer verifies', async () => {
    const rx = await startRecorder((_req, res) => json(res, 200, { url: 'https://social.example/rotated' }));
    try {
      const voice = await api.call('POST', '/v1/voices', {
        key: ws.key,
        body: { name: 'Rotation Writer', affiliation: 'in_house' },
      });
      const r = await api.call('POST', '/v1/accounts', {
        key: ws.key,
        body: accountBody({ name: 'Rotating', channel: { type: 'webhook', url: rx.url } }),
      });
      const oldSecret = r.body.channel.secret as string;
      const rotated = await api.call('POST', `/v1/accounts/${r.body.id}/channel/rotate-secret`, { key: ws.key });
      const newSecret = rotated.body.channel.secret as string;
      const at = new Date(api.clock.now().getTime() + 5 * 60_000);
      const post = await api.call('POST', `/v1/accounts/${r.body.id}/posts`, {
        key: ws.key,
        body: { text: 'Signed anew', voiceId: voice.body.id, at: at.toISOString() },
      });
      expect(post.status).toBe(201);
      api.clock.set(at.toISOString());
      expect(await api.services.publisher.run({ workspaceId: ws.id, postId: post.body.id })).toBe('published');
      expect(rx.requests).toHaveLength(1);
      const req = rx.requests[0]!;
      const event = new Webhook(newSecret).verify(req.body, req.headers) as {
        type: string;
        data: { post: { id: string } };
      };
      expect(event).toMatchObject({ type: 'post.publish', data: { post: { id: post.body.id } } });
      expect(() => new Webhook(oldSecret).verify(req.body, req.headers)).toThrow();
    } finally {
      await rx.close();
    }
  });

  it('check that named approvers exist', async () => {
    const r = await api.call('POST', '/v1/accounts', {
      key: ws.key,
      body: accountBody({ approval: { required: true, approvers: ['vce_01m84tes26zgdxp42t17ppaggy'] } }),
    });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([
      { path: 'approval.approvers.0', message: 'voice vce_01m84tes26zgdxp42t17ppaggy not found' },
    ]);
  });

  it('are archived by DELETE: gone from the list, still readable, no longer editable', async () => {
    const r = await api.call('POST', '/v1/accounts', { key: ws.key, body: accountBody({ name: 'To archive' }) });
    expect((await api.call('DELETE', `/v1/accounts/${r.body.id}`, { key: ws.key })).status).toBe(204);
    const list = await api.call('GET', '/v1/accounts?limit=200', { key: ws.key });
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(r.body.id);
    expect((await api.call('GET', `/v1/accounts/${r.body.id}`, { key: ws.key })).body.archivedAt).toBeDefined();
    expect((await api.call('PATCH', `/v1/accounts/${r.body.id}`, { key: ws.key, body: { name: 'x' } })).status).toBe(
      409,
    );
  });

  it('page through with limit and cursor', async () => {
    const other = await api.workspace('Paging');
    for (let i = 0; i < 3; i++)
      await api.call('POST', '/v1/accounts', { key: other.key, body: accountBody({ name: `A${i}` }) });
    const p1 = await api.call('GET', '/v1/accounts?limit=2', { key: other.key });
    expect(p1.body.items).toHaveLength(2);
    const p2 = await api.call('GET', `/v1/accounts?limit=2&cursor=${p1.body.nextCursor}`, { key: other.key });
    expect(p2.body.items.map((a: { name: string }) => a.name)).toEqual(['A2']);
  });
});

describe('keys and roles', () => {
  it('create keys whose secret is shown once and stored hashed', async () => {
    const r = await api.call('POST', '/v1/keys', { key: ws.key, body: { name: 'agency tool', role: 'editor' } });
    expect(r.status).toBe(201);
    const secret = r.body.key.split('.')[3];
    const list = await api.call('GET', '/v1/keys', { key: ws.key });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items.find((k: { id: string }) => k.id === r.body.id)).toEqual({
      id: r.body.id,
      name: 'agency tool',
      role: 'editor',
      createdAt: expect.any(String),
    });
  });

  it('keep only a hash of the secret in the table, never the secret itself', async () => {
    const r = await api.call('POST', '/v1/keys', { key: ws.key, body: { name: 'hashed at rest', role: 'viewer' } });
    expect(r.status).toBe(201);
    const token = r.body.key as string;
    const secret = token.split('.')[3]!;
    expect(secret.length).toBeGreaterThanOrEqual(20);
    const items = await scanTable();
    const keyItem = items.find((i) => String(i.sk) === `KEY#${r.body.id}`);
    expect(keyItem).toBeDefined(); // the scan sees the key's own record...
    expect(Object.values(keyItem!)).toContain(createHash('sha256').update(secret, 'utf8').digest('hex')); // ...holding the hash
    const idempotency = (i: Record<string, unknown>) => String(i.sk ?? '').startsWith('IDEM#') || i.type === 'IDEM';
    const leaking = items.filter((i) => !idempotency(i) && JSON.stringify(i).includes(secret));
    expect(leaking.map((i) => `${String(i.pk)} ${String(i.sk)}`)).toEqual([]);
    expect((await api.call('GET', '/v1/voices', { key: token })).status).toBe(200);
  });

  it('enforce roles: viewers read, editors write voices, only owners manage accounts and keys', async () => {
    const mk = async (role: string) =>
      (await api.call('POST', '/v1/keys', { key: ws.key, body: { name: role, role } })).body.key as string;
    const viewer = await mk('viewer');
    const editor = await mk('editor');
    const approver = await mk('approver');
    expect((await api.call('GET', '/v1/voices', { key: viewer })).status).toBe(200);
    const denied = await api.call('POST', '/v1/voices', { key: viewer, body: { name: 'x', affiliation: 'agency' } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
    expect(denied.body.detail).toContain('editor');
    expect(
      (await api.call('POST', '/v1/voices', { key: editor, body: { name: 'x', affiliation: 'agency' } })).status,
    ).toBe(201);
    expect(
      (await api.call('POST', '/v1/voices', { key: approver, body: { name: 'x', affiliation: 'agency' } })).status,
    ).toBe(403);
    expect((await api.call('POST', '/v1/accounts', { key: editor, body: accountBody() })).status).toBe(403);
    expect((await api.call('GET', '/v1/keys', { key: editor })).status).toBe(403);
  });

  it('reject a revoked key from the next request on', async () => {
    const r = await api.call('POST', '/v1/keys', { key: ws.key, body: { name: 'temp', role: 'viewer' } });
    expect((await api.call('GET', '/v1/voices', { key: r.body.key })).status).toBe(200);
    const revoked = await api.call('DELETE', `/v1/keys/${r.body.id}`, { key: ws.key });
    expect(revoked.body.revokedAt).toBeDefined();
    expect((await api.call('GET', '/v1/voices', { key: r.body.key })).status).toBe(401);
  });

  it('reject malformed, unknown and tampered keys with 401', async () => {
    const [, w, k] = ws.key.split('.');
    for (const key of [
      'nope',
      `dbk.${w}.${k}.wrong-secret`,
      `dbk.${w}.key_00000000000000000000000000.x`,
      'dbk.a.b.c.d',
    ]) {
      const r = await api.call('GET', '/v1/voices', { key });
      expect(r.status, key).toBe(401);
    }
    expect((await api.call('GET', '/v1/voices')).status).toBe(401);
  });
});

describe('tenancy', () => {
  it("answers 404, never 403, for another workspace's resources", async () => {
    const other = await api.workspace('Rival');
    const v = await api.call('POST', '/v1/voices', {
      key: other.key,
      body: { name: 'Rival voice', affiliation: 'in_house' },
    });
    const a = await api.call('POST', '/v1/accounts', { key: other.key, body: accountBody() });
    const k = await api.call('POST', '/v1/keys', { key: other.key, body: { name: 'k', role: 'viewer' } });
    const probes: [string, string, unknown?][] = [
      ['GET', `/v1/voices/${v.body.id}`],
      ['PATCH', `/v1/voices/${v.body.id}`, { name: 'stolen' }],
      ['DELETE', `/v1/voices/${v.body.id}`],
      ['GET', `/v1/accounts/${a.body.id}`],
      ['PATCH', `/v1/accounts/${a.body.id}`, { name: 'stolen' }],
      ['DELETE', `/v1/accounts/${a.body.id}`],
      ['POST', `/v1/accounts/${a.body.id}/channel/rotate-secret`],
      ['DELETE', `/v1/keys/${k.body.id}`],
    ];
    for (const [method, path, body] of probes) {
      const r = await api.call(method, path, { key: ws.key, body });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await api.call('GET', `/v1/voices/${v.body.id}`, { key: other.key })).body.name).toBe('Rival voice');
  });
});
