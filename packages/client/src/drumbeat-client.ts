import { OPERATIONS as OP } from './operations.js';
import { paginate } from './pagination.js';
import { Transport, type ClientOptions } from './transport.js';
import type * as T from './types.js';
import { DrumbeatError } from './errors.js';

/** Whether an import's answer is a job (202) rather than the result (201). */
export function isImportJob(answer: T.ImportAnswer): answer is T.ImportJob {
  return 'status' in answer && 'id' in answer;
}

type Query = T.PageQuery;

/**
 * A typed client for every route of the drumbeat API. Lists return one page
 * (`{items, nextCursor}`); each has an `iterate…` twin that walks every page.
 *
 * ```ts
 * const db = new Drumbeat({ baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.DRUMBEAT_KEY });
 * const post = await db.posts.create(accountId, { text: 'Hello', voiceId, slot: 'next' });
 * ```
 */
export class Drumbeat {
  /** The transport, for calls the typed methods do not cover. */
  readonly http: Transport;

  constructor(options: ClientOptions) {
    this.http = new Transport(options);
  }

  /** GET /healthz. */
  health() {
    return this.http.call<{ ok: boolean; time: string }>(OP.health);
  }

  /** The OpenAPI 3.1 document of the server. */
  openapi() {
    return this.http.call<Record<string, unknown>>(['GET', '/openapi.json']);
  }

  readonly workspaces = {
    /** Creates a workspace and its owner key (shown once); needs the admin token. */
    create: (input: T.WorkspaceCreate, adminToken: string) =>
      this.http.call<{ workspace: T.Workspace; apiKey: T.ApiKeyCreated }>(OP.createWorkspace, {
        body: input,
        token: adminToken,
      }),
  };

  readonly keys = {
    /** Creates an API key; its secret (`key`) is shown once. */
    create: (input: T.KeyCreate) => this.http.call<T.ApiKeyCreated>(OP.createKey, { body: input }),
    /** One page of keys. */
    list: (q: Query = {}) => this.http.call<T.Page<T.ApiKey>>(OP.listKeys, { query: q }),
    /** Every key. */
    iterate: (q: Omit<Query, 'cursor'> = {}) =>
      paginate((cursor) => this.keys.list({ ...q, ...(cursor ? { cursor } : {}) })),
    /** Revokes a key (never the calling one). */
    revoke: (id: string) => this.http.call<T.ApiKey>(OP.revokeKey, { params: { id } }),
  };

  readonly voices = {
    /** Creates a voice. */
    create: (input: T.VoiceCreate) => this.http.call<T.Voice>(OP.createVoice, { body: input }),
    /** One page of voices. */
    list: (q: Query = {}) => this.http.call<T.Page<T.Voice>>(OP.listVoices, { query: q }),
    /** Every voice. */
    iterate: (q: Omit<Query, 'cursor'> = {}) =>
      paginate((cursor) => this.voices.list({ ...q, ...(cursor ? { cursor } : {}) })),
    /** Reads a voice. */
    get: (id: string) => this.http.call<T.Voice>(OP.getVoice, { params: { id } }),
    /** Changes a voice (null clears a field; `archived` archives or restores it). */
    update: (id: string, patch: T.VoicePatch) =>
      this.http.call<T.Voice>(OP.updateVoice, { params: { id }, body: patch }),
    /** Deletes a voice that never wrote a post. */
    delete: (id: string) => this.http.call<void>(OP.deleteVoice, { params: { id } }),
  };

