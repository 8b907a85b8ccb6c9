/** A Bluesky rich-text facet: a UTF-8 byte range and what it means. */
export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: ({ $type: 'app.bsky.richtext.facet#link'; uri: string } | { $type: 'app.bsky.richtext.facet#tag'; tag: string })[];
}

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;

/** Trailing characters that end a sentence rather than a link or tag. */
const TRAILING = /[.,;:!?'"”’»]+$/u;

/**
 * Facets for the links (http and https URLs) and hashtags in `text`, with UTF-8
 * byte offsets as Bluesky requires. A link or tag starts at the beginning of the
 * text or after whitespace (a link also after "("); trailing punctuation and an
 * unbalanced ")" are left out. Bare domains and @mentions (which need a DID
 * lookup) are not detected.
 */
export function detectFacets(text: string): Facet[] {
  const facets: Facet[] = [];
  const at = (start: number, end: number) => ({ byteStart: byteLength(text.slice(0, start)), byteEnd: byteLength(text.slice(0, end)) });

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
    facets.push({ index: at(start, start + 1 + tag.length), features: [{ $type: 'app.bsky.richtext.facet#tag', tag }] });
  }
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}
