import { deps } from './deps.js';
import { parseImportJobEvent, runImportJob } from './import-job-run.js';
import { log } from './logger.js';
import { STOP_BEFORE_TIMEOUT_MS } from './import-job-reaper.js';

const { store, services } = deps();
const clock = services.deps.clock;

/**
 * Invoked asynchronously by the API (InvocationType Event) for each import
 * accepted as a job (202). A minute before Lambda's time limit the run stops
 * creating and undoes itself (a timeout would leave that to the lease).
 */
export const handler = async (event: unknown, context?: { getRemainingTimeInMillis?: () => number }) => {
  const controller = new AbortController();
  const left = context?.getRemainingTimeInMillis?.();
  const timer =
    left !== undefined
      ? setTimeout(() => controller.abort(new Error('out of time')), Math.max(0, left - STOP_BEFORE_TIMEOUT_MS))
      : undefined;
  try {
    return await runImportJob({ store, services, clock, log }, parseImportJobEvent(event), {
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
};