  readonly accounts = {
    /** Creates an account; a webhook channel's signing secret is in `channel.secret`, this once. */
    create: (input: T.AccountCreate) => this.http.call<T.Account>(OP.createAccount, { body: input }),
    /** One page of accounts. */
    list: (q: Query & { archived?: boolean } = {}) => this.http.call<T.Page<T.Account>>(OP.listAccounts, { query: q }),
    /** Every account. */
    iterate: (q: Omit<Query, 'cursor'> & { archived?: boolean } = {}) =>
      paginate((cursor) => this.accounts.list({ ...q, ...(cursor ? { cursor } : {}) })),
    /** Reads an account (secrets are never read back). */
    get: (id: string) => this.http.call<T.Account>(OP.getAccount, { params: { id } }),
    /** Changes an account. */
    update: (id: string, patch: T.AccountPatch) =>
      this.http.call<T.Account>(OP.updateAccount, { params: { id }, body: patch }),
    /** Archives an account: it stops publishing, its history stays. */
    archive: (id: string) => this.http.call<void>(OP.archiveAccount, { params: { id } }),
    /** Issues a new webhook signing secret, returned once in `channel.secret`. */
    rotateChannelSecret: (id: string) => this.http.call<T.Account>(OP.rotateChannelSecret, { params: { id } }),
    /** Publishing health over the last 12 local weeks. */
    stats: (id: string) => this.http.call<T.AccountStats>(OP.accountStats, { params: { id } }),
  };

  readonly posts = {
    /** Plans a post at `at` or in the next free slot (`slot: 'next'`). */
    create: (accountId: string, input: T.PostCreate, o: { idempotencyKey?: string } = {}) =>
      this.http.call<T.Post>(OP.createPost, { params: { id: accountId }, body: input, ...o }),
    /** One page of an account's posts, oldest first. */
    list: (accountId: string, q: T.PostListQuery = {}) =>
      this.http.call<T.Page<T.Post>>(OP.listPosts, { params: { id: accountId }, query: q }),
    /** Every post of an account matching the query. */
    iterate: (accountId: string, q: Omit<T.PostListQuery, 'cursor'> = {}) =>
      paginate((cursor) => this.posts.list(accountId, { ...q, ...(cursor ? { cursor } : {}) })),
    /** Reads a post. */
    get: (id: string) => this.http.call<T.Post>(OP.getPost, { params: { id } }),
    /** Edits or reschedules a post before it is published (an edit resets approval). */
    update: (id: string, patch: T.PostPatch) => this.http.call<T.Post>(OP.updatePost, { params: { id }, body: patch }),
    /** Cancels a post; its slot frees up. */
    cancel: (id: string) => this.http.call<T.Post>(OP.cancelPost, { params: { id } }),
    /** Approves a pending post (never by its author). */
    approve: (id: string, d: T.Decision) => this.http.call<T.Post>(OP.approvePost, { params: { id }, body: d }),
    /** The signed review link of a pending post for one approver voice (to send through your own tool). */
    reviewLink: (id: string, voiceId: string) =>
      this.http.call<T.ReviewLink>(OP.createReviewLink, { params: { id }, body: { voiceId } }),
    /** Rejects a pending post. */
    reject: (id: string, d: T.Decision) => this.http.call<T.Post>(OP.rejectPost, { params: { id }, body: d }),
    /** Records that a person published a manual-channel post. */
    markPublished: (id: string, input: T.ManualPublished = {}) =>
      this.http.call<T.Post>(OP.markPublished, { params: { id }, body: input }),
    /** An account's posts as CSV. */
    exportCsv: (accountId: string, q: Pick<T.PostListQuery, 'from' | 'to' | 'status'> = {}) =>
      this.http.call<string>(OP.exportPostsCsv, { params: { id: accountId }, query: q, as: 'text' }),
    /**
     * Imports posts from CSV: every row valid or nothing created. Answers the
     * result (201), or where the server runs imports as jobs (AWS: files over
     * 100 rows, or `respondAsync`) the accepted job (202): tell them apart with
     * `isImportJob`, wait with `imports.wait(job.id)`, or call `imports.run`.
     */
    importCsv: (csv: string, o: T.ImportOptions = {}) =>
      this.http.call<T.ImportAnswer>(OP.importCsv, {
        body: csv,
        contentType: 'text/csv',
        query: o.shareSlots ? { shareSlots: 'true' } : {},
        ...(o.respondAsync ? { headers: { Prefer: 'respond-async' } } : {}),
        ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
      }),
    /** An import job (same as `imports.get`). */
    importJob: (id: string) => this.imports.get(id),
  };

