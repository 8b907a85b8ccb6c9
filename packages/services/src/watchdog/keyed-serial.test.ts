import { describe, expect, it } from 'vitest';
import { KeyedSerial } from './keyed-serial.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedSerial', () => {
  it('runs one task per key at a time and coalesces the calls that arrive meanwhile into one follow-up run', async () => {
    const serial = new KeyedSerial<number>();
    let runs = 0;
    let active = 0;
    let most = 0;
    const task = async () => {
      active++;
      most = Math.max(most, active);
      const n = ++runs;
      await tick();
      active--;
      return n;
    };
    const results = await Promise.all([
      serial.run('a', task),
      serial.run('a', task),
      serial.run('a', task),
      serial.run('a', task),
    ]);
    expect(results).toEqual([1, 2, 2, 2]);
    expect(runs).toBe(2);
    expect(most).toBe(1);
    expect(serial.size).toBe(0);
  });

  it('runs different keys side by side, and starts afresh once a key is idle', async () => {
    const serial = new KeyedSerial<string>();
    const order: string[] = [];
    const task = (k: string) => async () => {
      order.push(`start ${k}`);
      await tick();
      order.push(`end ${k}`);
      return k;
    };
    await Promise.all([serial.run('a', task('a')), serial.run('b', task('b'))]);
    expect(order.slice(0, 2)).toEqual(['start a', 'start b']);
    expect(await serial.run('a', task('a2'))).toBe('a2');
  });

  it('keeps going after a failed run: the follow-up still runs, and the failure reaches only its own callers', async () => {
    const serial = new KeyedSerial<string>();
    const failing = serial.run('a', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = serial.run('a', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
