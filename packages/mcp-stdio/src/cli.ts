import { Drumbeat, DrumbeatError, retryAfterMs, retryDelay, retryDefaults } from '@drumbeat/client';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseArgs } from './args.js';
import { relay } from './relay.js';

/**
 * A fetch that waits out 429 (rate limit) as the typed client does, by its
 * Retry-After and backoff. Nothing else is retried: a tools/call carries no
 * idempotency key, so a 5xx or a cut connection may have planned the post.
 */
function rateLimitedFetch(): typeof fetch {
  const policy = retryDefaults();
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(input, init);
      if (res.status !== 429 || attempt >= policy.retries) return res;
      const wait = retryDelay(attempt, retryAfterMs(res.headers.get('Retry-After')), policy);
      if (wait === undefined) return res;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
}

/**
 * `drumbeat-mcp --url … --key …`: an MCP server on stdio for desktop clients,
 * relaying to the drumbeat server's /mcp. It checks the key first with the
 * typed client, so a wrong key or URL fails at once with the server's words
 * (on stderr: stdout belongs to the protocol).
 */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  try {
    await new Drumbeat({ baseUrl: args.url, apiKey: args.key }).accounts.list({ limit: 1 });
  } catch (err) {
    process.stderr.write(
      `drumbeat-mcp: ${err instanceof DrumbeatError ? `${err.status} ${err.message}` : (err as Error).message} (${args.url})\n`,
    );
    return 1;
  }
  const remote = new StreamableHTTPClientTransport(new URL(`${args.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${args.key}` } },
    fetch: rateLimitedFetch(),
  });
  const local = new StdioServerTransport();
  const done = new Promise<void>((resolve) => process.stdin.once('end', resolve));
  await relay(local, remote, (err) => process.stderr.write(`drumbeat-mcp: ${err.message}\n`));
  await done;
  await remote.close();
  return 0;
}