  readonly imports = {
    /** An import the server runs as a job: pending, running, then succeeded (its result) or failed (its problem). */
    get: (id: string) => this.http.call<T.ImportJob>(OP.getImportJob, { params: { id } }),
    /**
     * Waits for an import job to end: its result, or a DrumbeatError with the
     * job's problem (every bad row named; nothing imported). Throws an Error
     * when `timeoutMs` passes first.
     */
    wait: async (id: string, o: T.ImportWaitOptions = {}): Promise<T.ImportResult> => {
      const interval = o.intervalMs ?? 2_000;
      const timeout = o.timeoutMs ?? 20 * 60_000;
      for (let waited = 0; ; waited += interval) {
        const job = await this.imports.get(id);
        if (job.status === 'succeeded' && job.result) return job.result;
        if (job.status === 'failed')
          throw new DrumbeatError({
            type: 'about:blank',
            title: 'Import failed',
            status: 500,
            ...job.problem,
            errors: job.problem?.errors ?? [],
          });
        if (waited + interval > timeout) throw new Error(`import job ${id} still ${job.status} after ${waited} ms`);
        await this.http.wait(interval);
      }
    },
    /** Imports a CSV and, when the server answers with a job, waits for it: the result either way. */
    run: async (csv: string, o: T.ImportOptions & T.ImportWaitOptions = {}): Promise<T.ImportResult> => {
      const answer = await this.posts.importCsv(csv, o);
      return isImportJob(answer) ? this.imports.wait(answer.id, o) : answer;
    },
  };

  readonly calendar = {
    /** Slots (filled or empty), posts, gaps and lapses of a window, in UTC and local time. */
    get: (accountId: string, q: T.CalendarQuery = {}) =>
      this.http.call<T.Calendar>(OP.calendar, { params: { id: accountId }, query: q }),
    /** The same window as iCalendar text. */
    ics: (accountId: string, q: T.CalendarQuery = {}) =>
      this.http.call<string>(OP.calendarIcs, { params: { id: accountId }, query: q, as: 'text' }),
    /** The secret feed URL for calendar apps. */
    feedUrl: (accountId: string) => this.http.call<{ url: string }>(OP.feedUrl, { params: { id: accountId } }),
    /** Replaces the feed URL; the old one stops working. */
    rotateFeed: (accountId: string) => this.http.call<{ url: string }>(OP.rotateFeed, { params: { id: accountId } }),
    /** A feed by its secret file name (`<token>.ics`), no key needed. */
    feed: (file: string) => this.http.call<string>(OP.publicFeed, { params: { file }, as: 'text' }),
  };

  readonly attribution = {
    /** One page of an account's ledger entries. */
    list: (accountId: string, q: Query = {}) =>
      this.http.call<T.Page<T.LedgerEntry>>(OP.attribution, { params: { id: accountId }, query: q }),
    /** Every ledger entry of an account. */
    iterate: (accountId: string, q: Omit<Query, 'cursor'> = {}) =>
      paginate((cursor) => this.attribution.list(accountId, { ...q, ...(cursor ? { cursor } : {}) })),
    /** The ledger as CSV. */
    csv: (accountId: string) => this.http.call<string>(OP.attributionCsv, { params: { id: accountId }, as: 'text' }),
    /** Walks the workspace's hash chain and checks its stored checkpoints. */
    verify: () => this.http.call<T.Verification>(OP.verifyAttribution),
    /** The workspace's whole ledger and public key, to audit with `verifyLedger` against checkpoints held elsewhere. */
    export: () => this.http.call<T.LedgerExport>(OP.exportAttribution),
  };

