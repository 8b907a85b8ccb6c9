import * as z from 'zod/mini';
import { ConversationReportQuery, type Account, type ReportFigures } from '@drumbeat/core';
import type { Principal, Services } from '@drumbeat/services';
import { throwValidationError } from '../validation-error.js';

export interface ReportModel {
  account: Account;
  report: ReportFigures;
}

/** The response report page's figures: the API's report, `?from&to` as the API takes them. */
export async function loadReport(
  services: Services,
  principal: Principal,
  accountId: string,
  query: Record<string, string>,
): Promise<ReportModel> {
  const parsed = z.safeParse(ConversationReportQuery, query);
  if (!parsed.success) throwValidationError('query', parsed.error, query);
  const account = await services.accounts.get(principal.workspaceId, accountId);
  return { account, report: await services.conversations.report(principal.workspaceId, accountId, parsed.data) };
}

/** "2 h 15 min", "40 min", "3 d 1 h" for a wait in ms. */
export function waitText(ms: number | null): string {
  if (ms === null) return '—';
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`;
}
