import { describe, expect, it } from 'vitest';
import { detectFacets, detectMentions } from './bluesky-facets.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const slice = (text: string, f: { index: { byteStart: number; byteEnd: number } }) =>
  new TextDecoder().decode(bytes(text).slice(f.index.byteStart, f.index.byteEnd));

describe('detectFacets', () => {
  it('counts UTF-8 bytes, not UTF-16 units, before a link (emoji and accents)', () => {
    const text = 'Café 🎉 déjà vu: https://example.com/a?b=1 ok';
    const [link] = detectFacets(text);
    expect(link!.index.byteStart).toBe(bytes('Café 🎉 déjà vu: ').length);
    expect(link!.index.byteStart).not.toBe(text.indexOf('https'));
    expect(slice(text, link!)).toBe('https://example.com/a?b=1');
    expect(link!.features).toEqual([{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/a?b=1' }]);
  });

  it('leaves trailing punctuation and an unbalanced parenthesis out of links', () => {
    const text = 'See https://a.example/x. And (https://b.example/y) too, https://c.example/wiki/A_(b)!';
    expect(detectFacets(text).map((f) => slice(text, f))).toEqual([
      'https://a.example/x',
      'https://b.example/y',
      'https://c.example/wiki/A_(b)',
    ]);
  });

  it('finds hashtags with their # and byte offsets, ignoring numbers and anchors in URLs', () => {
    const text = '🚀 Lancement #drumbeat, #2026 https://x.example/#anchor #ÉtéCool';
    const facets = detectFacets(text);
    expect(facets.map((f) => slice(text, f))).toEqual(['#drumbeat', 'https://x.example/#anchor', '#ÉtéCool']);
    expect(facets[0]!.features[0]).toEqual({ $type: 'app.bsky.richtext.facet#tag', tag: 'drumbeat' });
  });

  it('finds nothing in plain text', () => {
    expect(detectFacets('no links here, just words.')).toEqual([]);
  });
});

describe('detectMentions', () => {
  it('finds @handles at the start, after spaces and "(", with byte ranges covering the @, lower-cased', () => {
    const text = '@anna.bsky.social Été 🎉 avec @Bob.Example.com. (@carol.test)';
    const found = detectMentions(text);
    expect(found.map((m) => m.handle)).toEqual(['anna.bsky.social', 'bob.example.com', 'carol.test']);
    expect(found.map((m) => slice(text, m))).toEqual(['@anna.bsky.social', '@Bob.Example.com', '@carol.test']);
  });

  it('leaves out e-mail addresses, fediverse addresses, single labels and handles ending in a digit label', () => {
    expect(
      detectMentions('write to anna@acme.example, follow @anna@mastodon.social, ping @localhost or @host.123'),
    ).toEqual([]);
  });
});
