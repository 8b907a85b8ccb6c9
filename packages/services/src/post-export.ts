import { allPages } from '@drumbeat/store';
import { toLocal, type AccountRecord, type PostRecord, type PostStatus, type VoiceRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { EXPORT_COLUMNS } from './import-rows.js';

/**
 * An account's posts as the rows of `posts.csv`: the columns the import
 * reads (so the file imports into another account as the same posts) and a
 * few that describe what happened (local time, the voice's name, the
 * publication), which the import ignores. The `id` is the row id the post was
 * imported under, else its own id; the account and voice are named by handle
 * and email where those name one alone in the workspace, else by id.
 */
export class PostExportService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The header and one row per post scheduled in [from, to), optionally of one status, oldest first. */
  async rows(
    ws: string,
    accountId: string,
    q: { from?: string | undefined; to?: string | undefined; status?: PostStatus | undefined },
  ): Promise<unknown[][]> {
    const account = await this.deps.store.accounts.get(ws, accountId);
    const accounts = await allPages((o) => this.deps.store.accounts.list(ws, o));
    const voices = await allPages((o) => this.deps.store.voices.list(ws, o));
    const byId = new Map(voices.map((v) => [v.id, v]));
    const accountRef = unique(accounts, (a) => !a.archivedAt && a.handle.toLowerCase() === account.handle.toLowerCase())
      ? account.handle
      : account.id;
    const voiceRef = (v: VoiceRecord | undefined, id: string) =>
      v?.email && unique(voices, (o) => !o.archivedAt && o.email?.toLowerCase() === v.email!.toLowerCase())
        ? v.email
        : id;
    const rows: unknown[][] = [[...EXPORT_COLUMNS]];
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.posts.listByAccount(ws, accountId, { ...q, limit: 200, cursor });
      for (const p of page.items)
        rows.push(row(p, account, accountRef, byId.get(p.voiceId), voiceRef(byId.get(p.voiceId), p.voiceId)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return rows;
  }
}

function unique<T>(items: T[], match: (t: T) => boolean): boolean {
  return items.filter(match).length === 1;
}

/** One post as a row of EXPORT_COLUMNS. */
function row(
  p: PostRecord,
  account: AccountRecord,
  accountRef: string,
  voice: VoiceRecord | undefined,
  voiceRef: string,
): unknown[] {
  const cells: Record<(typeof EXPORT_COLUMNS)[number], unknown> = {
    id: p.importRef ?? p.id,
    account: accountRef,
    at: p.scheduledAt,
    local_time: toLocal(new Date(p.scheduledAt), account.timezone),
    status: p.status,
    text: p.text,
    voice: voiceRef,
    voice_name: voice?.name ?? '',
    affiliation: voice?.affiliation ?? '',
    organization: voice?.organization ?? '',
    media: p.media.length ? JSON.stringify(p.media) : '',
    published_at: p.publishedAt ?? '',
    external_url: p.externalUrl ?? '',
  };
  return EXPORT_COLUMNS.map((c) => cells[c]);
}
