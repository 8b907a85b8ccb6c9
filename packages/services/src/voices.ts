import {
  Conflict,
  newId,
  toVoice,
  type Voice,
  type VoiceCreate,
  type VoicePatch,
  type VoiceRecord,
} from '@drumbeat/core';
import { allPages, type Page } from '@drumbeat/store';
import type { ServiceDeps } from './deps.js';
import { applyPatch } from './patch.js';
import type { AccountHooks } from './account-hooks.js';

/** Voices: the people and teams who write. */
export class VoiceService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly hooks: AccountHooks,
  ) {}

  /** Creates a voice. */
  async create(ws: string, input: VoiceCreate): Promise<Voice> {
    const now = this.deps.clock.now().toISOString();
    const record: VoiceRecord = {
      id: newId('voice'),
      workspaceId: ws,
      ...input,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.store.emailRefs.track({ workspaceId: ws, kind: 'voice', id: record.id }, [], [record.email], () =>
      this.deps.store.voices.create(ws, record),
    );
    return toVoice(record);
  }

  /** The voice record (private fields included), or NotFound. */
  record(ws: string, id: string): Promise<VoiceRecord> {
    return this.deps.store.voices.get(ws, id);
  }

  /** The voice's name, or undefined when there is no such voice (a page naming who did what). */
  async nameOf(ws: string, id: string): Promise<string | undefined> {
    return (await this.deps.store.voices.find(ws, id))?.name;
  }

  /** The voice, or NotFound. */
  async get(ws: string, id: string): Promise<Voice> {
    return toVoice(await this.record(ws, id));
  }

  /** A page of voices. */
  async list(ws: string, page: { limit: number; cursor?: string | undefined }): Promise<Page<Voice>> {
    const r = await this.deps.store.voices.list(ws, page);
    return { items: r.items.map(toVoice), nextCursor: r.nextCursor };
  }

  /** Every voice of the workspace (all pages). */
  async all(ws: string): Promise<Voice[]> {
    return allPages((o) => this.list(ws, o));
  }

  /** Changes a voice; `archived: true` archives it (it keeps its history but writes no new posts). */
  async update(ws: string, id: string, patch: VoicePatch & { archived?: boolean }): Promise<Voice> {
    const current = await this.record(ws, id);
    const { archived, ...fields } = patch;
    const now = this.deps.clock.now().toISOString();
    let next = applyPatch(current, fields);
    if (archived === true && !current.archivedAt) next = { ...next, archivedAt: now };
    if (archived === false) next = applyPatch(next, { archivedAt: null });
    next = { ...next, updatedAt: now, version: current.version + 1 };
    await this.deps.store.emailRefs.track({ workspaceId: ws, kind: 'voice', id }, [current.email], [next.email], () =>
      this.deps.store.voices.replace(ws, next, current.version),
    );
    // A new address may end an email_bounced alert of the accounts this voice approves for.
    if (current.email !== next.email) await this.hooks.emailsChanged(ws);
    return toVoice(next);
  }

  /** Deletes a voice that never wrote a post; one with posts must be archived instead. */
  async remove(ws: string, id: string): Promise<void> {
    const current = await this.record(ws, id);
    if (current.hasPosts) {
      throw new Conflict(
        `voice ${id} has posts; archive it instead (PATCH {"archived": true}) so attribution stays intact`,
      );
    }
    await this.deps.store.emailRefs.track({ workspaceId: ws, kind: 'voice', id }, [current.email], [], () =>
      this.deps.store.voices.removeUnlessPosted(ws, id),
    );
    if (current.email) await this.hooks.emailsChanged(ws);
  }
}
