import { networkName, toLocal, type AccountRecord, type PostRecord, type VoiceRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Emails the author of a manual-channel post at its time: the exact text to
 * post (signature applied) and how to record it once posted. Falls back to the
 * account's alert recipients when the author has no email.
 */
export async function sendManualReminder(deps: ServiceDeps, post: PostRecord, account: AccountRecord, voice: VoiceRecord, text: string): Promise<void> {
  const to = voice.email ? [voice.email] : (account.alerts?.emails ?? []);
  if (to.length === 0) return;
  const when = toLocal(new Date(post.scheduledAt), account.timezone);
  const link = `${deps.publicUrl}/v1/posts/${post.id}/published`;
  const network = networkName(account.network);
  const subject = `${account.handle} on ${network}: time to post (${when.slice(0, 16).replace('T', ' ')})`;
  const textBody = [
    `Hello ${voice.name},`,
    '',
    `It is time to publish this post on ${network} as ${account.handle} (planned for ${when}):`,
    '',
    text,
    '',
    `Once it is out, record it so the attribution ledger stays complete:`,
    `  POST ${link}  {"url": "<the post's address>"}`,
  ].join('\n');
  const html = `<p>Hello ${escape(voice.name)},</p><p>It is time to publish this post on ${escape(network)} as <strong>${escape(account.handle)}</strong> (planned for ${escape(when)}):</p><blockquote style="white-space:pre-wrap">${escape(text)}</blockquote><p>Once it is out, record it so the attribution ledger stays complete: <code>POST ${escape(link)}</code> with <code>{"url": "…"}</code>.</p>`;
  await deps.mailer.send({ to, subject, text: textBody, html, headers: { 'X-Drumbeat-Post': post.id } });
}
