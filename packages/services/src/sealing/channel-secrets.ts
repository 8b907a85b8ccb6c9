import type { AccountRecord, ChannelConfig, SecretSealer, WebhookRecord } from '@drumbeat/core';

/** The one secret field of each channel type that has one. */
const SECRET_FIELD = { webhook: 'secret', mastodon: 'accessToken', bluesky: 'appPassword' } as const;

type SecretField = (typeof SECRET_FIELD)[keyof typeof SECRET_FIELD];

/** The context a channel secret is sealed under: it opens only in its own account's row. */
export const channelSecretContext = (ws: string, accountId: string, field: string) =>
  `${ws}/${accountId}/channel.${field}`;

/** The context a webhook subscription's signing secret is sealed under. */
export const webhookSecretContext = (ws: string, webhookId: string) => `${ws}/${webhookId}/webhook.secret`;

function secretField(c: ChannelConfig): SecretField | undefined {
  return c.type === 'manual' ? undefined : SECRET_FIELD[c.type];
}

function secretOf(c: ChannelConfig): string | undefined {
  const field = secretField(c);
  return field ? (c as unknown as Record<string, string>)[field] : undefined;
}

/**
 * Channel and webhook secrets as the table holds them: sealed through the
 * `SecretSealer` when written, opened only where they are used (the publish
 * path, a delivery). A value written before sealing existed (in clear) still
 * opens as itself, so old rows keep working until they are sealed (at the
 * next write of the row, or by the embedded runtime's boot pass).
 * Without a sealer (some unit tests), values pass through unchanged.
 */
export class ChannelSecrets {
  constructor(private readonly sealer: SecretSealer | undefined) {}

  /** True when the channel holds its secret in clear and a sealer could seal it. */
  channelInClear(c: ChannelConfig): boolean {
    const value = secretOf(c);
    return !!this.sealer && value !== undefined && !this.sealer.isSealed(value);
  }

  /** The channel with its secret sealed (already sealed: unchanged). */
  async sealChannel(ws: string, accountId: string, c: ChannelConfig): Promise<ChannelConfig> {
    const field = secretField(c);
    if (!field || !this.channelInClear(c)) return c;
    return {
      ...c,
      [field]: await this.sealer!.seal(secretOf(c)!, channelSecretContext(ws, accountId, field)),
    } as ChannelConfig;
  }

  /** The channel with its secret in clear, for the channel call only; throws when a sealed secret does not open here. */
  async openChannel(ws: string, accountId: string, c: ChannelConfig): Promise<ChannelConfig> {
    const field = secretField(c);
    const value = secretOf(c);
    if (!field || value === undefined || !this.sealer?.isSealed(value)) return c;
    return {
      ...c,
      [field]: await this.sealer.open(value, channelSecretContext(ws, accountId, field)),
    } as ChannelConfig;
  }

  /** An account row with its channel secret sealed. */
  async sealAccount(r: AccountRecord): Promise<AccountRecord> {
    return { ...r, channel: await this.sealChannel(r.workspaceId, r.id, r.channel) };
  }

  /** True when the subscription's signing secret is in clear and a sealer could seal it. */
  webhookInClear(w: WebhookRecord): boolean {
    return !!this.sealer && !this.sealer.isSealed(w.secret);
  }

  /** A subscription row with its signing secret sealed. */
  async sealWebhook(w: WebhookRecord): Promise<WebhookRecord> {
    if (!this.webhookInClear(w)) return w;
    return { ...w, secret: await this.sealer!.seal(w.secret, webhookSecretContext(w.workspaceId, w.id)) };
  }

  /** The subscription's signing secret in clear, for signing one delivery. */
  async webhookSecret(w: WebhookRecord): Promise<string> {
    if (!this.sealer?.isSealed(w.secret)) return w.secret;
    return this.sealer.open(w.secret, webhookSecretContext(w.workspaceId, w.id));
  }
}
