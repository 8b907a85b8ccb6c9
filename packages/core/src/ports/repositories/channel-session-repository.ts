/** What a channel keeps between publishes for one account (a session), sealed by the caller. */
export interface ChannelSessionRepository {
  /** The sealed value kept for `account`, if any. */
  get(ws: string, account: string): Promise<string | undefined>;
  /** Keeps `sealed` for `account`, replacing what was there. */
  put(ws: string, account: string, sealed: string, now: Date): Promise<void>;
}
