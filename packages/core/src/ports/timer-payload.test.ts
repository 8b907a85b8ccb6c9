import { Invalid } from '../errors.js';
import { describe, expect, it } from 'vitest';
import { parseTimerPayload } from './timer-payload.js';
import { timerName } from './scheduler.js';

describe('parseTimerPayload', () => {
  it('reads a publish and a watchdog payload, from an object or its JSON text', () => {
    const publish = { kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1' };
    const watchdog = { kind: 'watchdog', workspaceId: 'ws_1', accountId: 'acc_1' };

    expect(parseTimerPayload(publish)).toEqual(publish);
    expect(parseTimerPayload(JSON.stringify(watchdog))).toEqual(watchdog);
  });

  it('reads an approver’s review-digest payload, named by the voice', () => {
    const digest = { kind: 'review-digest', workspaceId: 'ws_1', voiceId: 'vce_1' } as const;
    expect(parseTimerPayload({ ...digest, postId: 'pst_1' })).toEqual(digest);
    expect(timerName(digest)).toBe('reviews-vce_1');
    expect(() => parseTimerPayload({ kind: 'review-digest', workspaceId: 'ws_1' })).toThrow(/voiceId/);
  });

  it('reads a listen payload (issue 18), named listen-<accountId>', () => {
    const listen = { kind: 'listen', workspaceId: 'ws_1', accountId: 'acc_1' } as const;
    expect(parseTimerPayload(JSON.stringify({ ...listen, postId: 'x' }))).toEqual(listen);
    expect(timerName(listen)).toBe('listen-acc_1');
    expect(() => parseTimerPayload({ kind: 'listen', workspaceId: 'ws_1' })).toThrow(/accountId/);
  });

  it("reads an import job's lease payload (issue 22), named import-<jobId>", () => {
    const lease = { kind: 'import-lease', workspaceId: 'ws_1', jobId: 'imp_1' } as const;
    expect(parseTimerPayload(JSON.stringify({ ...lease, postId: 'x' }))).toEqual(lease);
    expect(timerName(lease)).toBe('import-imp_1');
    expect(() => parseTimerPayload({ kind: 'import-lease', workspaceId: 'ws_1' })).toThrow(/jobId/);
  });

  it('keeps only the fields of the payload kind', () => {
    expect(
      parseTimerPayload({ kind: 'publish', workspaceId: 'ws_1', postId: 'pst_1', accountId: 'acc_1', extra: 1 }),
    ).toEqual({
      kind: 'publish',
      workspaceId: 'ws_1',
      postId: 'pst_1',
    });
  });

  it('refuses an unknown kind', () => {
    expect(() => parseTimerPayload({ kind: 'sweep', workspaceId: 'ws_1' })).toThrow(/kind/);
  });

  it('names every missing or empty id', () => {
    try {
      parseTimerPayload({ kind: 'watchdog', workspaceId: '' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Invalid);
      expect((err as Invalid).errors.map((e) => e.path)).toEqual(['workspaceId', 'accountId']);
    }
  });

  it('refuses a publish payload without its post id, and ids that are not strings', () => {
    expect(() => parseTimerPayload({ kind: 'publish', workspaceId: 'ws_1' })).toThrow(/postId/);
    expect(() => parseTimerPayload({ kind: 'publish', workspaceId: 7, postId: 'pst_1' })).toThrow(/workspaceId/);
  });

  it('refuses what is not an object', () => {
    for (const bad of [null, undefined, 42, [], '[]', 'not json', '']) {
      expect(() => parseTimerPayload(bad)).toThrow(Invalid);
    }
  });
});
