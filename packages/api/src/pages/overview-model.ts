import * as z from 'zod/mini';
import { Invalid, type Account, type AlertKind } from '@drumbeat/core';
import type { Principal, Services } from '@drumbeat/services';

/** How many accounts one overview page lists. */
export const OVERVIEW_PAGE_SIZE = 24;

const OverviewQuery = z.object({ cursor: z.optional(z.string().check(z.maxLength(1024))) });

/** One account's cadence health as the overview shows it. */
export interface AccountHealth {
  account: Account;
  /** Past slots in a row, counted back from now, each filled by a published post. */
  streak: { slots: number; capped: boolean };
  /** The first empty slot from now within the lookahead, local time. */
  nextEmpty: { at: string; local: string } | null;
  openAlerts: { count: number; more: boolean; kinds: AlertKind[] };
  state: 'on_track' | 'attention' | 'lapsed' | 'no_cadence';
}

/** The overview: a page of accounts with their health, and the cursor of the next page. */
export interface OverviewModel {
  accounts: AccountHealth[];
  nextCursor: string | null;
  /** Posts of these accounts waiting for the signed-in person's approval (a personal approver or owner key), each with its review page. */
  waiting?: { handle: string; text: string; at: string; url: string }[];
}

/** The words a health state is shown with. */
export const STATE_LABELS: Record<AccountHealth['state'], string> = {
  on_track: 'On track',
  attention: 'Needs attention',
  lapsed: 'Cadence lapsed',
  no_cadence: 'No cadence',
};

async function health(services: Services, ws: string, account: Account): Promise<AccountHealth> {
  const [stats, cal, alerts] = await Promise.all([
    services.stats.account(ws, account.id),
    services.calendar.calendar(ws, account.id, {}),
    services.alerts.list(ws, { status: 'open', accountId: account.id, limit: 20 }),
  ]);
  const kinds = [...new Set(alerts.items.map((a) => a.kind))];
  const hasCadence = (account.cadence?.slots.length ?? 0) > 0;
  const state = kinds.includes('cadence_lapsed')
    ? 'lapsed'
    : kinds.length
      ? 'attention'
      : hasCadence
        ? 'on_track'
        : 'no_cadence';
  return {
    account,
    streak: stats.streak,
    nextEmpty: cal.gaps[0] ?? null,
    openAlerts: { count: alerts.items.length, more: alerts.nextCursor !== null, kinds },
    state,
  };
}

/** Reads a page of the workspace's accounts with each one's streak, next empty slot and open alerts. */
export async function loadOverview(
  services: Services,
  principal: Principal,
  query: Record<string, string>,
): Promise<OverviewModel> {
  const q = z.safeParse(OverviewQuery, query);
  if (!q.success) throw new Invalid('cursor: not a cursor of this list', [{ path: 'cursor', message: 'invalid' }]);
  const page = await services.accounts.list(principal.workspaceId, {
    limit: OVERVIEW_PAGE_SIZE,
    ...(q.data.cursor ? { cursor: q.data.cursor } : {}),
  });
  return {
    accounts: await Promise.all(page.items.map((a) => health(services, principal.workspaceId, a))),
    nextCursor: page.nextCursor,
    waiting: await waitingFor(services, principal, page.items),
  };
}

/** The pending posts of `accounts` that the principal's person may approve (never their own), oldest time first. */
async function waitingFor(
  services: Services,
  principal: Principal,
  accounts: Account[],
): Promise<OverviewModel['waiting']> {
  const me = principal.voiceId;
  if (!me || (principal.role !== 'approver' && principal.role !== 'owner')) return [];
  const out: NonNullable<OverviewModel['waiting']> = [];
  for (const shown of accounts.filter((a) => a.approval?.required)) {
    const account = await services.accounts.record(principal.workspaceId, shown.id);
    for (const post of await services.actionLinks.reviewableBy(account, me, services.deps.clock.now())) {
      const { url } = await services.actionLinks.reviewLink(principal.workspaceId, post.id, me);
      out.push({ handle: account.handle, text: post.text, at: post.scheduledAt, url: new URL(url).pathname });
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
