import type { Hono } from 'hono';
import { LedgerEntrySchema, LedgerExport, Page, PageQuery, Verification } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonResponse, textResponse } from '../openapi/common.js';

const tags = ['Attribution'];
const list = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/attribution',
  operationId: 'listAttribution',
  tags,
  summary: "The account's attribution ledger: who voiced and approved each publication",
  ...guarded('viewer'),
  request: { params: IdParams, query: PageQuery },
  responses: { 200: jsonResponse(Page(LedgerEntrySchema), 'Entries in sequence order'), ...errorResponses },
});
const csv = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/attribution.csv',
  operationId: 'exportAttributionCsv',
  tags,
  summary: 'The account’s attribution ledger as CSV',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: textResponse('text/csv', 'CSV, one row per entry'), ...errorResponses },
});
const verify = defineRoute({
  method: 'get',
  path: '/v1/attribution/verify',
  operationId: 'verifyAttribution',
  tags,
  summary: 'Recompute the workspace’s hash chain and name the first broken entry',
  ...guarded('viewer'),
  responses: { 200: jsonResponse(Verification, 'The verification'), ...errorResponses },
});

const exportLedger = defineRoute({
  method: 'get',
  path: '/v1/attribution/export',
  operationId: 'exportLedger',
  tags,
  summary: "The workspace's whole ledger and checkpoint public key, to audit against checkpoints held elsewhere",
  description:
    'Save it as `ledger.json` and run `npx drumbeat-verify ledger.json checkpoints.jsonl` with checkpoints collected from `post.published` events or the transparency page.',
  ...guarded('viewer'),
  responses: { 200: jsonResponse(LedgerExport, 'The export'), ...errorResponses },
});

const COLUMNS = [
  'seq',
  'post_id',
  'account_id',
  'voice_id',
  'voice_name',
  'affiliation',
  'organization',
  'approved_by',
  'channel',
  'external_url',
  'published_at',
  'content_hash',
  'prev_hash',
  'hash',
  'source',
  'source_client',
  'edit_source',
  'edit_source_client',
];

/** Ledger reads and verification; nothing here (or anywhere) changes an entry. */
export function attributionRoutes(app: Hono<AppEnv>): void {
  const ws = (c: { var: AppEnv['Variables'] }) => c.var.principal.workspaceId;
  route(app, list, async (c) => {
    const { id } = c.req.valid('param');
    await c.var.services.accounts.record(ws(c), id);
    return c.json(await c.var.services.ledger.list(ws(c), { ...c.req.valid('query'), accountId: id }), 200);
  });
  route(app, csv, async (c) => {
    const { id } = c.req.valid('param');
    await c.var.services.accounts.record(ws(c), id);
    const rows: unknown[][] = [];
    let cursor: string | undefined;
    do {
      const page = await c.var.services.ledger.list(ws(c), { accountId: id, limit: 500, cursor });
      for (const e of page.items) {
        rows.push([
          e.seq,
          e.postId,
          e.accountId,
          e.voice.id,
          e.voice.name,
          e.voice.affiliation,
          e.voice.organization ?? '',
          e.approvedBy.join(' '),
          e.channel,
          e.externalUrl ?? '',
          e.publishedAt,
          e.contentHash,
          e.prevHash,
          e.hash,
          e.source?.kind ?? '',
          e.source?.client ?? '',
          e.editSource?.kind ?? '',
          e.editSource?.client ?? '',
        ]);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Loaded on first use, off the Lambda cold start (infra/README.md, Bundles).
    const { writeCsv } = await import('../csv-text.js');
    return c.body(writeCsv([COLUMNS, ...rows]), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${id}-attribution.csv"`,
    });
  });
  route(app, verify, async (c) => c.json(await c.var.services.ledger.verify(ws(c)), 200));
  route(app, exportLedger, async (c) => c.json(await c.var.services.ledger.export(ws(c)), 200));
}
