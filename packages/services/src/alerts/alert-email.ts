import {
  countOf,
  durationInWords,
  networkName,
  type AccountRecord,
  type AlertRecord,
  type MailMessage,
} from '@drumbeat/core';

/** A policy duration for people, in words: "2 days", "30 seconds". */
function policyDuration(iso: string | undefined): string {
  return iso ? durationInWords(iso) : 'the allowed time';
}

/** Text safe inside HTML, attributes included. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An instant as people in the account's zone read it: "Wed, 25 Nov 2026, 09:30 (Europe/Paris)". Host TZ independent. */
export function localLabel(at: string | Date, zone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${f.format(new Date(at))} (${zone})`;
}

/** One paragraph of an alert: what happened, the facts to list, and what to do. */
export interface Section {
  title: string;
  what: string;
  list: string[];
  todo: string;
}

/** What one alert of `account` says in an email: its title, what happened, the facts to list and what to do. */
export function alertSection(a: AlertRecord, account: AccountRecord, base: string): Section {
  const d = a.details;
  const zone = account.timezone;
  const calendar = calendarPage(base, account);
  switch (a.kind) {
    case 'cadence_lapsed': {
      const since = d.silentSince ? localLabel(d.silentSince, zone) : 'the start of the cadence';
      const what =
        d.reason === 'min_posts'
          ? `The cadence asks for at least ${countOf(d.minPosts?.count ?? 0, 'post')} every ${policyDuration(d.minPosts?.per)}; ${d.publishedInWindow ?? 0} went out in that time.`
          : d.lastPublishedAt
            ? `Nothing has been published since ${since}; the cadence allows at most ${policyDuration(d.maxGap)} between posts.`
            : `Nothing has been published since the cadence was set on ${since}; it allows at most ${policyDuration(d.maxGap)} between posts.`;
      return {
        title: d.summary,
        what,
        list: [],
        todo: `Publish a post now or schedule one soon (see the calendar: ${calendar}). This alert resolves itself with the next publication.`,
      };
    }
    case 'empty_slots':
      return {
        title: d.summary,
        what: `These slots within the next ${policyDuration(d.lookahead)} have no post:`,
        list: [
          ...(d.emptySlots ?? []).map((s) => `${localLabel(s.at, zone)} — ${s.at}`),
          ...((d.emptyCount ?? 0) > (d.emptySlots?.length ?? 0)
            ? [`… and ${(d.emptyCount ?? 0) - (d.emptySlots?.length ?? 0)} more`]
            : []),
        ],
        todo: `Fill them: create a post at each time, or with {"slot": "next"} (POST ${base}/v1/accounts/${account.id}/posts). Calendar: ${calendar}. This alert updates as slots fill and resolves when none is empty.`,
      };
    case 'approval_overdue':
      return {
        title: d.summary,
        what: `Post ${a.postId}, planned for ${d.scheduledAt ? localLabel(d.scheduledAt, zone) : 'later'}, has awaited approval since ${d.pendingSince ? localLabel(d.pendingSince, zone) : 'its creation'}; approvals should take at most ${policyDuration(d.sla)}.`,
        list: [],
        todo: `An approver should approve or reject it with their personal key: POST ${base}/v1/posts/${a.postId}/approve (or /reject). If nobody approves it before its time, it is not published.`,
      };
    case 'publish_failed':
      return {
        title: d.summary,
        what: `Post ${a.postId}, planned for ${d.scheduledAt ? localLabel(d.scheduledAt, zone) : 'its time'}, was not published: ${d.reason ?? 'the channel refused it'}.`,
        list: [],
        todo: `Check the account's channel settings, then schedule the post again (GET ${base}/v1/posts/${a.postId}). Calendar: ${calendar}.`,
      };
    case 'webhook_failing':
      return {
        title: d.summary,
        what: `The webhook subscription ${d.webhookId} (${d.webhookUrl}) could not deliver an event about this account: ${d.failedDeliveries ?? 1} deliveries in a row failed every retry${d.disabledAt ? `, so it was disabled on ${localLabel(d.disabledAt, zone)} and receives nothing more` : ''}.`,
        list: [],
        todo: `Check the receiver, then see what it missed: GET ${base}/v1/webhooks/${d.webhookId}/deliveries. ${d.disabledAt ? 'Create the subscription again once the receiver works.' : 'This alert resolves with the next event it receives.'}`,
      };
    case 'email_bounced': {
      const uses = (b: NonNullable<typeof d.bounces>[number]) =>
        [
          b.usedAs.includes('alert_recipient') ? 'an alert recipient' : '',
          b.usedAs.includes('approver') ? `the address of approver ${(b.voiceIds ?? []).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' and ');
      return {
        title: d.summary,
        what: 'Mail to these addresses no longer arrives, so drumbeat has stopped sending to them (the mail service would refuse it):',
        list: (d.bounces ?? []).map(
          (b) =>
            `${b.address}: ${b.event === 'bounce' ? 'bounced' : 'reported drumbeat mail as spam'} (${b.detail}) on ${localLabel(b.reportedAt, zone)}; ${uses(b)}`,
        ),
        todo: `Fix or remove each address: the account's alert emails (PATCH ${base}/v1/accounts/${account.id}), an approver's email (PATCH ${base}/v1/voices/{id}). This alert resolves once none is used, or when acknowledged (an address that works again also needs the operators to lift its suppression).`,
      };
    }
    case 'listening_failed':
      return {
        title: d.summary,
        what: `Since ${d.failingSince ? localLabel(d.failingSince, zone) : 'the last poll'}, the network refuses to show this account's mentions: ${d.reason ?? 'the token was refused'}. Nothing new reaches the inbox; what was already read is kept, and polling resumes from there.`,
        list: [],
        todo: `Renew the channel's credentials (an access token with read:notifications, or a new app password): PATCH ${base}/v1/accounts/${account.id} with the channel. Polling goes on, slowly${d.nextPollAt ? ` (next on ${localLabel(d.nextPollAt, zone)})` : ''}; this alert resolves with the next poll that succeeds.`,
      };
    case 'reply_overdue':
      return {
        title: d.summary,
        what: `${d.author ?? 'Someone'} wrote on ${d.receivedAt ? localLabel(d.receivedAt, zone) : 'the network'}, and it should have been answered by ${d.dueAt ? localLabel(d.dueAt, zone) : 'now'} (response SLA ${policyDuration(d.sla)}):`,
        list: [d.text ?? ''],
        todo: `See it in the inbox (${base}/app/accounts/${account.id}/inbox), then assign it to the right voice (POST ${base}/v1/conversations/${d.conversationId}/assign: they get a one-click answer link) or answer it (POST ${base}/v1/conversations/${d.conversationId}/reply); dismiss it if it needs no answer. This alert resolves once it is answered or dismissed.`,
      };
  }
}

