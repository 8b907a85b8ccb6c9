/**
 * Address refs, outside any workspace partition: from an address to the
 * accounts and voices that use it. `pk = EMAIL#<address>`,
 * `sk = WS#<ws>#ACCOUNT|VOICE#<id>`.
 *
 * Access patterns:
 * - track an owner's addresses: Put / Delete one ref (EmailRefRepo.track, services on account and voice writes)
 * - what uses an address: Query `EMAIL#<address>` (EmailRefRepo.owners, the watchdog's bounce handling)
 */

/** Addresses compare lower-cased and trimmed: SES reports them so. */
export const normalizeAddress = (address: string) => address.trim().toLowerCase();

export const emailRefPk = (address: string) => `EMAIL#${normalizeAddress(address)}`;
export const emailRefSk = (o: { workspaceId: string; kind: string; id: string }) =>
  `WS#${o.workspaceId}#${o.kind.toUpperCase()}#${o.id}`;
/** Reads an owner back from a ref's sort key. */
export const EMAIL_REF_OWNER = /^WS#(.+)#(ACCOUNT|VOICE)#(.+)$/;
/** A ref's key as `keys.emailRef` gave it (the address as given, the kind upper-case). */
export const emailRefKey = (address: string, ws: string, kind: 'ACCOUNT' | 'VOICE', id: string) => ({
  pk: `EMAIL#${address}`,
  sk: `WS#${ws}#${kind}#${id}`,
});
