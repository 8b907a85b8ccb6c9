import type { EventType } from '../ports/events.js';

/**
 * What a service does once a post's change is stored, as data: the lifecycle
 * says what follows a transition, the service says how (which timer, which
 * slot, which sink). Effects run in the order a rule lists them.
 */
export type PostEffect =
  /** Make the change durable before anything leaves (the claim, before a channel call). */
  | { do: 'flush' }
  /** A publish timer at the instant a claim turns stale, in case this attempt dies before an outcome. */
  | { do: 'arm-recovery' }
  /** That recovery timer goes, now that an outcome is stored. */
  | { do: 'disarm-recovery' }
  /** The publish timer, (re)armed at `at`. */
  | { do: 'arm-timer'; at: string }
  /** The publish timer goes: nothing is left to publish. */
  | { do: 'cancel-timer' }
  /** The slot the post held (as read) frees up, unless it still holds it (`keep`). */
  | { do: 'release-slot'; keep?: string | undefined }
  /** Subscribers are told (webhooks, people's mail); `reason` goes with a failure. */
  | { do: 'announce'; event: EventType; reason?: string }
  /** An answer post is out: its conversation is answered. */
  | { do: 'mark-answered' }
  /** An answer post ended without going out: its conversation awaits an answer again. */
  | { do: 'reopen-conversation'; reason: string }
  /** People must act (a failed or missed publication): an alert opens. */
  | { do: 'open-alert'; reason: string }
  /** The account's posts changed: the watchdog looks again (empty slots, lapses). */
  | { do: 'watchdog' };