/**
 * The email for alerts of one account that opened together: one alert, or a
 * digest of several. A plain-text and an HTML part (escaped) saying what
 * happened, the empty slots in the account's local time, and what to do, with
 * links to the calendar and to acknowledge. A stable Message-ID per alert set,
 * so a receiver can drop a repeat.
 */
export function alertEmail(
  alerts: AlertRecord[],
  account: AccountRecord,
  publicUrl: string,
  to: string[],
  ackLinks?: ReadonlyMap<string, string>,
): MailMessage {
  const base = publicUrl.replace(/\/+$/, '');
  const who = `${account.handle} on ${networkName(account.network)}`;
  const sections = alerts.map((a) => ({ a, s: alertSection(a, account, base) }));
  const subject =
    alerts.length === 1
      ? `${who}: ${sections[0]!.s.title}`
      : `${who}: ${alerts.length} alerts — ${sections.map(({ s }) => s.title).join('; ')}`.slice(0, 200);
  // "Acme on Mastodon (@acme) needs attention.", not "(@acme on Mastodon)" again when the name already says where.
  const where = account.name.toLowerCase().includes(networkName(account.network).toLowerCase()) ? account.handle : who;
  const intro = `${account.name} (${where}) needs attention.`;
  const outro = `You receive this because your address is among the alert recipients of ${who}. Each alert is emailed once; it resolves by itself once the problem is fixed.`;
  const ack = ackOf(base, ackLinks);

  const text = [intro, '', ...sectionsText(sections, ack), `Calendar: ${calendarPage(base, account)}`, '', outro].join(
    '\n',
  );

  const html = alertHtml(intro, outro, [
    ...sections.map((x) => sectionHtml(x, ack, 'h2', '1.1em')),
    `<p><a href="${escapeHtml(calendarPage(base, account))}">Open the calendar</a></p>`,
  ]);
  return alertMessage({ to, subject, text, html }, base, alerts, [account]);
}

