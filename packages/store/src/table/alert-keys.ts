import { wsPk } from './workspace-keys.js';

/**
 * Alerts, at `ALERT#<id>` in the workspace partition and on GSI1 under their
 * account (`WS#<ws>#ACC#<account>#ALERTS`, sorted by id). While an episode is
 * open, its dedupe key is held at `ALERTKEY#<accountId>#<kind>[#<postId>]`.
 *
 * Access patterns:
 * - one alert: Get; a lifecycle event (core `alerts/alert-lifecycle.ts`) as Put if absent (open) or one conditional Update built from its rule, `WS#<ws>` / `ALERT#<id>` (AlertRepo.apply, .find, .get: alert-book, alert-notifier, alert-service)
 * - open an episode: Put if absent `ALERTKEY#<dedupeKey>` then the alert (AlertRepo.claimKey: alert-book); end it: Delete if it names the alert (AlertRepo.releaseKey)
 * - the open episodes of an account / a workspace: Query `WS#<ws>`, begins_with `ALERTKEY#<account>#` / `ALERTKEY#` (AlertRepo.openKeys, .workspaceOpenKeys: alert-book, alert-notifier, watchdog)
 * - a page of alerts: Query `WS#<ws>`, begins_with `ALERT#`, or gsi1 `…#ACC#<account>#ALERTS` (AlertRepo.list: alert-service)
 */
export const ALERT_PREFIX = 'ALERT#';
export const ALERT_OPEN_PREFIX = 'ALERTKEY#';
export const alertKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${ALERT_PREFIX}${id}` });
export const alertOpenKey = (ws: string, dedupeKey: string) => ({
  pk: wsPk(ws),
  sk: `${ALERT_OPEN_PREFIX}${dedupeKey}`,
});
export const alertOpenPrefix = (account: string) => `${ALERT_OPEN_PREFIX}${account}#`;
export const alertsByAccount = (ws: string, account: string) => `${wsPk(ws)}#ACC#${account}#ALERTS`;
