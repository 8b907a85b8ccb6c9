import { wsPk } from './workspace-keys.js';

/**
 * Posts, their slot claims and their reference claims, in the workspace partition.
 * A post is at `POST#<id>` and on GSI1 under its account (`WS#<ws>#ACC#<account>#POSTS`),
 * sorted by `<scheduledAt>#<id>`. A slot claim is `SLOT#<account>#<instant>`, a
 * reference claim `REF#<account>#<ref>`, each naming the post that holds it.
 *
 * Access patterns:
 * - one post: Get / Put (create) / Delete `WS#<ws>` / `POST#<id>` (PostRepo: posts, approvals, publisher)
 * - a lifecycle transition (core's postRule, reviewRule): Update built from the rule, conditional on its
 *   guards (PostRepo.apply: publisher, manual publication, cancel), or Put of the post decided in memory,
 *   conditional on the same guards, when it moves (PostRepo.commit: edit, approvals)
 * - an account's posts in a window: Query gsi1 `…#ACC#<account>#POSTS`, gsi1sk BETWEEN (PostRepo.listByAccount, .allInWindow)
 * - the latest post before an instant: Query gsi1, gsi1sk < :b, backwards (PostRepo.lastBefore: calendar, watchdog)
 * - claim / release / take over a slot: conditional Put / Delete `SLOT#<account>#<at>` (PostRepo: posts, slot-claims)
 * - the slots of a window: Query `WS#<ws>`, sk BETWEEN `SLOT#<account>#<from>` and `…#<to>` (PostRepo.claimsBetween: slot-claims)
 * - claim / release / look up references: conditional Put / Delete / BatchGet `REF#<account>#<ref>` (PostRepo: posts, csv-import)
 */
export const POST_PREFIX = 'POST#';
export const postKey = (ws: string, id: string) => ({ pk: wsPk(ws), sk: `${POST_PREFIX}${id}` });
export const postsByAccount = (ws: string, account: string) => `${wsPk(ws)}#ACC#${account}#POSTS`;
export const postGsi1sk = (scheduledAt: string, id: string) => `${scheduledAt}#${id}`;
export const slotPrefix = (account: string) => `SLOT#${account}#`;
export const slotKey = (ws: string, account: string, at: string) => ({
  pk: wsPk(ws),
  sk: `${slotPrefix(account)}${at}`,
});
export const refPrefix = (account: string) => `REF#${account}#`;
export const refKey = (ws: string, account: string, ref: string) => ({
  pk: wsPk(ws),
  sk: `${refPrefix(account)}${ref}`,
});
