import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a signed token says: whose key it stands for and until when (epoch seconds). */
export interface TokenClaims {
  workspaceId: string;
  keyId: string;
  expiresAt: number;
}

/** `link`: a short-lived URL from POST /v1/app-links; `session`: the cookie a link turns into. */
export type TokenPurpose = 'link' | 'session';

const PREFIX: Record<TokenPurpose, string> = { link: 'dbl', session: 'dbs' };
const ID = /^(ws|key)_[0-9a-z]{26}$/;
const derived = new Map<string, Buffer>();

/** The HMAC key of app tokens, derived from the server secret (so the secret itself signs nothing directly). */
export function tokenKey(secret: string | Buffer): Buffer {
  const id = typeof secret === 'string' ? `s:${secret}` : `b:${secret.toString('base64')}`;
  let key = derived.get(id);
  if (!key) {
    key = createHmac('sha256', secret).update('drumbeat/app-tokens/v1').digest();
    if (derived.size > 16) derived.clear();
    derived.set(id, key);
  }
  return key;
}

/** A random secret for a process that was given none: its tokens die with it. */
export function randomSessionSecret(): Buffer {
  return randomBytes(32);
}

function mac(key: Buffer, purpose: TokenPurpose, body: string): string {
  return createHmac('sha256', key).update(`${purpose}|${body}`).digest('base64url');
}

/** Signs claims for one purpose: `<dbl|dbs>.<workspace>.<key>.<expiry>.<mac>`. */
export function signToken(key: Buffer, purpose: TokenPurpose, claims: TokenClaims): string {
  const body = `${claims.workspaceId}.${claims.keyId}.${claims.expiresAt}`;
  return `${PREFIX[purpose]}.${body}.${mac(key, purpose, body)}`;
}

/** The claims of a token of `purpose` whose signature holds and that has not expired at `now`; null otherwise. */
export function verifyToken(key: Buffer, purpose: TokenPurpose, token: string, now: Date): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== PREFIX[purpose]) return null;
  const [, workspaceId, keyId, exp, given] = parts as [string, string, string, string, string];
  if (!ID.test(workspaceId) || !ID.test(keyId) || !/^\d{1,12}$/.test(exp)) return null;
  const expected = Buffer.from(mac(key, purpose, `${workspaceId}.${keyId}.${exp}`));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  const expiresAt = Number(exp);
  if (expiresAt * 1000 <= now.getTime()) return null;
  return { workspaceId, keyId, expiresAt };
}
