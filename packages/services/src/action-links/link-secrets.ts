import { randomBytes } from 'node:crypto';
import type { Clock, LinkSecretGeneration, LinkSecretRecord, Repositories, SecretSealer } from '@drumbeat/core';

/** A new generation takes over signing after this long; the previous one keeps verifying its links (which live at most LINK_TTL_MS). */
export const SECRET_ROLL_MS = 7 * 86_400_000;
/** How long a process trusts its copy of a workspace's secrets: a revocation elsewhere reaches it within this. */
const CACHE_MS = 30_000;

const context = (ws: string) => `${ws}/action-link-secret`;

interface Opened {
  generation: number;
  key: Buffer;
  createdAt: number;
}
interface Cached {
  at: number;
  current: Opened;
  previous?: Opened | undefined;
}

/**
 * Each workspace's action-link secret (32 random bytes), sealed in the table
 * by the SecretSealer (the sealing key lives outside it). It rolls over every
 * SECRET_ROLL_MS: the new generation signs, the one before still verifies the
 * links it signed until they expire. `revoke` replaces both at once: every
 * link of the workspace dies.
 */
export class LinkSecrets {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: Repositories,
    private readonly sealer: SecretSealer,
    private readonly clock: Clock,
  ) {}

  /** The generation and key that sign a new link now (made, or rolled over, when due). */
  async signing(ws: string): Promise<{ generation: number; key: Buffer }> {
    const now = this.clock.now().getTime();
    let c = await this.load(ws);
    if (!c || now - c.current.createdAt >= SECRET_ROLL_MS) c = await this.replace(ws, false);
    return c.current;
  }

  /** The key of `generation` when it still verifies links; undefined for a revoked or unknown one. */
  async verifying(ws: string, generation: number): Promise<Buffer | undefined> {
    const c = await this.load(ws);
    if (!c) return undefined;
    if (c.current.generation === generation) return c.current.key;
    return c.previous?.generation === generation ? c.previous.key : undefined;
  }

  /** Revokes every link of the workspace: a new generation with no previous one. */
  async revoke(ws: string): Promise<void> {
    await this.replace(ws, true);
  }

  private async load(ws: string): Promise<Cached | undefined> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(ws);
    if (hit && now - hit.at < CACHE_MS) return hit;
    const record = await this.store.linkSecrets.find(ws);
    if (!record) return undefined;
    return this.remember(ws, record);
  }

  private async remember(ws: string, r: LinkSecretRecord): Promise<Cached> {
    const open = async (g: LinkSecretGeneration): Promise<Opened> => ({
      generation: g.generation,
      key: Buffer.from(await this.sealer.open(g.sealedSecret, context(ws)), 'base64'),
      createdAt: Date.parse(g.createdAt),
    });
    const c: Cached = {
      at: this.clock.now().getTime(),
      current: await open(r.current),
      previous: r.previous ? await open(r.previous) : undefined,
    };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(ws, c);
    return c;
  }

  /** Writes a new current generation (keeping the old one as previous unless revoking); a concurrent writer's result wins and is read back. */
  private async replace(ws: string, revoke: boolean): Promise<Cached> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored = await this.store.linkSecrets.find(ws);
      const expected = stored?.current.generation;
      if (!revoke && stored && this.clock.now().getTime() - Date.parse(stored.current.createdAt) < SECRET_ROLL_MS)
        return this.remember(ws, stored);
      const next: LinkSecretRecord = {
        workspaceId: ws,
        current: {
          generation: (expected ?? 0) + 1,
          sealedSecret: await this.sealer.seal(randomBytes(32).toString('base64'), context(ws)),
          createdAt: this.clock.now().toISOString(),
        },
        ...(stored && !revoke ? { previous: stored.current } : {}),
      };
      if (await this.store.linkSecrets.put(next, expected)) return this.remember(ws, next);
    }
    throw new Error(`action-link secret of ${ws}: could not be written`);
  }
}
