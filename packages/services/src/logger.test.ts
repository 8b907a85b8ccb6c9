import { describe, expect, it } from 'vitest';
import type { Logger } from '@drumbeat/core';
import { LateHooks, noHooks } from './account-hooks.js';
import { announce } from './event-data.js';

/** A logger that keeps what it is given. */
function recording(): Logger & { lines: { level: string; fields: Record<string, unknown>; msg: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    void lines.push({ level, fields, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

describe('failures the services survive go to the injected logger', () => {
  it('a hook that throws is logged with its name, and the change it follows still succeeds', async () => {
    const log = recording();
    const hooks = new LateHooks(log, async () => ({
      ...noHooks,
      accountChanged: async () => Promise.reject(new Error('watchdog down')),
    }));
    await expect(hooks.accountChanged('wsp_1', 'acc_1')).resolves.toBeUndefined();
    expect(log.lines).toEqual([
      {
        level: 'error',
        fields: { hook: 'accountChanged', err: 'Error: watchdog down' },
        msg: 'hook accountChanged failed',
      },
    ]);
  });

  it('an event that cannot be queued is logged, not thrown', async () => {
    const log = recording();
    const sink = { emit: async () => Promise.reject(new Error('queue full')) };
    await announce(sink, 'wsp_1', { type: 'post.created', timestamp: '2026-12-06T04:00:00.000Z', data: {} }, log);
    expect(log.lines).toEqual([
      {
        level: 'error',
        fields: { type: 'post.created', workspace: 'wsp_1', err: 'Error: queue full' },
        msg: 'event not queued',
      },
    ]);
  });
});
