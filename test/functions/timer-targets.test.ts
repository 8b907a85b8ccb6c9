import { Invalid } from '@drumbeat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerTarget } from '../../functions/targets.js';
import { accountRecord } from '../support/account-record.js';
import { acmeAccount } from '../support/bodies.js';
import {
  ADMIN_TOKEN,
  functionUrlEvent,
  GROUP,
  lambdaContext,
  LISTEN_ARN,
  PUBLISH_ARN,
  SENDER,
  startLambdaEnv,
  WATCHDOG_ARN,
  type LambdaEnv,
} from './lambda-env.js';

type Target = (event: unknown) => Promise<unknown>;
type Api = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

/**
 * The three scheduler targets as deployed: modules loaded with the Lambda
 * environment, fed exactly the `Input` the API armed in the (stand-in)
 * EventBridge Scheduler, and the SQS events of the precise-timer queues
 * (stand-in), over the embedded store.
 */
describe('the scheduler targets, as deployed', () => {
  let env: LambdaEnv;
  let api: Api;
  let publish: Target;
  let watchdog: Target;
  let webhooks: Target;
  let listen: Target;
  let key: string;
  let wsId: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api(
      functionUrlEvent(method, path, {
        headers: { authorization: `Bearer ${key}` },
        ...(body !== undefined ? { body } : {}),
      }),
      lambdaContext,
    );
    return { status: res.statusCode, body: JSON.parse(res.body || 'null') };
  };
  /** What EventBridge Scheduler would hand the target of the schedule `name`: its Input, parsed. */
  const delivered = (name: string) => {
    const schedule = env.scheduler.timer(GROUP, name);
    expect(schedule, name).toBeDefined();
    return { arn: schedule!.Target.Arn, event: JSON.parse(schedule!.Target.Input!) as unknown };
  };

  beforeAll(async () => {
    env = await startLambdaEnv();
    env.apply();
    api = ((await import('../../functions/api.js')) as unknown as { handler: Api }).handler;
    publish = ((await import('../../functions/publish.js')) as { handler: Target }).handler;
    watchdog = ((await import('../../functions/watchdog.js')) as { handler: Target }).handler;
    webhooks = ((await import('../../functions/webhooks.js')) as { handler: Target }).handler;
    listen = ((await import('../../functions/listen.js')) as { handler: Target }).handler;
    const created = await api(
      functionUrlEvent('POST', '/v1/workspaces', {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        body: { name: 'Timers' },
      }),
      lambdaContext,
    );
    key = (JSON.parse(created.body) as { apiKey: { key: string } }).apiKey.key;
    wsId = (JSON.parse(created.body) as { workspace: { id: string } }).workspace.id;
  });
  afterAll(() => env.close());

  /** Waits until the next message of `queue` is visible, then polls it as Lambda's event source mapping does, into `target`. */
  const pollWhenDue = async (queue: string, target: Target) => {
    const at = env.sqs.nextVisibleAt(queue);
    expect(at, queue).toBeDefined();
    await new Promise((r) => setTimeout(r, Math.max(0, at!.getTime() - Date.now()) + 5));
    return env.sqs.poll(queue, async (event) => {
      const out = (await target(event)) as { batchItemFailures: unknown[] };
      expect(out.batchItemFailures).toEqual([]);
      return out;
    });
  };

  it('listen: a listening account gets one listen schedule on the Listen function; its run polls and re-arms it (backing off on a failure)', async () => {
    // Stored directly: the API's egress check would resolve the instance's name, and this test must not reach the network.
    const { services } = (await import('../../functions/deps.js')).deps();
    const account = 'acc_01jd8x3k2m9q4r7s0t1v2w3x5z';
    const workspaceId = wsId;
    await services.deps.store.accounts.create(
      workspaceId,
      accountRecord({
        id: account,
        workspaceId,
        channel: { type: 'mastodon', instanceUrl: 'https://mastodon.invalid', accessToken: 'token' },
        listening: { enabled: true, every: 'PT2M' },
      }),
    );
    await services.listening.accountChanged(workspaceId, account);
    const { arn, event } = delivered(`listen-${account}`);
    expect(arn).toBe(LISTEN_ARN);
    expect(event).toEqual({ kind: 'listen', workspaceId: expect.any(String), accountId: account });
    // No inbox is wired here (and the instance does not resolve): the poll fails, the cursor stays, the timer is re-armed later.
    const outcome = (await listen(event)) as { listening: boolean; error?: string; next: string };
    expect(outcome).toMatchObject({ listening: true, error: expect.any(String) });
    expect(Date.parse(outcome.next) - Date.now()).toBeGreaterThan(100_000);
    expect(delivered(`listen-${account}`).arn).toBe(LISTEN_ARN);
    expect((await call('PATCH', `/v1/accounts/${account}`, { listening: { enabled: false } })).status).toBe(200);
    expect(env.scheduler.timer(GROUP, `listen-${account}`)).toBeUndefined();
  });

  it('publish: a far post is armed 75 s early, and its schedule relays it to the publish queue delayed to its instant', async () => {
    const voice = (await call('POST', '/v1/voices', { name: 'Far Voice', affiliation: 'in_house' })).body.id as string;
    const account = (await call('POST', '/v1/accounts', acmeAccount({ name: 'Acme far', handle: '@acme-far' }))).body
      .id as string;
    const at = new Date(Math.ceil((Date.now() + 10 * 60_000) / 1000) * 1000);
    const post = await call('POST', `/v1/accounts/${account}/posts`, {
      text: 'Later',
      voiceId: voice,
      at: at.toISOString(),
    });
    const schedule = env.scheduler.timer(GROUP, `post-${post.body.id}`)!;
    expect(schedule.ScheduleExpression).toBe(`at(${new Date(at.getTime() - 75_000).toISOString().slice(0, 19)})`);
    const { arn, event } = delivered(`post-${post.body.id}`);
    expect(arn).toBe(PUBLISH_ARN);
    expect(event).toMatchObject({ kind: 'publish', postId: post.body.id, dueAt: at.toISOString() });

    const sent = env.sqs.requestsOf('SendMessage').length;
    const relayed = (await publish(event)) as { relayed: boolean; delaySeconds: number };
    expect(relayed.relayed).toBe(true);
    expect(relayed.delaySeconds).toBeGreaterThan(590);
    expect(relayed.delaySeconds).toBeLessThanOrEqual(601);
    const [message] = env.sqs.requestsOf('SendMessage').slice(sent);
    expect(message!.body).toMatchObject({ QueueUrl: env.queues.publish, DelaySeconds: relayed.delaySeconds });
    expect(JSON.parse(message!.body.MessageBody as string)).toEqual({
      kind: 'publish',
      workspaceId: expect.any(String),
      postId: post.body.id,
      dueAt: at.toISOString(),
    });
    // Not yet: the post is still scheduled.
    expect((await call('GET', `/v1/posts/${post.body.id}`)).body.status).toBe('scheduled');
    await call('DELETE', `/v1/posts/${post.body.id}`);
    env.sqs.queue('publish-timers').messages.length = 0;
  });

  it('publish: EventBridge event, SQS send, SQS event, publish: a manual post at its time mails its author once, duplicates find nothing', async () => {
    const voice = (
      await call('POST', '/v1/voices', { name: 'Chloé Martin', email: 'chloe@acme.example', affiliation: 'in_house' })
    ).body.id as string;
    const account = (await call('POST', '/v1/accounts', acmeAccount())).body.id as string;
    const at = new Date(Date.now() + 1500).toISOString();
    const post = await call('POST', `/v1/accounts/${account}/posts`, { text: 'Shop opens at 9', voiceId: voice, at });
    expect(post.status).toBe(201);

    // Due in 1.5 s: no schedule, the API queued it with its delay.
    expect(env.scheduler.timersOf(GROUP, `post-${post.body.id}`)).toEqual([]);
    const direct = env.sqs.queue('publish-timers').messages;
    expect(direct.map((m) => JSON.parse(m.body))).toEqual([
      { kind: 'publish', workspaceId: expect.any(String), postId: post.body.id, dueAt: at },
    ]);
    expect(direct[0]!.delaySeconds).toBe(2);
    // And the schedule's invocation, as EventBridge would deliver a precise timer (a duplicate here), relays it too.
    expect(
      await publish({
        kind: 'publish',
        workspaceId: JSON.parse(direct[0]!.body).workspaceId,
        postId: post.body.id,
        dueAt: at,
      }),
    ).toMatchObject({ relayed: true });
    expect(env.sqs.queue('publish-timers').messages).toHaveLength(2);

    while (env.sqs.queue('publish-timers').messages.length > 0) await pollWhenDue('publish-timers', publish);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
    expect(env.sqs.queue('publish-timers').messages).toEqual([]);

    expect((await call('GET', `/v1/posts/${post.body.id}`)).body).toMatchObject({
      status: 'publishing',
      awaiting: 'person',
    });
    const mails = env.ses.accepted.filter((r) => r.body.Destination?.ToAddresses?.includes('chloe@acme.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.FromEmailAddress).toBe(`Drumbeat <${SENDER}>`);
  });

  it('webhooks: the egress rule of AWS refuses private receivers, and an unknown delivery is already done', async () => {
    // A real delivery needs a public https receiver, which this offline machine cannot have.
    const hook = await call('POST', '/v1/webhooks', { url: 'https://127.0.0.1:9/never', events: ['post.created'] });
    expect(hook.status).toBe(400);
    // A timer whose delivery is gone (sent, or never made) is a no-op, as a repeated delivery must be.
    expect(
      await webhooks({
        kind: 'deliver',
        workspaceId: 'ws_01jd0000000000000000000000',
        deliveryId: 'dlv_01jd0000000000000000000000',
      }),
    ).toBeUndefined();
  });

  it('watchdog: an account with a cadence is evaluated from the deadline the API armed, and re-armed', async () => {
    const account = (
      await call(
        'POST',
        '/v1/accounts',
        acmeAccount({
          name: 'Acme watched',
          handle: '@acme-watched',
          cadence: { slots: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0'], maxGap: 'P2D' },
          alerts: { emails: ['ops@acme.example'] },
        }),
      )
    ).body.id as string;
    // Its first deadline is seconds away (the empty-calendar alert's mail): too close for EventBridge, the API queued it with its delay.
    const queued = () =>
      env.sqs.queue('watchdog-timers').messages.filter((m) => JSON.parse(m.body).accountId === account);
    expect(queued().map((m) => JSON.parse(m.body).kind)).toEqual(['watchdog']);
    expect(queued()[0]!.delaySeconds).toBeLessThanOrEqual(135);
    expect(env.scheduler.timer(GROUP, `watchdog-${account}`)).toBeUndefined();
    const before = env.ses.accepted.length;
    await pollWhenDue('watchdog-timers', watchdog);
    // Evaluated (an empty calendar: the alert mail), and re-armed: a later deadline, by schedule or queue.
    const next = env.scheduler.timer(GROUP, `watchdog-${account}`);
    expect(next !== undefined || queued().length === 1).toBe(true);
    while (queued().length > 0) await pollWhenDue('watchdog-timers', watchdog);
    expect(env.ses.accepted.length).toBeGreaterThan(before);
    const { arn, event } = delivered(`watchdog-${account}`);
    expect(arn).toBe(WATCHDOG_ARN);
    // A far deadline is a precise timer too: its schedule relays it (days ahead: SQS's longest delay, then queued again).
    expect(await watchdog(event)).toEqual({ relayed: true, delaySeconds: 900 });
    expect(queued().map((m) => JSON.parse(m.body))).toEqual([event]);
    // A deadline schedule armed before precise timers (no dueAt) runs at once.
    const { dueAt: _due, ...legacy } = event as Record<string, unknown>;
    const outcome = (await watchdog(legacy)) as { accountId: string; watched: boolean; next: string | null };
    expect(outcome).toMatchObject({ accountId: account, watched: true });
    expect(outcome.next).not.toBeNull();
    expect(env.scheduler.timer(GROUP, `watchdog-${account}`)).toBeDefined();
  });

  it('review digest: a post waiting for approval arms its approver’s digest on the watchdog function, which mails it once when due', async () => {
    const author = (
      await call('POST', '/v1/voices', { name: 'Anna Bell', email: 'anna@agency.example', affiliation: 'agency' })
    ).body.id as string;
    const approver = (
      await call('POST', '/v1/voices', { name: 'Claire Dupont', email: 'claire@acme.example', affiliation: 'in_house' })
    ).body.id as string;
    const account = (
      await call(
        'POST',
        '/v1/accounts',
        acmeAccount({
          name: 'Acme review',
          handle: '@acme-review',
          approval: { required: true, approvers: [approver] },
        }),
      )
    ).body.id as string;
    const post = await call('POST', `/v1/accounts/${account}/posts`, {
      text: 'Please approve me',
      voiceId: author,
      at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(post.body.status).toBe('pending_approval');
    const { arn, event } = delivered(`reviews-${approver}`);
    expect(arn).toBe(WATCHDOG_ARN);
    expect(event).toEqual({
      kind: 'review-digest',
      workspaceId: post.body.workspaceId ?? expect.any(String),
      voiceId: approver,
    });
    // Early (EventBridge fired ahead, or a duplicate): nothing sent, re-armed at the window's end.
    const before = env.ses.accepted.length;
    expect(await watchdog(event)).toMatchObject({ sent: [] });
    // The window over (moved back in the stored digest, as the real clock would take three minutes): one email.
    const ws = (event as { workspaceId: string }).workspaceId;
    const rec = (await env.store.reviewDigests.find(ws, approver))!;
    await env.store.reviewDigests.put(
      { ...rec, dueAt: new Date(Date.now() - 1000).toISOString(), version: rec.version + 1 },
      rec.version,
    );
    expect(await watchdog(event)).toEqual({ sent: [post.body.id], next: null });
    expect(await watchdog(event)).toEqual({ sent: [], next: null });
    const mails = env.ses.accepted
      .slice(before)
      .filter((r) => r.body.Destination?.ToAddresses?.includes('claire@acme.example'));
    expect(mails).toHaveLength(1);
  });

  it('refuse a malformed payload, or a timer of another kind, before reaching the use-case', async () => {
    await expect(publish({ kind: 'publish', workspaceId: 'ws_1' })).rejects.toBeInstanceOf(Invalid);
    await expect(watchdog('not json')).rejects.toBeInstanceOf(Invalid);
    await expect(publish({ kind: 'watchdog', workspaceId: 'ws_1', accountId: 'acc_1' })).rejects.toThrow(
      /got a watchdog timer/,
    );
    await expect(webhooks({ kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' })).rejects.toThrow(
      /got a publish timer/,
    );
  });
});

describe('a timer target over its use-case', () => {
  it('hands the use-case the parsed payload, from an object or its JSON text, and returns its result', async () => {
    const seen: unknown[] = [];
    const target = timerTarget('publish', async (p) => (seen.push(p), 'published'));
    const payload = { kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' };
    expect(await target({ ...payload, extra: 'dropped' })).toBe('published');
    expect(await target(JSON.stringify(payload))).toBe('published');
    expect(seen).toEqual([payload, payload]);
  });

  it('passes the use-case failure on, so Lambda retries', async () => {
    await expect(
      timerTarget('deliver', async () => Promise.reject(new Error('store down')))({
        kind: 'deliver',
        workspaceId: 'w',
        deliveryId: 'd',
      }),
    ).rejects.toThrow('store down');
  });
});