  readonly transparency = {
    /** The public transparency page of an account, as JSON. */
    get: (slug: string, handle: string) =>
      this.http.call<T.Transparency>(OP.transparencyJson, { params: { slug, handle } }),
    /** The same page as HTML. */
    html: (slug: string, handle: string) =>
      this.http.call<string>(OP.transparency, { params: { slug, handle }, as: 'text' }),
  };

  readonly webhooks = {
    /** Subscribes a URL to events; the `whsec_` secret is shown once. */
    create: (input: T.WebhookCreate) => this.http.call<T.WebhookCreated>(OP.createWebhook, { body: input }),
    /** One page of subscriptions. */
    list: (q: Query = {}) => this.http.call<T.Page<T.Webhook>>(OP.listWebhooks, { query: q }),
    /** Every subscription. */
    iterate: (q: Omit<Query, 'cursor'> = {}) =>
      paginate((cursor) => this.webhooks.list({ ...q, ...(cursor ? { cursor } : {}) })),
    /** Deletes a subscription. */
    delete: (id: string) => this.http.call<void>(OP.deleteWebhook, { params: { id } }),
    /** One page of a subscription's deliveries, newest first. */
    deliveries: (id: string, q: Query = {}) =>
      this.http.call<T.Page<T.Delivery>>(OP.listDeliveries, { params: { id }, query: q }),
  };

  readonly alerts = {
    /** One page of alerts, newest first. */
    list: (q: T.AlertListQuery = {}) => this.http.call<T.Page<T.Alert>>(OP.listAlerts, { query: q }),
    /** Every alert matching the query. */
    iterate: (q: Omit<T.AlertListQuery, 'cursor'> = {}) =>
      paginate((cursor) => this.alerts.list({ ...q, ...(cursor ? { cursor } : {}) })),
    /** Acknowledges an alert. */
    ack: (id: string) => this.http.call<T.Alert>(OP.ackAlert, { params: { id } }),
  };

  readonly conversations = {
    /** Adds inbound items to an account's inbox (one, or up to 500), once per externalId. */
    ingest: (accountId: string, items: T.InboundItem | T.InboundItem[]) =>
      this.http.call<T.ConversationIngestResult>(OP.ingestConversations, {
        params: { id: accountId },
        body: Array.isArray(items) ? { items } : items,
      }),
    /** One page of an account's inbox, oldest first. */
    list: (accountId: string, q: T.ConversationListQuery = {}) =>
      this.http.call<T.Page<T.Conversation>>(OP.listConversations, { params: { id: accountId }, query: q }),
    /** Every item of an account's inbox matching the query. */
    iterate: (accountId: string, q: Omit<T.ConversationListQuery, 'cursor'> = {}) =>
      paginate((cursor) => this.conversations.list(accountId, { ...q, ...(cursor ? { cursor } : {}) })),
    /** How fast the account answers over [from, to) (default: the last 90 days). */
    report: (accountId: string, q: T.ConversationReportQuery = {}) =>
      this.http.call<T.ConversationReport>(OP.getConversationReport, { params: { id: accountId }, query: q }),
    /** Reads a conversation. */
    get: (id: string) => this.http.call<T.Conversation>(OP.getConversation, { params: { id } }),
    /** Asks a voice to answer (they are emailed a link to do so). */
    assign: (id: string, input: T.ConversationAssign) =>
      this.http.call<T.Conversation>(OP.assignConversation, { params: { id }, body: input }),
    /** Closes an item that needs no answer. */
    dismiss: (id: string, reason: string) =>
      this.http.call<T.Conversation>(OP.dismissConversation, { params: { id }, body: { reason } }),
    /** Answers an item: published once as a reply in its thread. */
    reply: (id: string, input: T.ConversationReply) =>
      this.http.call<T.Conversation>(OP.replyToConversation, { params: { id }, body: input }),
  };

  readonly appLinks = {
    /** A signed link (10 minutes) that opens the calendar pages signed in as this key. */
    create: (input: { path?: string } = {}) => this.http.call<T.AppLink>(OP.createAppLink, { body: input }),
  };
}
