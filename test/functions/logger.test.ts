import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { jsonLogger, routeConsoleErrors } from '../../functions/logger.js';

/** The embedded runtime's pino logger (packages/local/src/logger.ts), writing to `lines`. */
function embeddedPino(lines: string[]) {
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return pino({ level: 'info', base: { service: 'drumbeat' }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

describe('the functions logger', () => {
  it('writes the same field names and values as the embedded pino logger', () => {
    const fromPino: string[] = [];
    const fromFn: string[] = [];
    const err = new Error('boom');
    embeddedPino(fromPino).error({ post: 'pst_1', err }, 'publish failed');
    jsonLogger({ write: (l) => fromFn.push(l), now: () => new Date('2026-12-06T01:00:00.000Z') }).error(
      { post: 'pst_1', err },
      'publish failed',
    );
    const p = JSON.parse(fromPino[0]!);
    const f = JSON.parse(fromFn[0]!);
    expect(Object.keys(f).sort()).toEqual(Object.keys(p).sort());
    expect(f).toMatchObject({
      level: p.level,
      service: p.service,
      msg: p.msg,
      post: p.post,
      err: { type: p.err.type, message: p.err.message },
    });
    expect(f.time).toBe('2026-12-06T01:00:00.000Z');
    expect(fromFn[0]!.endsWith('\n')).toBe(true);
  });

  it('re-emits the JSON a shared package writes to console.error with the pino fields', () => {
    const lines: string[] = [];
    const target = { error: (..._a: unknown[]) => {} };
    routeConsoleErrors(
      jsonLogger({ write: (l) => lines.push(l), now: () => new Date('2026-12-06T01:00:00.000Z') }),
      target,
    );
    target.error(
      JSON.stringify({
        level: 'error',
        msg: 'event not queued',
        type: 'post.published',
        workspace: 'ws_1',
        err: 'Error: x',
      }),
    );
    target.error('plain', 42);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        level: 50,
        time: '2026-12-06T01:00:00.000Z',
        service: 'drumbeat',
        type: 'post.published',
        workspace: 'ws_1',
        err: 'Error: x',
        msg: 'event not queued',
      },
      { level: 50, time: '2026-12-06T01:00:00.000Z', service: 'drumbeat', args: ['plain', '42'], msg: 'console.error' },
    ]);
  });
});
