import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDrumbeatProcess, type Started } from '../support/process.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { launchChromium } from './chromium.js';

// Issue 18's done-when for routing: a rule assigns on arrival and emails the voice (real SMTP on loopback);
// the answer page (real headless Chromium, no script) publishes the answer under the account, the voice attributed.
let proc: Started;
let sink: SmtpSink;
let channel: HttpRecorder;
let browser: Browser;
let dataDir: string;
let api: (method: string, path: string, body?: unknown) => Promise<any>;
let hr: string;
let account: string;

async function mailTo(address: string, timeoutMs = 20_000): Promise<ReceivedMail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = sink.received.find((r) => r.envelope.to.map((t) => t.toLowerCase()).includes(address));
    if (m) return m;
    if (Date.now() > until) throw new Error(`no mail to ${address}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  sink = await startSmtpSink();
  channel = await startRecorder((_r, res) => json(res, 200, { url: 'https://mastodon.example/@acme/9001' }));
  dataDir = mkdtempSync(join(tmpdir(), 'drumbeat-answer-'));
  proc = await startDrumbeatProcess(
    { DRUMBEAT_DATA_DIR: dataDir, DRUMBEAT_SMTP_URL: sink.url, DRUMBEAT_MAIL_FROM: 'drumbeat <drumbeat@acme.example>' },
    90_000,
  );
  api = async (method, path, body) => {
    const res = await fetch(`${proc.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${proc.ownerKey}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return res.json();
  };
  hr = (
    await api('POST', '/v1/voices', {
      name: 'Hélène Martin',
      email: 'hr@acme.example',
      affiliation: 'in_house',
      organization: 'Acme',
    })
  ).id;
  account = (
    await api('POST', '/v1/accounts', {
      name: 'Acme Coffee',
      network: 'mastodon',
      handle: '@acme',
      timezone: 'Europe/Paris',
      channel: { type: 'webhook', url: `${channel.url}/publish` },
      disclosure: { signature: 'name' },
      conversations: { rules: [{ match: 'emploi|job|hiring', voiceId: hr }] },
    })
  ).id;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await proc?.stop();
  await channel?.close();
  await sink?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a question routed by rule and answered from the email', () => {
  it('emails HR on arrival; their answer page, with no key and no script, publishes the reply once in their name', async () => {
    const r = await api('POST', `/v1/accounts/${account}/conversations`, {
      externalId: '113555',
      url: 'https://mastodon.example/@jo/113555',
      kind: 'mention',
      author: { handle: '@jo@mastodon.example', displayName: 'Jo <img src=x onerror=alert(1)>' },
      text: '@acme are you hiring baristas? <script>alert(1)</script>',
      receivedAt: new Date().toISOString(),
    });
    const id = r.items[0].id;
    const mail = await mailTo('hr@acme.example');
    const link = /(http:\/\/[^\s]+\/a\/[A-Za-z0-9._-]+)/.exec(mail.parsed.text!)![1]!;
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await ctx.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => void dialogs.push(d.message()));
    await page.goto(link);
    await expect(page.getByTestId('question').textContent()).resolves.toContain('<script>alert(1)</script>');
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    await page.fill('#text', 'Yes! See acme.example/jobs');
    await page.getByRole('button', { name: /Send the answer as Hélène Martin/ }).click();
    await page.waitForURL(link);
    // The runtime's timer may take the publish (then the page says the answer is on its way): wait for it, then look again.
    for (let i = 0; i < 100 && (await api('GET', `/v1/conversations/${id}`)).status !== 'answered'; i++)
      await new Promise((res) => setTimeout(res, 100));
    await page.goto(link);
    await expect(page.locator('.done').textContent()).resolves.toContain('answered by you');
    expect(dialogs).toEqual([]);
    await ctx.close();

    expect(channel.requests).toHaveLength(1);
    const sent = JSON.parse(channel.requests[0]!.body);
    expect(sent.data.post.text).toBe('Yes! See acme.example/jobs — Hélène Martin');
    expect(sent.data.replyTo.parent).toEqual({ externalId: '113555', url: 'https://mastodon.example/@jo/113555' });
    const c = await api('GET', `/v1/conversations/${id}`);
    expect(c).toMatchObject({ status: 'answered', answeredBy: hr, assignedBy: 'rule:0' });
    const entries = (await api('GET', `/v1/accounts/${account}/attribution`)).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'reply',
      voice: { id: hr, name: 'Hélène Martin', affiliation: 'in_house', organization: 'Acme' },
      answers: { conversationId: id },
    });
  }, 60_000);
});
