import { describe, expect, it } from 'vitest';
import {
  graphemeCount,
  mastodonCountable,
  networkLength,
  networkLengthProblem,
  networkLimit,
} from './network-length.js';

const FLAG_FR = '🇫🇷'; // two regional indicators: 2 code points, 1 grapheme
const WAVE_DARK = '👋🏿'; // base + skin tone modifier
const FAMILY = '👩‍👩‍👧‍👦'; // four people joined by ZWJ: 7 code points
const E_ACUTE_COMBINING = 'e\u0301'; // e + combining acute
const STACKED = 'a\u0301\u0308\u0323'; // a with three combining marks

describe('networkLength on Bluesky (graphemes)', () => {
  it('counts a flag, a skin tone, a ZWJ family and combining accents as one each', () => {
    for (const g of [FLAG_FR, WAVE_DARK, FAMILY, E_ACUTE_COMBINING, STACKED]) {
      expect(networkLength('bluesky', g)).toBe(1);
      expect(networkLength('other', g)).toBeGreaterThan(1); // code points elsewhere, as before
    }
    expect(networkLength('bluesky', `${FLAG_FR}${FLAG_FR}`)).toBe(2);
    expect(networkLength('bluesky', `hi ${WAVE_DARK}${FAMILY}!`)).toBe(6);
  });

  it('accepts 300 graphemes with five flags (the PDS does) and refuses 301', () => {
    const text = `${FLAG_FR.repeat(5)}${'a'.repeat(295)}`;
    expect([...text].length).toBe(305); // code points: what was refused before
    expect(networkLength('bluesky', text)).toBe(300);
    expect(networkLengthProblem('bluesky', text)).toBeUndefined();
    expect(networkLengthProblem('bluesky', `${text}b`)).toBe('301 characters, limit 300');
  });

  it('refuses a text within 300 graphemes but over the lexicon 3,000 UTF-8 bytes', () => {
    const text = FAMILY.repeat(200); // 200 graphemes of 25 bytes each
    expect(networkLength('bluesky', text)).toBe(200);
    expect(networkLengthProblem('bluesky', text)).toBe('5000 bytes in UTF-8, limit 3000');
  });

  it('counts a long URL in full', () => {
    const url = `https://example.com/${'a'.repeat(100)}`;
    expect(networkLength('bluesky', url)).toBe(120);
  });
});

describe('networkLength on Mastodon', () => {
  it('counts every URL as 23, however long or short', () => {
    const long = `https://example.com/${'a'.repeat(400)}?q=1#frag`;
    expect(networkLength('mastodon', long)).toBe(23);
    expect(networkLength('mastodon', 'https://t.co')).toBe(23);
    expect(networkLength('mastodon', `see ${long} and http://a.example/x`)).toBe(4 + 23 + 5 + 23);
    // A 600-character link fits in a toot.
    expect(networkLengthProblem('mastodon', `${'a'.repeat(470)} ${long}`)).toBeUndefined();
  });

  it('leaves sentence punctuation after a link out of the link, keeps a balanced parenthesis in', () => {
    expect(mastodonCountable('Read https://example.com/page.')).toBe(`Read ${'x'.repeat(23)}.`);
    expect(mastodonCountable('(see https://example.com/a)')).toBe(`(see ${'x'.repeat(23)})`);
    expect(mastodonCountable('https://en.wikipedia.org/wiki/Foo_(bar)!')).toBe(`${'x'.repeat(23)}!`);
  });

  it('does not count a word that only contains http as a link', () => {
    expect(networkLength('mastodon', 'xhttps://example.com')).toBe(20);
    expect(networkLength('mastodon', 'http is a protocol')).toBe(18);
  });

  it('counts @user@domain as @user, and a local @user as written', () => {
    expect(networkLength('mastodon', '@acme@mastodon.social')).toBe(5);
    expect(networkLength('mastodon', 'hi @anna_b@social.example.org!')).toBe('hi @anna_b!'.length);
    expect(networkLength('mastodon', '@acme')).toBe(5);
    // An e-mail address is not a mention.
    expect(networkLength('mastodon', 'mail anna@acme.example')).toBe(22);
  });

  it('counts graphemes, as Mastodon does', () => {
    expect(networkLength('mastodon', `${FLAG_FR}${WAVE_DARK}${FAMILY}${E_ACUTE_COMBINING}`)).toBe(4);
    const text = `${FAMILY.repeat(500)}`;
    expect(networkLengthProblem('mastodon', text)).toBeUndefined();
    expect(networkLengthProblem('mastodon', `${text}.`)).toBe('501 characters, limit 500');
  });
});

describe('networkLimit and the other networks', () => {
  it('gives each known network its limit and none to an unknown one', () => {
    expect(networkLimit('bluesky')).toBe(300);
    expect(networkLimit('mastodon')).toBe(500);
    expect(networkLimit('other')).toBe(10_000);
    expect(networkLimit('x')).toBe(280);
    expect(networkLimit('myspace')).toBeUndefined();
    expect(networkLimit('toString')).toBeUndefined();
    expect(networkLengthProblem('myspace', 'a'.repeat(100_000))).toBeUndefined();
  });

  it('counts code points elsewhere, links in full', () => {
    expect(networkLength('x', `${WAVE_DARK} hi`)).toBe(5);
    expect(networkLength('linkedin', 'https://example.com/abc')).toBe(23);
    expect(networkLength('other', FAMILY)).toBe(7);
  });

  it('graphemeCount counts an empty text as 0', () => {
    expect(graphemeCount('')).toBe(0);
  });
});
