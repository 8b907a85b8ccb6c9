import {
  networkName,
  type AccountRecord,
  type ConversationRecord,
  type MailMessage,
  type VoiceRecord,
} from '@drumbeat/core';
import { escapeHtml, localLabel } from '../alerts/alert-email.js';

/** One-line text for a subject: controls dropped, cut to `max`. */
function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The email that asks a voice to answer an item: who asked and where, the
 * question, its thread (what it replies to), the note of whoever assigned it,
 * the deadline, and one link to the page where they write and send the
 * answer. Network text is escaped in the HTML part.
 */
export function assignEmail(
  voice: VoiceRecord,
  c: ConversationRecord,
  account: AccountRecord,
  url: string,
  note?: string,
): MailMessage {
  const who = c.author.displayName ? `${c.author.displayName} (${c.author.handle})` : c.author.handle;
  const where = `${account.handle} on ${networkName(account.network)}`;
  const thread = c.inReplyTo ? `In reply to: ${c.inReplyTo.url ?? c.inReplyTo.externalId}` : undefined;
  const due = c.dueAt ? `Please answer before ${localLabel(c.dueAt, account.timezone)}.` : undefined;
  const text = [
    `Hello ${voice.name},`,
    '',
    `${who} wrote to ${where} on ${localLabel(c.receivedAt, account.timezone)}:`,
    '',
    ...c.text.split(/\r?\n/).map((l) => `> ${l}`),
    '',
    ...(thread ? [thread] : []),
    ...(c.url ? [`See it on the network: ${c.url}`] : []),
    ...(note ? ['', `Note: ${note}`] : []),
    ...(due ? ['', due] : []),
    '',
    `Write and send the answer (published as ${account.handle}, signed as the account's disclosure says):`,
    url,
    '',
    'This link is yours alone: it answers in your name.',
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(voice.name)},</p>`,
    `<p><strong>${escapeHtml(who)}</strong> wrote to ${escapeHtml(where)} on ${escapeHtml(localLabel(c.receivedAt, account.timezone))}:</p>`,
    `<blockquote style="white-space:pre-wrap;border-left:4px solid #9ca3af;margin:0;padding:8px 12px">${escapeHtml(c.text)}</blockquote>`,
    thread ? `<p>${escapeHtml(thread)}</p>` : '',
    note ? `<p>Note: ${escapeHtml(note)}</p>` : '',
    due ? `<p>${escapeHtml(due)}</p>` : '',
    `<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:12px 20px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">Answer</a></p>`,
    '<p style="color:#6b7280">This link is yours alone: it answers in your name.</p>',
  ].join('\n');
  return {
    to: [voice.email!],
    subject: `A question for you: ${oneLine(c.author.handle, 80)} on ${oneLine(where, 120)}`,
    text,
    html,
  };
}
