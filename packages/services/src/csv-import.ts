import { allPages } from '@drumbeat/store';
import {
  EDITABLE_STATUSES,
  Invalid,
  newId,
  type AccountRecord,
  type FieldError,
  type Post,
  type PostPatch,
  type PostRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { LIVE_STATUSES } from './calendar.js';
import { checkColumns, readRow, type ImportRow, type RowDraft } from './import-rows.js';
import { MAX_AHEAD_MS, type MakeOptions, type PostService } from './posts.js';
import { isSlot } from './slot-claims.js';

export { IMPORT_COLUMNS, EXPORT_COLUMNS, type ImportRow } from './import-rows.js';
export const MAX_IMPORT_ROWS = 1000;

/** What an import did with each row that created nothing new. */
export interface ImportReport {
  row: number;
  outcome: 'duplicate' | 'unchanged' | 'skipped';
  postId?: string;
  reason: string;
}

/** The answer of an import: counts, the posts created or updated (in row order), and the rows that changed nothing. */
export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  posts: Post[];
  report: ImportReport[];
}

export interface ImportOptions {
  /** Plan a post at a slot instant another live post already fills (refused otherwise). */
  shareSlots?: boolean | undefined;
  /**
   * Told the ids of the posts the import is about to create, before the first
   * is stored: an import job records them, so a run killed half-way (a Lambda
   * timeout) can be undone by whoever finds it dead.
   */
  beforeCreate?: ((postIds: string[]) => Promise<void>) | undefined;
  /** Aborted: stop creating and undo what was created (a run about to reach its time limit); thrown as `signal.reason`. */
  signal?: AbortSignal | undefined;
}

type Update = { row: number; post: PostRecord; change: PostPatch | 'cancel' };
type Create = {
  row: number;
  accountId: string;
  input: { text: string; voiceId: string; media: RowDraft['media']; at?: string; slot?: 'next' };
  options: MakeOptions;
};

/**
 * Bulk calendar import, safe to repeat. Every row is checked first (account
 * by id or handle, voice by id or email, time, text length with the
 * signature, media); any bad row makes the whole file a 422 listing every row
 * error and nothing changes. A row with an `id` is an upsert: the post it
 * names (a post id of the account, or the id an earlier import gave) is
 * updated, or left alone when nothing differs; a new `id` creates a post that
 * keeps it. A row without one that matches a live post of the account (same
 * instant and text, or for "next" a planned post with the same text) is
 * reported as a duplicate, not created twice; a post at a slot instant that
 * another live post fills is refused unless `shareSlots`. Rows of posts that
 * already went out (published, failed, missed) are skipped: history stays
 * where it happened. Creations come first, all or nothing; then updates.
 */
