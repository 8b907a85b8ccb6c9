import type { PostRecord } from '@drumbeat/core';
import type { AccountHooks } from './account-hooks.js';
import type { AccountService } from './accounts.js';
import type { ActionLinks } from './action-links/action-links.js';
import type { ReviewDigests } from './action-links/review-digest.js';
import type { AlertService } from './alerts/alert-service.js';
import type { AlertNotifierOptions } from './alerts/alert-notifier.js';
import type { ApiKeyService } from './api-keys.js';
import type { ApprovalService } from './approvals.js';
import type { CalendarService } from './calendar.js';
import type { ConversationService } from './conversations/conversation-service.js';
import type { CsvImportService } from './csv-import.js';
import type { ServiceDeps } from './deps.js';
import type { FeedService } from './feeds.js';
import type { LedgerService } from './ledger.js';
import type { ListeningService } from './listening/listening-service.js';
import type { PostExportService } from './post-export.js';
import type { PostService } from './posts.js';
import type { Publisher, PublisherOptions } from './publisher.js';
import type { StatsService } from './stats/stats-service.js';
import type { TransparencyService } from './transparency.js';
import type { VoiceService } from './voices.js';
import type { WatchdogService } from './watchdog/watchdog-service.js';
import type { WebhookService } from './webhooks/webhook-service.js';
import type { WorkspaceService } from './workspaces.js';
import type { EventSink } from '@drumbeat/core';
import { loggerOf } from './logger.js';

/**
 * The use-cases and how each is built from the others, once, on first use.
 * Types only, but for the logger: the classes come from `modules`, all
 * imported up front (services.ts: the embedded runtime, the workers) or
 * loaded by what a request needs (lazy-services.ts: the API on Lambda).
 */

/** The modules the use-cases live in, by key. */
export interface ServiceModules {
  apiKeys: typeof import('./api-keys.js');
  hooks: typeof import('./account-hooks.js');
  cache: typeof import('./record-cache.js');
  webhooks: typeof import('./webhooks/webhook-service.js');
  actionLinks: typeof import('./action-links/action-links.js');
  reviewDigests: typeof import('./action-links/review-digest.js');
  peopleMail: typeof import('./action-links/people-mail.js');
  posts: typeof import('./posts.js');
  ledger: typeof import('./ledger.js');
  publisher: typeof import('./publisher.js');
  alertBook: typeof import('./alerts/alert-book.js');
  alertNotifier: typeof import('./alerts/alert-notifier.js');
  alerts: typeof import('./alerts/alert-service.js');
  watchdog: typeof import('./watchdog/watchdog-service.js');
  conversations: typeof import('./conversations/conversation-service.js');
  listening: typeof import('./listening/listening-service.js');
  workspaces: typeof import('./workspaces.js');
  voices: typeof import('./voices.js');
  accounts: typeof import('./accounts.js');
  approvals: typeof import('./approvals.js');
  transparency: typeof import('./transparency.js');
  csvImport: typeof import('./csv-import.js');
  postExport: typeof import('./post-export.js');
  calendar: typeof import('./calendar.js');
  feeds: typeof import('./feeds.js');
  stats: typeof import('./stats/stats-service.js');
}
export type ModuleKey = keyof ServiceModules;

/** Every use-case; each is built on first use and kept. */
export interface Services {
  readonly deps: ServiceDeps;
  readonly hooks: AccountHooks;
  readonly apiKeys: ApiKeyService;
  readonly workspaces: WorkspaceService;
  readonly voices: VoiceService;
  readonly accounts: AccountService;
  readonly posts: PostService;
  readonly approvals: ApprovalService;
  readonly ledger: LedgerService;
  readonly publisher: Publisher;
  readonly transparency: TransparencyService;
  readonly csvImport: CsvImportService;
  readonly postExport: PostExportService;
  readonly calendar: CalendarService;
  readonly feeds: FeedService;
  readonly webhooks: WebhookService;
  readonly watchdog: WatchdogService;
  readonly listening: ListeningService;
  readonly alerts: AlertService;
  readonly stats: StatsService;
  readonly actionLinks: ActionLinks;
  readonly reviewDigests: ReviewDigests;
  readonly conversations: ConversationService;
}
export type ServiceName = Exclude<keyof Services, 'deps'>;

