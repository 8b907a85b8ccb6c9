export {
  LocalScheduler,
  LAMBDA_ASYNC_RETRY_DELAYS_MS,
  type TimerHandler,
  type FireMeta,
  type LocalSchedulerOptions,
} from './local-scheduler.js';
export { TimerStore, type StoredTimer } from './timer-store.js';
