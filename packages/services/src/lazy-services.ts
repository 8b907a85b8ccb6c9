import type { ServiceDeps } from './deps.js';
import {
  ALL_SERVICES,
  SERVICE_MODULES,
  wireServices,
  type ModuleKey,
  type ServiceModules,
  type ServiceName,
  type ServiceOptions,
  type Services,
} from './service-graph.js';

export type { Services, ServiceName, ServiceOptions } from './service-graph.js';
export { ALL_SERVICES, SERVICE_MODULES } from './service-graph.js';

/** Each module's import: with code splitting, each is a chunk loaded on first use. */
const LOADERS: { readonly [K in ModuleKey]: () => Promise<ServiceModules[K]> } = {
  apiKeys: () => import('./api-keys.js'),
  hooks: () => import('./account-hooks.js'),
  cache: () => import('./record-cache.js'),
  webhooks: () => import('./webhooks/webhook-service.js'),
  actionLinks: () => import('./action-links/action-links.js'),
  reviewDigests: () => import('./action-links/review-digest.js'),
  peopleMail: () => import('./action-links/people-mail.js'),
  posts: () => import('./posts.js'),
  ledger: () => import('./ledger.js'),
  publisher: () => import('./publisher.js'),
  alertBook: () => import('./alerts/alert-book.js'),
  alertNotifier: () => import('./alerts/alert-notifier.js'),
  alerts: () => import('./alerts/alert-service.js'),
  watchdog: () => import('./watchdog/watchdog-service.js'),
  conversations: () => import('./conversations/conversation-service.js'),
  listening: () => import('./listening/listening-service.js'),
  workspaces: () => import('./workspaces.js'),
  voices: () => import('./voices.js'),
  accounts: () => import('./accounts.js'),
  approvals: () => import('./approvals.js'),
  transparency: () => import('./transparency.js'),
  csvImport: () => import('./csv-import.js'),
  postExport: () => import('./post-export.js'),
  calendar: () => import('./calendar.js'),
  feeds: () => import('./feeds.js'),
  stats: () => import('./stats/stats-service.js'),
};

/** The use-cases with the code of each loaded on first use, and how to load what some of them need. */
export interface LazyServices {
  services: Services;
  /** Loads the modules `names` need (every use-case: 'all'), then answers the services. */
  prepare(names: readonly ServiceName[] | 'all'): Promise<Services>;
}

/**
 * The use-cases for the API on Lambda: a request loads and builds only those
 * it uses (`prepare` with its route group's list), so creating a workspace
 * does not load the publisher, the watchdog or the inbox. Reading a use-case
 * whose modules were not prepared throws, naming it.
 */
export function lazyServices(deps: ServiceDeps, opts: ServiceOptions = {}): LazyServices {
  const loaded: Partial<ServiceModules> = {};
  const loading = new Map<ModuleKey, Promise<void>>();
  const load = (key: ModuleKey): Promise<void> => {
    let p = loading.get(key);
    if (!p) {
      p = LOADERS[key]().then(
        (m) => {
          (loaded as Record<ModuleKey, unknown>)[key] = m;
        },
        (err: unknown) => {
          loading.delete(key); // a failed import is retried by the next request
          throw err;
        },
      );
      loading.set(key, p);
    }
    return p;
  };
  const ready = async (keys: readonly ModuleKey[]) => {
    await Promise.all(keys.map(load));
  };
  const services = wireServices(
    deps,
    opts,
    (key) => {
      const m = loaded[key];
      if (!m) throw new Error(`the services' ${key} module is not loaded: prepare the use-case that needs it`);
      return m;
    },
    ready,
  );
  return {
    services,
    async prepare(names) {
      await ready([...new Set((names === 'all' ? ALL_SERVICES : names).flatMap((n) => SERVICE_MODULES[n]))]);
      return services;
    },
  };
}
