/**
 * A minimal RFC 5545 (iCalendar) writer: just what the calendar feed needs,
 * so the API bundle carries no iCalendar library (ical.js is about 78 KB
 * minified and drumbeat only ever writes iCalendar, never reads it).
 *
 * The rules it applies (section numbers of RFC 5545):
 * - 3.1: a content line is `NAME:value` ended by CRLF; a line longer than
 *   75 octets (UTF-8 bytes, not characters) is folded: CRLF plus one space,
 *   and the space counts toward the next line's 75. A multi-octet character
 *   is never split across lines.
 * - 3.3.11: in TEXT values, backslash, semicolon and comma are escaped with a
 *   backslash and a line break is written `\n`.
 * - 3.3.5: a UTC DATE-TIME is `YYYYMMDDTHHMMSSZ` (whole seconds).
 * - 3.4, 3.6: a component is `BEGIN:NAME`, its properties, its subcomponents,
 *   `END:NAME`.
 *
 * Delete it when an iCalendar library that fits the cold-start budget
 * (DESIGN.md, Performance) is worth its bytes, e.g. once the feed needs to
 * read iCalendar too.
 */

/** One iCalendar component: its name, its properties in order (values already in iCalendar form) and its subcomponents. */
export interface IcsComponent {
  name: string;
  properties: [name: string, value: string][];
  components?: IcsComponent[];
}

/** RFC 5545's limit on a content line, in octets, without its CRLF. */
const MAX_LINE_OCTETS = 75;
const CRLF = '\r\n';

const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', ';': '\\;', ',': '\\,' };

/** Escapes a TEXT value (RFC 5545 3.3.11): `\` `;` `,` get a backslash; CRLF, CR and LF become `\n`. */
export function escapeText(value: string): string {
  return value.replace(/\r\n|[\r\n\\;,]/g, (c) => TEXT_ESCAPES[c] ?? '\\n');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A UTC DATE-TIME (RFC 5545 3.3.5, form 2): `YYYYMMDDTHHMMSSZ`, milliseconds dropped. */
export function utcDateTime(at: Date | string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${String(at)}`);
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
  );
}

/**
 * The UTF-8 length of one code point as `for...of` yields it. A lone surrogate
 * counts 3: it is sent as U+FFFD, which is 3 octets.
 */
function utf8Octets(ch: string): number {
  const cp = ch.codePointAt(0)!;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Folds one unfolded content line (RFC 5545 3.1) into lines of at most 75
 * octets each, joined by CRLF and a space. It cuts only between code points.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let start = 0; // UTF-16 index where the current physical line starts
  let index = 0; // UTF-16 index of the code point being measured
  let octets = 0; // octets on the current physical line so far
  for (const ch of line) {
    const n = utf8Octets(ch);
    if (octets + n > MAX_LINE_OCTETS) {
      parts.push(line.slice(start, index));
      start = index;
      octets = 1; // the leading space of the continuation line
    }
    octets += n;
    index += ch.length;
  }
  parts.push(line.slice(start));
  return parts.join(`${CRLF} `);
}

/** One property as a folded content line (without its CRLF); the value must already be escaped and hold no line break. */
export function contentLine(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`iCalendar ${name}: a value cannot hold a raw line break (escape it)`);
  return foldLine(`${name}:${value}`);
}

function lines(component: IcsComponent, out: string[]): void {
  out.push(`BEGIN:${component.name}`);
  for (const [name, value] of component.properties) out.push(contentLine(name, value));
  for (const sub of component.components ?? []) lines(sub, out);
  out.push(`END:${component.name}`);
}

/** Serialises a component and its subcomponents as an iCalendar object: folded lines, each ended by CRLF. */
export function writeIcs(root: IcsComponent): string {
  const out: string[] = [];
  lines(root, out);
  return out.join(CRLF) + CRLF;
}
