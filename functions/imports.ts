import { deps } from './deps.js';
import { parseImportJobEvent, runImportJob } from './import-job-run.js';
import { log } from './logger.js';

const { store, services } = deps();
const clock = services.deps.clock;

/** Invoked asynchronously by the API (InvocationType Event) for each import accepted as a job (202). */
export const handler = (event: unknown) => runImportJob({ store, services, clock, log }, parseImportJobEvent(event));
