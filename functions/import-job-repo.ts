import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { importJobKey as key, isConditionFailed, type Db } from '@drumbeat/store';
import type { ImportJobStatus, ImportJobView } from '@drumbeat/api';
import type { ImportResult } from '@drumbeat/services';

/** Jobs are kept a week (TTL), long enough for a client to come back for the result. */
const JOB_TTL_SECONDS = 7 * 24 * 3600;
/** A gzipped result above this is stored as post ids only (DynamoDB items stop at 400 KB); the view then reloads the posts. */
const MAX_STORED_RESULT_BYTES = 300 * 1024;

/** What a job item holds (besides its key). */
interface JobItem {
  status: ImportJobStatus;
  createdAt: string;
  updatedAt: string;
  /** The CSV file, gzipped (the API takes at most 256 KiB of body, so it always fits). */
  csv: Uint8Array;
  shareSlots: boolean;
  result?: Uint8Array;
  /** Set instead of the posts in `result` when the result was too large to keep whole. */
  postIds?: string[];
  problem?: ImportJobView['problem'];
  /** Set when running: past this instant the run is dead (the function's timeout has passed), and the job may be reaped. */
  leaseUntil?: string;
  /** The ids of the posts the run is creating, recorded before the first is stored: what reaping a dead run deletes. */
  creating?: string[];
}

/** A running job whose lease has passed: its run is dead; what it may have created. */
export interface StaleJob {
  leaseUntil: string;
  creating: string[];
}

/** A new, time-sortable job id (`imp_` + base-36 milliseconds + 16 random hex characters). */
export function newJobId(now: Date): string {
  return `imp_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/** Import jobs in the workspace's partition of the single table. */
export class ImportJobRepo {
  constructor(private readonly db: Db) {}

  /** Records a pending job holding the file. */
  async create(ws: string, input: { csv: string; shareSlots: boolean }, now: Date): Promise<ImportJobView> {
    const id = newJobId(now);
    const at = now.toISOString();
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.table,
        Item: {
          ...key(ws, id),
          type: 'IMPORTJOB',
          status: 'pending',
          createdAt: at,
          updatedAt: at,
          csv: gzipSync(input.csv),
          shareSlots: input.shareSlots,
          expiresAt: Math.floor(now.getTime() / 1000) + JOB_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { id, status: 'pending', createdAt: at, updatedAt: at };
  }

  private async item(ws: string, id: string): Promise<JobItem | undefined> {
    const r = await this.db.doc.send(
      new GetCommand({ TableName: this.db.table, Key: key(ws, id), ConsistentRead: true }),
    );
    return r.Item as JobItem | undefined;
  }

  /** The job as the API shows it; `loadPosts` reloads the posts of a result kept as ids only. */
  async view(
    ws: string,
    id: string,
    loadPosts: (ids: string[]) => Promise<ImportResult['posts']>,
  ): Promise<ImportJobView | undefined> {
    const item = await this.item(ws, id);
    if (!item) return undefined;
    const view: ImportJobView = { id, status: item.status, createdAt: item.createdAt, updatedAt: item.updatedAt };
    if (item.result) {
      const result = JSON.parse(gunzipSync(item.result).toString('utf8')) as ImportResult;
      view.result = item.postIds ? { ...result, posts: await loadPosts(item.postIds) } : result;
    }
    if (item.problem) view.problem = item.problem;
    return view;
  }

  /** The job's lease and what it may have created, while it is running (whether or not the lease has passed). */
  async running(ws: string, id: string): Promise<StaleJob | undefined> {
    const item = await this.item(ws, id);
    if (item?.status !== 'running' || !item.leaseUntil) return undefined;
    return { leaseUntil: item.leaseUntil, creating: item.creating ?? [] };
  }

  /** The job as stored when it is running past its lease (its run died), else undefined. */
  async stale(ws: string, id: string, now: Date): Promise<StaleJob | undefined> {
    const job = await this.running(ws, id);
    return job && Date.parse(job.leaseUntil) <= now.getTime() ? job : undefined;
  }

  /**
   * Moves a pending job to running, leased until `leaseUntil`, and hands over
   * its file; undefined when it is not pending (a repeated invocation runs nothing).
   */
  async start(
    ws: string,
    id: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<{ csv: string; shareSlots: boolean } | undefined> {
    try {
      const r = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: key(ws, id),
          UpdateExpression: 'SET #s = :running, updatedAt = :now, leaseUntil = :lease',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':pending': 'pending',
            ':now': now.toISOString(),
            ':lease': leaseUntil.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = r.Attributes as JobItem;
      return { csv: gunzipSync(item.csv).toString('utf8'), shareSlots: item.shareSlots };
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** Records the ids of the posts the running job is about to create (before the first is stored). */
  async creating(ws: string, id: string, now: Date, postIds: string[]): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: key(ws, id),
        UpdateExpression: 'SET creating = :ids, updatedAt = :now',
        ConditionExpression: '#s = :running',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':ids': postIds, ':now': now.toISOString(), ':running': 'running' },
      }),
    );
  }

  /**
   * Fails a job whose run died, once what it created is gone: only while it
   * is still running under the lease that was found stale (a second reaper, or
   * a finish that landed meanwhile, wins instead). False when it did not apply.
   */
  async interrupted(
    ws: string,
    id: string,
    now: Date,
    stale: StaleJob,
    problem: NonNullable<ImportJobView['problem']>,
  ): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: key(ws, id),
          UpdateExpression: 'SET #s = :failed, updatedAt = :now, problem = :problem REMOVE csv, creating',
          ConditionExpression: '#s = :running AND leaseUntil = :lease',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':now': now.toISOString(),
            ':problem': problem,
            ':running': 'running',
            ':lease': stale.leaseUntil,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Records how a running job ended: its result, or the problem (nothing of it kept). */
  async finish(
    ws: string,
    id: string,
    now: Date,
    outcome: { result: ImportResult } | { problem: NonNullable<ImportJobView['problem']> },
  ): Promise<void> {
    const values: Record<string, unknown> = { ':now': now.toISOString(), ':running': 'running' };
    let set: string;
    if ('result' in outcome) {
      let stored = gzipSync(JSON.stringify(outcome.result));
      if (stored.length > MAX_STORED_RESULT_BYTES) {
        values[':ids'] = outcome.result.posts.map((p) => p.id);
        stored = gzipSync(JSON.stringify({ ...outcome.result, posts: [] }));
        set = 'postIds = :ids, ';
      } else set = '';
      values[':status'] = 'succeeded';
      values[':result'] = stored;
      set += '#r = :result';
    } else {
      values[':status'] = 'failed';
      values[':problem'] = outcome.problem;
      set = 'problem = :problem';
    }
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: key(ws, id),
        UpdateExpression: `SET #s = :status, updatedAt = :now, ${set} REMOVE csv, creating`,
        ConditionExpression: '#s = :running',
        ExpressionAttributeNames: { '#s': 'status', ...('result' in outcome ? { '#r': 'result' } : {}) },
        ExpressionAttributeValues: values,
      }),
    );
  }
}
