import type { Calendar, Voice } from '@drumbeat/core';
import { escapeText, utcDateTime, writeIcs, type IcsComponent } from '@drumbeat/standards/ics';

const STATUS: Record<string, string> = {
  pending_approval: 'TENTATIVE',
  scheduled: 'CONFIRMED',
  publishing: 'CONFIRMED',
  published: 'CONFIRMED',
  failed: 'CANCELLED',
  missed: 'CANCELLED',
  canceled: 'CANCELLED',
};

/** Every event lasts a quarter of an hour (RFC 5545 DURATION). */
const DURATION = 'PT15M';

function summary(text: string): string {
  // Counted in code points, so an emoji is never cut in half.
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : chars.join('');
}

/**
 * The value of an X-WR-* property. These are written unescaped, as they always
 * were (calendar apps and ical.js read them verbatim); only a line break, which
 * would end the content line, becomes a space.
 */
const xValue = (value: string) => value.replace(/\r\n|[\r\n]/g, ' ');

/**
 * An RFC 5545 calendar of an account's window: one VEVENT per post (stable UID
 * per post, status, author in the description) and one TENTATIVE event per
 * empty slot, so calendar apps show the gaps too.
 */
export function renderIcs(
  account: { id: string; name: string; handle: string },
  cal: Calendar,
  voices: Map<string, Pick<Voice, 'name' | 'affiliation' | 'organization'>>,
  stamp: Date,
): string {
  const dtstamp = utcDateTime(stamp);
  const events: IcsComponent[] = [];
  for (const post of cal.posts) {
    const v = voices.get(post.voiceId);
    const author = v
      ? `${v.name} (${v.affiliation.replace('_', '-')}${v.organization ? `, ${v.organization}` : ''})`
      : post.voiceId;
    const description = [
      post.text,
      '',
      `Author: ${author}`,
      `Status: ${post.status}`,
      ...(post.externalUrl ? [`Published: ${post.externalUrl}`] : []),
    ];
    events.push({
      name: 'VEVENT',
      properties: [
        ['UID', escapeText(`${post.id}@drumbeat`)],
        ['DTSTAMP', dtstamp],
        ['DTSTART', utcDateTime(post.scheduledAt)],
        ['DURATION', DURATION],
        ['SUMMARY', escapeText(summary(post.text))],
        ['STATUS', STATUS[post.status] ?? 'CONFIRMED'],
        ['CATEGORIES', escapeText(post.status)],
        ['DESCRIPTION', escapeText(description.join('\n'))],
        // URL is a URI value (RFC 5545 3.3.13): written as is, never TEXT-escaped.
        ...(post.externalUrl ? [['URL', post.externalUrl] as [string, string]] : []),
      ],
    });
  }
  for (const gap of cal.gaps) {
    events.push({
      name: 'VEVENT',
      properties: [
        ['UID', escapeText(`slot-${account.id}-${gap.at}@drumbeat`)],
        ['DTSTAMP', dtstamp],
        ['DTSTART', utcDateTime(gap.at)],
        ['DURATION', DURATION],
        ['SUMMARY', escapeText(`Empty slot — nothing planned for ${account.handle}`)],
        ['STATUS', 'TENTATIVE'],
        ['TRANSP', 'TRANSPARENT'],
      ],
    });
  }
  return writeIcs({
    name: 'VCALENDAR',
    properties: [
      ['PRODID', escapeText('-//drumbeat//posting calendar//EN')],
      ['VERSION', '2.0'],
      ['CALSCALE', 'GREGORIAN'],
      ['X-WR-CALNAME', xValue(`${account.name} (${account.handle})`)],
      ['X-WR-TIMEZONE', xValue(cal.timezone)],
    ],
    components: events,
  });
}
