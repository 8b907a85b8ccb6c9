import type { Clock, Scheduler, UrlPolicy } from '@drumbeat/core';
import type { Store } from '@drumbeat/store';

/** What every use-case receives from the composition root. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  urlPolicy: UrlPolicy;
  scheduler: Scheduler;
}
