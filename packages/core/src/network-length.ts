import { NETWORK_LIMITS, type Network } from './schemas/network.js';

/**
 * Text length as each network counts it: the one place the API validates
 * against and the pages show.
 * - Bluesky: graphemes (what a reader sees as one character: a flag, a
 *   skin-toned or ZWJ emoji, a letter with combining accents), at most 300,
 *   and at most 3,000 UTF-8 bytes (the lexicon's `maxGraphemes`/`maxLength`).
 * - Mastodon: graphemes, with every http(s) URL counted as 23 and a remote
 *   mention `@user@domain` counted as `@user` (its StatusLengthValidator).
 * - Every other network: code points, as before.
 */

// Made on first use: creating a grapheme segmenter loads ICU's break data (~15 ms of CPU), which a request
// that measures no post text (most of them, and every cold start) should not pay.
let segmenter: Intl.Segmenter | undefined;

/** User-perceived characters (extended grapheme clusters). */
export function graphemeCount(text: string): number {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

function codePointCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Mastodon counts each link as this many characters, whatever its length. */
export const MASTODON_URL_LENGTH = 23;
const URL_PLACEHOLDER = 'x'.repeat(MASTODON_URL_LENGTH);
/** Bluesky's byte bound on a post's text (UTF-8), beside its 300 graphemes. */
export const BLUESKY_MAX_BYTES = 3000;

const URL = /(?<![\p{L}\p{N}_])https?:\/\/[^\s<>"]+/giu;
/** Punctuation that ends a sentence rather than a link (as twitter-text, which Mastodon uses, leaves it out). */
const TRAILING = /[.,:;!?'"\]]+$/u;
/** Mastodon's Account::MENTION_RE: a username, then an optional @domain that is not counted. */
const MENTION = /(?<![=/\p{L}\p{N}_])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_])?)@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]/giu;

/** A link found in running text, without the sentence punctuation after it; a `)` is kept only when it closes a `(` of the link. */
function trimLink(url: string): string {
  let u = url;
  for (;;) {
    const t = u.replace(TRAILING, '');
    const unbalanced = t.endsWith(')') && (t.match(/\(/g)?.length ?? 0) < (t.match(/\)/g)?.length ?? 0);
    const next = unbalanced ? t.slice(0, -1) : t;
    if (next === u) return u;
    u = next;
  }
}

/** The text Mastodon measures: links as 23 placeholder characters, remote mentions without their domain. */
export function mastodonCountable(text: string): string {
  const linked = text.replace(URL, (m) => {
    const link = trimLink(m);
    return URL_PLACEHOLDER + m.slice(link.length);
  });
  return linked.replace(MENTION, '@$1');
}

/** Length of `text` as `network` counts it against its limit. */
export function networkLength(network: Network | string, text: string): number {
  switch (network) {
    case 'bluesky':
      return graphemeCount(text);
    case 'mastodon':
      return graphemeCount(mastodonCountable(text));
    default:
      return codePointCount(text);
  }
}

/** The network's text limit, or undefined for a network drumbeat does not know. */
export function networkLimit(network: Network | string): number | undefined {
  return Object.hasOwn(NETWORK_LIMITS, network) ? NETWORK_LIMITS[network as Network] : undefined;
}

/**
 * Why `text` is too long for `network`, in a short phrase naming the count
 * ("312 characters, limit 300"), or undefined when it fits.
 */
export function networkLengthProblem(network: Network | string, text: string): string | undefined {
  const limit = networkLimit(network);
  if (limit === undefined) return undefined;
  const n = networkLength(network, text);
  if (n > limit) return `${n} characters, limit ${limit}`;
  if (network === 'bluesky') {
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > BLUESKY_MAX_BYTES) return `${bytes} bytes in UTF-8, limit ${BLUESKY_MAX_BYTES}`;
  }
  return undefined;
}
