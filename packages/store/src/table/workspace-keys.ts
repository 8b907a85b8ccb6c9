/**
 * The workspace: its partition (every tenant item's `pk`), its record, its
 * slug claim and its singletons (signing key, link secret).
 *
 * Access patterns:
 * - the record: GetItem `WS#<ws>` / `WS` (WorkspaceRepo.get)
 * - a slug's workspace: GetItem `SLUG#<slug>` / `SLUG`, claimed by conditional put (WorkspaceRepo.create, bySlug)
 * - the ledger signing key: GetItem / PutItem `WS#<ws>` / `SIGNING_KEY` (SigningKeyRepo)
 * - the review-link secret: GetItem / PutItem `WS#<ws>` / `LINK_SECRET` (LinkSecretRepo)
 */

/** The partition of a workspace. */
export const wsPk = (ws: string) => `WS#${ws}`;
export const workspaceKey = (ws: string) => ({ pk: wsPk(ws), sk: 'WS' });
/** Outside the workspace partitions: a slug claim names its workspace. */
export const slugKey = (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' });
export const signingKeyKey = (ws: string) => ({ pk: wsPk(ws), sk: 'SIGNING_KEY' });
export const linkSecretKey = (ws: string) => ({ pk: wsPk(ws), sk: 'LINK_SECRET' });
