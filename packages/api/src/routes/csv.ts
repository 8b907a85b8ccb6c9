import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { ExportQuery, ImportQuery, ImportResult, Invalid } from '@drumbeat/core';
import { EXPORT_COLUMNS, IMPORT_COLUMNS, type ImportRow } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonResponse, textResponse } from '../openapi/common.js';
import { problem } from '../problem.js';

const tags = ['Import and export'];

const importCsv = defineRoute({
  method: 'post', path: '/v1/import', operationId: 'importPostsCsv', tags,
  summary: 'Import a calendar from CSV, safe to repeat: every row valid or nothing created',
  description: `Columns: ${IMPORT_COLUMNS.join(', ')} (account, at, text and voice required; the export's other columns are accepted and ignored; an unknown column is a 422). account: id or handle; at: an ISO 8601 instant or "next"; voice: id or email; media: a JSON array of {url, alt} (or one media_url with media_alt); status: empty, scheduled, pending_approval or canceled (published, failed and missed rows are skipped). A row with an id updates the post it names (a post id, or the id an earlier import kept) or creates one that keeps it; a row matching a live post (same text and time) is reported as a duplicate, not created; a second post at a filled slot instant needs ?shareSlots=true. Any bad row → 422 listing every row error (paths rows.<row>.<column>, the header being row 1).`,
  ...guarded('editor'),
  request: { query: ImportQuery, body: { required: true, content: { 'text/csv': { schema: z.string().register(z.globalRegistry, { example: 'account,at,text,voice\n@acme,next,Hello,anna@agency.example' }) } } } },
  responses: { 201: jsonResponse(ImportResult, 'What the import did'), ...errorResponses },
});
const exportCsv = defineRoute({
  method: 'get', path: '/v1/accounts/{id}/posts.csv', operationId: 'exportPostsCsv', tags, summary: "Export an account's posts as CSV (imports back as the same posts)",
  description: `Columns: ${EXPORT_COLUMNS.join(', ')}. Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a CR) are written behind an apostrophe, which the import removes.`,
  ...guarded('viewer'),
  request: { params: IdParams, query: ExportQuery },
  responses: { 200: textResponse('text/csv', 'CSV, one row per post'), ...errorResponses },
});

// Loaded on first use: a request rarely needs it, so the Lambda cold start does not load it (infra/README.md, Bundles).
const csvText = () => import('../csv-text.js');

/** Parses CSV text into rows keyed by header; a malformed file is a 400 naming the line. */
async function parseCsv(text: string): Promise<{ columns: string[]; rows: ImportRow[] }> {
  const { CsvError, readCsv } = await csvText();
  let records: string[][];
  try {
    records = readCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    throw new Invalid(`the CSV could not be parsed at line ${err.line}: ${err.message}`, [{ path: `rows.${err.line}`, message: err.message }]);
  }
  const [header = [], ...data] = records;
  const columns = header.map((h) => h.toLowerCase());
  return { columns, rows: data.map((cells, i) => ({ row: i + 2, values: Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ''])) })) };
}

/** CSV import and export. */
export function csvRoutes(app: Hono<AppEnv>): void {
  route(app, importCsv, async (c) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/csv') return problem(c, 415, 'unsupported-media-type', 'send the file as text/csv');
    const { columns, rows } = await parseCsv(await c.req.text());
    c.var.services.csvImport.checkColumns(columns);
    const result = await c.var.services.csvImport.run(c.var.principal.workspaceId, rows, { shareSlots: c.req.valid('query').shareSlots === 'true' });
    return c.json(result, 201);
  });
  route(app, exportCsv, async (c) => {
    const { id } = c.req.valid('param');
    const { bom, ...q } = c.req.valid('query');
    const rows = await c.var.services.postExport.rows(c.var.principal.workspaceId, id, q);
    const { writeCsv } = await csvText();
    return c.body(writeCsv(rows, { bom: bom === 'true' }), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${id}-posts.csv"` });
  });
}
