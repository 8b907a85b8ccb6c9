import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
let key: string;
let slug: string;
beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  const w = await api.workspace('Acme Coffee');
  key = w.key;
  slug = w.slug;
  const voice = async (name: string, affiliation: string, organization?: string) =>
    (
      await api.call('POST', '/v1/voices', {
        key,
        body: {
          name,
          affiliation,
          email: `${name
            .normalize('NFKD')
            .replace(/[^A-Za-z]/g, '')
            .toLowerCase()}@private.example`,
          ...(organization ? { organization } : {}),
        },
      })
    ).body.id as string;
  const inHouse = await voice('Chloé Martin', 'in_house');
  const agency = await voice('Anna Bell', 'agency', 'Northwind Agency');
  const approver = await voice('Brand Lead', 'in_house');
  const approverKey = (
    await api.call('POST', '/v1/keys', { key, body: { name: 'Brand Lead', role: 'approver', voiceId: approver } })
  ).body.key;
  const acc = (
    await api.call('POST', '/v1/accounts', {
      key,
      body: accountBody({
        channel: { type: 'manual' },
        disclosure: { signature: 'initials', publicPage: true },
        approval: { required: true, sla: 'PT4H' },
      }),
    })
  ).body.id;
  await api.call('POST', '/v1/accounts', {
    key,
    body: accountBody({ handle: '@private-one', channel: { type: 'manual' } }),
  });
  // three publications: two by the agency, one in-house; plus an unpublished draft whose text must stay private
  for (const [i, author] of [agency, agency, inHouse].entries()) {
    const p = (
      await api.call('POST', `/v1/accounts/${acc}/posts`, {
        key,
        body: { text: `Published ${i}`, voiceId: author, at: `2026-11-2${4 + i}T09:00:00Z` },
      })
    ).body.id;
    expect((await api.call('POST', `/v1/posts/${p}/approve`, { key: approverKey, body: {} })).status).toBe(200);
    const done = await api.call('POST', `/v1/posts/${p}/published`, {
      key,
      body: { url: `https://mastodon.example/@acme/${i}` },
    });
    expect(done.status).toBe(200);
  }
  await api.call('POST', `/v1/accounts/${acc}/posts`, {
    key,
    body: { text: 'SECRET unpublished draft', voiceId: agency, at: '2026-12-20T09:00:00Z' },
  });
});
afterAll(() => api.close());

describe('the public transparency page', () => {
  it('shows who speaks for the account by affiliation and organization, as JSON', async () => {
    const res = await api.app.request(`/t/${slug}/%40acme/transparency.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, s-maxage=300');
    const t = (await res.json()) as any;
    expect(t.account).toEqual({ name: 'Acme on Mastodon', network: 'mastodon', handle: '@acme' });
    expect(t.publications).toBe(3);
    expect(t.voices).toEqual([
      { name: 'Anna Bell', affiliation: 'agency', organization: 'Northwind Agency', posts: 2, answers: 0 },
      { name: 'Chloé Martin', affiliation: 'in_house', organization: null, posts: 1, answers: 0 },
    ]);
    expect(t.shareByAffiliation).toEqual({ in_house: 0.333, agency: 0.667, freelance: 0, automation: 0 });
    expect(t.approval).toEqual({ required: true, approvers: 0, sla: 'PT4H' });
    expect(t.lastPublication).toMatchObject({
      voice: 'Chloé Martin',
      affiliation: 'in_house',
      url: 'https://mastodon.example/@acme/2',
    });
  });

  it('renders an HTML page (handle with or without @) that leaks no email, key or unpublished text', async () => {
    for (const path of [`/t/${slug}/@acme`, `/t/${slug}/acme`, `/t/${slug}/%40ACME`]) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain('Who speaks for @acme on Mastodon');
      expect(html).toContain('Northwind Agency');
      expect(html).toContain('Agency: 67%');
      expect(html).toContain('Authors of the 3 publications since');
      expect(html).toContain(', within 4 hours.');
      expect(html).not.toContain('PT4H');
      expect(html).not.toMatch(/private\.example|dbk\.|whsec_|SECRET/);
    }
    const json = await (await api.app.request(`/t/${slug}/@acme.json`)).text();
    expect(json).not.toMatch(/private\.example|dbk\.|whsec_|SECRET/);
  });

  it('says "1 publication", not "1 publications"', async () => {
    const solo = (
      await api.call('POST', '/v1/accounts', {
        key,
        body: accountBody({ handle: '@solo', channel: { type: 'manual' }, disclosure: { publicPage: true } }),
      })
    ).body.id;
    const author = (
      await api.call('POST', '/v1/voices', { key, body: { name: 'Solo Writer', affiliation: 'in_house' } })
    ).body.id;
    const p = (
      await api.call('POST', `/v1/accounts/${solo}/posts`, {
        key,
        body: { text: 'Only one', voiceId: author, at: '2026-11-24T10:00:00Z' },
      })
    ).body.id;
    expect(
      (await api.call('POST', `/v1/posts/${p}/published`, { key, body: { url: 'https://mastodon.example/@solo/1' } }))
        .status,
    ).toBe(200);
    const html = await (await api.app.request(`/t/${slug}/solo`)).text();
    expect(html).toContain('Authors of the 1 publication since');
  });

  it('keeps serving the JSON at its former address (/t/{slug}/{handle}.json), and the page links to the new one', async () => {
    const old = await api.app.request(`/t/${slug}/@acme.json`);
    expect(old.status).toBe(200);
    expect(await old.text()).toBe(await (await api.app.request(`/t/${slug}/@acme/transparency.json`)).text());
    expect(await (await api.app.request(`/t/${slug}/acme`)).text()).toContain(
      `href="/t/${slug}/%40acme/transparency.json"`,
    );
  });

  it('answers 304 to a matching ETag', async () => {
    const first = await api.app.request(`/t/${slug}/acme`);
    const again = await api.app.request(`/t/${slug}/acme`, {
      headers: { 'If-None-Match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('is a 404 when the account has not opted in, or does not exist', async () => {
    for (const path of [
      `/t/${slug}/private-one`,
      `/t/${slug}/nobody`,
      '/t/no-such-workspace/acme',
      `/t/${slug}/private-one.json`,
      `/t/${slug}/private-one/transparency.json`,
    ]) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});
