import type { Repositories } from '@drumbeat/core';
import { AccountRepo } from './account-repo.js';
import { VoiceRepo } from './voice-repo.js';
import type { Db } from './db.js';
import { WorkspaceRepo } from './workspace-repo.js';
import { ApiKeyRepo } from './api-key-repo.js';
import { IdempotencyRepo } from './idempotency-repo.js';
import { PostRepo } from './post-repo.js';
import { DeliveryRepo, WebhookRepo } from './webhook-repo.js';
import { LedgerRepo } from './ledger-repo.js';
import { AlertRepo } from './alert-repo.js';
import { ChannelSessionRepo } from './channel-session-repo.js';
import { SigningKeyRepo } from './signing-key-repo.js';
import { LinkSecretRepo } from './link-secret-repo.js';
import { ReviewDigestRepo } from './review-digest-repo.js';
import { EmailRefRepo } from './email-ref-repo.js';
import { ListenStateRepo } from './listen-state-repo.js';
import { ConversationRepo } from './conversation-repo.js';

/**
 * Every repository over one DynamoDB table: the concrete `Repositories` the
 * composition roots build (the embedded runtime may wrap it, see
 * single-writer-cache.ts). `db` is for the roots' own table work, not the
 * use-cases'.
 */
export class Store implements Repositories {
  readonly workspaces: WorkspaceRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly voices: VoiceRepo;
  readonly accounts: AccountRepo;
  readonly idempotency: IdempotencyRepo;
  readonly posts: PostRepo;
  readonly webhooks: WebhookRepo;
  readonly deliveries: DeliveryRepo;
  readonly ledger: LedgerRepo;
  readonly alerts: AlertRepo;
  readonly channelSessions: ChannelSessionRepo;
  readonly signingKeys: SigningKeyRepo;
  readonly linkSecrets: LinkSecretRepo;
  readonly reviewDigests: ReviewDigestRepo;
  /** From an address to the accounts and voices that use it (bounces and complaints). */
  readonly emailRefs: EmailRefRepo;
  readonly listenStates: ListenStateRepo;
  readonly conversations: ConversationRepo;

  constructor(readonly db: Db) {
    this.workspaces = new WorkspaceRepo(db);
    this.apiKeys = new ApiKeyRepo(db);
    this.voices = new VoiceRepo(db);
    this.accounts = new AccountRepo(db);
    this.idempotency = new IdempotencyRepo(db);
    this.posts = new PostRepo(db);
    this.webhooks = new WebhookRepo(db);
    this.deliveries = new DeliveryRepo(db);
    this.ledger = new LedgerRepo(db);
    this.alerts = new AlertRepo(db);
    this.channelSessions = new ChannelSessionRepo(db);
    this.signingKeys = new SigningKeyRepo(db);
    this.linkSecrets = new LinkSecretRepo(db);
    this.reviewDigests = new ReviewDigestRepo(db);
    this.emailRefs = new EmailRefRepo(db);
    this.listenStates = new ListenStateRepo(db);
    this.conversations = new ConversationRepo(db);
  }
}
