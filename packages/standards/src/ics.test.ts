import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { contentLine, escapeText, foldLine, utcDateTime, writeIcs } from './ics.js';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
const unfold = (s: string) => s.replace(/\r\n /g, '');
const physical = (folded: string) => folded.split('\r\n');

describe('escapeText', () => {
  it('escapes backslash, semicolon and comma, and writes line breaks as \\n', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
    expect(escapeText('crlf\r\nbare cr\r')).toBe('crlf\\nbare cr\\n');
    expect(escapeText('\\n is not a newline')).toBe('\\\\n is not a newline');
    expect(escapeText('\\;')).toBe('\\\\\\;');
  });

  it('leaves colons, quotes, tabs and non-ASCII text alone', () => {
    expect(escapeText('time: "9:30"\tcafé ☕ 😀')).toBe('time: "9:30"\tcafé ☕ 😀');
  });
});

describe('utcDateTime', () => {
  it('writes a UTC DATE-TIME without milliseconds, from a Date or an ISO string', () => {
    expect(utcDateTime('2026-11-25T08:30:07.999Z')).toBe('20261125T083007Z');
    expect(utcDateTime(new Date('2026-01-02T03:04:05+01:00'))).toBe('20260102T020405Z');
    expect(utcDateTime('0999-12-31T23:59:59Z')).toBe('09991231T235959Z');
  });

  it('refuses what is not an instant', () => {
    expect(() => utcDateTime('yesterday')).toThrow(RangeError);
  });
});

describe('foldLine', () => {
  it('leaves a line of up to 75 octets as it is', () => {
    expect(foldLine('')).toBe('');
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
  });

  it('folds a longer line with CRLF and a space, the space counting toward the 75', () => {
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    const folded = foldLine('y'.repeat(75 + 74 + 10));
    expect(physical(folded).map(octets)).toEqual([75, 75, 11]);
  });

  it('counts UTF-8 octets, not characters, and never splits a multi-byte character', () => {
    // 74 ASCII + a 2-octet é would be 76: the é moves whole to the next line.
    expect(foldLine(`${'x'.repeat(74)}é`)).toBe(`${'x'.repeat(74)}\r\n é`);
    // 25 three-octet characters fill exactly 75 octets; the 26th starts a new line.
    expect(physical(foldLine('日'.repeat(26))).map(octets)).toEqual([75, 4]);
    // Four-octet emoji (surrogate pairs in UTF-16): 18 fit in 72 octets, the 19th would make 76.
    const emoji = physical(foldLine('😀'.repeat(40)));
    expect(emoji.map(octets)).toEqual([72, 73, 1 + 4 * 4]);
    for (const line of emoji) expect(line.replace(/^ /, '')).toMatch(/^(😀)+$/);
  });

  it('for any text: lines of at most 75 octets, whole code points, and unfolding restores the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const folded = foldLine(`DESCRIPTION:${text}`);
        for (const line of physical(folded)) {
          expect(octets(line)).toBeLessThanOrEqual(75);
          expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line); // no half of a surrogate pair
        }
        expect(unfold(folded)).toBe(`DESCRIPTION:${text}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('contentLine', () => {
  it('refuses a value holding a raw line break', () => {
    expect(() => contentLine('X-WR-CALNAME', 'two\nlines')).toThrow(/line break/);
    expect(contentLine('SUMMARY', escapeText('two\nlines'))).toBe('SUMMARY:two\\nlines');
  });
});

describe('writeIcs', () => {
  it('writes BEGIN, properties, subcomponents and END, each line ended by CRLF', () => {
    const ics = writeIcs({
      name: 'VCALENDAR',
      properties: [['VERSION', '2.0']],
      components: [{ name: 'VEVENT', properties: [['UID', 'a@b']] }],
    });
    expect(ics).toBe('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
  });

  it('round-trips through ical.js: the parser reads back every text, instant and URL as written', () => {
    const texts = [
      'semi;colon, comma\\backslash\nnew line\n\nblank line above',
      `Our autumn blend is back ☕, ${'with a long line that needs folding '.repeat(4)}`,
      '日本語のテキストはとても長いので折り返しが必要です。'.repeat(3),
      `${'😀'.repeat(30)} 👩‍👩‍👧 é ü ß`,
    ];
    const ics = writeIcs({
      name: 'VCALENDAR',
      properties: [
        ['PRODID', escapeText('-//drumbeat//test//EN')],
        ['VERSION', '2.0'],
      ],
      components: texts.map((text, i) => ({
        name: 'VEVENT',
        properties: [
          ['UID', escapeText(`pst_${i}@drumbeat`)],
          ['DTSTAMP', utcDateTime('2026-11-23T10:00:00Z')],
          ['DTSTART', utcDateTime(`2026-11-2${i}T08:30:00.123Z`)],
          ['DURATION', 'PT15M'],
          ['SUMMARY', escapeText(text)],
          ['DESCRIPTION', escapeText(`${text}\n\nAuthor: Bob, Jr; "B"`)],
          ['URL', `https://example.com/p/${i}?a=1,b;c=2&d=${'q'.repeat(80)}`],
        ],
      })),
    });
    for (const line of physical(ics)) expect(octets(line)).toBeLessThanOrEqual(75);
    const cal = new ICAL.Component(ICAL.parse(ics));
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//drumbeat//test//EN');
    const events = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events.map((e) => e.summary)).toEqual(texts);
    expect(events.map((e) => e.description)).toEqual(texts.map((t) => `${t}\n\nAuthor: Bob, Jr; "B"`));
    expect(events.map((e) => e.uid)).toEqual(texts.map((_, i) => `pst_${i}@drumbeat`));
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(
      texts.map((_, i) => `2026-11-2${i}T08:30:00.000Z`),
    );
    expect(events.map((e) => e.duration.toSeconds())).toEqual(texts.map(() => 900));
    expect(events[0]!.component.getFirstPropertyValue('url')).toBe(
      `https://example.com/p/0?a=1,b;c=2&d=${'q'.repeat(80)}`,
    );
  });
});
