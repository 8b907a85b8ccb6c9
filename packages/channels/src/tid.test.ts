import { newId } from '@drumbeat/core';
import { describe, expect, it } from 'vitest';
import { TID_PATTERN, tidForPost } from './tid.js';

const S32 = '234567abcdefghijklmnopqrstuvwxyz';
const micros = (tid: string) => [...tid.slice(0, 11)].reduce((acc, c) => acc * 32n + BigInt(S32.indexOf(c)), 0n);

describe('tidForPost', () => {
  it('is a valid TID, the same for the same post', () => {
    const id = newId('post', Date.parse('2026-03-02T14:30:00Z'));
    const tid = tidForPost(id);
    expect(tid).toMatch(TID_PATTERN);
    expect(tidForPost(id)).toBe(tid);
  });

  it('carries the post id creation time in microseconds', () => {
    const ms = Date.parse('2026-03-02T14:30:00.123Z');
    const us = micros(tidForPost(newId('post', ms)));
    expect(us / 1000n).toBe(BigInt(ms));
  });

  it('differs between posts created in the same millisecond', () => {
    const ms = Date.now();
    const tids = new Set(Array.from({ length: 200 }, () => tidForPost(newId('post', ms))));
    expect(tids.size).toBe(200);
  });

  it('still gives a valid TID for ids of another shape', () => {
    expect(tidForPost('some-external-id')).toMatch(TID_PATTERN);
    expect(tidForPost('some-external-id')).not.toBe(tidForPost('another-id'));
  });
});
