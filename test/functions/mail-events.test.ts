import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createApp } from '@drumbeat/api';
import { ManualClock } from '@drumbeat/core';
import { awsClients, build, configFromResource } from '../../functions/deps.js';
import { MAIL_EVENTS_DYNAMO_ACTIONS } from '../../infra/actions.js';
import { accountBody } from '../support/api.js';
import { SnsStandin } from '../support/sns-standin.js';
import { ADMIN_TOKEN, startLambdaEnv, TABLE, type LambdaEnv } from './lambda-env.js';

/**
 * Bounces and complaints through the real MailEvents handler
 * (functions/mail-events.ts) on the embedded store: SNS records carrying SES
 * event-publishing messages, as AWS sends them. The handler's DynamoDB calls
 * go through a recording proxy, so the test also shows which actions its
 * narrow policy (infra/mail-events.ts) must allow.
 */

type Handler = (event: unknown) => Promise<{ suppressed: string[] }>;
let env: LambdaEnv;
let sns: SnsStandin;
let proxy: Server;
const calls: { action: string; table?: string; index?: string }[] = [];
let handler: Handler;
let app: ReturnType<typeof createApp>;
const ws: { id: string; key: string }[] = [];
const ids: Record<string, string> = {};
let directDynamo: string;

/** An HTTP proxy in front of the embedded DynamoDB that records each call's action, table and index. */
async function recordingProxy(target: string): Promise<Server> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString('utf8') || '{}') as {
        TableName?: string;
        IndexName?: string;
        RequestItems?: Record<string, unknown>;
      };
      calls.push({
        action: `dynamodb:${String(req.headers['x-amz-target']).split('.')[1]}`,
        ...(parsed.TableName ? { table: parsed.TableName } : {}),
        ...(parsed.IndexName ? { index: parsed.IndexName } : {}),
      });
      const fwd = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 500, r.headers);
          r.pipe(res);
        },
      );
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** An SNS notification to a Lambda subscriber, carrying one SES event-publishing message (as AWS sends them). */
function snsEvent(message: object) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn:
          'arn:aws:sns:us-east-1:123456789012:drumbeat-test-MailEvents:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55',
        Sns: {
          Type: 'Notification',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:drumbeat-test-MailEvents',
          Subject: null,
          Message: JSON.stringify(message),
          Timestamp: '2026-12-06T04:00:00.000Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

const mail = (to: string[]) => ({
  timestamp: '2026-12-06T03:59:58.000Z',
  source: 'alerts@drumbeat.test',
  sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/alerts@drumbeat.test',
  sendingAccountId: '123456789012',
  messageId: '0100018c3f2a1b2c-11111111-2222-3333-4444-555555555555-000000',
  destination: to,
  headersTruncated: false,
  tags: { 'ses:configuration-set': ['drumbeat-test-config'] },
});

function bounce(addresses: string[], bounceType = 'Permanent', bounceSubType = 'General') {
  return snsEvent({
    eventType: 'Bounce',
    bounce: {
      feedbackId: '0100018c3f2a1b2d-aaaa-bbbb-cccc-dddddddddddd-000000',
      bounceType,
      bounceSubType,
      bouncedRecipients: addresses.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      })),
      timestamp: '2026-12-06T04:00:01.000Z',
      reportingMTA: 'dns; a8-52.smtp-out.amazonses.com',
    },
    mail: mail(addresses),
  });
}

function complaint(addresses: string[]) {
  return snsEvent({
    eventType: 'Complaint',
    complaint: {
      feedbackId: '0100018c3f2a1b2e-aaaa-bbbb-cccc-dddddddddddd-000000',
      complaintSubType: null,
      complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
      timestamp: '2026-12-06T04:00:02.000Z',
      userAgent: 'Mozilla/5.0',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2026-12-06T04:00:00.000Z',
    },
    mail: mail(addresses),
  });
}

