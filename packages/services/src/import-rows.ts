import {
  channelSupportsMedia,
  Instant,
  Invalid,
  Media,
  networkLengthProblem,
  signedText,
  type AccountRecord,
  type FieldError,
  type PostStatus,
  type VoiceRecord,
} from '@drumbeat/core';

/** Columns an import file may set: account, at, text and voice are required. */
export const IMPORT_COLUMNS = [
  'id',
  'account',
  'at',
  'text',
  'voice',
  'media',
  'media_url',
  'media_alt',
  'status',
] as const;
/** Columns of the export that describe a post but set nothing: accepted, and ignored, on import. */
export const EXPORT_ONLY_COLUMNS = [
  'local_time',
  'voice_name',
  'affiliation',
  'organization',
  'published_at',
  'external_url',
] as const;
/** The columns of `posts.csv`, in order: every one of them is accepted by the import. */
export const EXPORT_COLUMNS = [
  'id',
  'account',
  'at',
  'local_time',
  'status',
  'text',
  'voice',
  'voice_name',
  'affiliation',
  'organization',
  'media',
  'published_at',
  'external_url',
] as const;
const REQUIRED = ['account', 'at', 'text', 'voice'];
const KNOWN: readonly string[] = [...IMPORT_COLUMNS, ...EXPORT_ONLY_COLUMNS];
/** Statuses a row may name that import creates nothing for: what already happened stays in the account it happened in. */
const HISTORY: readonly PostStatus[] = ['publishing', 'published', 'failed', 'missed'];
const MAX_REF = 200;

/** One data row as parsed, with the spreadsheet row number it came from (the header is row 1). */
export interface ImportRow {
  row: number;
  values: Record<string, string>;
}

/** A row read and checked on its own: what it asks for, before it is matched against the account's posts. */
export interface RowDraft {
  row: number;
  /** The `id` column: a post id of the account, or the caller's own key for the row. */
  ref?: string;
  account: AccountRecord;
  voice: VoiceRecord;
  text: string;
  media: Media[];
  /** The instant (normalised to UTC with milliseconds), or undefined for "next". */
  at?: string;
  kind: 'live' | 'canceled' | 'history';
  /** The status the row names, when it names one. */
  status?: string;
}

/** Refuses a header without the required columns, with an unknown one, or with one twice. */
export function checkColumns(columns: string[]): void {
  const errors: FieldError[] = [];
  for (const c of REQUIRED) if (!columns.includes(c)) errors.push({ path: `columns.${c}`, message: 'missing column' });
  columns.forEach((c, i) => {
    if (!KNOWN.includes(c))
      errors.push({
        path: `columns.${c || '(empty)'}`,
        message: `unknown column; expected ${IMPORT_COLUMNS.join(', ')} (and the export's ${EXPORT_ONLY_COLUMNS.join(', ')}, which are ignored)`,
      });
    else if (columns.indexOf(c) !== i) errors.push({ path: `columns.${c}`, message: 'column given twice' });
  });
  if (errors.length) throw new Invalid('the CSV header does not have the expected columns', errors, 422);
}

/** What reading rows needs of the workspace. */
export interface RowContext {
  accounts: AccountRecord[];
  voices: VoiceRecord[];
  now: Date;
}

/** How far ahead a post may be planned (as PostService allows). */
export const MAX_AHEAD_MS = 5 * 366 * 86_400_000;

