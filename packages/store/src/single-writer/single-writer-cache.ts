import type { Repositories } from '@drumbeat/core';
import { AccountVoiceCache } from './account-voice-cache.js';
import { CachedAccounts } from './cached-accounts.js';
import { CachedApiKeys } from './cached-api-keys.js';
import { CachedVoices } from './cached-voices.js';

/**
 * The repositories of a process that is the table's only writer (the embedded
 * runtime: the store's files are locked to it), with API keys, and accounts
 * and voices as a post reads them, kept in memory. Exact because every change
 * goes through these repositories, which forget what they change. Where the
 * table has other writers (AWS) the store is used as it is.
 */
export function singleWriterCache(inner: Repositories): Repositories {
  const accountsAndVoices = new AccountVoiceCache(inner.accounts);
  // The others are the store's own objects (a spy on one sees every call).
  return {
    accounts: new CachedAccounts(inner.accounts, accountsAndVoices),
    voices: new CachedVoices(inner.voices, accountsAndVoices),
    apiKeys: new CachedApiKeys(inner.apiKeys),
    workspaces: inner.workspaces,
    idempotency: inner.idempotency,
    posts: inner.posts,
    webhooks: inner.webhooks,
    deliveries: inner.deliveries,
    ledger: inner.ledger,
    alerts: inner.alerts,
    channelSessions: inner.channelSessions,
    signingKeys: inner.signingKeys,
    linkSecrets: inner.linkSecrets,
    reviewDigests: inner.reviewDigests,
    emailRefs: inner.emailRefs,
    listenStates: inner.listenStates,
    conversations: inner.conversations,
  };
}
