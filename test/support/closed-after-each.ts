import { afterEach } from 'vitest';

/**
 * Servers and stand-ins a test file starts, closed together after each test: the function returned
 * registers one and hands it back (`const keep = closedAfterEach(); const s = keep(await startRecorder(h));`).
 */
export function closedAfterEach(): <S extends { close(): Promise<unknown> }>(server: S) => S {
  const open: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return (server) => {
    open.push(server);
    return server;
  };
}
