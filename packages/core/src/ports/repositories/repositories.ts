import type { AccountRepository } from './account-repository.js';
import type { AlertRepository } from './alert-repository.js';
import type { ApiKeyRepository } from './api-key-repository.js';
import type { ChannelSessionRepository } from './channel-session-repository.js';
import type { ConversationRepository } from './conversation-repository.js';
import type { DeliveryRepository } from './delivery-repository.js';
import type { EmailRefRepository } from './email-ref-repository.js';
import type { IdempotencyRepository } from './idempotency-repository.js';
import type { LedgerRepository } from './ledger-repository.js';
import type { LinkSecretRepository } from './link-secret-repository.js';
import type { ListenStateRepository } from './listen-state-repository.js';
import type { PostRepository } from './post-repository.js';
import type { ReviewDigestRepository } from './review-digest-repository.js';
import type { SigningKeyRepository } from './signing-key-repository.js';
import type { VoiceRepository } from './voice-repository.js';
import type { WebhookRepository } from './webhook-repository.js';
import type { WorkspaceRepository } from './workspace-repository.js';

/** Every repository the use-cases work through: what a composition root hands them (the store, or a decorator over it). */
export interface Repositories {
  readonly workspaces: WorkspaceRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly voices: VoiceRepository;
  readonly accounts: AccountRepository;
  readonly idempotency: IdempotencyRepository;
  readonly posts: PostRepository;
  readonly webhooks: WebhookRepository;
  readonly deliveries: DeliveryRepository;
  readonly ledger: LedgerRepository;
  readonly alerts: AlertRepository;
  readonly channelSessions: ChannelSessionRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly linkSecrets: LinkSecretRepository;
  readonly reviewDigests: ReviewDigestRepository;
  /** From an address to the accounts and voices that use it (bounces and complaints). */
  readonly emailRefs: EmailRefRepository;
  readonly listenStates: ListenStateRepository;
  readonly conversations: ConversationRepository;
}
