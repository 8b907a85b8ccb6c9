import { GetCommand, PutCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, type WorkspaceRecord, type WorkspaceRepository } from '@drumbeat/core';
import { getItem, isConditionFailed, type Db } from './db.js';
import { slugKey, workspaceKey } from './table/workspace-keys.js';

/** Workspaces and the global claim of their public slug. */
export class WorkspaceRepo implements WorkspaceRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a workspace after claiming its slug with a conditional write, so two
   * workspaces never share a slug. The claim is written first: a crash between
   * the two writes leaves an unused claim, never a workspace without one.
   */
  async create(ws: WorkspaceRecord): Promise<void> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...slugKey(ws.slug), type: 'SLUG', workspaceId: ws.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailed(err))
        throw new Conflict(`slug "${ws.slug}" is taken`, [{ path: 'slug', message: 'is taken' }]);
      throw err;
    }
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...workspaceKey(ws.id), type: 'WS', ...ws },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      await this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: slugKey(ws.slug) }));
      throw err;
    }
  }

  /** The workspace, or undefined. */
  async find(id: string): Promise<WorkspaceRecord | undefined> {
    return getItem<WorkspaceRecord>(this.db, workspaceKey(id));
  }

  /** The workspace owning a public slug, or undefined. */
  async findBySlug(slug: string): Promise<WorkspaceRecord | undefined> {
    const r = await this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: slugKey(slug) }));
    const id = r.Item?.workspaceId as string | undefined;
    return id ? this.find(id) : undefined;
  }
}
