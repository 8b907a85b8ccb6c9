import type { ChannelSession } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';

/**
 * The sessions channels keep per account. With a sealer (every composition
 * root that has one) they are sealed into the table, bound to their account,
 * so every process and Lambda container shares one login; without one they
 * stay in this process's memory, never in clear in the table.
 */
export class ChannelSessions {
  private readonly memory = new Map<string, string>();

  constructor(private readonly deps: ServiceDeps) {}

  /** The session slot of one account. */
  for(ws: string, accountId: string): ChannelSession {
    const context = `${ws}/${accountId}/channel.session`;
    const sealer = this.deps.sealer;
    if (!sealer) {
      return {
        load: async () => this.memory.get(context),
        save: async (value) => void this.memory.set(context, value),
      };
    }
    return {
      load: async () => {
        const sealed = await this.deps.store.channelSessions.get(ws, accountId);
        // A value that no longer opens (another sealing key) is as good as none: the channel logs in again.
        return sealed ? sealer.open(sealed, context).catch(() => undefined) : undefined;
      },
      save: async (value) =>
        this.deps.store.channelSessions.put(ws, accountId, await sealer.seal(value, context), this.deps.clock.now()),
    };
  }
}
