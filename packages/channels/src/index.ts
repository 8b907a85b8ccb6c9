/**
 * @drumbeat/channels: where posts go (webhook, Mastodon, Bluesky, manual),
 * Standard Webhooks signing, and the egress rule every outbound call obeys.
 */
export { channelFor } from './channel-for.js';
export type { ChannelDeps } from './channel-deps.js';
export { WebhookChannel, publishWebhookId, parseReceiverResult } from './webhook-channel.js';
export { MastodonChannel } from './mastodon-channel.js';
export { BlueskyChannel } from './bluesky-channel.js';
export { ManualChannel } from './manual-channel.js';
export { channelSupportsMedia } from './media-support.js';
export { detectFacets, detectMentions, type Facet, type MentionCandidate } from './bluesky-facets.js';
export { tidForPost, TID_PATTERN } from './tid.js';
export {
  sendSignedWebhook,
  newWebhookSecret,
  webhookHeaders,
  WEBHOOK_RETRY_SCHEDULE_MS,
  type SendSignedWebhookInput,
  type WebhookSendResult,
  type WebhookEvent,
} from './signed-webhook.js';
export {
  checkEgressUrl,
  egressUrlPolicy,
  urlProblem,
  addressProblem,
  systemResolver,
  type EgressPolicy,
  type Resolver,
  type CheckEgressOptions,
} from './egress.js';
export { addressClass } from './ip-ranges.js';
export {
  createSafeFetch,
  SafeFetchError,
  type FetchLike,
  type FetchInit,
  type FetchResponse,
  type SafeFetchOptions,
} from './safe-fetch.js';
export { retryAfterMs } from './retry-after.js';
export { signedWebhookSender } from './webhook-sender.js';
export { MastodonSource } from './mastodon-source.js';
export type { SourceOptions } from './source-poll.js';
export { BlueskySource } from './bluesky-source.js';
export { sourceFor } from './source-for.js';
export { htmlToText, cleanText, MAX_INBOUND_TEXT } from './html-text.js';
