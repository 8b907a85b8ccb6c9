import {
  bounceCondition,
  mergeBounces,
  type AccountRecord,
  type AlertCondition,
  type MailBounce,
} from '@drumbeat/core';
import type { Repositories } from '@drumbeat/core';
import { normalizeAddress } from '@drumbeat/store';
import { allPages } from '../all-pages.js';

/** What SES reported about one address. */
export interface MailReport {
  address: string;
  event: MailBounce['event'];
  detail: string;
  reportedAt: string;
}

/** How an account uses an address now: in its alert emails, as the address of some of its approvers; undefined when it does not. */
export async function addressUse(
  store: Repositories,
  account: AccountRecord,
  address: string,
): Promise<Pick<MailBounce, 'usedAs' | 'voiceIds'> | undefined> {
  const a = normalizeAddress(address);
  const usedAs: MailBounce['usedAs'] = [];
  if ((account.alerts?.emails ?? []).some((e) => normalizeAddress(e) === a)) usedAs.push('alert_recipient');
  const voiceIds: string[] = [];
  for (const id of account.approval?.approvers ?? []) {
    const v = await store.voices.find(account.workspaceId, id);
    if (v?.email && normalizeAddress(v.email) === a) voiceIds.push(id);
  }
  if (voiceIds.length) usedAs.push('approver');
  return usedAs.length ? { usedAs, ...(voiceIds.length ? { voiceIds } : {}) } : undefined;
}

/**
 * The live accounts a report's address reaches, by workspace: those that list
 * it in their alert emails, and those whose approvers include a voice with
 * that address. Found through the address refs (a superset: each is checked).
 */
export async function accountsUsing(
  store: Repositories,
  address: string,
): Promise<{ account: AccountRecord; use: Pick<MailBounce, 'usedAs' | 'voiceIds'> }[]> {
  const candidates = new Map<string, AccountRecord>();
  const owners = await store.emailRefs.owners(address);
  for (const o of owners.filter((x) => x.kind === 'account')) {
    const acc = await store.accounts.find(o.workspaceId, o.id);
    if (acc) candidates.set(`${acc.workspaceId}/${acc.id}`, acc);
  }
  // A voice's address reaches the accounts it approves for: one listing of its workspace's accounts.
  for (const ws of new Set(owners.filter((x) => x.kind === 'voice').map((x) => x.workspaceId))) {
    for (const acc of await allPages((o) => store.accounts.list(ws, o)))
      if (acc.approval?.approvers?.length) candidates.set(`${acc.workspaceId}/${acc.id}`, acc);
  }
  const out: { account: AccountRecord; use: Pick<MailBounce, 'usedAs' | 'voiceIds'> }[] = [];
  for (const account of candidates.values()) {
    if (account.archivedAt) continue;
    const use = await addressUse(store, account, address);
    if (use) out.push({ account, use });
  }
  return out;
}

/**
 * The email_bounced condition of an account that still holds: the reported
 * addresses it still uses (their use read again), plus `report` if given.
 * Undefined when none is left.
 */
export async function bouncesStillUsed(
  store: Repositories,
  account: AccountRecord,
  reported: MailBounce[],
): Promise<AlertCondition | undefined> {
  const left: MailBounce[] = [];
  for (const b of mergeBounces(reported)) {
    const use = await addressUse(store, account, b.address);
    if (use) left.push({ address: b.address, event: b.event, detail: b.detail, reportedAt: b.reportedAt, ...use });
  }
  return left.length ? bounceCondition(left) : undefined;
}
