import * as z from 'zod/mini';
import * as zc from 'zod';
import { $ZodError } from 'zod/v4/core';
import { describe, expect, it } from 'vitest';
import { isZodError } from './zod-errors.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

describe('isZodError', () => {
  it('answers as `instanceof $ZodError` does, for zod mini and classic errors and for others', () => {
    const cases = [
      thrown(() => z.parse(z.object({ a: z.string() }), { a: 1 })),
      thrown(() => zc.object({ a: zc.string() }).parse({})),
      z.safeParse(z.number(), 'x').error,
      new Error('plain'),
      new TypeError('type'),
      { issues: [] },
      null,
      undefined,
    ];
    for (const err of cases) expect(isZodError(err)).toBe(err instanceof $ZodError);
    expect(cases.slice(0, 3).every(isZodError)).toBe(true);
  });
});
