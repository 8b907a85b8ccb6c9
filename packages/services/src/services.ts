import type { ServiceDeps } from './deps.js';
import { ApiKeyService } from './api-keys.js';
import { WorkspaceService } from './workspaces.js';
import { VoiceService } from './voices.js';
import { AccountService } from './accounts.js';
import { PostService } from './posts.js';
import { CalendarService } from './calendar.js';
import { FeedService } from './feeds.js';
import { CsvImportService } from './csv-import.js';

/** Every use-case, built once from the composition root's dependencies. */
export function createServices(deps: ServiceDeps) {
  const apiKeys = new ApiKeyService(deps);
  const posts = new PostService(deps);
  return {
    deps,
    apiKeys,
    workspaces: new WorkspaceService(deps, apiKeys),
    voices: new VoiceService(deps),
    accounts: new AccountService(deps),
    posts,
    csvImport: new CsvImportService(deps, posts),
    calendar: new CalendarService(deps),
    feeds: new FeedService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
