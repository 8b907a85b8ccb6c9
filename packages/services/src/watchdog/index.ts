/** The cadence watchdog: one deadline timer per watched account, and the hooks that re-evaluate it on every change. */
export { WatchdogService, type WatchdogPayload, type WatchdogOutcome } from './watchdog-service.js';
export { WatchedAccounts, WATCHED_CACHE_MS } from './watched-accounts.js';
export { KeyedSerial } from './keyed-serial.js';
export { readWatchInput } from './watch-input.js';
