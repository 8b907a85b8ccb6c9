import { Invalid } from '@drumbeat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerTarget } from '../../functions/targets.js';
import { ADMIN_TOKEN, functionUrlEvent, GROUP, lambdaContext, PUBLISH_ARN, SENDER, startLambdaEnv, WATCHDOG_ARN, type LambdaEnv } from './lambda-env.js';

type Target = (event: unknown) => Promise<unknown>;
type Api = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

/**
 * The three scheduler targets as deployed: modules loaded with the Lambda
 * environment, fed exactly the `Input` the API armed in the (stand-in)
 * EventBridge Scheduler, over the embedded store.
 */
describe('the scheduler targets, as deployed', () => {
  let env: LambdaEnv;
  let api: Api;
  let publish: Target;
  let watchdog: Target;
  let webhooks: Target;
  let key: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api(functionUrlEvent(method, path, { headers: { authorization: `Bearer ${key}` }, ...(body !== undefined ? { body } : {}) }), lambdaContext);
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
    const created = await api(functionUrlEvent('POST', '/v1/workspaces', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: { name: 'Timers' } }), lambdaContext);
    key = (JSON.parse(created.body) as { apiKey: { key: string } }).apiKey.key;
  });
  afterAll(() => env.close());

  it('publish: a manual post at its time, from the schedule the API armed, mails its author once', async () => {
    const voice = (await call('POST', '/v1/voices', { name: 'Chloé Martin', email: 'chloe@acme.example', affiliation: 'in_house' })).body.id as string;
    const account = (await call('POST', '/v1/accounts', { name: 'Acme', network: 'mastodon', handle: '@acme', timezone: 'Europe/Paris', channel: { type: 'manual' } })).body.id as string;
    const at = new Date(Date.now() + 1500).toISOString();
    const post = await call('POST', `/v1/accounts/${account}/posts`, { text: 'Shop opens at 9', voiceId: voice, at });
    expect(post.status).toBe(201);

    const { arn, event } = delivered(`post-${post.body.id}`);
    expect(arn).toBe(PUBLISH_ARN);
    await new Promise((r) => setTimeout(r, Date.parse(at) - Date.now() + 50));
    expect(await publish(event)).toBe('awaiting-person');
    // EventBridge delivers at least once: a second delivery finds nothing to do.
    expect(await publish(event)).toBe('nothing-to-do');

    expect((await call('GET', `/v1/posts/${post.body.id}`)).body).toMatchObject({ status: 'publishing', awaiting: 'person' });
    const mails = env.ses.accepted.filter((r) => r.body.Destination?.ToAddresses?.includes('chloe@acme.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.FromEmailAddress).toBe(`Drumbeat <${SENDER}>`);
  });

  it('webhooks: the egress rule of AWS refuses private receivers, and an unknown delivery is already done', async () => {
    // A real delivery needs a public https receiver, which this offline machine cannot have.
    const hook = await call('POST', '/v1/webhooks', { url: 'https://127.0.0.1:9/never', events: ['post.created'] });
    expect(hook.status).toBe(400);
    // A timer whose delivery is gone (sent, or never made) is a no-op, as a repeated delivery must be.
    expect(await webhooks({ kind: 'deliver', workspaceId: 'ws_01jd0000000000000000000000', deliveryId: 'dlv_01jd0000000000000000000000' })).toBeUndefined();
  });

  it('watchdog: an account with a cadence is evaluated from the deadline the API armed, and re-armed', async () => {
    const account = (await call('POST', '/v1/accounts', {
      name: 'Acme watched',
      network: 'mastodon',
      handle: '@acme-watched',
      timezone: 'Europe/Paris',
      channel: { type: 'manual' },
      cadence: { slots: ['FREQ=DAILY;BYHOUR=9;BYMINUTE=0'], maxGap: 'P2D' },
      alerts: { emails: ['ops@acme.example'] },
    })).body.id as string;
    const { arn, event } = delivered(`watchdog-${account}`);
    expect(arn).toBe(WATCHDOG_ARN);
    const outcome = (await watchdog(event)) as { accountId: string; watched: boolean; next: string | null };
    expect(outcome).toMatchObject({ accountId: account, watched: true });
    expect(outcome.next).not.toBeNull();
    expect(env.scheduler.timer(GROUP, `watchdog-${account}`)).toBeDefined();
  });

  it('refuse a malformed payload, or a timer of another kind, before reaching the use-case', async () => {
    await expect(publish({ kind: 'publish', workspaceId: 'ws_1' })).rejects.toBeInstanceOf(Invalid);
    await expect(watchdog('not json')).rejects.toBeInstanceOf(Invalid);
    await expect(publish({ kind: 'watchdog', workspaceId: 'ws_1', accountId: 'acc_1' })).rejects.toThrow(/got a watchdog timer/);
    await expect(webhooks({ kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' })).rejects.toThrow(/got a publish timer/);
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
    await expect(timerTarget('deliver', async () => Promise.reject(new Error('store down')))({ kind: 'deliver', workspaceId: 'w', deliveryId: 'd' })).rejects.toThrow('store down');
  });

});
