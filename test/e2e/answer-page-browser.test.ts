import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeAccount } from '../support/bodies.js';
import { json, startRecorder, type HttpRecorder } from '../support/http-recorder.js';
import { startE2eRuntime, type E2eRuntime } from './runtime.js';

// Issue 18's done-when for routing: a rule assigns on arrival and emails the voice (real SMTP on loopback);
// the answer page (real headless Chromium, no script) publishes the answer under the account, the voice attributed.
let rt: E2eRuntime;
let channel: HttpRecorder;
let hr: string;
let account: string;

beforeAll(async () => {
  channel = await startRecorder((_r, res) => json(res, 200, { url: 'https://mastodon.example/@acme/9001' }));
  rt = await startE2eRuntime({ prefix: 'drumbeat-answer-', mail: true, timeoutMs: 90_000 });
  hr = await rt.create('/v1/voices', {
    name: 'Hélène Martin',
    email: 'hr@acme.example',
    affiliation: 'in_house',
    organization: 'Acme',
  });
  account = await rt.create(
    '/v1/accounts',
    acmeAccount({
      name: 'Acme Coffee',
      channel: { type: 'webhook', url: `${channel.url}/publish` },
      disclosure: { signature: 'name' },
      conversations: { rules: [{ match: 'emploi|job|hiring', voiceId: hr }] },
    }),
  );
}, 120_000);

afterAll(async () => {
  await rt?.close();
  await channel?.close();
});

describe('a question routed by rule and answered from the email', () => {
  it('emails HR on arrival; their answer page, with no key and no script, publishes the reply once in their name', async () => {
    const r = await rt.api('POST', `/v1/accounts/${account}/conversations`, {
      externalId: '113555',
      url: 'https://mastodon.example/@jo/113555',
      kind: 'mention',
      author: { handle: '@jo@mastodon.example', displayName: 'Jo <img src=x onerror=alert(1)>' },
      text: '@acme are you hiring baristas? <script>alert(1)</script>',
      receivedAt: new Date().toISOString(),
    });
    const id = r.items[0].id;
    const mail = await rt.mailTo('hr@acme.example');
    const link = /(http:\/\/[^\s]+\/a\/[A-Za-z0-9._-]+)/.exec(mail.parsed.text!)![1]!;
    const ctx = await rt.browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
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
    for (let i = 0; i < 100 && (await rt.api('GET', `/v1/conversations/${id}`)).status !== 'answered'; i++)
      await new Promise((res) => setTimeout(res, 100));
    await page.goto(link);
    await expect(page.locator('.done').textContent()).resolves.toContain('answered by you');
    expect(dialogs).toEqual([]);
    await ctx.close();

    expect(channel.requests).toHaveLength(1);
    const sent = JSON.parse(channel.requests[0]!.body);
    expect(sent.data.post.text).toBe('Yes! See acme.example/jobs — Hélène Martin');
    expect(sent.data.replyTo.parent).toEqual({ externalId: '113555', url: 'https://mastodon.example/@jo/113555' });
    const c = await rt.api('GET', `/v1/conversations/${id}`);
    expect(c).toMatchObject({ status: 'answered', answeredBy: hr, assignedBy: 'rule:0' });
    const entries = (await rt.api('GET', `/v1/accounts/${account}/attribution`)).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'reply',
      voice: { id: hr, name: 'Hélène Martin', affiliation: 'in_house', organization: 'Acme' },
      answers: { conversationId: id },
    });
  }, 60_000);
});
