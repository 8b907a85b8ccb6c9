import type { AlertDetails, AlertKind, AlertRecord, AlertStatus } from '../../schemas/alert.js';
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
  /** Stores a new alert; false when an alert with that id exists already. */
  create(a: AlertRecord): Promise<boolean>;
  find(ws: string, id: string): Promise<AlertRecord | undefined>;
  /** The alert, or NotFound. */
  get(ws: string, id: string): Promise<AlertRecord>;
  /** Replaces the details of an open alert read at `expectedVersion`; undefined when it changed or was resolved since. */
  refresh(
    ws: string,
    id: string,
    details: AlertDetails,
    at: string,
    expectedVersion: number,
  ): Promise<AlertRecord | undefined>;
  /** Resolves an open alert; undefined when it was resolved already. */
  resolve(ws: string, id: string, at: string): Promise<AlertRecord | undefined>;
  /** Acknowledges an alert (the first acknowledgement is kept); NotFound when absent. */
  ack(ws: string, id: string, at: string, by: string, byVoice?: string, byRecipient?: string): Promise<AlertRecord>;
  /** Claims the right to email an open, never-notified alert; undefined when that is not for this caller. */
  claimNotify(ws: string, id: string, at: string, staleBefore: string): Promise<AlertRecord | undefined>;
  /** Records the email sent under the claim made at `claimedAt`. */
  markNotified(
    ws: string,
    id: string,
    claimedAt: string,
    at: string,
    messageId: string,
  ): Promise<AlertRecord | undefined>;
  /** Gives up the claim made at `claimedAt` after a failed send: the error, and when to try again (none: give up). */
  releaseNotify(
    ws: string,
    id: string,
    claimedAt: string,
    error: string,
    retryAt: string | undefined,
  ): Promise<AlertRecord | undefined>;
  /** A page of alerts, newest first: the workspace's or one account's, optionally only open or resolved ones. */
  list(
    ws: string,
    q: PageRequest & { status?: AlertStatus | undefined; accountId?: string | undefined },
  ): Promise<RecordPage<AlertRecord>>;
}