async function call(method: string, path: string, body: unknown, key: string): Promise<any> {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** The open (or every) email_bounced alert of an account. */
async function bounced(w: number, accountId: string, status: 'open' | 'resolved' = 'open'): Promise<any[]> {
  const page = await call('GET', `/v1/alerts?accountId=${accountId}&status=${status}`, undefined, ws[w]!.key);
  return page.items.filter((a: { kind: string }) => a.kind === 'email_bounced');
}

beforeAll(async () => {
  env = await startLambdaEnv();
  sns = await SnsStandin.start();
  env.apply();
  // Every link before the first read of `Resource` (SST reads them once).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    SST_RESOURCE_MailEventsTable: JSON.stringify({ name: TABLE, type: 'sst.sst.Linkable' }),
    SST_RESOURCE_Alerts: JSON.stringify({
      topicArn: 'arn:aws:sns:us-east-1:123456789012:drumbeat-test-Alerts',
      type: 'sst.sst.Linkable',
    }),
  });
  // The API side (setup and checks) reaches the store directly; only the handler goes through the proxy.
  directDynamo = env.vars.AWS_ENDPOINT_URL_DYNAMODB!;
  const setup = build(configFromResource(), {
    clients: { ...awsClients(), dynamo: new DynamoDBClient({ endpoint: directDynamo }) },
  });
  app = createApp(setup.services, setup.apiConfig);
  proxy = await recordingProxy(env.vars.AWS_ENDPOINT_URL_DYNAMODB!);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  handler = ((await import('../../functions/mail-events.js')) as unknown as { handler: Handler }).handler;

  for (const name of ['Acme', 'Other brand']) {
    const r = await call('POST', '/v1/workspaces', { name }, ADMIN_TOKEN);
    ws.push({ id: r.workspace.id, key: r.apiKey.key });
  }
  const k = ws[0]!.key;
  ids.anna = (
    await call('POST', '/v1/voices', { name: 'Anna Bell', email: 'Anna@Agency.example', affiliation: 'agency' }, k)
  ).id;
  ids.both = (
    await call(
      'POST',
      '/v1/accounts',
      accountBody({
        handle: '@both',
        channel: { type: 'manual' },
        alerts: { emails: ['ops@acme.example', 'team@acme.example'] },
        approval: { required: true, approvers: [ids.anna] },
      }),
      k,
    )
  ).id;
  ids.approves = (
    await call(
      'POST',
      '/v1/accounts',
      accountBody({
        handle: '@approves',
        channel: { type: 'manual' },
        approval: { required: true, approvers: [ids.anna] },
      }),
      k,
    )
  ).id;
  ids.unrelated = (
    await call(
      'POST',
      '/v1/accounts',
      accountBody({ handle: '@unrelated', channel: { type: 'manual' }, alerts: { emails: ['someone@acme.example'] } }),
      k,
    )
  ).id;
  ids.elsewhere = (
    await call(
      'POST',
      '/v1/accounts',
      accountBody({ handle: '@elsewhere', channel: { type: 'manual' }, alerts: { emails: ['OPS@acme.example'] } }),
      ws[1]!.key,
    )
  ).id;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((r) => proxy.close(() => r()));
  await sns.close();
  await env.close();
});

describe('a bounce or a complaint opens an email_bounced alert on the accounts using the address', () => {
  it('opens one on every account listing a hard-bounced address among its alert emails, in each workspace, and arms its watchdog', async () => {
    const out = await handler(bounce(['Ops@Acme.example']));
    expect(out.suppressed).toEqual(['ops@acme.example']);
    expect(env.ses.suppressed.get('ops@acme.example')).toBe('BOUNCE');
    expect(sns.published).toHaveLength(1);
    const [a] = await bounced(0, ids.both!);
    expect(a).toMatchObject({
      accountId: ids.both,
      status: 'open',
      details: {
        summary: 'mail to ops@acme.example bounced; it is no longer sent there',
        bounces: [
          {
            address: 'ops@acme.example',
            event: 'bounce',
            detail: 'Permanent/General',
            reportedAt: '2026-12-06T04:00:01.000Z',
            usedAs: ['alert_recipient'],
          },
        ],
      },
    });
    expect(await bounced(1, ids.elsewhere!)).toHaveLength(1);
    expect(await bounced(0, ids.unrelated!)).toEqual([]);
    expect(await bounced(0, ids.approves!)).toEqual([]);
    // Mail and chat are the watchdog's: its timer for the account is armed now (the precise-timer queue: due at once).
    const timers = env.sqs
      .queue('watchdog-timers')
      .messages.map((m) => JSON.parse(m.body) as { kind: string; accountId: string });
    expect(timers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'watchdog', accountId: ids.both }),
        expect.objectContaining({ kind: 'watchdog', accountId: ids.elsewhere }),
      ]),
    );
  });

  it("adds an approver's complaint to the open alert, and opens one on each account that voice approves for", async () => {
    await handler(complaint(['anna@agency.example']));
    const [a] = await bounced(0, ids.both!);
    expect(a.details.bounces).toEqual([
      {
        address: 'anna@agency.example',
        event: 'complaint',
        detail: 'abuse',
        reportedAt: '2026-12-06T04:00:02.000Z',
        usedAs: ['approver'],
        voiceIds: [ids.anna],
      },
      expect.objectContaining({ address: 'ops@acme.example', event: 'bounce' }),
    ]);
    expect(a.details.summary).toBe('mail to 2 addresses no longer arrives (anna@agency.example, ops@acme.example)');
    const [b] = await bounced(0, ids.approves!);
    expect(b.details.bounces).toEqual([
      expect.objectContaining({ address: 'anna@agency.example', usedAs: ['approver'], voiceIds: [ids.anna] }),
    ]);
    expect(await bounced(0, ids.unrelated!)).toEqual([]);
  });

  it('changes nothing on a repeat of the same report, a transient bounce, or a bounce of mail SES did not send (already suppressed)', async () => {
    const before = JSON.stringify(await bounced(0, ids.both!));
    const published = sns.published.length;
    await handler(bounce(['ops@acme.example']));
    expect(JSON.stringify(await bounced(0, ids.both!))).toBe(before);
    await handler(bounce(['team@acme.example'], 'Transient', 'MailboxFull'));
    await handler(bounce(['team@acme.example'], 'Permanent', 'OnAccountSuppressionList'));
    expect(JSON.stringify(await bounced(0, ids.both!))).toBe(before);
    expect(env.ses.suppressed.has('team@acme.example')).toBe(false);
    expect(sns.published).toHaveLength(published + 1); // the repeat of the real bounce only
  });

  it('uses only the DynamoDB actions its policy grants, on the table itself', () => {
    expect(calls.length).toBeGreaterThan(0);
    expect([...new Set(calls.map((c) => c.action))].sort()).toEqual([...MAIL_EVENTS_DYNAMO_ACTIONS].sort());
    expect(calls.filter((c) => c.index)).toEqual([]);
    expect(new Set(calls.map((c) => c.table))).toEqual(new Set([TABLE]));
  });
});

