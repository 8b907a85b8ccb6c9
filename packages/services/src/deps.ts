import type {
  Channel,
  ChannelConfig,
  Clock,
  ConversationSource,
  Durability,
  Logger,
  Mailer,
  Scheduler,
  SecretSealer,
  UrlPolicy,
  WebhookSender,
} from '@drumbeat/core';
import type { Repositories } from '@drumbeat/core';

/** What every use-case receives from the composition root. */
export interface ServiceDeps {
  store: Repositories;
  clock: Clock;
  urlPolicy: UrlPolicy;
  scheduler: Scheduler;
  /** Sends signed outbound webhooks (subscriptions). */
  webhookSender: WebhookSender;
  /** The channel implementation for an account's channel configuration. */
  channelFor: (config: ChannelConfig) => Channel;
  /** The source that polls a channel's network for mentions (issue 18); undefined for channels that cannot listen. Absent: no account listens. */
  sourceFor?: (config: ChannelConfig) => ConversationSource | undefined;
  mailer: Mailer;
  /**
   * Seals secrets kept in the table (channel tokens, signing keys). Optional while the
   * composition roots are being wired (the runtime issue makes it required).
   */
  sealer?: SecretSealer;
  /**
   * Seals the action-link secrets (default: `sealer`). On AWS a sealer of its own
   * KMS purpose, which the API may open without being able to open channel tokens.
   */
  linkSealer?: SecretSealer;
  /**
   * Flushes the store before an irreversible act (a channel call, an
   * announced publication) and records ledger heads outside it: the embedded
   * runtime, whose engine acknowledges writes before they reach the disk.
   */
  durability?: Durability;
  /**
   * POSTs a chat alert (Slack, Teams, plain webhook) and answers its status.
   * Default: the global fetch with a 5 s timeout, after the URL policy's check;
   * a composition root may give the channels' pinned-address fetch.
   */
  chatPost?: (url: string, body: string) => Promise<number>;
  /** Where people reach the API: links in emails. */
  publicUrl: string;
  /** Where failures the services swallow (and survive) are logged. Default: JSON lines on stderr. */
  logger?: Logger;
  /**
   * True when this process is the table's only writer (embedded runtime): the
   * ledger groups its appends and keeps its head, the watchdog keeps what it
   * watches. (The records' caches are the repositories' own: the embedded
   * runtime hands the services a single-writer cache over its store.)
   */
  singleWriter?: boolean;
}
