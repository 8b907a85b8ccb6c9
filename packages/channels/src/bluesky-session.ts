import { createHash } from 'node:crypto';
import { ChannelError, type ChannelConfig, type ChannelSession } from '@drumbeat/core';
import { channelError } from './http-outcome.js';
import { parseJson, xrpc, type XrpcContext, type XrpcFailure } from './bluesky-xrpc.js';

type BlueskyConfig = Extract<ChannelConfig, { type: 'bluesky' }>;

/** A Bluesky login: who, and the two tokens. */
export interface Session {
  did: string;
  accessJwt: string;
  refreshJwt: string;
}

/** What is kept: the session and the credentials it belongs to (a fingerprint, so changed credentials log in anew). */
interface Kept extends Session {
  v: 1;
  key: string;
}

/** Refresh an access token this close to its expiry rather than have a call refused. */
const EXPIRY_MARGIN_MS = 60_000;

/** True when a refused call means the token is no longer good (expired, revoked, unknown), not that the request was wrong. */
export function isAuthFailure(f: XrpcFailure): boolean {
  return f.status === 401 || (f.status === 400 && (f.error === 'ExpiredToken' || f.error === 'InvalidToken'));
}

/** When a JWT expires (ms since the epoch), or undefined when it does not say. */
function expiresAt(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  const { exp } = parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

function sessionOf(text: string): Session | undefined {
  const { did, accessJwt, refreshJwt } = parseJson(text);
  return typeof did === 'string' && typeof accessJwt === 'string' && typeof refreshJwt === 'string'
    ? { did, accessJwt, refreshJwt }
    : undefined;
}

/**
 * The account's Bluesky session across publishes: kept (through the
 * ChannelSession port, sealed at rest), refreshed with
 * `com.atproto.server.refreshSession` when its access token expires, and
 * created with `createSession` (the app password) only when there is none or
 * the refresh is refused: the reference PDS allows 30 logins per 5 minutes and
 * 300 a day per account. Nothing here publishes, so every failure is an outcome known.
 */
export class BlueskySessions {
  private readonly key: string;

  constructor(
    private readonly config: BlueskyConfig,
    private readonly cx: XrpcContext,
    private readonly kept: ChannelSession | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHash('sha256')
      .update(`${config.service}\n${config.identifier}\n${config.appPassword}`)
      .digest('base64url')
      .slice(0, 22);
  }

  /** A session to publish with: the kept one (refreshed when about to expire), else a new login. */
  async current(): Promise<Session> {
    const kept = await this.load();
    if (!kept) return this.login();
    const exp = expiresAt(kept.accessJwt);
    if (exp === undefined || exp - this.now() > EXPIRY_MARGIN_MS) return kept;
    return this.renew(kept);
  }

  /** A fresh session after `stale` was refused: refreshed, or a new login when the refresh is refused too. */
  async renew(stale: Session): Promise<Session> {
    try {
      const reply = await xrpc(this.cx, 'com.atproto.server.refreshSession', {
        procedure: true,
        token: stale.refreshJwt,
      });
      const fresh = sessionOf(reply.text);
      if (fresh) return this.keep(fresh);
    } catch (thrown) {
      const f = thrown as XrpcFailure;
      if (!isAuthFailure(f)) throw channelError('bluesky refreshSession', { ...f, outcomeUnknown: false });
    }
    return this.login();
  }

  /** Logs in with the app password and keeps the session. */
  private async login(): Promise<Session> {
    const reply = await xrpc(this.cx, 'com.atproto.server.createSession', {
      body: { identifier: this.config.identifier, password: this.config.appPassword },
    }).catch((f: XrpcFailure) => {
      throw channelError('bluesky createSession', { ...f, outcomeUnknown: false });
    });
    const session = sessionOf(reply.text);
    if (!session)
      throw new ChannelError('bluesky createSession: no accessJwt, refreshJwt or did in the response', false);
    return this.keep(session);
  }

  private async load(): Promise<Session | undefined> {
    const raw = await this.kept?.load().catch(() => undefined);
    if (!raw) return undefined;
    const kept = parseJson(raw) as Partial<Kept>;
    if (kept.v !== 1 || kept.key !== this.key) return undefined;
    return sessionOf(raw);
  }

  private async keep(session: Session): Promise<Session> {
    const kept: Kept = { v: 1, key: this.key, ...session };
    // Failing to keep it costs a login next time, not this publication.
    await this.kept?.save(JSON.stringify(kept)).catch(() => undefined);
    return session;
  }
}
