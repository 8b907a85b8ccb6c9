import { wsPk } from './workspace-keys.js';

/**
 * Alerts, at `ALERT#<id>` in the workspace partition and on GSI1 under their
 * account (`WS#<ws>#ACC#<account>#ALERTS`, sorted by id). While an episode is
 * open, its dedupe key is held at `ALERTKEY#<accountId>#<kind>[#<postId>]`.
 *
 * Access patterns:
 * - one alert: conditional Put / Get / conditional Update `WS#<ws>` / `ALERT#<id>` (AlertRepo: alert-book, alert-notifier, alert-service)
 * - open an episode: conditional Put `ALERTKEY#<dedupeKey>` then the alert (AlertRepo.claimKey: alert-book)
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
