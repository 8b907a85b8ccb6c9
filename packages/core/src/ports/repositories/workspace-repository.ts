import type { WorkspaceRecord } from '../../records.js';

/** Workspaces and the global claim of their public slug. */
export interface WorkspaceRepository {
  /** Stores a workspace; Conflict when its slug is taken. */
  create(ws: WorkspaceRecord): Promise<void>;
  find(id: string): Promise<WorkspaceRecord | undefined>;
  /** The workspace owning a public slug, or undefined. */
  findBySlug(slug: string): Promise<WorkspaceRecord | undefined>;
}
