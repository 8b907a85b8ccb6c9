import {
  toAccount,
  toPost,
  toVoice,
  type AccountRecord,
  type DomainEvent,
  type EventSink,
  type EventType,
  type Logger,
  type PostRecord,
  type VoiceRecord,
} from '@drumbeat/core';

/** A voice as events show it: no email (private). */
export function publicVoice(v: VoiceRecord) {
  const { email: _e, ...rest } = toVoice(v);
  return rest;
}

/** The `data` of a post event: the post (text as published when given), its account and author voice, nothing private. */
export function postEventData(post: PostRecord, account: AccountRecord, voice: VoiceRecord | undefined, text?: string) {
  return {
    post: { ...toPost(post, account.timezone), ...(text !== undefined ? { text } : {}) },
    account: toAccount(account),
    ...(voice ? { voice: publicVoice(voice) } : {}),
  };
}

/** An event stamped now. */
export function event(type: EventType, at: Date, data: Record<string, unknown>): DomainEvent {
  return { type, timestamp: at.toISOString(), data };
}

/**
 * Announces an event after the change it reports is stored. A failure to queue
 * it is logged, not thrown: the request that made the change has succeeded,
 * and failing it would invite a retry that repeats the change.
 */
export async function announce(events: EventSink, ws: string, e: DomainEvent, log: Logger): Promise<void> {
  try {
    await events.emit(ws, e);
  } catch (err) {
    log.error({ type: e.type, workspace: ws, err: String(err) }, 'event not queued');
  }
}
