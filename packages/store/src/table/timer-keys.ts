/**
 * Durable timers of the embedded scheduler, outside any workspace partition
 * (names are global; the payload carries the workspace): one item per name at
 * `TIMER#<name>` / `TIMER`, on GSI1 under `TIMERS` sorted by `<dueAt>#<name>`
 * while pending.
 *
 * Access patterns:
 * - arm / replace, cancel: Put / Delete `TIMER#<name>` (local TimerStore: scheduler)
 * - what is due: Query gsi1 `TIMERS`, gsi1sk <= `<now>#\uffff` (TimerStore.due: scheduler loop)
 * - the next due: Query gsi1 `TIMERS` (TimerStore.nextDue)
 * - retry later, remove if not re-armed: Update / Delete conditional on gsi1sk (TimerStore)
 */
export const TIMER_DUE_PK = 'TIMERS';
export const timerKey = (name: string) => ({ pk: `TIMER#${name}`, sk: 'TIMER' });
export const timerDueKey = (dueAt: string, name: string) => `${dueAt}#${name}`;
