import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What an action link lets its holder do: review one post version, record one manual publication, acknowledge one alert, answer one conversation. */
export type LinkKind = 'review' | 'manual' | 'ack' | 'answer';

/** What a link is bound to. `subject` is the voice (review, manual) or the hashed recipient address (ack); `rev` the post version it was sent for. */
export interface LinkClaims {
  kind: LinkKind;
  workspaceId: string;
  objectId: string;
  subject: string;
  rev: string;
  /** Epoch seconds. */
  expiresAt: number;
  generation: number;
}

const CODE: Record<LinkKind, string> = { review: 'r', manual: 'm', ack: 'k', answer: 'q' };
const KIND: Record<string, LinkKind> = { r: 'review', m: 'manual', k: 'ack', q: 'answer' };
const PART = /^[A-Za-z0-9_-]{1,64}$/;

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`drumbeat/action-link/v1|${body}`).digest('base64url');
}

/** The signed token of a link: `<kind>.<ws>.<object>.<subject>.<rev>.<expiry>.<generation>.<mac>` (URL-safe, no secret in it). */
export function signLink(key: Buffer, c: LinkClaims): string {
  const body = [CODE[c.kind], c.workspaceId, c.objectId, c.subject, c.rev, c.expiresAt, c.generation].join('.');
  return `${body}.${mac(key, body)}`;
}

/** The claims a token states, before its signature is checked (to find the workspace's key); null when it is not shaped as one. */
export function readLink(token: string): LinkClaims | null {
  if (token.length > 400) return null;
  const parts = token.split('.');
  if (parts.length !== 8) return null;
  const [k, ws, obj, subject, rev, exp, gen] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const kind = KIND[k];
  if (!kind || ![ws, obj, subject, rev].every((p) => PART.test(p)) || !/^\d{1,12}$/.test(exp) || !/^\d{1,9}$/.test(gen))
    return null;
  return { kind, workspaceId: ws, objectId: obj, subject, rev, expiresAt: Number(exp), generation: Number(gen) };
}

/** Whether the token's signature holds under `key`: compared in constant time. */
export function linkSignatureHolds(key: Buffer, token: string): boolean {
  const cut = token.lastIndexOf('.');
  if (cut < 0) return false;
  const expected = Buffer.from(mac(key, token.slice(0, cut)));
  const given = Buffer.from(token.slice(cut + 1));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The form token that a link's page embeds: derived from the link, so a form posted from elsewhere lacks it. */
export function formToken(key: Buffer, token: string): string {
  return mac(key, `form|${token}`).slice(0, 32);
}

/** Compares a posted form token with the expected one in constant time. */
export function formTokenHolds(key: Buffer, token: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(formToken(key, token));
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The stand-in for an email address in a link: not the address itself (links end up in logs and histories). */
export function recipientTag(email: string): string {
  return createHash('sha256')
    .update(`drumbeat/recipient|${email.trim().toLowerCase()}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The version of a post a review link is for: its text and media (what an approver reads). An edit changes it. */
export function postRev(post: { text: string; media: readonly unknown[] }): string {
  return createHash('sha256')
    .update(JSON.stringify([post.text, post.media]))
    .digest('base64url')
    .slice(0, 16);
}
