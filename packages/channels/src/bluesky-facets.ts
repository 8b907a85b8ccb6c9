/** A Bluesky rich-text facet: a UTF-8 byte range and what it means. */
export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: (
    | { $type: 'app.bsky.richtext.facet#link'; uri: string }
    | { $type: 'app.bsky.richtext.facet#tag'; tag: string }
    | { $type: 'app.bsky.richtext.facet#mention'; did: string }
  )[];
}

/** An `@handle` in a text, to be resolved to its DID before it can become a mention facet. */
export interface MentionCandidate {
  handle: string;
  index: { byteStart: number; byteEnd: number };
}

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;

/** A handle as atproto defines it: a domain name of at least two labels, the last not starting with a digit. */
const HANDLE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * The `@handle` mentions of `text` (as Bluesky's own rich-text parser finds
 * them: at the start, after whitespace or "("; a trailing dot is sentence
 * punctuation), with UTF-8 byte ranges covering the `@`. Not `@user@domain`
 * (a fediverse address) nor an e-mail address.
 */
export function detectMentions(text: string): MentionCandidate[] {
  const out: MentionCandidate[] = [];
  for (const m of text.matchAll(/(^|[\s(])@([a-zA-Z0-9.-]+)(?![a-zA-Z0-9.@-])/gu)) {
    const handle = m[2]!.replace(/\.+$/, '');
    if (!HANDLE.test(handle) || handle.length > 253) continue;
    const start = m.index + m[1]!.length;
    out.push({
      handle: handle.toLowerCase(),
      index: {
        byteStart: byteLength(text.slice(0, start)),
        byteEnd: byteLength(text.slice(0, start + 1 + handle.length)),
      },
    });
  }
  return out;
}

/** Trailing characters that end a sentence rather than a link or tag. */
const TRAILING = /[.,;:!?'"”’»]+$/u;

/**
 * Facets for the links (http and https URLs) and hashtags in `text`, with UTF-8
 * byte offsets as Bluesky requires. A link or tag starts at the beginning of the
 * text or after whitespace (a link also after "("); trailing punctuation and an
 * unbalanced ")" are left out. Bare domains are not detected; @mentions need
 * a DID lookup (detectMentions finds them, the channel resolves them).
 */
export function detectFacets(text: string): Facet[] {
  const facets: Facet[] = [];
  const at = (start: number, end: number) => ({
    byteStart: byteLength(text.slice(0, start)),
    byteEnd: byteLength(text.slice(0, end)),
  });

  for (const m of text.matchAll(/(^|[\s(])(https?:\/\/[^\s]+)/giu)) {
    let uri = m[2]!.replace(TRAILING, '');
    if (uri.endsWith(')') && !uri.includes('(')) uri = uri.slice(0, -1).replace(TRAILING, '');
    if (!/^https?:\/\/[^/?#]*[\p{L}\p{N}]/iu.test(uri)) continue;
    const start = m.index + m[1]!.length;
    facets.push({ index: at(start, start + uri.length), features: [{ $type: 'app.bsky.richtext.facet#link', uri }] });
  }
  for (const m of text.matchAll(/(^|\s)[#＃]([^\s#＃]+)/gu)) {
    const tag = m[2]!.replace(TRAILING, '');
    if (!tag || /^\d+$/.test(tag) || [...tag].length > 64 || tag.startsWith('\ufe0f')) continue;
    const start = m.index + m[1]!.length;
    facets.push({
      index: at(start, start + 1 + tag.length),
      features: [{ $type: 'app.bsky.richtext.facet#tag', tag }],
    });
  }
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}
