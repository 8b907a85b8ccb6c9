/**
 * What a channel keeps between publishes for one account (a Bluesky login
 * session), so it does not log in every time. Sealed at rest by whoever
 * implements it; `load` gives undefined when nothing usable is kept.
 */
export interface ChannelSession {
  load(): Promise<string | undefined>;
  save(value: string): Promise<void>;
}
