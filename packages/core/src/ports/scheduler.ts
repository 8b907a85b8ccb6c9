/**
 * What a timer carries to its handler. The code that arms a timer and the
 * handler that receives it share this type, on both runtimes.
 */
export type TimerPayload =
  | { kind: 'publish'; workspaceId: string; postId: string }
  | { kind: 'watchdog'; workspaceId: string; accountId: string }
  | { kind: 'deliver'; workspaceId: string; deliveryId: string }
  | { kind: 'review-digest'; workspaceId: string; voiceId: string }
  /** Issue 18: the next poll of a listening account's network (one per listening account, re-armed after each poll). */
  | { kind: 'listen'; workspaceId: string; accountId: string }
  /** Issue 22: the end of a running import job's lease (AWS only): past it, a job still running has no run left and is undone. */
  | { kind: 'import-lease'; workspaceId: string; jobId: string };

/** A one-shot timer: deterministic name, due instant, payload. */
export interface Timer {
  /** Unique and deterministic, e.g. `post-<postId>`, so re-arming replaces. */
  name: string;
  at: Date;
  payload: TimerPayload;
}

/** The deterministic timer name for a payload. */
export function timerName(p: TimerPayload): string {
  switch (p.kind) {
    case 'publish':
      return `post-${p.postId}`;
    case 'watchdog':
      return `watchdog-${p.accountId}`;
    case 'deliver':
      return `deliver-${p.deliveryId}`;
    case 'review-digest':
      return `reviews-${p.voiceId}`;
    case 'listen':
      return `listen-${p.accountId}`;
    case 'import-lease':
      return `import-${p.jobId}`;
  }
}

/**
 * Durable one-shot timers. `schedule` creates or replaces the timer of that
 * name; `cancel` removes it and is a no-op when it does not exist. Delivery is
 * at least once: handlers must be idempotent.
 */
export interface Scheduler {
  schedule(timer: Timer): Promise<void>;
  cancel(name: string): Promise<void>;
}