/** Reads one row into a draft, reporting each bad column through `err`; undefined when any is bad. */
export function readRow(
  { row, values }: ImportRow,
  ctx: RowContext,
  err: (column: string, message: string) => void,
): RowDraft | undefined {
  const now = ctx.now.getTime();
  let bad = false;
  const fail = (column: string, message: string) => {
    bad = true;
    err(column, message);
  };
  const account = findAccount(ctx.accounts, values.account ?? '', (m) => fail('account', m));
  const voice = findVoice(ctx.voices, values.voice ?? '', (m) => fail('voice', m));
  const ref = (values.id ?? '').trim();
  if (ref.length > MAX_REF) fail('id', `at most ${MAX_REF} characters`);
  else if (/[\u0000-\u001f\u007f]/.test(ref)) fail('id', 'control characters are not allowed');
  const text = values.text ?? '';
  if (!text.trim()) fail('text', 'empty');
  else if (account && voice) {
    const problem = networkLengthProblem(account.network, signedText(text, account.disclosure, voice));
    if (problem)
      fail(
        'text',
        `${problem}${account.disclosure?.signature && account.disclosure.signature !== 'none' ? ' with the signature' : ''}`,
      );
  }
  const when = (values.at ?? '').trim();
  let at: string | undefined;
  if (when.toLowerCase() === 'next') {
    if (account && !account.cadence?.slots.length) fail('at', 'the account has no cadence slots for "next"');
  } else {
    const parsed = Instant.safeParse(when);
    if (!parsed.success) fail('at', 'must be an ISO 8601 instant with Z or an offset, or "next"');
    else at = new Date(parsed.data).toISOString();
  }
  const status = (values.status ?? '').trim().toLowerCase();
  let kind: RowDraft['kind'] = 'live';
  if (status === 'canceled') kind = 'canceled';
  else if ((HISTORY as string[]).includes(status)) kind = 'history';
  else if (status !== '' && status !== 'scheduled' && status !== 'pending_approval')
    fail(
      'status',
      'must be empty, scheduled, pending_approval or canceled (published, failed, missed and publishing rows are skipped)',
    );
  if (kind === 'canceled' && !at && when) fail('at', 'a canceled row needs an instant, not "next"');
  const media = readMedia(values, account, fail);
  // A bad row is never a duplicate, so its time is checked here, to list every fault of the row at once.
  if (bad && at !== undefined && Date.parse(at) <= now) fail('at', 'must be in the future');
  else if (bad && at !== undefined && Date.parse(at) - now > MAX_AHEAD_MS) fail('at', 'at most 5 years ahead');
  if (bad || !account || !voice) return undefined;
  return {
    row,
    ...(ref ? { ref } : {}),
    account,
    voice,
    text,
    media,
    ...(at ? { at } : {}),
    kind,
    ...(status ? { status } : {}),
  };
}

/** The row's media: the `media` column (a JSON array of {url, alt}, as exported) or one `media_url` with its `media_alt`. */
function readMedia(
  values: Record<string, string>,
  account: AccountRecord | undefined,
  fail: (column: string, message: string) => void,
): Media[] {
  const json = (values.media ?? '').trim();
  const url = (values.media_url ?? '').trim();
  if (json && url) {
    fail('media', 'give media or media_url, not both');
    return [];
  }
  let media: Media[] = [];
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
    }
    const items = Array.isArray(parsed) && parsed.length <= 4 ? parsed.map((m) => Media.safeParse(m)) : undefined;
    if (!items || items.some((m) => !m.success)) {
      fail('media', 'must be a JSON array of at most 4 {"url": "https://…", "alt": "…"}');
      return [];
    }
    media = items.map((m) => m.data!);
  } else if (url) {
    const m = Media.safeParse({ url, ...(values.media_alt?.trim() ? { alt: values.media_alt.trim() } : {}) });
    if (!m.success) {
      fail('media_url', 'must be an http(s) URL');
      return [];
    }
    media = [m.data];
  }
  if (media.length && account && !channelSupportsMedia(account.channel.type)) {
    fail(json ? 'media' : 'media_url', `not supported on the ${account.channel.type} channel`);
    return [];
  }
  return media;
}

function findAccount(accounts: AccountRecord[], ref: string, fail: (m: string) => void): AccountRecord | undefined {
  const r = ref.trim();
  if (!r) return void fail('empty');
  const hits = accounts.filter((a) => !a.archivedAt && (a.id === r || a.handle.toLowerCase() === r.toLowerCase()));
  if (hits.length === 1) return hits[0];
  fail(
    hits.length ? `handle ${r} names ${hits.length} accounts; use the account id` : `no account ${r} in this workspace`,
  );
  return undefined;
}

function findVoice(voices: VoiceRecord[], ref: string, fail: (m: string) => void): VoiceRecord | undefined {
  const r = ref.trim();
  if (!r) return void fail('empty');
  const hits = voices.filter((v) => !v.archivedAt && (v.id === r || v.email?.toLowerCase() === r.toLowerCase()));
  if (hits.length === 1) return hits[0];
  fail(hits.length ? `email ${r} names ${hits.length} voices; use the voice id` : `no voice ${r} in this workspace`);
  return undefined;
}
