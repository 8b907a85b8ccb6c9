import { expect } from 'vitest';

/** The error `p` rejects with, which must be a `type` (a `p` that resolves, or throws anything else, fails the test). */
export async function rejection<E>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}
