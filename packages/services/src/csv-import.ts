import {
  channelSupportsMedia,
  Instant,
  Invalid,
  Media,
  NETWORK_LIMITS,
  signedText,
  textLength,
  type AccountRecord,
  type FieldError,
  type Post,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { MAX_AHEAD_MS, type PostService } from './posts.js';

/** Columns an import file may have; the first four are required. */
export const IMPORT_COLUMNS = ['account', 'at', 'text', 'voice', 'media_url', 'media_alt'] as const;
const REQUIRED = IMPORT_COLUMNS.slice(0, 4);
export const MAX_IMPORT_ROWS = 1000;

/** One data row as parsed, with the spreadsheet row number it came from (the header is row 1). */
export interface ImportRow {
  row: number;
  values: Record<string, string>;
}

interface Planned {
  row: number;
  account: AccountRecord;
  input: { text: string; voiceId: string; media: Media[]; at?: string; slot?: 'next' };
}

/**
 * Bulk calendar import: every row is checked first (account by id or handle,
 * voice by id or email, time, text length with the signature, media URL);
 * any bad row makes the whole file a 422 listing every row error and nothing
 * is created. A good file creates its posts in order, "next" rows taking
 * successive free slots; if a creation still fails, the posts already made by
 * this import are removed again, and no event is sent until all exist.
 */
export class CsvImportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly posts: PostService,
  ) {}

  /** Checks the header: the required columns present, no unknown ones. */
  checkColumns(columns: string[]): void {
    const errors: FieldError[] = [];
    for (const c of REQUIRED) if (!columns.includes(c)) errors.push({ path: `columns.${c}`, message: 'missing column' });
    for (const c of columns) {
      if (!(IMPORT_COLUMNS as readonly string[]).includes(c)) errors.push({ path: `columns.${c || '(empty)'}`, message: `unknown column; expected ${IMPORT_COLUMNS.join(', ')}` });
    }
    if (errors.length) throw new Invalid('the CSV header does not have the expected columns', errors, 422);
  }

  /** Imports the rows, all or nothing. */
  async run(ws: string, rows: ImportRow[]): Promise<{ created: number; posts: Post[] }> {
    if (rows.length === 0) throw new Invalid('the file has no rows', [{ path: 'rows', message: 'no data rows' }], 422);
    if (rows.length > MAX_IMPORT_ROWS) throw new Invalid(`at most ${MAX_IMPORT_ROWS} rows per file`, [{ path: 'rows', message: `${rows.length} rows` }], 422);
    const plan = await this.validate(ws, rows);
    const created = await this.posts.createAll(
      ws,
      plan.map((p) => ({ accountId: p.account.id, input: p.input })),
      (index, err) => {
        if (!(err instanceof Invalid) && (err as { status?: number }).status !== 409) return err;
        const row = plan[index]!.row;
        return new Invalid(`row ${row}: ${(err as Error).message}; nothing was imported`, [{ path: `rows.${row}`, message: (err as Error).message }], 422);
      },
    );
    return { created: created.length, posts: created };
  }

  private async validate(ws: string, rows: ImportRow[]): Promise<Planned[]> {
    const accounts = await this.all(ws, (o) => this.deps.store.accounts.list(ws, o));
    const voices = await this.all(ws, (o) => this.deps.store.voices.list(ws, o));
    const now = this.deps.clock.now();
    const errors: FieldError[] = [];
    const plan: Planned[] = [];
    for (const { row, values } of rows) {
      const err = (column: string, message: string) => errors.push({ path: `rows.${row}.${column}`, message });
      const before = errors.length;
      const account = this.findAccount(accounts, values.account ?? '', (m) => err('account', m));
      const voice = this.findVoice(voices, values.voice ?? '', (m) => err('voice', m));
      const text = values.text ?? '';
      if (!text.trim()) err('text', 'empty');
      else if (account && voice) {
        const n = textLength(signedText(text, account.disclosure, voice));
        const limit = NETWORK_LIMITS[account.network];
        if (n > limit) err('text', `${n} characters${account.disclosure?.signature && account.disclosure.signature !== 'none' ? ' with the signature' : ''}, limit ${limit}`);
      }
      const when = (values.at ?? '').trim();
      let at: string | undefined;
      if (when.toLowerCase() === 'next') {
        if (account && !account.cadence?.slots.length) err('at', 'the account has no cadence slots for "next"');
      } else {
        const parsed = Instant.safeParse(when);
        if (!parsed.success) err('at', 'must be an ISO 8601 instant with Z or an offset, or "next"');
        else if (Date.parse(parsed.data) <= now.getTime()) err('at', 'must be in the future');
        else if (Date.parse(parsed.data) - now.getTime() > MAX_AHEAD_MS) err('at', 'at most 5 years ahead');
        else at = parsed.data;
      }
      const media: Media[] = [];
      if (values.media_url?.trim()) {
        const m = Media.safeParse({ url: values.media_url.trim(), ...(values.media_alt?.trim() ? { alt: values.media_alt.trim() } : {}) });
        if (!m.success) err('media_url', 'must be an http(s) URL');
        else if (account && !channelSupportsMedia(account.channel.type)) err('media_url', `not supported on the ${account.channel.type} channel`);
        else media.push(m.data);
      }
      if (errors.length === before && account && voice) {
        plan.push({ row, account, input: { text, voiceId: voice.id, media, ...(at ? { at } : { slot: 'next' as const }) } });
      }
    }
    if (errors.length) throw new Invalid(`${new Set(errors.map((e) => e.path.split('.')[1])).size} row(s) are invalid; nothing was imported`, errors, 422);
    return plan;
  }

  private findAccount(accounts: AccountRecord[], ref: string, fail: (m: string) => void): AccountRecord | undefined {
    const r = ref.trim();
    if (!r) return void fail('empty');
    const hits = accounts.filter((a) => !a.archivedAt && (a.id === r || a.handle.toLowerCase() === r.toLowerCase()));
    if (hits.length === 1) return hits[0];
    fail(hits.length ? `handle ${r} names ${hits.length} accounts; use the account id` : `no account ${r} in this workspace`);
    return undefined;
  }

  private findVoice(voices: VoiceRecord[], ref: string, fail: (m: string) => void): VoiceRecord | undefined {
    const r = ref.trim();
    if (!r) return void fail('empty');
    const hits = voices.filter((v) => !v.archivedAt && (v.id === r || v.email?.toLowerCase() === r.toLowerCase()));
    if (hits.length === 1) return hits[0];
    fail(hits.length ? `email ${r} names ${hits.length} voices; use the voice id` : `no voice ${r} in this workspace`);
    return undefined;
  }

  private async all<T>(_ws: string, page: (o: { limit: number; cursor?: string }) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const p = await page({ limit: 200, ...(cursor ? { cursor } : {}) });
      out.push(...p.items);
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }
}
