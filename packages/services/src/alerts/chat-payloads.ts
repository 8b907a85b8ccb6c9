import type { AccountRecord, AlertRecord } from '@drumbeat/core';
import { alertSection, calendarPage, cap } from './alert-email.js';
import type { DigestGroup } from './digest-email.js';

/**
 * The documented limits the payloads keep to. Slack Block Kit: at most 50
 * blocks a message, a header's plain text 150 characters, a section's text
 * 3000, a button's text 75 and URL 3000, at most 25 elements in an actions
 * block. Teams (Workflows webhook): an Adaptive Card of at most 28 KB.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  buttonText: 75,
  buttonUrl: 3000,
  actionsElements: 25,
  fallbackText: 4000,
} as const;
export const TEAMS_LIMITS = { bytes: 28 * 1024, textBlock: 2000 } as const;

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
/** Slack mrkdwn: &, < and > escaped (the only characters it needs escaped). */
const mrk = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Part {
  account: AccountRecord;
  alert: AlertRecord;
  title: string;
  what: string;
  list: string[];
  calendar: string;
  /** This destination's signed Acknowledge link for the alert, when the notifier can sign one. */
  ack?: string;
}

/** Alert id → its Acknowledge link (an action link signed for this one destination). */
export type ChatAckLinks = ReadonlyMap<string, string>;

function parts(groups: DigestGroup[], publicUrl: string, acks?: ChatAckLinks): Part[] {
  const base = publicUrl.replace(/\/+$/, '');
  return groups.flatMap((g) =>
    g.alerts.map((a) => {
      const s = alertSection(a, g.account, base);
      const ack = acks?.get(a.id);
      return {
        account: g.account,
        alert: a,
        title: cap(s.title),
        what: s.what,
        list: s.list,
        calendar: calendarPage(base, g.account),
        ...(ack ? { ack } : {}),
      };
    }),
  );
}

const heading = (ps: Part[]) =>
  ps.length === 1
    ? `${ps[0]!.account.handle}: ${ps[0]!.title}`
    : `${ps.length} alerts on ${new Set(ps.map((p) => p.account.id)).size} accounts`;

/** A Slack incoming-webhook message (Block Kit): a header, each alert in words with its empty slots in local time, buttons to the calendar and to acknowledge. */
export function slackPayload(
  groups: DigestGroup[],
  publicUrl: string,
  acks?: ChatAckLinks,
): { text: string; blocks: unknown[] } {
  const ps = parts(groups, publicUrl, acks);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(heading(ps), SLACK_LIMITS.headerText), emoji: false } },
  ];
  // 3 blocks per alert after the header: at most 16 alerts in full, the rest counted (50 blocks in all).
  const room = Math.floor((SLACK_LIMITS.blocks - 2) / 3);
  for (const p of ps.slice(0, room)) {
    const body = [
      `*${mrk(p.account.name)}* (${mrk(p.account.handle)}): ${mrk(p.title)}`,
      mrk(p.what),
      ...p.list.map((l) => `• ${mrk(l)}`),
    ].join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(body, SLACK_LIMITS.sectionText) } });
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: clip(`Open the calendar of ${p.account.handle}`, SLACK_LIMITS.buttonText) },
          url: clip(p.calendar, SLACK_LIMITS.buttonUrl),
          action_id: `calendar-${p.alert.id}`,
        },
        // A link is never clipped (a cut link is a broken one); signed links are far below the limit.
        ...(p.ack && p.ack.length <= SLACK_LIMITS.buttonUrl
          ? [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Acknowledge' },
                url: p.ack,
                action_id: `ack-${p.alert.id}`,
              },
            ]
          : []),
      ],
    });
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Alert ${p.alert.id} · opened ${p.alert.openedAt}` }],
    });
  }
  if (ps.length > room)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `…and ${ps.length - room} more alerts: see the email or GET /v1/alerts.` },
    });
  return { text: clip(`${heading(ps)}. ${ps.map((p) => p.what).join(' ')}`, SLACK_LIMITS.fallbackText), blocks };
}

/** A Teams Workflows-webhook message: one Adaptive Card (1.4) with each alert in words and a button to each calendar, under 28 KB. */
export function teamsPayload(groups: DigestGroup[], publicUrl: string, acks?: ChatAckLinks): unknown {
  const ps = parts(groups, publicUrl, acks);
  const body: unknown[] = [
    { type: 'TextBlock', size: 'Large', weight: 'Bolder', wrap: true, text: clip(heading(ps), TEAMS_LIMITS.textBlock) },
  ];
  const actions = new Map<string, string>();
  let shown = 0;
  for (const p of ps) {
    const item: unknown[] = [
      {
        type: 'TextBlock',
        weight: 'Bolder',
        wrap: true,
        text: clip(`${p.account.name} (${p.account.handle}): ${p.title}`, TEAMS_LIMITS.textBlock),
      },
      {
        type: 'TextBlock',
        wrap: true,
        text: clip([p.what, ...p.list.map((l) => `- ${l}`)].join('\n'), TEAMS_LIMITS.textBlock),
      },
      // Each alert's own Acknowledge, under it (the card's actions are the calendars).
      ...(p.ack
        ? [{ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Acknowledge', url: p.ack }] }]
        : []),
    ];
    if (JSON.stringify(body).length + JSON.stringify(item).length > TEAMS_LIMITS.bytes - 4096) break;
    body.push(...item);
    actions.set(p.account.id, p.calendar);
    shown++;
  }
  if (shown < ps.length)
    body.push({ type: 'TextBlock', wrap: true, text: `…and ${ps.length - shown} more alerts: see the email.` });
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    actions: [...actions].slice(0, 5).map(([id, url]) => ({
      type: 'Action.OpenUrl',
      title: `Open the calendar (${ps.find((p) => p.account.id === id)!.account.handle})`,
      url,
    })),
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

/** A plain JSON message for any webhook: the alerts as data, with their words and calendar links. */
export function webhookPayload(groups: DigestGroup[], publicUrl: string, acks?: ChatAckLinks): unknown {
  const ps = parts(groups, publicUrl, acks);
  return {
    type: 'drumbeat.alerts',
    text: heading(ps),
    alerts: ps.map((p) => ({
      id: p.alert.id,
      kind: p.alert.kind,
      accountId: p.account.id,
      handle: p.account.handle,
      openedAt: p.alert.openedAt,
      title: p.title,
      what: p.what,
      list: p.list,
      calendar: p.calendar,
      ...(p.ack ? { acknowledge: p.ack } : {}),
    })),
  };
}

/** The message for a destination of `type`. */
export function chatPayload(
  type: 'slack' | 'teams' | 'webhook',
  groups: DigestGroup[],
  publicUrl: string,
  acks?: ChatAckLinks,
): unknown {
  return type === 'slack'
    ? slackPayload(groups, publicUrl, acks)
    : type === 'teams'
      ? teamsPayload(groups, publicUrl, acks)
      : webhookPayload(groups, publicUrl, acks);
}
