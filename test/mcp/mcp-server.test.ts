import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';
import { acmeAccount } from '../support/bodies.js';

// The official MCP SDK client over Streamable HTTP against the embedded runtime (`npm start`'s), on loopback.
let rt: Runtime;
let owner: string;
let voiceId: string;
let acc: string;
const CLIENT = { name: 'drumbeat-test-assistant', version: '0.3.1' };

const rest = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${rt.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
};

async function connect(key: string, name = CLIENT): Promise<Client> {
  const client = new Client(name);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${rt.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

beforeAll(async () => {
  rt = await startRuntime(readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1' }), { logger: createLogger('silent') });
  owner = rt.firstWorkspace!.apiKey.key;
  voiceId = (await rest('POST', '/v1/voices', owner, { name: 'Marie Dupont', affiliation: 'in_house' })).body.id;
  acc = (
    await rest(
      'POST',
      '/v1/accounts',
      owner,
      acmeAccount({ cadence: { slots: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=30'], maxGap: 'P3D' } }),
    )
  ).body.id;
});
afterAll(() => rt.stop());

describe('drumbeat as an MCP server', () => {
  it('lists its tools, with input schemas from the API’s own schemas', async () => {
    const client = await connect(owner);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of [
      'list_accounts',
      'list_voices',
      'get_calendar',
      'plan_post',
      'edit_post',
      'reschedule_post',
      'cancel_post',
      'list_pending_approvals',
      'list_alerts',
      'acknowledge_alert',
      'get_stats',
      'verify_ledger',
      'list_open_questions',
      'draft_answer',
    ]) {
      expect(names).toContain(n);
    }
    // an owner key that is no person's never gets the approve tool: an assistant does not approve on someone's behalf
    expect(names).not.toContain('approve_post');
    const plan = tools.find((t) => t.name === 'plan_post')!;
    // the post is core's PostCreate itself, by reference
    expect((plan.inputSchema.properties as any).post).toEqual({ $ref: '#/definitions/PostCreate' });
    expect((plan.inputSchema as any).definitions.PostCreate.required).toEqual(
      expect.arrayContaining(['text', 'voiceId']),
    );
    await client.close();
  });

  it('plans a post into the next slot as a named voice, finds it on the calendar, and REST shows it came from this assistant', async () => {
    const client = await connect(owner);
    const planned = await client.callTool({
      name: 'plan_post',
      arguments: { accountId: acc, post: { text: 'Our winter blend is here.', voiceId, slot: 'next' } },
    });
    expect(planned.isError).toBeFalsy();
    const post = planned.structuredContent as any;
    expect(post).toMatchObject({ accountId: acc, voiceId, slot: true, status: 'scheduled' });
    expect((planned.content as any)[0].text).toContain(post.id);

    const cal = await client.callTool({ name: 'get_calendar', arguments: { accountId: acc } });
    expect((cal.structuredContent as any).slots.find((s: any) => s.postId === post.id)).toMatchObject({
      at: post.scheduledAt,
    });

    const resource = await client.readResource({ uri: `drumbeat://accounts/${acc}/calendar` });
    expect(JSON.parse((resource.contents[0] as any).text).posts.map((p: any) => p.id)).toContain(post.id);

    const viaRest = await rest('GET', `/v1/posts/${post.id}`, owner);
    expect(viaRest.body.source).toEqual({ kind: 'mcp', client: 'drumbeat-test-assistant 0.3.1' });
    await client.close();
  });

  it('refuses a viewer key’s plan as a tool error with the problem’s detail, and creates no post', async () => {
    const viewer = (await rest('POST', '/v1/keys', owner, { name: 'Read only', role: 'viewer' })).body.key;
    const client = await connect(viewer);
    const before = (await rest('GET', `/v1/accounts/${acc}/posts`, owner)).body.items.length;
    const r = await client.callTool({
      name: 'plan_post',
      arguments: { accountId: acc, post: { text: 'Not allowed', voiceId, slot: 'next' } },
    });
    expect(r.isError).toBe(true);
    expect((r.content as any)[0].text).toBe('this action needs the editor role; this key is viewer');
    expect((await rest('GET', `/v1/accounts/${acc}/posts`, owner)).body.items.length).toBe(before);
    // reading is what a viewer may do
    expect((await client.callTool({ name: 'list_accounts', arguments: {} })).isError).toBeFalsy();
    await client.close();
  });

  it('does not find another workspace’s ids', async () => {
    const other = await rest('POST', '/v1/workspaces', rt.adminToken, { name: 'Other Co' });
    const client = await connect(other.body.apiKey.key);
    const cal = await client.callTool({ name: 'get_calendar', arguments: { accountId: acc } });
    expect(cal.isError).toBe(true);
    expect((cal.content as any)[0].text).toMatch(/not found/);
    const posts = (await rest('GET', `/v1/accounts/${acc}/posts`, owner)).body.items;
    const cancel = await client.callTool({ name: 'cancel_post', arguments: { postId: posts[0].id } });
    expect(cancel.isError).toBe(true);
    expect((await rest('GET', `/v1/posts/${posts[0].id}`, owner)).body.status).toBe('scheduled');
    const accounts = await client.callTool({ name: 'list_accounts', arguments: {} });
    expect((accounts.structuredContent as any).items).toEqual([]);
    await client.close();
  });

  it('names bad input by field as a tool error', async () => {
    const client = await connect(owner);
    const r = await client.callTool({
      name: 'reschedule_post',
      arguments: { postId: 'pst_01jd8x3k2m9q4r7s0t1v2w3x4y', at: 'tomorrow' },
    });
    expect(r.isError).toBe(true);
    expect((r.content as any)[0].text).toMatch(/at/);
    await client.close();
  });

  it('edits as the assistant (the edit is recorded as its), and gives the approve tool only to a person’s own approver key', async () => {
    const client = await connect(owner, { name: 'other-assistant', version: '2.0.0' });
    const posts = (await rest('GET', `/v1/accounts/${acc}/posts`, owner)).body.items;
    const edited = await client.callTool({
      name: 'edit_post',
      arguments: { postId: posts[0].id, patch: { text: 'Our winter blend is here, in 250 g bags.' } },
    });
    expect(edited.structuredContent).toMatchObject({ editSource: { kind: 'mcp', client: 'other-assistant 2.0.0' } });
    await client.close();
    const lead = (await rest('POST', '/v1/voices', owner, { name: 'Brand Lead', affiliation: 'in_house' })).body.id;
    const personal = (await rest('POST', '/v1/keys', owner, { name: 'Lead', role: 'approver', voiceId: lead })).body
      .key;
    const approver = await connect(personal);
    expect((await approver.listTools()).tools.map((t) => t.name)).toContain('approve_post');
    await approver.close();
  });

  it('lists the open questions and drafts an answer that waits for a person: recorded as the assistant’s, never sent as is', async () => {
    const ingested = await rest('POST', `/v1/accounts/${acc}/conversations`, owner, {
      externalId: '990001',
      kind: 'mention',
      author: { handle: '@jo@mastodon.example' },
      text: '@acme do you ship to Belgium?',
      receivedAt: '2026-12-04T16:30:00Z',
    });
    expect(ingested.status).toBe(200);
    const cnv = ingested.body.items[0].id as string;
    const client = await connect(owner);
    const open = await client.callTool({ name: 'list_open_questions', arguments: { accountId: acc } });
    expect(open.isError).toBeFalsy();
    expect((open.structuredContent as any).items.map((i: any) => i.id)).toContain(cnv);

    const drafted = await client.callTool({
      name: 'draft_answer',
      arguments: { conversationId: cnv, answer: { text: 'Yes, in 3 days.', voiceId } },
    });
    expect(drafted.isError).toBeFalsy();
    const postId = (drafted.structuredContent as any).answerPostId as string;
    const post = (await rest('GET', `/v1/posts/${postId}`, owner)).body;
    // The account does not require approval of answers: a draft through MCP waits anyway, disclosed as the assistant's.
    expect(post.status).toBe('pending_approval');
    expect(post.source).toEqual({ kind: 'mcp', client: `${CLIENT.name} ${CLIENT.version}` });
    expect(post.publishedAt).toBeUndefined();
    await client.close();

    // A viewer's draft is a tool error, and changes nothing.
    const viewer = (await rest('POST', '/v1/keys', owner, { name: 'Reader', role: 'viewer' })).body.key;
    const reader = await connect(viewer);
    const refused = await reader.callTool({
      name: 'draft_answer',
      arguments: { conversationId: cnv, answer: { text: 'Another answer', voiceId } },
    });
    expect(refused.isError).toBe(true);
    await reader.close();
    expect((await rest('GET', `/v1/conversations/${cnv}`, owner)).body.answerPostId).toBe(postId);
  });

  it('offers the prompts and rejects GET streams with 405', async () => {
    const client = await connect(owner);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(['plan_empty_slots', 'attention_today']));
    const p = await client.getPrompt({
      name: 'plan_empty_slots',
      arguments: { account: '@acme', voice: 'Marie Dupont' },
    });
    expect((p.messages[0]!.content as any).text).toContain('Marie Dupont');
    await client.close();
    expect((await fetch(`${rt.url}/mcp`, { headers: { Authorization: `Bearer ${owner}` } })).status).toBe(405);
    expect((await fetch(`${rt.url}/mcp`, { method: 'POST', body: '{}' })).status).toBe(401);
  });
});
