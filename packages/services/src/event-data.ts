import { toAccount, toPost, toVoice, type AccountRecord, type DomainEvent, type EventType, type PostRecord, type VoiceRecord } from '@drumbeat/core';

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