export class CsvImportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly posts: PostService,
  ) {}

  /** Checks the header: the required columns present, no unknown or repeated ones. */
  checkColumns(columns: string[]): void {
    checkColumns(columns);
  }

  /** Imports the rows, all or nothing. */
  async run(ws: string, rows: ImportRow[], opts: ImportOptions = {}): Promise<ImportResult> {
    if (rows.length === 0) throw new Invalid('the file has no rows', [{ path: 'rows', message: 'no data rows' }], 422);
    if (rows.length > MAX_IMPORT_ROWS)
      throw new Invalid(
        `at most ${MAX_IMPORT_ROWS} rows per file`,
        [{ path: 'rows', message: `${rows.length} rows` }],
        422,
      );
    const { creates, updates, report } = await this.plan(ws, rows, opts);
    const now = this.deps.clock.now().getTime();
    const ids = creates.map(() => newId('post', now));
    await opts.beforeCreate?.(ids);
    const made = await this.posts.createAll(
      ws,
      creates.map((c, i) => ({
        accountId: c.accountId,
        input: c.input,
        options: { ...c.options, id: ids[i]!, source: { kind: 'csv' as const } },
      })),
      (index, err) => {
        if (!(err instanceof Invalid) && (err as { status?: number }).status !== 409) return err;
        const row = creates[index]!.row;
        return new Invalid(
          `row ${row}: ${(err as Error).message}; nothing was imported`,
          [{ path: `rows.${row}`, message: (err as Error).message }],
          422,
        );
      },
      opts.signal,
    );
    const done = new Map<number, Post>(creates.map((c, i) => [c.row, made[i]!]));
    for (const u of updates) {
      try {
        done.set(
          u.row,
          u.change === 'cancel'
            ? await this.posts.cancel(ws, u.post.id)
            : await this.posts.update(ws, u.post.id, u.change, { source: { kind: 'csv' } }),
        );
      } catch (err) {
        // Someone changed the post meanwhile: take back what this import created, and say which row.
        for (const m of made) await this.posts.purge(ws, m.id);
        const message = (err as Error).message;
        throw new Invalid(
          `row ${u.row}: ${message}; nothing was created (rows before it were updated)`,
          [{ path: `rows.${u.row}`, message }],
          422,
        );
      }
    }
    const posts = [...done.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    return {
      created: made.length,
      updated: updates.length,
      unchanged: report.filter((r) => r.outcome === 'unchanged').length,
      posts,
      report,
    };
  }

  /** Reads every row, matches it against the account's posts and decides what it does; throws the 422 of every bad row. */
  private async plan(ws: string, rows: ImportRow[], opts: ImportOptions) {
    const now = this.deps.clock.now();
    const ctx = {
      accounts: await allPages((o) => this.deps.store.accounts.list(ws, o)),
      voices: await allPages((o) => this.deps.store.voices.list(ws, o)),
      now,
    };
    const errors: FieldError[] = [];
    const drafts: RowDraft[] = [];
    for (const r of rows) {
      const d = readRow(r, ctx, (column, message) => errors.push({ path: `rows.${r.row}.${column}`, message }));
      if (d) drafts.push(d);
    }
    const known = await this.known(ws, drafts, now);
    const creates: Create[] = [];
    const updates: Update[] = [];
    const report: ImportReport[] = [];
    const planned = new Map<string, number>(); // duplicate keys of the rows to create → their row
    const err = (row: number, column: string, message: string) =>
      errors.push({ path: `rows.${row}.${column}`, message });
    for (const d of drafts) {
      const existing = d.ref !== undefined ? known.byRef.get(`${d.account.id}#${d.ref}`) : undefined;
      if (existing) {
        const decided = this.upsert(d, existing, now, err);
        if (decided && 'outcome' in decided) report.push(decided);
        else if (decided) updates.push(decided);
        continue;
      }
      if (d.kind === 'history') {
        report.push({ row: d.row, outcome: 'skipped', reason: `a ${d.status} post is history and is not imported` });
        continue;
      }
      const key = dupKey(d.account.id, d.at, d.text, d.kind);
      const twin = known.live.get(key);
      if (twin || planned.has(key)) {
        report.push({
          row: d.row,
          outcome: 'duplicate',
          ...(twin ? { postId: twin.id } : {}),
          reason: twin
            ? `post ${twin.id} already has this text at this time`
            : `row ${planned.get(key)} has this text at this time`,
        });
        continue;
      }
      if (d.at !== undefined) {
        const t = Date.parse(d.at);
        if (t <= now.getTime()) err(d.row, 'at', 'must be in the future');
        else if (t - now.getTime() > MAX_AHEAD_MS) err(d.row, 'at', 'at most 5 years ahead');
        else if (d.kind === 'live' && !opts.shareSlots && isSlot(d.account, new Date(t))) {
          const holder = known.atInstant.get(`${d.account.id}#${d.at}`);
          if (holder)
            err(
              d.row,
              'at',
              `the slot is already filled by ${holder}; add ?shareSlots=true to plan a second post at the same time`,
            );
          known.atInstant.set(`${d.account.id}#${d.at}`, `row ${d.row}`);
        }
      }
      planned.set(key, d.row);
      creates.push({
        row: d.row,
        accountId: d.account.id,
        input: {
          text: d.text,
          voiceId: d.voice.id,
          media: d.media,
          ...(d.at !== undefined ? { at: d.at } : { slot: 'next' as const }),
        },
        options: {
          ...(d.ref !== undefined ? { importRef: d.ref } : {}),
          ...(d.kind === 'canceled' ? { canceled: true } : {}),
        },
      });
    }
    if (errors.length)
      throw new Invalid(
        `${new Set(errors.map((e) => e.path.split('.')[1])).size} row(s) are invalid; nothing was imported`,
        errors,
        422,
      );
    return { creates, updates, report };
  }

  /** What a row with an id does to the post that id names: an update, a report, or nothing (an error was reported). */
  private upsert(
    d: RowDraft,
    post: PostRecord,
    now: Date,
    err: (row: number, column: string, message: string) => void,
  ): Update | ImportReport | undefined {
    if (!EDITABLE_STATUSES.includes(post.status))
      return { row: d.row, outcome: 'unchanged', postId: post.id, reason: `post ${post.id} is ${post.status}` };
    if (d.kind === 'history')
      return {
        row: d.row,
        outcome: 'skipped',
        postId: post.id,
        reason: `a ${d.status} row does not change a ${post.status} post`,
      };
    if (d.voice.id !== post.voiceId)
      return void err(
        d.row,
        'voice',
        `post ${post.id} was written by ${post.voiceId}; an import does not change who wrote a post`,
      );
    if (d.kind === 'canceled') return { row: d.row, post, change: 'cancel' };
    const change: PostPatch = {};
    if (d.text !== post.text) change.text = d.text;
    if (JSON.stringify(d.media) !== JSON.stringify(post.media)) change.media = d.media;
    if (d.at !== undefined && d.at !== post.scheduledAt) {
      const t = Date.parse(d.at);
      if (t <= now.getTime()) return void err(d.row, 'at', 'must be in the future');
      if (t - now.getTime() > MAX_AHEAD_MS) return void err(d.row, 'at', 'at most 5 years ahead');
      change.at = d.at;
    }
    if (Object.keys(change).length === 0)
      return { row: d.row, outcome: 'unchanged', postId: post.id, reason: `post ${post.id} already says this` };
    return { row: d.row, post, change };
  }

  /**
   * The posts the rows can meet: by row id (a post id of the account, or an
   * id an earlier import kept), and the live and canceled ones from the
   * earliest instant of the file (or now) onwards, keyed for duplicates and
   * by slot instant.
   */
  private async known(ws: string, drafts: RowDraft[], now: Date) {
    const byRef = new Map<string, PostRecord>();
    const live = new Map<string, PostRecord>();
    const atInstant = new Map<string, string>();
    const accounts = new Map<string, { account: AccountRecord; drafts: RowDraft[] }>();
    for (const d of drafts) {
      const a = accounts.get(d.account.id) ?? { account: d.account, drafts: [] };
      a.drafts.push(d);
      accounts.set(d.account.id, a);
    }
    for (const { account, drafts: ds } of accounts.values()) {
      const refs = [...new Set(ds.map((d) => d.ref).filter((r): r is string => r !== undefined))];
      for (const [ref, p] of await this.deps.store.posts.findByRefs(ws, account.id, refs))
        byRef.set(`${account.id}#${ref}`, p);
      for (const ref of refs.filter((r) => r.startsWith('pst_') && !byRef.has(`${account.id}#${r}`))) {
        const p = await this.deps.store.posts.find(ws, ref);
        if (p?.accountId === account.id) byRef.set(`${account.id}#${ref}`, p);
      }
      const earliest = Math.min(now.getTime(), ...ds.map((d) => (d.at ? Date.parse(d.at) : Infinity)));
      for (const p of await this.deps.store.posts.allInWindow(ws, account.id, new Date(earliest).toISOString(), '9')) {
        const future = Date.parse(p.scheduledAt) > now.getTime();
        if (LIVE_STATUSES.includes(p.status)) {
          live.set(dupKey(account.id, p.scheduledAt, p.text, 'live'), p);
          if (future && EDITABLE_STATUSES.includes(p.status))
            live.set(dupKey(account.id, undefined, p.text, 'live'), p);
          atInstant.set(`${account.id}#${p.scheduledAt}`, `post ${p.id}`);
        } else if (p.status === 'canceled') live.set(dupKey(account.id, p.scheduledAt, p.text, 'canceled'), p);
      }
    }
    return { byRef, live, atInstant };
  }
}

/** The key two rows (or a row and a post) share when they are the same post: account, instant ("next": any planned time), text and whether canceled. */
function dupKey(accountId: string, at: string | undefined, text: string, kind: RowDraft['kind']): string {
  return JSON.stringify([accountId, at ?? 'next', text, kind === 'canceled']);
}
