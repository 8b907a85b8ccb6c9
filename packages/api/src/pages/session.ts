import type { Context } from 'hono';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { DomainError } from '@drumbeat/core';
import type { Principal } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { randomSessionSecret, signToken, tokenKey, verifyToken, type TokenClaims } from './session-token.js';

/** The cookie that keeps a person signed in to the /app pages. */
export const SESSION_COOKIE = 'drumbeat_session';
/** How long a sign-in lasts. */
export const SESSION_SECONDS = 12 * 3600;
/** How long a signed link from POST /v1/app-links may be opened. */
export const LINK_SECONDS = 10 * 60;

let processSecret: Buffer | undefined;

/** The HMAC key of app links and sessions: from `config.sessionSecret`, else a random secret of this process. */
export function appTokenKey(c: Context<AppEnv>): Buffer {
  return tokenKey(c.var.config.sessionSecret ?? (processSecret ??= randomSessionSecret()));
}

/** Whether people reach this server over https (then the cookie is `Secure`). */
export function isHttps(c: Context<AppEnv>): boolean {
  return (
    new URL(c.req.url).protocol === 'https:' ||
    c.req.header('X-Forwarded-Proto') === 'https' ||
    (c.var.config.publicUrl ?? '').startsWith('https:')
  );
}

/** Stores `value` (an API key or a signed session) in the http-only, SameSite=Lax session cookie. */
export function startSession(c: Context<AppEnv>, value: string): void {
  setCookie(c, SESSION_COOKIE, value, {
    path: '/app',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    maxAge: SESSION_SECONDS,
  });
}

/** Clears the session cookie. */
export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/app', httpOnly: true, sameSite: 'Lax', secure: isHttps(c) });
}

/** A signed session cookie value for the key a link stood for. */
export function sessionFor(c: Context<AppEnv>, claims: TokenClaims): string {
  const now = Math.floor(c.var.services.deps.clock.now().getTime() / 1000);
  return signToken(appTokenKey(c), 'session', {
    workspaceId: claims.workspaceId,
    keyId: claims.keyId,
    expiresAt: now + SESSION_SECONDS,
  });
}

/** The principal of a key named by signed claims, while the key exists and is not revoked. */
export async function principalOfClaims(c: Context<AppEnv>, claims: TokenClaims): Promise<Principal | null> {
  // A personal key's session is its person's, as the key itself is (their decisions are in their voice).
  return (await c.var.services.apiKeys.principalOf(claims.workspaceId, claims.keyId)) ?? null;
}

/** Who the session cookie signs in: an API key (checked like a bearer key) or a signed session; null when neither holds. */
export async function sessionPrincipal(c: Context<AppEnv>): Promise<Principal | null> {
  const value = getCookie(c, SESSION_COOKIE);
  if (!value) return null;
  if (value.startsWith('dbs.')) {
    const claims = verifyToken(appTokenKey(c), 'session', value, c.var.services.deps.clock.now());
    return claims ? principalOfClaims(c, claims) : null;
  }
  try {
    return await c.var.services.apiKeys.authenticate(value);
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

/** A local /app path to return to after signing in; anything else becomes /app. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    next.length <= 512 &&
    /^\/app(?:[/?][^\\\s]*)?$/.test(next) &&
    !next.startsWith('//')
    ? next
    : '/app';
}

/** Requires a signed-in person: sets the principal, or redirects to the sign-in page (clearing a stale cookie). */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const principal = await sessionPrincipal(c);
  if (!principal) {
    if (getCookie(c, SESSION_COOKIE)) endSession(c);
    const url = new URL(c.req.url);
    return c.redirect(`/app/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  c.set('principal', principal);
  await next();
});

/**
 * The token the signed-in pages' forms carry: an HMAC of the session cookie
 * (under the app-token key), so a form works only for the session that got
 * the page; with the same-origin check, another site cannot post one.
 */
export function pageFormToken(c: Context<AppEnv>): string {
  return createHmac('sha256', appTokenKey(c))
    .update(`form|${getCookie(c, SESSION_COOKIE) ?? ''}`)
    .digest('base64url');
}

/** Whether a posted form token is this session's (compared in constant time). */
export function pageFormHolds(c: Context<AppEnv>, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(pageFormToken(c));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
