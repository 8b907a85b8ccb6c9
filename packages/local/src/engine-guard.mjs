// Plain JavaScript: it runs inside the engine's worker thread (dynamo-thread.mjs), which no TypeScript loader reaches.
import { timingSafeEqual } from 'node:crypto';

/** The header that carries the engine's per-process secret on every request. */
export const ENGINE_SECRET_HEADER = 'x-drumbeat-engine-secret';

/**
 * Lets through only requests that carry this process's engine secret: the
 * engine listens on a loopback port any local process could reach, and
 * without this any of them could Scan or write the table. The secret is
 * random per process and never leaves it. Others get a 403 in DynamoDB's
 * error shape.
 */
export function guardEngine(server, secret) {
  const expected = Buffer.from(secret);
  const handlers = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    const given = Buffer.from(String(req.headers[ENGINE_SECRET_HEADER] ?? ''));
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      for (const h of handlers) h.call(server, req, res);
      return;
    }
    req.resume();
    res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', connection: 'close' });
    res.end(
      JSON.stringify({
        __type: 'com.amazon.coral.service#UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      }),
    );
  });
}
