import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createLogger, readConfig, startRuntime, type Runtime } from '@drumbeat/local';
import { parseArgs } from '@drumbeat/mcp-stdio';

// drumbeat-mcp as a desktop client starts it: a child process on stdio, relaying to a running drumbeat.
const BIN = fileURLToPath(new URL('../../packages/mcp-stdio/bin/drumbeat-mcp.mjs', import.meta.url));
let rt: Runtime;
let key: string;

beforeAll(async () => {
  rt = await startRuntime(readConfig({ PORT: '0', DRUMBEAT_MEMORY: '1' }), { logger: createLogger('silent') });
  key = rt.firstWorkspace!.apiKey.key;
});
afterAll(() => rt.stop());

describe('drumbeat-mcp (stdio)', () => {
  it('lists the tools and plans a post recorded with the desktop client’s own name', async () => {
    const h = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const voiceId = (
      (await (
        await fetch(`${rt.url}/v1/voices`, {
          method: 'POST',
          headers: h,
          body: JSON.stringify({ name: 'Marie', affiliation: 'in_house' }),
        })
      ).json()) as any
    ).id;
    const acc = (
      (await (
        await fetch(`${rt.url}/v1/accounts`, {
          method: 'POST',
          headers: h,
          body: JSON.stringify({
            name: 'A',
            network: 'mastodon',
            handle: '@a',
            timezone: 'Europe/Paris',
            channel: { type: 'manual' },
            cadence: { slots: ['FREQ=DAILY;BYHOUR=9'] },
          }),
        })
      ).json()) as any
    ).id;
    const client = new Client({ name: 'desktop-app', version: '9.9.9' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, '--url', rt.url, '--key', key],
        stderr: 'pipe',
      }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('plan_post');
    const r = await client.callTool({
      name: 'plan_post',
      arguments: { accountId: acc, post: { text: 'From the desktop', voiceId, slot: 'next' } },
    });
    expect(r.isError).toBeFalsy();
    const post = (await (
      await fetch(`${rt.url}/v1/posts/${(r.structuredContent as any).id}`, { headers: h })
    ).json()) as any;
    expect(post.source).toEqual({ kind: 'mcp', client: 'desktop-app 9.9.9' });
    await client.close();
  }, 30_000);

  it('fails at once, in the server’s words, on a wrong key', async () => {
    // async: the server answering it runs in this process
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, '--url', rt.url, '--key', 'dbk.nope'],
        { encoding: 'utf8', timeout: 20_000 },
        (err, _out, stderr) => resolve({ status: err ? (err.code as number) : 0, stderr }),
      );
      child.stdin?.end();
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^drumbeat-mcp: 401 /);
  }, 30_000);

  it('reads --url and --key, or the environment, and says how to call it when one is missing', () => {
    expect(parseArgs(['--url', 'http://127.0.0.1:8787/', '--key=dbk.x'], {})).toEqual({
      url: 'http://127.0.0.1:8787',
      key: 'dbk.x',
    });
    expect(parseArgs([], { DRUMBEAT_URL: 'https://d.example', DRUMBEAT_API_KEY: 'dbk.y' })).toEqual({
      url: 'https://d.example',
      key: 'dbk.y',
    });
    expect(() => parseArgs(['--url', 'http://x'], {})).toThrow(/usage: drumbeat-mcp --url/);
    expect(() => parseArgs(['--url', 'ftp://x', '--key', 'k'], {})).toThrow(/http\(s\)/);
  });
});
