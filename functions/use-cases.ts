import type { TimerPayload } from '@drumbeat/core';

/**
 * The use-case the watchdog target calls, stated as the small interface the
 * handler is written against.
 *
 * NOTE: the cadence watchdog does not exist yet in @drumbeat/services (the
 * embedded runtime's timer dispatch has no handler for `watchdog` timers
 * either). When it lands as `services.watchdog.run(payload)`,
 * `watchdogUseCase` picks it up with no change to the handler. Until then a
 * watchdog invocation fails loudly, so EventBridge retries it and then parks
 * it in the dead-letter queue, instead of dropping the timer.
 */

export type WatchdogTimer = Extract<TimerPayload, { kind: 'watchdog' }>;

/** Checks the cadence of the account a `watchdog` timer names and re-arms its next deadline. */
export interface WatchdogUseCase {
  run(payload: WatchdogTimer): Promise<unknown>;
}

/** Raised by a target whose use-case has not been written yet. */
export class UseCaseMissing extends Error {
  constructor(name: string) {
    super(`the ${name} use-case is not implemented yet (services.${name}.run)`);
    this.name = 'UseCaseMissing';
  }
}

/** `services.watchdog` when it exists, else a stand-in that throws `UseCaseMissing`. */
export function watchdogUseCase(services: object): WatchdogUseCase {
  const found = (services as { watchdog?: { run?: unknown } }).watchdog;
  if (typeof found?.run === 'function') return found as WatchdogUseCase;
  return {
    run: async () => {
      throw new UseCaseMissing('watchdog');
    },
  };
}
