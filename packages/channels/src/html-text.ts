/** The longest text kept from one inbound item (Mastodon allows 500 characters by default; some instances far more). */
export const MAX_INBOUND_TEXT = 10_000;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

/** Decodes the character references of HTML text (named ones Mastodon emits, decimal and hex); an unknown or invalid one stays as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      // No NUL, no surrogates, nothing past Unicode: those stay as the text that was sent.
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : whole;
    }
    return NAMED[lower] ?? whole;
  });
}

/**
 * The plain text of a status's HTML (Mastodon's `content`): paragraphs and
 * `<br>` become line breaks, every tag is dropped (its text kept), character
 * references are decoded once, control characters other than newlines are
 * removed. Linear in the input (no backtracking patterns) and capped at
 * MAX_INBOUND_TEXT. The result is text, not HTML: whoever shows it escapes it.
 */
export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  const n = Math.min(html.length, MAX_INBOUND_TEXT * 8);
  while (i < n) {
    const lt = html.indexOf('<', i);
    const end = lt === -1 || lt >= n ? n : lt;
    out += html.slice(i, end);
    if (end >= n) break;
    const gt = html.indexOf('>', end);
    if (gt === -1) break; // an unclosed tag: what follows is not text
    const tag = html
      .slice(end + 1, gt)
      .trim()
      .toLowerCase();
    const name = /^\/?([a-z0-9]+)/.exec(tag)?.[1] ?? '';
    if (name === 'br') out += '\n';
    else if (name === 'p' && tag.startsWith('/')) out += '\n\n';
    i = gt + 1;
  }
  return cleanText(decodeEntities(out).replace(/\n{3,}/g, '\n\n'));
}

/** Text from the network made safe to keep: control characters other than tabs and newlines removed, trimmed, capped at MAX_INBOUND_TEXT code points. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  const text = s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
  return text.length <= MAX_INBOUND_TEXT ? text : [...text].slice(0, MAX_INBOUND_TEXT).join('');
}