export interface ServiceOptions {
  publisher?: Partial<PublisherOptions>;
  alerts?: Partial<AlertNotifierOptions>;
  webhooks?: { disableAfter?: number | undefined };
  /** How long an approver's first waiting post gathers others into one email (default REVIEW_DIGEST_WINDOW_MS). */
  reviews?: { digestWindowMs?: number | undefined };
}

/**
 * The modules each use-case needs loaded to be built: its own and those of
 * the use-cases it is built from (the closure). What it reaches only through
 * an async call (the hooks' watchdog and listening, the people mail behind
 * `events`, the publisher an answer runs, the watchdog an inbox tells) is
 * loaded by that call (`ready`), not here. service-graph.test.ts builds each
 * use-case with exactly these loaded.
 */
export const SERVICE_MODULES: { readonly [K in ServiceName]: readonly ModuleKey[] } = {
  hooks: ['hooks'],
  apiKeys: ['apiKeys'],
  workspaces: ['workspaces', 'apiKeys'],
  voices: ['voices', 'hooks'],
  accounts: ['accounts', 'hooks'],
  posts: ['posts', 'hooks', 'cache'],
  approvals: ['approvals', 'hooks'],
  ledger: ['ledger'],
  publisher: ['publisher', 'ledger', 'hooks', 'cache', 'actionLinks'],
  transparency: ['transparency', 'ledger'],
  csvImport: ['csvImport', 'posts', 'hooks', 'cache'],
  postExport: ['postExport'],
  calendar: ['calendar'],
  feeds: ['feeds'],
  webhooks: ['webhooks', 'hooks'],
  watchdog: ['watchdog', 'alertBook', 'alertNotifier', 'actionLinks'],
  listening: ['listening', 'watchdog', 'alertBook', 'alertNotifier', 'actionLinks', 'conversations'],
  alerts: ['alerts', 'hooks'],
  stats: ['stats'],
  actionLinks: ['actionLinks'],
  reviewDigests: ['reviewDigests', 'actionLinks'],
  conversations: ['conversations', 'actionLinks'],
};

/** What the people mail behind `events` is built from (its inner sink is the webhooks). */
const PEOPLE_MAIL_MODULES: readonly ModuleKey[] = ['peopleMail', 'webhooks', 'hooks', 'actionLinks', 'reviewDigests'];

/** Every module, for a `ready` that loads everything. */
export const ALL_SERVICES = Object.keys(SERVICE_MODULES) as ServiceName[];

/** A value built on its first read and kept. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * Builds the use-cases over `deps`, each on first use. `modules(key)` gives a
 * loaded module (or throws); `ready(keys)` resolves once those modules are
 * loaded: what an async edge awaits before it builds its far end.
 */
