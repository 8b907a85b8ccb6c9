import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * Joins two MCP transports: every message from one is sent to the other. The
 * desktop client's own `initialize` reaches the server unchanged, so the posts
 * it drafts name that client (not this relay).
 */
export async function relay(local: Transport, remote: Transport, onError: (err: Error) => void): Promise<void> {
  local.onmessage = (m) => void remote.send(m).catch(onError);
  remote.onmessage = (m) => void local.send(m).catch(onError);
  local.onerror = onError;
  remote.onerror = onError;
  local.onclose = () => void remote.close();
  remote.onclose = () => void local.close();
  await remote.start();
  await local.start();
}
