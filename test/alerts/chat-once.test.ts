import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertAccount, RECIPIENT, startAlertBench, type AlertBench } from './harness.js';

// The notifier end to end: real SMTP on loopback for the email, a chat receiver on loopback for Slack.
let b: AlertBench;
let receiver: Server;
let url: string;
const got: any[] = [];

beforeAll(async () => {
  b = await startAlertBench('2026-11-23T10:00:00Z');
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      got.push(JSON.parse(raw));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack`;
});
afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()));
  await b.close();
});

const settle = async () => {
  for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
};

describe('chat alerts beside email', () => {
  it('posts the alert to Slack once, when its email goes out, with the empty slots in local time', async () => {
    const r = await b.call('POST', '/v1/accounts', {
      body: alertAccount(b.channel.url, {
        cadence: { slots: ['FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=30'] },
        alerts: { emails: [RECIPIENT], chat: [{ type: 'slack', url }] },
      }),
    });
    expect(r.status).toBe(201);
    await b.at('2026-11-23T10:00:00Z');
    expect(got).toHaveLength(0);
    await b.at('2026-11-23T10:00:03Z');
    expect(b.sink.received).toHaveLength(1);
    await settle();
    expect(got).toHaveLength(1);
    expect(got[0].blocks[0].text.text).toBe('@acme: 3 empty slots in the next 7 days');
    expect(got[0].blocks[1].text.text).toContain('Wed, 25 Nov 2026, 09:30 (Europe/Paris)');
    // later rounds find nothing to send: once per alert, for chat as for email
    await b.at('2026-11-23T10:30:00Z');
    await new Promise((r) => setTimeout(r, 200));
    expect(b.sink.received).toHaveLength(1);
    expect(got).toHaveLength(1);
  });
});
