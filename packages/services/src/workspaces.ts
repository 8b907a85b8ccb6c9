import {
  Conflict,
  newId,
  randomSecret,
  slugify,
  toWorkspace,
  type ApiKey,
  type Workspace,
  type WorkspaceCreate,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { ApiKeyService } from './api-keys.js';

/** Workspaces: the unit of tenancy. */
export class WorkspaceService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly keys: ApiKeyService,
  ) {}

  /**
   * Creates a workspace and its first owner key. An explicit slug that is taken
   * is a Conflict; a slug derived from the name gets a short suffix instead.
   */
  async create(input: WorkspaceCreate): Promise<{ workspace: Workspace; apiKey: ApiKey & { key: string } }> {
    const now = this.deps.clock.now();
    const base = input.slug ?? slugify(input.name);
    for (let attempt = 0; ; attempt++) {
      const slug =
        attempt === 0
          ? base
          : `${base.slice(0, 40)}-${randomSecret(3)
              .toLowerCase()
              .replace(/[^a-z0-9]/g, 'x')}`;
      const record = { id: newId('workspace', now.getTime()), name: input.name, slug, createdAt: now.toISOString() };
      try {
        await this.deps.store.workspaces.create(record);
      } catch (err) {
        if (err instanceof Conflict && !input.slug && attempt < 5) continue;
        throw err;
      }
      const apiKey = await this.keys.create(record.id, { name: 'owner', role: 'owner' });
      return { workspace: toWorkspace(record), apiKey };
    }
  }

  /** The workspace of `id`. */
  async get(id: string): Promise<Workspace | undefined> {
    const r = await this.deps.store.workspaces.find(id);
    return r ? toWorkspace(r) : undefined;
  }
}
