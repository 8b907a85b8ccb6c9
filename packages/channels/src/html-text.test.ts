import { describe, expect, it } from 'vitest';
import { htmlToText, MAX_INBOUND_TEXT } from './html-text.js';
import { nextLink } from './source-http.js';

describe('htmlToText', () => {
  it('keeps the text of a Mastodon status, paragraphs and line breaks as newlines', () => {
    expect(
      htmlToText(
        '<p>Hello <a href="https://x.example" rel="nofollow"><span class="invisible">https://</span>x.example</a></p><p>a<br>b<br/>c</p>',
      ),
    ).toBe('Hello https://x.example\n\na\nb\nc');
  });

  it('decodes character references once: escaped markup stays text, never becomes a tag', () => {
    expect(htmlToText('<p>&lt;img src=x onerror=alert(1)&gt; &amp;lt; &#60;b&#62; &#0; &#xD800; &bogus;</p>')).toBe(
      '<img src=x onerror=alert(1)> &lt; <b> &#0; &#xD800; &bogus;',
    );
  });

  it('drops control characters and an unclosed tag, and caps the length', () => {
    expect(htmlToText('a\u0000b\u001b[31mc <script')).toBe('ab[31mc');
    expect(htmlToText(`<p>${'x'.repeat(MAX_INBOUND_TEXT + 50)}</p>`)).toHaveLength(MAX_INBOUND_TEXT);
  });

  it('is linear on hostile input', () => {
    const t = Date.now();
    htmlToText('<'.repeat(100_000) + '&#'.repeat(100_000));
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('nextLink', () => {
  const origin = 'https://mastodon.example';
  it('finds rel="next" among the links', () => {
    expect(
      nextLink(
        '<https://mastodon.example/api/v1/notifications?max_id=7>; rel="next", <https://mastodon.example/api/v1/notifications?min_id=9>; rel="prev"',
        origin,
      ),
    ).toBe('https://mastodon.example/api/v1/notifications?max_id=7');
    expect(nextLink('<https://mastodon.example/a?min_id=9>; rel="prev"', origin)).toBeUndefined();
    expect(nextLink(null, origin)).toBeUndefined();
  });
  it('never follows a link to another origin (the token would go with it)', () => {
    expect(nextLink('<https://evil.example/api/v1/notifications?max_id=7>; rel="next"', origin)).toBeUndefined();
  });
});