export function wireServices(
  deps: ServiceDeps,
  opts: ServiceOptions,
  modules: <K extends ModuleKey>(key: K) => ServiceModules[K],
  ready: (keys: readonly ModuleKey[]) => Promise<void>,
): Services {
  const log = loggerOf(deps);
  const apiKeys = once(() => new (modules('apiKeys').ApiKeyService)(deps));
  const cache = once(() => new (modules('cache').RecordCache)(deps.store));
  const actionLinks = once(() => new (modules('actionLinks').ActionLinks)(deps));
  const reviewDigests = once(
    () => new (modules('reviewDigests').ReviewDigests)(deps, actionLinks(), { windowMs: opts.reviews?.digestWindowMs }),
  );
  // The watchdog and listening are told of changes through the hooks, found when a hook is first called.
  const hooksTarget = once(
    (): AccountHooks => ({
      ...watchdog().hooks,
      accountChanged: async (ws, accountId) => {
        // Each on its own: a failing watchdog evaluation must not leave the poll timer unarmed, nor the reverse.
        const [a, b] = await Promise.allSettled([
          watchdog().hooks.accountChanged(ws, accountId),
          listening().accountChanged(ws, accountId),
        ]);
        for (const r of [a, b]) if (r.status === 'rejected') throw r.reason;
      },
    }),
  );
  const hooks = once(
    () =>
      new (modules('hooks').LateHooks)(log, async () => {
        await ready(SERVICE_MODULES.listening);
        return hooksTarget();
      }),
  );
  const webhooks = once(() => new (modules('webhooks').WebhookService)(deps, hooks(), opts.webhooks));
  const peopleMail = once(
    () => new (modules('peopleMail').PeopleMail)(webhooks(), deps, actionLinks(), reviewDigests()),
  );
  // Emails to people and the webhooks: loaded by the first event, not by building what emits it.
  const events: EventSink = {
    emit: async (ws, event) => {
      await ready(PEOPLE_MAIL_MODULES);
      return peopleMail().emit(ws, event);
    },
  };
  const posts = once(
    () =>
      new (modules('posts').PostService)(deps, events, hooks(), cache(), {
        answerFailedForGood: (ws, post, reason) => answerFailedForGood(ws, post, reason),
      }),
  );
  const ledger = once(() => new (modules('ledger').LedgerService)(deps));
  const publisher = once(
    () =>
      new (modules('publisher').Publisher)(
        deps,
        ledger(),
        events,
        hooks(),
        cache(),
        {
          instanceId: globalThis.crypto.randomUUID(),
          ...modules('publisher').DEFAULT_PUBLISHER_OPTIONS,
          ...opts.publisher,
        },
        actionLinks(),
        {
          answerWentOut: async (ws, post, entry) => {
            await ready(SERVICE_MODULES.conversations);
            return conversations().answerWentOut(ws, post, entry);
          },
          answerFailedForGood: (ws, post, reason) => answerFailedForGood(ws, post, reason),
        },
      ),
  );
  // An answer that failed for good (or was canceled) puts its item back to open (issue 18).
  const answerFailedForGood = async (ws: string, post: PostRecord, reason: string) => {
    await ready(SERVICE_MODULES.conversations);
    return conversations().answerFailedForGood(ws, post, reason);
  };
  const watchdog = once(
    () =>
      new (modules('watchdog').WatchdogService)(
        deps,
        new (modules('alertBook').AlertBook)(deps, events),
        new (modules('alertNotifier').AlertNotifier)(
          deps,
          { ...modules('alertNotifier').DEFAULT_ALERT_NOTIFIER_OPTIONS, ...opts.alerts },
          actionLinks(),
        ),
      ),
  );
  // Conversations (issue 18): the inbox, which is where listening hands what it polls.
  const conversations = once(() => {
    const c = new (modules('conversations').ConversationService)(deps, events, actionLinks());
    c.runPublish = async (p) => {
      await ready(SERVICE_MODULES.publisher);
      return publisher().run(p);
    };
    c.deadlinesChanged = async (ws, accountId) => {
      await ready(SERVICE_MODULES.watchdog);
      return watchdog().evaluate(ws, accountId);
    };
    return c;
  });
  const listening = once(() => new (modules('listening').ListeningService)(deps, watchdog(), conversations()));
  const workspaces = once(() => new (modules('workspaces').WorkspaceService)(deps, apiKeys()));
  const voices = once(() => new (modules('voices').VoiceService)(deps, hooks()));
  const accounts = once(() => new (modules('accounts').AccountService)(deps, hooks()));
  const approvals = once(() => new (modules('approvals').ApprovalService)(deps, events, hooks()));
  const transparency = once(() => new (modules('transparency').TransparencyService)(deps, ledger()));
  const csvImport = once(() => new (modules('csvImport').CsvImportService)(deps, posts()));
  const postExport = once(() => new (modules('postExport').PostExportService)(deps));
  const calendar = once(() => new (modules('calendar').CalendarService)(deps));
  const feeds = once(() => new (modules('feeds').FeedService)(deps));
  const alerts = once(() => new (modules('alerts').AlertService)(deps, hooks()));
  const stats = once(() => new (modules('stats').StatsService)(deps));
  return {
    deps,
    get hooks() {
      return hooks();
    },
    get apiKeys() {
      return apiKeys();
    },
    get workspaces() {
      return workspaces();
    },
    get voices() {
      return voices();
    },
    get accounts() {
      return accounts();
    },
    get posts() {
      return posts();
    },
    get approvals() {
      return approvals();
    },
    get ledger() {
      return ledger();
    },
    get publisher() {
      return publisher();
    },
    get transparency() {
      return transparency();
    },
    get csvImport() {
      return csvImport();
    },
    get postExport() {
      return postExport();
    },
    get calendar() {
      return calendar();
    },
    get feeds() {
      return feeds();
    },
    get webhooks() {
      return webhooks();
    },
    get watchdog() {
      return watchdog();
    },
    get listening() {
      return listening();
    },
    get alerts() {
      return alerts();
    },
    get stats() {
      return stats();
    },
    get actionLinks() {
      return actionLinks();
    },
    get reviewDigests() {
      return reviewDigests();
    },
    get conversations() {
      return conversations();
    },
  };
}
