import { describe, expect, it, vi } from 'vitest';
import { createLogger, readConfig, startRuntime } from '@drumbeat/local';

describe('stopping the embedded runtime under load', () => {
  it('lets the requests under way finish before the store closes, and crashes nothing', async () => {
    const rt = await startRuntime(
      readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1', DRUMBEAT_RATE_LIMIT: '100000/10000' }),
      { logger: createLogger('silent') },
    );
    const key = rt.firstWorkspace!.apiKey.key;
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => crashes.push(err);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    // the API's last-resort handler reports a request that failed inside (a 500) on stderr
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const create = (i: number) =>
        fetch(`${rt.url}/v1/voices`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: `Voice ${i}`, affiliation: 'in_house' }),
        }).then(
          (r) => r.status,
          () => 'not taken in' as const, // the connection closed before the server read the request
        );
      const calls = Array.from({ length: 200 }, (_, i) => create(i));
      await Promise.race(calls); // the server is answering: others are under way
      await rt.stop();
      const outcomes = await Promise.all(calls);
      await new Promise((r) => setTimeout(r, 50));
      expect(crashes).toEqual([]);
      expect(errors.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('unhandled error'))).toEqual([]);
      expect(outcomes.filter((o) => o !== 201 && o !== 'not taken in')).toEqual([]);
      expect(outcomes.filter((o) => o === 201).length).toBeGreaterThan(0);
    } finally {
      errors.mockRestore();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      await rt.stop();
    }
  });
});
