import { allPages } from '@drumbeat/store';
import { createHash } from 'node:crypto';
import {
  Conflict,
  Forbidden,
  type AccountRecord,
  type AlertRecord,
  type ConversationRecord,
  type ChatDestination,
  type PostRecord,
  type SecretSealer,
  type VoiceRecord,
} from '@drumbeat/core';
import type { ServiceDeps } from '../deps.js';
import {
  linkSignatureHolds,
  postRev,
  readLink,
  recipientTag,
  signLink,
  formToken,
  formTokenHolds,
  type LinkClaims,
  type LinkKind,
} from './action-token.js';
import { LinkSecrets } from './link-secrets.js';

/** How long a link lives by default. */
export const LINK_TTL_MS = 7 * 86_400_000;

/** Why a link does not open, with what the person can do next: rendered as a 4xx page. */
export class LinkRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 410 | 429,
    readonly heading: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** A link whose signature holds and that has not expired: its claims, and the key of its form token. */
export interface OpenLink {
  token: string;
  claims: LinkClaims;
  formToken: string;
  /** Who acts through it, as recorded (`enteredBy`, `recordedBy`, `ackedBy`): `lnk_` and a hash of the link, never the link itself. */
  actorId: string;
}

/** A composition root without a sealer can make no link (every runtime has one; some unit tests do not). */
const NO_SEALER: SecretSealer = {
  seal: () => Promise.reject(new Error('action links need a SecretSealer')),
  open: () => Promise.reject(new Error('action links need a SecretSealer')),
  isSealed: () => false,
};

const TAMPERED =
  'This link is not valid: it was changed, cut short, or it has been revoked. Open the link from the latest email exactly as it came, or ask the account’s team for a new one.';

/**
 * Signed, expiring, single-purpose links sent by email: review one post
 * version, record one manual publication, acknowledge one alert. The link is
 * the credential (HMAC of the workspace's rotating secret, compared in
 * constant time); it names the workspace, the object, the person (a voice, or
 * a hashed alert recipient) and for posts the version it was sent for.
 */
export class ActionLinks {
  readonly secrets: LinkSecrets;

  constructor(private readonly deps: ServiceDeps) {
    this.secrets = new LinkSecrets(deps.store, deps.linkSealer ?? deps.sealer ?? NO_SEALER, deps.clock);
  }

