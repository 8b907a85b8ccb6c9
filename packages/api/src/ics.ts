import ICAL from 'ical.js';
import type { Calendar, Voice } from '@drumbeat/core';

const STATUS: Record<string, string> = {
  pending_approval: 'TENTATIVE',
  scheduled: 'CONFIRMED',
  publishing: 'CONFIRMED',
  published: 'CONFIRMED',
  failed: 'CANCELLED',
  missed: 'CANCELLED',
  canceled: 'CANCELLED',
};

// ical.js counts the fold length without the leading space of continuation lines;
// 74 keeps every line within RFC 5545's 75 octets.
ICAL.foldLength = 74;

const utc = (iso: string) => ICAL.Time.fromJSDate(new Date(iso), true);

function summary(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

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
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.updatePropertyWithValue('prodid', '-//drumbeat//posting calendar//EN');
  root.updatePropertyWithValue('version', '2.0');
  root.updatePropertyWithValue('calscale', 'GREGORIAN');
  root.updatePropertyWithValue('x-wr-calname', `${account.name} (${account.handle})`);
  root.updatePropertyWithValue('x-wr-timezone', cal.timezone);
  for (const post of cal.posts) {
    const v = voices.get(post.voiceId);
    const author = v ? `${v.name} (${v.affiliation.replace('_', '-')}${v.organization ? `, ${v.organization}` : ''})` : post.voiceId;
    const ev = new ICAL.Component('vevent');
    ev.updatePropertyWithValue('uid', `${post.id}@drumbeat`);
    ev.updatePropertyWithValue('dtstamp', utc(stamp.toISOString()));
    ev.updatePropertyWithValue('dtstart', utc(post.scheduledAt));
    ev.updatePropertyWithValue('duration', ICAL.Duration.fromSeconds(15 * 60));
    ev.updatePropertyWithValue('summary', summary(post.text));
    ev.updatePropertyWithValue('status', STATUS[post.status] ?? 'CONFIRMED');
    ev.updatePropertyWithValue('categories', post.status);
    ev.updatePropertyWithValue(
      'description',
      [post.text, '', `Author: ${author}`, `Status: ${post.status}`, ...(post.externalUrl ? [`Published: ${post.externalUrl}`] : [])].join('\n'),
    );
    if (post.externalUrl) ev.updatePropertyWithValue('url', post.externalUrl);
    root.addSubcomponent(ev);
  }
  for (const gap of cal.gaps) {
    const ev = new ICAL.Component('vevent');
    ev.updatePropertyWithValue('uid', `slot-${account.id}-${gap.at}@drumbeat`);
    ev.updatePropertyWithValue('dtstamp', utc(stamp.toISOString()));
    ev.updatePropertyWithValue('dtstart', utc(gap.at));
    ev.updatePropertyWithValue('duration', ICAL.Duration.fromSeconds(15 * 60));
    ev.updatePropertyWithValue('summary', `Empty slot — nothing planned for ${account.handle}`);
    ev.updatePropertyWithValue('status', 'TENTATIVE');
    ev.updatePropertyWithValue('transp', 'TRANSPARENT');
    root.addSubcomponent(ev);
  }
  return root.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}
