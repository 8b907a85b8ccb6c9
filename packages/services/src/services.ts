import * as accountHooks from './account-hooks.js';
import * as accounts from './accounts.js';
import * as actionLinks from './action-links/action-links.js';
import * as peopleMail from './action-links/people-mail.js';
import * as reviewDigests from './action-links/review-digest.js';
import * as alertBook from './alerts/alert-book.js';
import * as alertNotifier from './alerts/alert-notifier.js';
import * as alerts from './alerts/alert-service.js';
import * as apiKeys from './api-keys.js';
import * as approvals from './approvals.js';
import * as calendar from './calendar.js';
import * as conversations from './conversations/conversation-service.js';
import * as csvImport from './csv-import.js';
import type { ServiceDeps } from './deps.js';
import * as feeds from './feeds.js';
import * as ledger from './ledger.js';
import * as listening from './listening/listening-service.js';
import * as postExport from './post-export.js';
import * as posts from './posts.js';
import * as publisher from './publisher.js';
import * as recordCache from './record-cache.js';
import { wireServices, type ServiceModules, type ServiceOptions, type Services } from './service-graph.js';
import * as stats from './stats/stats-service.js';
import * as transparency from './transparency.js';
import * as voices from './voices.js';
import * as watchdog from './watchdog/watchdog-service.js';
import * as webhooks from './webhooks/webhook-service.js';
import * as workspaces from './workspaces.js';

export type { Services, ServiceName, ServiceOptions } from './service-graph.js';

/** Every module of the use-cases, imported up front. */
const MODULES: ServiceModules = {
  apiKeys,
  hooks: accountHooks,
  cache: recordCache,
  webhooks,
  actionLinks,
  reviewDigests,
  peopleMail,
  posts,
  ledger,
  publisher,
  alertBook,
  alertNotifier,
  alerts,
  watchdog,
  conversations,
  listening,
  workspaces,
  voices,
  accounts,
  approvals,
  transparency,
  csvImport,
  postExport,
  calendar,
  feeds,
  stats,
};

/**
 * Every use-case over the composition root's dependencies, its code loaded
 * up front (the embedded runtime, the workers); each is built on first use.
 * The API on Lambda loads each use-case's code on first use too
 * (lazy-services.ts).
 */
export function createServices(deps: ServiceDeps, opts: ServiceOptions = {}): Services {
  return wireServices(
    deps,
    opts,
    (key) => MODULES[key],
    async () => {},
  );
}
