import { networkName, toLocal, type AccountRecord, type PostRecord, type VoiceRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { ActionLinks } from './action-links/index.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Emails the author of a manual-channel post at its time: the exact text to
 * post (signature applied) and a link to the page that records it once posted
 * (Mark as published, exactly as POST /v1/posts/{id}/published). Falls back to
 * the account's alert recipients when the author has no email.
 */
export async function sendManualReminder(
  deps: ServiceDeps,
  post: PostRecord,
  account: AccountRecord,
  voice: VoiceRecord,
  text: string,
  links?: ActionLinks,
): Promise<void> {
  const to = voice.email ? [voice.email] : (account.alerts?.emails ?? []);
  if (to.length === 0) return;
  const when = toLocal(new Date(post.scheduledAt), account.timezone);
  const api = `${deps.publicUrl}/v1/posts/${post.id}/published`;
  const page = links ? (await links.manualLink(post.workspaceId, post, voice.id)).url : undefined;
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
    page ? `  ${page}` : `  POST ${api}  {"url": "<the post's address>"}`,
  ].join('\n');
  const record = page
    ? `<p><a href="${escapeHtml(page)}" style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">Copy the text and mark it published</a></p>`
    : `<p>Once it is out, record it so the attribution ledger stays complete: <code>POST ${escapeHtml(api)}</code> with <code>{"url": "…"}</code>.</p>`;
  const html = `<p>Hello ${escapeHtml(voice.name)},</p><p>It is time to publish this post on ${escapeHtml(network)} as <strong>${escapeHtml(account.handle)}</strong> (planned for ${escapeHtml(when)}):</p><blockquote style="white-space:pre-wrap">${escapeHtml(text)}</blockquote>${record}`;
  await deps.mailer.send({ to, subject, text: textBody, html, headers: { 'X-Drumbeat-Post': post.id } });
}
