import type { ServiceDeps } from './deps.js';
import { ApiKeyService } from './api-keys.js';
import { WorkspaceService } from './workspaces.js';
import { VoiceService } from './voices.js';
import { AccountService } from './accounts.js';
import { PostService } from './posts.js';
import { CalendarService } from './calendar.js';
import { FeedService } from './feeds.js';
import { CsvImportService } from './csv-import.js';
import { PostExportService } from './post-export.js';
import { LedgerService } from './ledger.js';
import { Publisher, DEFAULT_PUBLISHER_OPTIONS, type PublisherOptions } from './publisher.js';
import type { EventSink } from '@drumbeat/core';
import { WebhookService } from './webhooks/index.js';
import { LateHooks } from './account-hooks.js';
import { loggerOf } from './logger.js';
import { RecordCache } from './record-cache.js';
import { ApprovalService } from './approvals.js';
import { TransparencyService } from './transparency.js';
import {
  AlertBook,
  AlertNotifier,
  AlertService,
  DEFAULT_ALERT_NOTIFIER_OPTIONS,
  type AlertNotifierOptions,
} from './alerts/index.js';
import { WatchdogService } from './watchdog/index.js';
import { StatsService } from './stats/index.js';
import { ActionLinks, PeopleMail, ReviewDigests } from './action-links/index.js';
import { ListeningService } from './listening/index.js';
import { ConversationService } from './conversations/index.js';

/** Every use-case, built once from the composition root's dependencies. */
export function createServices(
  deps: ServiceDeps,
  opts: {
    publisher?: Partial<PublisherOptions>;
    alerts?: Partial<AlertNotifierOptions>;
    webhooks?: { disableAfter?: number | undefined };
    /** How long an approver's first waiting post gathers others into one email (default REVIEW_DIGEST_WINDOW_MS). */
    reviews?: { digestWindowMs?: number | undefined };
  } = {},
) {
  const apiKeys = new ApiKeyService(deps, deps.singleWriter ?? false);
  // The watchdog and alerts plug in here once built (they use the services below).
  const hooks = new LateHooks(loggerOf(deps));
  const webhooks = new WebhookService(deps, hooks, opts.webhooks);
  const actionLinks = new ActionLinks(deps);
  const reviewDigests = new ReviewDigests(deps, actionLinks, { windowMs: opts.reviews?.digestWindowMs });
  const events: EventSink = new PeopleMail(webhooks, deps, actionLinks, reviewDigests);
  const cache = new RecordCache(deps.store, deps.singleWriter ?? false);
  const posts = new PostService(deps, events, hooks, cache);
  const ledger = new LedgerService(deps);
  const publisher = new Publisher(
    deps,
    ledger,
    events,
    hooks,
    cache,
    { instanceId: globalThis.crypto.randomUUID(), ...DEFAULT_PUBLISHER_OPTIONS, ...opts.publisher },
    actionLinks,
  );
  const watchdog = new WatchdogService(
    deps,
    new AlertBook(deps, events),
    new AlertNotifier(deps, { ...DEFAULT_ALERT_NOTIFIER_OPTIONS, ...opts.alerts }, actionLinks),
  );
  // Conversations (issue 18): the inbox, which is where listening hands what it polls.
  const conversations = new ConversationService(deps, events, actionLinks);
  const listening = new ListeningService(deps, watchdog, conversations);
  hooks.target = {
    ...watchdog.hooks,
    accountChanged: async (ws, accountId) => {
      // Each on its own: a failing watchdog evaluation must not leave the poll timer unarmed, nor the reverse.
      const [a, b] = await Promise.allSettled([
        watchdog.hooks.accountChanged(ws, accountId),
        listening.accountChanged(ws, accountId),
      ]);
      for (const r of [a, b]) if (r.status === 'rejected') throw r.reason;
    },
  };
  publisher.answers = conversations;
  posts.answers = conversations;
  conversations.runPublish = (p) => publisher.run(p);
  conversations.deadlinesChanged = (ws, accountId) => watchdog.evaluate(ws, accountId);
  return {
    deps,
    hooks,
    apiKeys,
    workspaces: new WorkspaceService(deps, apiKeys),
    voices: new VoiceService(deps, cache, hooks),
    accounts: new AccountService(deps, hooks, cache),
    posts,
    approvals: new ApprovalService(deps, events, hooks),
    ledger,
    publisher,
    transparency: new TransparencyService(deps, ledger),
    csvImport: new CsvImportService(deps, posts),
    postExport: new PostExportService(deps),
    calendar: new CalendarService(deps),
    feeds: new FeedService(deps, cache),
    webhooks,
    watchdog,
    listening,
    alerts: new AlertService(deps, hooks),
    stats: new StatsService(deps),
    actionLinks,
    reviewDigests,
    conversations,
  };
}

export type Services = ReturnType<typeof createServices>;
