import type { AlertEvent } from '../../alerts/alert-lifecycle.js';
import type { AlertKind, AlertRecord, AlertStatus } from '../../schemas/alert.js';
import type { PageRequest, RecordPage } from './page.js';

/** The marker of one open alert episode: which alert holds the dedupe key. */
export interface OpenAlertKey {
  dedupeKey: string;
  alertId: string;
  accountId: string;
  kind: AlertKind;
  postId?: string;
  openedAt: string;
}

/** Alerts, and the dedupe keys that keep one problem from having two open alerts. */
export interface AlertRepository {
  /** The open episodes of an account. */
  openKeys(ws: string, accountId: string): Promise<OpenAlertKey[]>;
  /** The open episodes of every account of the workspace. */
  workspaceOpenKeys(ws: string): Promise<OpenAlertKey[]>;
  /** How many episodes of an account are open. */
  countOpen(ws: string, accountId: string): Promise<number>;
  /** Claims a dedupe key for a new episode; when another alert holds it, returns that holder instead. */
  claimKey(
    ws: string,
    key: OpenAlertKey,
  ): Promise<{ claimed: true } | { claimed: false; holder: OpenAlertKey | undefined }>;
  /** Ends an episode: drops its key if `alertId` still holds it. */
  releaseKey(ws: string, dedupeKey: string, alertId: string): Promise<void>;
  find(ws: string, id: string): Promise<AlertRecord | undefined>;
  /** The alert, or NotFound. */
  get(ws: string, id: string): Promise<AlertRecord>;
  /**
   * Applies an event of the alert's lifecycle (alerts/alert-lifecycle.ts) as
   * one conditional write: the new record, or undefined when its rule refused it.
   */
  apply(ws: string, id: string, event: AlertEvent, now: Date): Promise<AlertRecord | undefined>;
  /** A page of alerts, newest first: the workspace's or one account's, optionally only open or resolved ones. */
  list(
    ws: string,
    q: PageRequest & { status?: AlertStatus | undefined; accountId?: string | undefined },
  ): Promise<RecordPage<AlertRecord>>;
}
