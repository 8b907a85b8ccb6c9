import { networkName, type AccountRecord, type AlertRecord, type MailMessage } from '@drumbeat/core';
import {
  ackOf,
  alertEmail,
  alertHtml,
  alertMessage,
  alertSection,
  calendarPage,
  escapeHtml,
  sectionHtml,
  sectionsText,
} from './alert-email.js';

/** The alerts of one account that go into a digest. */
export interface DigestGroup {
  account: AccountRecord;
  alerts: AlertRecord[];
}

const who = (account: AccountRecord) => `${account.handle} on ${networkName(account.network)}`;

/**
 * The one email for alerts of one workspace that opened together, for
 * recipients they share: the account's own email when they are all of one
 * account, else a digest with a section per account (named, with its alerts,
 * what to do and its calendar link), in a plain-text and an escaped HTML part.
 * A stable Message-ID per alert set, so a receiver can drop a repeat.
 */
export function digestEmail(
  groups: DigestGroup[],
  publicUrl: string,
  to: string[],
  ackLinks?: ReadonlyMap<string, string>,
): MailMessage {
  const nonEmpty = groups.filter((g) => g.alerts.length > 0);
  if (nonEmpty.length === 1) return alertEmail(nonEmpty[0]!.alerts, nonEmpty[0]!.account, publicUrl, to, ackLinks);
  const base = publicUrl.replace(/\/+$/, '');
  const parts = nonEmpty.map((g) => ({
    account: g.account,
    sections: g.alerts.map((a) => ({ a, s: alertSection(a, g.account, base) })),
  }));
  const count = parts.reduce((n, p) => n + p.sections.length, 0);
  const subject =
    `${count} alerts on ${parts.length} accounts: ${parts.map((p) => `${who(p.account)}: ${p.sections.map(({ s }) => s.title).join(', ')}`).join('; ')}`.slice(
      0,
      200,
    );
  const intro = `${count} alerts opened together on ${parts.length} accounts; each section below names its account.`;
  const outro = `You receive this because your address is among the alert recipients of these accounts. Each alert is emailed once; it resolves by itself once the problem is fixed.`;
  const ack = ackOf(base, ackLinks);
  const heading = (account: AccountRecord) => `${who(account)}: ${account.name}`;

  const text = [
    intro,
    '',
    ...parts.flatMap((p) => [
      `== ${heading(p.account)} ==`,
      '',
      ...sectionsText(p.sections, ack),
      `Calendar: ${calendarPage(base, p.account)}`,
      '',
    ]),
    outro,
  ].join('\n');

  const html = alertHtml(
    intro,
    outro,
    parts.map(
      (p) =>
        `<h2 style="font-size:1.2em">${escapeHtml(heading(p.account))}</h2>\n` +
        p.sections.map((x) => sectionHtml(x, ack, 'h3', '1.05em')).join('\n') +
        `\n<p><a href="${escapeHtml(calendarPage(base, p.account))}">Open the calendar of ${escapeHtml(who(p.account))}</a></p>`,
    ),
  );
  const alerts = parts.flatMap((p) => p.sections.map(({ a }) => a));
  return alertMessage(
    { to, subject, text, html },
    base,
    alerts,
    parts.map((p) => p.account),
  );
}