/** The HTML part of an alert email: the intro, the body, and the outro in small print. */
export function alertHtml(intro: string, outro: string, body: string[]): string {
  return [
    `<p>${escapeHtml(intro)}</p>`,
    ...body,
    `<p style="color:#666;font-size:0.9em">${escapeHtml(outro)}</p>`,
  ].join('\n');
}

/** An email about `alerts` of `accounts`: a Message-ID stable per alert set, and the alert and account ids in headers. */
export function alertMessage(
  parts: Omit<MailMessage, 'headers'>,
  base: string,
  alerts: readonly { id: string }[],
  accounts: readonly { id: string }[],
): MailMessage {
  const ids = alerts.map((a) => a.id).sort();
  return {
    ...parts,
    headers: {
      'Message-ID': alertMessageId(ids, base),
      'X-Drumbeat-Alert': ids.join(', '),
      'X-Drumbeat-Account': accounts.map((a) => a.id).join(', '),
    },
  };
}

/** The plain-text part of alert sections: numbered when several, each with what to do and how to acknowledge it. */
export function sectionsText(sections: { a: AlertRecord; s: Section }[], ack: (id: string) => string): string[] {
  return sections.flatMap(({ a, s }, i) => [
    `${sections.length > 1 ? `${i + 1}. ` : ''}${cap(s.title)}`,
    s.what,
    ...s.list.map((l) => `  - ${l}`),
    `What to do: ${s.todo}`,
    `Acknowledge: ${ack(a.id)}`,
    '',
  ]);
}

/** One alert section in HTML (escaped), under a heading of `tag`. */
export function sectionHtml(
  { a, s }: { a: AlertRecord; s: Section },
  ack: (id: string) => string,
  tag: 'h2' | 'h3',
  size: string,
): string {
  return (
    `<${tag} style="font-size:${size}">${escapeHtml(cap(s.title))}</${tag}><p>${escapeHtml(s.what)}</p>` +
    (s.list.length ? `<ul>${s.list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '') +
    `<p><strong>What to do:</strong> ${escapeHtml(s.todo)}</p>` +
    (ack(a.id).startsWith('http')
      ? `<p><a href="${escapeHtml(ack(a.id))}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600">Acknowledge</a></p>`
      : `<p>Acknowledge: <code>${escapeHtml(ack(a.id))}</code></p>`)
  );
}

/** How an alert is acknowledged from an email: its recipient's signed link (one click), else the API call. */
export function ackOf(base: string, ackLinks?: ReadonlyMap<string, string>): (id: string) => string {
  return (id) => ackLinks?.get(id) ?? `POST ${base}/v1/alerts/${id}/ack`;
}

/** The Message-ID of an email about the alerts `ids`, the same for the same set whoever sends it (a retry, a takeover). */
function alertMessageId(ids: string[], base: string): string {
  const sorted = [...ids].sort();
  const host = hostOf(base);
  return sorted.length === 1 ? `<alert.${sorted[0]}@${host}>` : `<alerts.${sorted[0]}.${sorted.length}@${host}>`;
}

/** The account's calendar page, for people (sign in with any key); the JSON API needs a bearer key a mail link cannot carry. */
export function calendarPage(base: string, account: AccountRecord): string {
  return `${base}/app/accounts/${account.id}/calendar`;
}

/** The text with its first letter capitalised. */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The host a Message-ID names: the public URL's, when it is a name. */
export function hostOf(url: string): string {
  try {
    const host = new URL(url).hostname;
    return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(host) && !/^[\d.]+$/.test(host) ? host : 'drumbeat.local';
  } catch {
    return 'drumbeat.local';
  }
}
