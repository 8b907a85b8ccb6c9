import type { RecordPage as Page } from '@drumbeat/core';
import {
  channelUrls,
  Conflict,
  Invalid,
  newId,
  spentSlotRules,
  newSigningSecret,
  toAccount,
  type Account,
  type AccountCreate,
  type AccountPatch,
  type AccountRecord,
  type ChannelConfig,
  type ChannelIn,
  type FieldError,
} from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { applyPatch } from './patch.js';
import type { AccountHooks } from './account-hooks.js';
import { ChannelSecrets } from './sealing/channel-secrets.js';

/** An account as returned right after creation or a channel change: the webhook secret appears here once. */
export type AccountWithSecret = ReturnType<typeof toAccount>;

/** Accounts: the social presences of a workspace. */
export class AccountService {
  private readonly secrets: ChannelSecrets;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly hooks: AccountHooks,
  ) {
    this.secrets = new ChannelSecrets(deps.sealer);
  }

  private async checkChannel(channel: ChannelIn): Promise<void> {
    for (const { url, path } of channelUrls(channel)) await this.deps.urlPolicy.check(url, path);
  }

  /** Chat alert URLs pass the egress policy like channel URLs. */
  private async checkChat(chat: { url: string }[] | undefined): Promise<void> {
    for (const [i, c] of (chat ?? []).entries()) await this.deps.urlPolicy.check(c.url, `alerts.chat.${i}.url`);
  }

  private async checkApprovers(ws: string, approvers: string[] | undefined): Promise<void> {
    const errors: FieldError[] = [];
    for (const [i, id] of (approvers ?? []).entries()) {
      if (!(await this.deps.store.voices.find(ws, id)))
        errors.push({ path: `approval.approvers.${i}`, message: `voice ${id} not found` });
    }
    if (errors.length) throw new Invalid('approval.approvers names unknown voices', errors, 422);
  }

  /** Routing rules name voices of this workspace, each refused by `conversations.rules.<n>.voiceId`. */
  private async checkRuleVoices(ws: string, rules: { voiceId: string }[] | undefined): Promise<void> {
    const errors: FieldError[] = [];
    for (const [i, r] of (rules ?? []).entries()) {
      const v = await this.deps.store.voices.find(ws, r.voiceId);
      if (!v || v.archivedAt)
        errors.push({
          path: `conversations.rules.${i}.voiceId`,
          message: v ? `voice ${r.voiceId} is archived` : `voice ${r.voiceId} not found`,
        });
    }
    if (errors.length) throw new Invalid('conversations.rules names unknown voices', errors, 422);
  }

  /** Refuses slot rules whose UNTIL leaves them nothing to fire from now on, each named by `cadence.slots.<n>`. */
  private checkCadence(slots: string[] | undefined, timezone: string): void {
    if (!slots?.length) return;
    const spent = spentSlotRules({ slots, timezone }, this.deps.clock.now());
    if (spent.length)
      throw new Invalid(
        'cadence.slots: a rule can never fire',
        spent.map((s) => ({ path: `cadence.slots.${s.index}`, message: s.message })),
      );
  }

  /** Listening polls a network through the channel: only Mastodon and Bluesky channels can (others ingest through the API). */
  private checkListening(listening: { enabled: boolean } | null | undefined, channel: { type: string }): void {
    if (listening?.enabled && channel.type !== 'mastodon' && channel.type !== 'bluesky') {
      throw new Invalid('listening needs a mastodon or bluesky channel', [
        {
          path: 'listening.enabled',
          message: `a ${channel.type} channel cannot listen; items from other networks come in through POST /v1/accounts/{id}/conversations`,
        },
      ]);
    }
  }

  private withSecret(channel: ChannelIn): ChannelConfig {
    return channel.type === 'webhook' ? { ...channel, secret: newSigningSecret() } : channel;
  }

  /** Creates an account; a webhook channel gets its signing secret, returned here once as `channel.secret`. */
  async create(ws: string, input: AccountCreate): Promise<AccountWithSecret> {
    this.checkCadence(input.cadence?.slots, input.timezone);
    await this.checkChannel(input.channel);
    await this.checkChat(input.alerts?.chat);
    await this.checkApprovers(ws, input.approval?.approvers);
    this.checkListening(input.listening, input.channel);
    await this.checkRuleVoices(ws, input.conversations?.rules);
    const now = this.deps.clock.now().toISOString();
    const record: AccountRecord = {
      id: newId('account'),
      workspaceId: ws,
      ...input,
      channel: this.withSecret(input.channel),
      ...(input.cadence ? { cadenceSetAt: now } : {}),
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    // The row holds the channel's secret sealed; the caller gets it in clear once, here.
    const sealed = await this.secrets.sealAccount(record);
    await this.deps.store.emailRefs.track(
      { workspaceId: ws, kind: 'account', id: record.id },
      [],
      alertAddresses(record),
      () => this.deps.store.accounts.create(ws, sealed),
    );
    await this.hooks.accountChanged(ws, record.id);
    return revealSecret(record);
  }

  /** The account record (its channel secret sealed as stored), or NotFound. */
  record(ws: string, id: string): Promise<AccountRecord> {
    return this.deps.store.accounts.get(ws, id);
  }

  /** The account without secrets, or NotFound. */
  async get(ws: string, id: string): Promise<Account> {
    return toAccount(await this.record(ws, id));
  }

  /** A page of accounts; archived ones are left out unless asked for. */
  async list(
    ws: string,
    page: { limit: number; cursor?: string | undefined; archived?: boolean },
  ): Promise<Page<Account>> {
    const r = await this.deps.store.accounts.list(ws, page);
    const items = r.items.filter((a) => (page.archived ? true : !a.archivedAt)).map(toAccount);
    return { items, nextCursor: r.nextCursor };
  }

  /**
   * Changes an account. A new channel replaces the old one (a webhook channel
   * gets a new secret, returned once); a new cadence restarts the lapse clock.
   */
  async update(ws: string, id: string, patch: AccountPatch): Promise<AccountWithSecret> {
    const current = await this.record(ws, id);
    if (current.archivedAt) throw new Conflict(`account ${id} is archived`);
    if (patch.cadence) this.checkCadence(patch.cadence.slots, patch.timezone ?? current.timezone);
    if (patch.channel) await this.checkChannel(patch.channel);
    if (patch.alerts) await this.checkChat(patch.alerts.chat);
    if (patch.approval) await this.checkApprovers(ws, patch.approval.approvers);
    if (patch.listening !== undefined || patch.channel)
      this.checkListening(
        patch.listening === undefined ? current.listening : patch.listening,
        patch.channel ?? current.channel,
      );
    if (patch.conversations) await this.checkRuleVoices(ws, patch.conversations.rules);
    const now = this.deps.clock.now().toISOString();
    let next = applyPatch(current, { ...patch, channel: patch.channel ? this.withSecret(patch.channel) : undefined });
    if (patch.cadence !== undefined) next = applyPatch(next, { cadenceSetAt: patch.cadence ? now : null });
    next = { ...next, updatedAt: now, version: current.version + 1 };
    // Sealing here also seals a secret an older version left in clear.
    const sealed = await this.secrets.sealAccount(next);
    await this.deps.store.emailRefs.track(
      { workspaceId: ws, kind: 'account', id },
      alertAddresses(current),
      alertAddresses(next),
      () => this.deps.store.accounts.replace(ws, sealed, current.version),
    );
    await this.hooks.accountChanged(ws, id);
    return patch.channel ? revealSecret(next) : toAccount(next);
  }

  /**
   * Seals the channel secret of a row written before sealing existed (the
   * embedded runtime's boot pass). False when there was nothing to seal or
   * the row changed meanwhile (that write sealed it).
   */
  async sealStoredSecret(r: AccountRecord): Promise<boolean> {
    if (!this.secrets.channelInClear(r.channel)) return false;
    const sealed = await this.secrets.sealAccount({ ...r, version: r.version + 1 });
    try {
      await this.deps.store.accounts.replace(r.workspaceId, sealed, r.version);
    } catch (err) {
      if (err instanceof Conflict) return false;
      throw err;
    }
    return true;
  }

  /** Issues a new webhook signing secret, returned once; the old one stops working at once. */
  async rotateChannelSecret(ws: string, id: string): Promise<AccountWithSecret> {
    const current = await this.record(ws, id);
    if (current.channel.type !== 'webhook') throw new Conflict('only webhook channels have a signing secret');
    const next: AccountRecord = {
      ...current,
      channel: { ...current.channel, secret: newSigningSecret() },
      updatedAt: this.deps.clock.now().toISOString(),
      version: current.version + 1,
    };
    await this.deps.store.accounts.replace(ws, await this.secrets.sealAccount(next), current.version);
    return revealSecret(next);
  }

  /** Archives an account: it leaves lists and publishes nothing more, its history stays. */
  async archive(ws: string, id: string): Promise<void> {
    const current = await this.record(ws, id);
    if (current.archivedAt) return;
    const now = this.deps.clock.now().toISOString();
    await this.deps.store.accounts.replace(
      ws,
      await this.secrets.sealAccount({ ...current, archivedAt: now, updatedAt: now, version: current.version + 1 }),
      current.version,
    );
    await this.hooks.accountChanged(ws, id);
  }
}

function revealSecret(r: AccountRecord): AccountWithSecret {
  const out = toAccount(r);
  return r.channel.type === 'webhook' ? { ...out, channel: { ...out.channel, secret: r.channel.secret } } : out;
}

/** The addresses an account mails its alerts to (what a bounce report can name). */
function alertAddresses(a: AccountRecord): string[] {
  return a.alerts?.emails ?? [];
}
