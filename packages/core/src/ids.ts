/** Every identifier is prefixed by what it names, so a wrong id is caught at the edge. */
export const ID_PREFIX = {
  workspace: 'ws',
  key: 'key',
  account: 'acc',
  voice: 'vce',
  post: 'pst',
  alert: 'alr',
  webhook: 'whk',
  delivery: 'dlv',
  conversation: 'cnv',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/**
 * A new id for `kind`: prefix, 10 chars of time (ms, sortable), 16 random chars.
 * Sortable by creation so list pages come out oldest first without an index.
 */
export function newId(kind: IdKind, nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 32];
  return `${ID_PREFIX[kind]}_${time}${rand}`;
}

/** A regular expression matching ids of `kind`. */
export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIX[kind]}_[0-9a-z]{26}$`);
}

/** A random secret of `bytes` bytes, base64url-encoded. */
export function randomSecret(bytes = 24): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  let bin = '';
  for (const b of buf) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes. */
export function newSigningSecret(): string {
  const buf = new Uint8Array(24);
  globalThis.crypto.getRandomValues(buf);
  let bin = '';
  for (const b of buf) bin += String.fromCharCode(b);
  return `whsec_${btoa(bin)}`;
}
