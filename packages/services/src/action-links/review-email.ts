import {
  durationMs,
  networkName,
  overdueAt,
  pendingSince,
  signedText,
  type AccountRecord,
  type MailMessage,
  type PostRecord,
  type VoiceRecord,
} from '@drumbeat/core';
import { escapeHtml, localLabel } from '../alerts/alert-email.js';

const AFFILIATION: Record<VoiceRecord['affiliation'], string> = {
  in_house: 'in-house',
  agency: 'agency',
  freelance: 'freelance',
  automation: 'automation',
};

/** "Anna Bell (agency, Northwind Agency)": who wrote a post, as people read it. */
export function authorLabel(v: VoiceRecord): string {
  return `${v.name} (${AFFILIATION[v.affiliation]}${v.organization ? `, ${v.organization}` : ''})`;
}

/** When the approval of `post` runs late under the account's SLA, if it has one. */
export function slaDeadline(post: PostRecord, account: AccountRecord): Date | undefined {
  const sla = account.approval?.sla;
  return sla
    ? overdueAt({ id: post.id, since: pendingSince(post), scheduledAt: new Date(post.scheduledAt) }, durationMs(sla))
    : undefined;
}

/** One post waiting for a reviewer, with the link that reviews it. */
export interface ReviewItem {
  post: PostRecord;
  account: AccountRecord;
  author: VoiceRecord;
  url: string;
}

const button = (href: string, label: string, bg: string) =>
  `<a href="${escapeHtml(href)}" style="display:inline-block;margin:4px 8px 4px 0;padding:12px 20px;background:${bg};color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">${label}</a>`;

/**
 * The approval request for one reviewer: each post's account, author and
 * affiliation, the exact text as it will be published (signature applied),
 * the planned time in the account's zone, the SLA deadline, and the two
 * buttons (both open the review page: opening changes nothing, its form acts).
 * Several posts make one digest.
 */
export function reviewEmail(reviewer: VoiceRecord, items: ReviewItem[]): MailMessage {
  const first = items[0]!;
  const who = (a: AccountRecord) => `${a.handle} on ${networkName(a.network)}`;
  const subject =
    items.length === 1
      ? `Approval needed: ${who(first.account)}, ${localLabel(first.post.scheduledAt, first.account.timezone)}`
      : `${items.length} posts wait for your approval`;
  const parts = items.map((it) => {
    const text = signedText(it.post.text, it.account.disclosure, it.author);
    const due = slaDeadline(it.post, it.account);
    return {
      it,
      text,
      when: localLabel(it.post.scheduledAt, it.account.timezone),
      due: due ? localLabel(due, it.account.timezone) : undefined,
    };
  });
  const textBody = [
    `Hello ${reviewer.name},`,
    '',
    items.length === 1 ? 'A post waits for your approval.' : `${items.length} posts wait for your approval.`,
    '',
    ...parts.flatMap(({ it, text, when, due }, i) => [
      `${items.length > 1 ? `${i + 1}. ` : ''}${it.account.name} (${who(it.account)})`,
      `Written by ${authorLabel(it.author)}`,
      `Planned for ${when}${due ? `; please decide before ${due}` : ''}`,
      '',
      text.replace(/^/gm, '    '),
      '',
      `Approve: ${it.url}?do=approve`,
      `Request changes: ${it.url}?do=changes`,
      '',
    ]),
    'Opening a link changes nothing: the page shows the post and asks you to confirm. The links are yours alone; they expire at the post’s time.',
  ].join('\n');
  const html = [
    `<div style="max-width:560px;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px;line-height:1.5;color:#1b1b1b">`,
    `<p>Hello ${escapeHtml(reviewer.name)},</p>`,
    `<p>${items.length === 1 ? 'A post waits for your approval.' : `${items.length} posts wait for your approval.`}</p>`,
    ...parts.map(
      ({ it, text, when, due }) =>
        `<div style="border:1px solid #d1d5db;border-radius:8px;padding:12px;margin:12px 0">` +
        `<p style="margin:0"><strong>${escapeHtml(it.account.name)}</strong> <span style="color:#4b5563">${escapeHtml(who(it.account))}</span></p>` +
        `<p style="margin:4px 0;color:#4b5563">Written by ${escapeHtml(authorLabel(it.author))}</p>` +
        `<blockquote style="white-space:pre-wrap;margin:8px 0;padding:8px 12px;border-left:4px solid #1d4ed8;background:#f6f7f9">${escapeHtml(text)}</blockquote>` +
        `<p style="margin:4px 0">Planned for <strong>${escapeHtml(when)}</strong>${due ? `<br>Please decide before <strong>${escapeHtml(due)}</strong>` : ''}</p>` +
        `<p>${button(`${it.url}?do=approve`, 'Approve', '#15803d')}${button(`${it.url}?do=changes`, 'Request changes', '#b45309')}</p></div>`,
    ),
    `<p style="color:#4b5563;font-size:14px">Opening a link changes nothing: the page shows the post and asks you to confirm. These links are yours alone; they expire at the post’s time.</p></div>`,
  ].join('\n');
  return {
    to: [reviewer.email!],
    subject,
    text: textBody,
    html,
    headers: { 'X-Drumbeat-Post': items.map((i) => i.post.id).join(', ') },
  };
}

/** The author's email when a reviewer asks for changes: the note, the text it is about, and where to edit. */
export function changesRequestedEmail(
  author: VoiceRecord,
  reviewer: VoiceRecord,
  post: PostRecord,
  account: AccountRecord,
  note: string | undefined,
  calendarUrl: string,
): MailMessage {
  const who = `${account.handle} on ${networkName(account.network)}`;
  const said = note?.trim() ? note.trim() : '(no note)';
  const text = [
    `Hello ${author.name},`,
    '',
    `${reviewer.name} asked for changes to your post for ${account.name} (${who}), planned for ${localLabel(post.scheduledAt, account.timezone)}:`,
    '',
    said.replace(/^/gm, '> '),
    '',
    'Your text:',
    post.text.replace(/^/gm, '    '),
    '',
    `Edit it (PATCH /v1/posts/${post.id}) and it goes back for approval. Calendar: ${calendarUrl}`,
  ].join('\n');
  const html = `<div style="max-width:560px;font-family:system-ui,sans-serif;line-height:1.5"><p>Hello ${escapeHtml(author.name)},</p><p>${escapeHtml(reviewer.name)} asked for changes to your post for <strong>${escapeHtml(account.name)}</strong> (${escapeHtml(who)}), planned for ${escapeHtml(localLabel(post.scheduledAt, account.timezone))}:</p><blockquote style="white-space:pre-wrap;border-left:4px solid #b45309;padding:8px 12px;margin:8px 0;background:#fffbeb">${escapeHtml(said)}</blockquote><p>Your text:</p><blockquote style="white-space:pre-wrap;border-left:4px solid #9ca3af;padding:8px 12px;margin:8px 0">${escapeHtml(post.text)}</blockquote><p>Edit it and it goes back for approval. <a href="${escapeHtml(calendarUrl)}">Open the calendar</a></p></div>`;
  return {
    to: [author.email!],
    subject: `Changes requested: your post for ${who}`,
    text,
    html,
    headers: { 'X-Drumbeat-Post': post.id },
  };
}