describe('an email_bounced alert resolves', () => {
  it('when the address leaves the alert emails (the rest of the alert stays), then when the approver changes address', async () => {
    await call('PATCH', `/v1/accounts/${ids.both}`, { alerts: { emails: ['team@acme.example'] } }, ws[0]!.key);
    const [a] = await bounced(0, ids.both!);
    expect(a.details.bounces.map((b: { address: string }) => b.address)).toEqual(['anna@agency.example']);
    await call('PATCH', `/v1/voices/${ids.anna}`, { email: 'anna.bell@agency.example' }, ws[0]!.key);
    expect(await bounced(0, ids.both!)).toEqual([]);
    expect(await bounced(0, ids.approves!)).toEqual([]);
    expect(await bounced(0, ids.both!, 'resolved')).toHaveLength(1);
  });

  it('when acknowledged, though the address is still used', async () => {
    const [a] = await bounced(1, ids.elsewhere!);
    const acked = await call('POST', `/v1/alerts/${a.id}/ack`, {}, ws[1]!.key);
    expect(acked).toMatchObject({ status: 'resolved', ackedAt: expect.any(String) });
    expect(await bounced(1, ids.elsewhere!)).toEqual([]);
  });

  it('is mailed by the watchdog like any alert (SES itself drops the suppressed address)', async () => {
    await call(
      'PATCH',
      `/v1/accounts/${ids.both}`,
      { alerts: { emails: ['team@acme.example', 'ops2@acme.example'] } },
      ws[0]!.key,
    );
    await handler(bounce(['team@acme.example']));
    const [a] = await bounced(0, ids.both!);
    expect(a.details.bounces).toEqual([
      expect.objectContaining({ address: 'team@acme.example', usedAs: ['alert_recipient'] }),
    ]);
    // What the armed timer runs: the watchdog, once the alert's gathering window has passed.
    const later = build(configFromResource(), {
      clock: new ManualClock(Date.now() + 60_000),
      clients: { ...awsClients(), dynamo: new DynamoDBClient({ endpoint: directDynamo }) },
    });
    const outcome = await later.services.watchdog.run({
      kind: 'watchdog',
      workspaceId: ws[0]!.id,
      accountId: ids.both!,
    });
    expect(outcome.notified).toContain(a.id);
    const sent = env.ses.requests.filter(
      (r) =>
        r.path === '/v2/email/outbound-emails' &&
        r.body.Content?.Simple?.Subject?.Data?.includes('mail to team@acme.example bounced'),
    );
    // One mail per recipient (each has its own acknowledge link): SES drops the one to the suppressed address and
    // reports it as a bounce `OnAccountSuppressionList`, which the handler ignores.
    expect(sent.map((r) => r.body.Destination?.ToAddresses).sort()).toEqual([
      ['ops2@acme.example'],
      ['team@acme.example'],
    ]);
    expect(sent[0]!.body.Content?.Simple?.Body?.Text?.Data).toContain('team@acme.example: bounced (Permanent/General)');
    const before = JSON.stringify(await bounced(0, ids.both!));
    const published = sns.published.length;
    await handler(bounce(['team@acme.example'], 'Permanent', 'OnAccountSuppressionList'));
    expect(JSON.stringify(await bounced(0, ids.both!))).toBe(before);
    expect(sns.published).toHaveLength(published);
  });
});