  private async sign(
    kind: LinkKind,
    ws: string,
    objectId: string,
    subject: string,
    rev: string,
    until?: number,
  ): Promise<{ url: string; expiresAt: string }> {
    const { generation, key } = await this.secrets.signing(ws);
    const now = this.deps.clock.now().getTime();
    const expiresAt = Math.floor(Math.min(now + LINK_TTL_MS, until ?? Infinity) / 1000);
    const token = signLink(key, { kind, workspaceId: ws, objectId, subject, rev, expiresAt, generation });
    return { url: `${this.deps.publicUrl}/a/${token}`, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  /**
   * The voices that may approve posts of `account`: its named approvers, or
   * else every voice that holds a live personal approver or owner key. Never
   * the author or last editor of `post`.
   */
  async approversOf(account: AccountRecord, post: PostRecord): Promise<VoiceRecord[]> {
    const ws = account.workspaceId;
    let ids = account.approval?.approvers;
    if (!ids) {
      const keys = await allPages((o) => this.deps.store.apiKeys.list(ws, o));
      ids = [
        ...new Set(
          keys
            .filter((k) => !k.revokedAt && k.voiceId && (k.role === 'approver' || k.role === 'owner'))
            .map((k) => k.voiceId!),
        ),
      ];
    }
    const out: VoiceRecord[] = [];
    for (const id of ids) {
      if (id === post.voiceId || id === post.editedBy) continue;
      const v = await this.deps.store.voices.find(ws, id);
      if (v && !v.archivedAt) out.push(v);
    }
    return out;
  }

  /**
   * Whether `voiceId` may still decide on `post` now: a review link acts for
   * a person only while they hold the right it was sent for (named among the
   * account's approvers, or holding a live personal approver or owner key),
   * and never for the post's author or last editor.
   */
  async mayReview(account: AccountRecord, post: PostRecord, voiceId: string): Promise<boolean> {
    return (await this.approversOf(account, post)).some((v) => v.id === voiceId);
  }

  /**
   * The pending posts of `account` still ahead of `now` that `voiceId` may
   * decide on, among its first 50 awaiting approval (a person's overview).
   */
  async reviewableBy(account: AccountRecord, voiceId: string, now: Date): Promise<PostRecord[]> {
    const pending = await this.deps.store.posts.listByAccount(account.workspaceId, account.id, {
      status: 'pending_approval',
      limit: 50,
    });
    const out: PostRecord[] = [];
    for (const post of pending.items) {
      if (Date.parse(post.scheduledAt) <= now.getTime()) continue;
      if (await this.mayReview(account, post, voiceId)) out.push(post);
    }
    return out;
  }

  /** The review link of `post` for approver `voiceId`: refused for a voice that may not approve it (the author among them). Lives until the post's time, at most 7 days. */
  async reviewLink(ws: string, postId: string, voiceId: string): Promise<{ url: string; expiresAt: string }> {
    const post = await this.deps.store.posts.get(ws, postId);
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    if (post.status !== 'pending_approval')
      throw new Conflict(`post ${postId} is ${post.status}; review links are for posts pending approval`);
    if (voiceId === post.voiceId || voiceId === post.editedBy) {
      throw new Conflict('the author (or last editor) of a post cannot approve it: name another voice', [
        { path: 'voiceId', message: 'the author cannot approve their own post' },
      ]);
    }
    const allowed = await this.approversOf(account, post);
    if (!allowed.some((v) => v.id === voiceId)) {
      throw new Forbidden(`voice ${voiceId} may not approve posts of this account`, [
        { path: 'voiceId', message: "not among the account's approvers" },
      ]);
    }
    return this.sign('review', ws, post.id, voiceId, postRev(post), Date.parse(post.scheduledAt));
  }

  /** The link a manual-channel reminder carries, for the voice it is sent to. */
  manualLink(ws: string, post: PostRecord, voiceId: string): Promise<{ url: string; expiresAt: string }> {
    return this.sign('manual', ws, post.id, voiceId, postRev(post));
  }

  /** The Acknowledge link of `alert` for one chat destination of its account (whoever reads the channel may use it). */
  chatAckLink(ws: string, alert: AlertRecord, dest: ChatDestination): Promise<{ url: string; expiresAt: string }> {
    return this.ackLink(ws, alert, chatRecipient(dest));
  }

  /** The Acknowledge link of `alert` for one recipient address of its account. */
  ackLink(ws: string, alert: AlertRecord, email: string): Promise<{ url: string; expiresAt: string }> {
    return this.sign('ack', ws, alert.id, recipientTag(email), '-');
  }

  /** The answer link of a conversation for the voice it is assigned to (the page writes and sends the answer in that voice). */
  answerLink(ws: string, conversationId: string, voiceId: string): Promise<{ url: string; expiresAt: string }> {
    return this.sign('answer', ws, conversationId, voiceId, '-');
  }

  /** The conversation an answer link names and its person; a link of a voice the item was reassigned away from is revoked. */
  async conversationOf(
    link: OpenLink,
  ): Promise<{ conversation: ConversationRecord; account: AccountRecord; person: VoiceRecord }> {
    const ws = link.claims.workspaceId;
    const conversation = await this.deps.store.conversations.find(ws, link.claims.objectId);
    const person = await this.deps.store.voices.find(ws, link.claims.subject);
    if (!conversation || !person)
      throw new LinkRefused(
        404,
        'Nothing to show',
        'What this link was for no longer exists. Ask the account’s team if it still needs you.',
      );
    if (conversation.status === 'open' && conversation.assigneeId !== person.id) {
      throw new LinkRefused(
        403,
        'This link was revoked',
        'This question was given to someone else since this email. Ask the account’s team if it still needs you.',
      );
    }
    const account = await this.deps.store.accounts.get(ws, conversation.accountId);
    return { conversation, account, person };
  }

  /** Checks a link: its shape, its signature (constant time), its secret generation and its expiry. Throws LinkRefused with what to do next. */
  async open(token: string, kind?: LinkKind): Promise<OpenLink> {
    const claims = readLink(token);
    if (!claims || (kind && claims.kind !== kind)) throw new LinkRefused(400, 'This link is not valid', TAMPERED);
    const key = await this.secrets.verifying(claims.workspaceId, claims.generation);
    if (!key || !linkSignatureHolds(key, token)) throw new LinkRefused(403, 'This link is not valid', TAMPERED);
    if (claims.expiresAt * 1000 <= this.deps.clock.now().getTime()) {
      const next =
        claims.kind === 'review'
          ? 'Approval links last until the post’s planned time, at most 7 days. If the post still needs you, ask its author or the account’s team to send a new review link.'
          : 'Links last 7 days. Sign in to drumbeat, or ask the account’s team for a new link.';
      throw new LinkRefused(
        410,
        'This link has expired',
        `This link expired on ${new Date(claims.expiresAt * 1000).toISOString()}. ${next}`,
      );
    }
    return {
      token,
      claims,
      formToken: formToken(key, token),
      actorId: `lnk_${createHash('sha256').update(token).digest('hex').slice(0, 24)}`,
    };
  }

  /** Checks the form token a page's form posted back. */
  async formHolds(link: OpenLink, given: unknown): Promise<boolean> {
    const key = await this.secrets.verifying(link.claims.workspaceId, link.claims.generation);
    return key !== undefined && formTokenHolds(key, link.token, given);
  }

  /** The post a post link names, in its workspace (another workspace's id is not found there). */
  async postOf(
    link: OpenLink,
  ): Promise<{ post: PostRecord; account: AccountRecord; author: VoiceRecord; person: VoiceRecord }> {
    const ws = link.claims.workspaceId;
    const post = await this.deps.store.posts.find(ws, link.claims.objectId);
    const person = await this.deps.store.voices.find(ws, link.claims.subject);
    if (!post || !person)
      throw new LinkRefused(
        404,
        'Nothing to show',
        'What this link was for no longer exists. Ask the account’s team if it still needs you.',
      );
    const account = await this.deps.store.accounts.get(ws, post.accountId);
    const author = await this.deps.store.voices.get(ws, post.voiceId);
    return { post, account, author, person };
  }

  /** The alert an ack link names and the recipient address it was sent to (a recipient since removed from the account revokes it). */
  async alertOf(link: OpenLink): Promise<{ alert: AlertRecord; account: AccountRecord; recipient: string }> {
    const ws = link.claims.workspaceId;
    const alert = await this.deps.store.alerts.find(ws, link.claims.objectId);
    if (!alert) throw new LinkRefused(404, 'Nothing to show', 'This alert no longer exists.');
    const account = await this.deps.store.accounts.find(ws, alert.accountId);
    const email = account?.alerts?.emails?.find((e) => recipientTag(e) === link.claims.subject);
    // A chat destination is named by its kind and host, never its URL (an incoming-webhook URL is itself a credential).
    const chat = email
      ? undefined
      : account?.alerts?.chat?.find((d) => recipientTag(chatRecipient(d)) === link.claims.subject);
    const recipient = email ?? (chat ? `${chat.type} channel (${new URL(chat.url).host})` : undefined);
    if (!account || !recipient)
      throw new LinkRefused(
        403,
        'This link was revoked',
        'This address no longer receives the alerts of this account. Ask the account’s team to add it again if you should.',
      );
    return { alert, account, recipient };
  }
}

/** The recipient a chat destination stands for in an Acknowledge link (hashed into the link, never shown). */
export const chatRecipient = (d: ChatDestination) => `chat:${d.type}:${d.url}`;
